-- Statistics by kind over the user's whole scope.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/lua/common.lua")
function next_path() return "/api/v1/stats/businesses?by=kind" end
