// HttpServer: serves the Router and the web console's built files over HTTP/1.1 (Poco::Net),
// with request-size limits, read timeouts, security headers and graceful shutdown.
#pragma once

#include <memory>
#include <string>

#include "shian/http/router.hpp"

namespace shian::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string web_root;        // directory with index.html and assets/; empty = API only
    // Request threads. Poco serves a keep-alive connection on one thread until it closes or
    // idles for keep_alive_seconds, so this is how many browsers' connections can be open at
    // once without a newcomer waiting (a page leaves 1–6 open): 32 made the 33rd connection
    // wait up to 10 s. Threads without a request hold no database connection.
    int threads = 128;
    // GET requests worked on at once, the others waiting in arrival order (RequestGate);
    // 0: no limit. Writes (which may wait for SQLite's write lock) and exports (seconds
    // each) do not wait.
    int active_requests = 0;
    int keep_alive_seconds = 5;  // an idle connection gives its thread back after this
    size_t max_json_body = 1 << 20;        // 1 MiB
    size_t max_upload_body = 50u << 20;    // 50 MiB for imports
    int read_timeout_seconds = 30;
};

class HttpServer {
public:
    HttpServer(const Router* router, ServerOptions options);
    ~HttpServer();
    // Binds and starts serving; returns the bound port (useful with port 0).
    Result<int> Start();
    // Stops accepting, lets in-flight requests finish (up to `grace_ms`).
    void Stop(int grace_ms);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shian::http
