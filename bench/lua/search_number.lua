-- Number searches (since session 11): what an inspector types from a licence or a sign — a
-- whole licence number (JY1 + the county code + 7 digits), its 7-digit tail, the start of a
-- USCC (92 + the county code + two characters) or a house number — county-wide or within a
-- random township. Every licence and most USCCs in a county hold its code, so their bigrams
-- are in nearly every business (SqlBusinessRepository::LeftOutGrams).
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
local alnum = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local function digits(n)
    local s = ""
    for _ = 1, n do s = s .. tostring(math.random(0, 9)) end
    return s
end
local function query()
    local kind = math.random(4)
    if kind == 1 then return "JY1511902" .. digits(7) end
    if kind == 2 then return digits(7) end
    if kind == 3 then
        local a, b = math.random(#alnum), math.random(#alnum)
        return "92511902" .. alnum:sub(a, a) .. alnum:sub(b, b)
    end
    return "路" .. math.random(1, 300) .. "号"
end
function next_path()
    local region = math.random(2) == 1 and ("&region=" .. pick(townships)) or ""
    return "/api/v1/businesses?q=" .. urlencode(query()) .. region .. "&page_size=20"
end
