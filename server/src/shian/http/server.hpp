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
    int threads = 32;            // request threads (keep-alive connections are served one per thread)
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
