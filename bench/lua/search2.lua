-- Search with 2-character Chinese queries (one bigram), first page.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
local words = {"火锅", "超市", "面馆", "食堂", "烧烤", "小学", "冒菜", "米粉", "王记", "兴隆"}
function next_path()
    return "/api/v1/businesses?q=" .. urlencode(pick(words)) .. "&page_size=20"
end
