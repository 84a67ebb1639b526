-- Business list filtered by a random village (a village cadre's view), pages 1..3.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
function next_path()
    return "/api/v1/businesses?region=" .. pick(villages) .. "&page=" .. math.random(3) .. "&page_size=20"
end
