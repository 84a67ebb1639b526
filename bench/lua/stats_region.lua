-- Statistics by region: the county's townships, or a random township's villages.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
function next_path()
    if math.random(2) == 1 then return "/api/v1/stats/businesses?by=region" end
    return "/api/v1/stats/businesses?by=region&region=" .. pick(townships)
end
