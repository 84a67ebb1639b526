-- Search (2- or 3-character query) with a kind filter within a random township: what an
-- inspector does when the list is too long (no SQL floor in bench/floor.py yet).
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
local words = {"火锅", "超市", "面馆", "便利店", "麻辣烫"}
local kinds = {"catering", "food_retail", "small_catering"}
function next_path()
    return "/api/v1/businesses?q=" .. urlencode(pick(words)) .. "&kind=" .. pick(kinds) ..
        "&region=" .. pick(townships) .. "&page_size=20"
end
