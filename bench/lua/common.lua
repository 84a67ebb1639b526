-- Shared by the bench/lua/*.lua wrk scripts: Bearer header, per-thread random seed,
-- URL encoding, and a machine-readable RESULT line in done().
-- Environment: BENCH_TOKEN (required), BENCH_TOWNSHIPS and BENCH_VILLAGES (comma-separated
-- place codes), BENCH_MAX_ID (largest business id).

local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

townships = {}
for code in string.gmatch(os.getenv("BENCH_TOWNSHIPS") or "", "[^,]+") do
    townships[#townships + 1] = code
end
villages = {}
for code in string.gmatch(os.getenv("BENCH_VILLAGES") or "", "[^,]+") do
    villages[#villages + 1] = code
end
max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1000")

function urlencode(s)
    return (string.gsub(s, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function pick(list) return list[math.random(#list)] end

local threads_started = 0
function setup(thread)
    threads_started = threads_started + 1
    thread:set("bench_thread_no", threads_started)
end

function init(args)
    math.randomseed(os.time() * 1000 + (bench_thread_no or 0) * 7919)
end

function request()
    return wrk.format("GET", next_path())
end

function done(summary, latency, requests)
    local e = summary.errors
    local secs = summary.duration / 1e6
    io.write(string.format(
        "RESULT requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d sockerr=%d\n",
        summary.requests, summary.requests / secs, latency:percentile(50) / 1000,
        latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        e.status, e.connect + e.read + e.write + e.timeout))
end
