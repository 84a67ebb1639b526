-- Business detail (with status and grade history) by a random id.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
function next_path()
    return "/api/v1/businesses/" .. math.random(max_id)
end
