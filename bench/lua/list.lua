-- Business list, default sort (-updated_at), pages 1..5, no filter beyond the user's scope.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
function next_path()
    return "/api/v1/businesses?page=" .. math.random(5) .. "&page_size=20"
end
