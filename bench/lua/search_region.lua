-- Search (2- or 3-character query) within a random township.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
local words = {"火锅", "超市", "面馆", "食堂", "串串香", "便利店", "幼儿园", "麻辣烫"}
function next_path()
    return "/api/v1/businesses?q=" .. urlencode(pick(words)) .. "&region=" .. pick(townships) .. "&page_size=20"
end
