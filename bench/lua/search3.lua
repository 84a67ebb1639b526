-- Search with 3-character Chinese queries (two bigrams + substring check), first page.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
local words = {"串串香", "麻辣烫", "便利店", "幼儿园", "酸菜鱼", "农贸市", "卫生院", "豆花饭", "人民路", "李记火"}
function next_path()
    return "/api/v1/businesses?q=" .. urlencode(pick(words)) .. "&page_size=20"
end
