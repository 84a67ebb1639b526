#include "shian/http/server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <poll.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "shian/http/error_mapping.hpp"
#include "shian/http/request_gate.hpp"

namespace shian::http {
namespace {

namespace fs = std::filesystem;

// An oversized body up to this size is read and dropped before the 413 is sent.
constexpr size_t kMaxDrainBytes = 64u << 20;

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

std::string MimeType(const std::string& ext) {
    static const std::map<std::string, std::string> kTypes = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".jpg", "image/jpeg"}, {".ico", "image/x-icon"}, {".woff", "font/woff"},
        {".woff2", "font/woff2"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"}};
    auto it = kTypes.find(ext);
    return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool ReadWholeFile(const fs::path& p, std::string* out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    *out = ss.str();
    return true;
}

void SetCommonHeaders(Poco::Net::HTTPServerResponse& res) {
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "same-origin");
    res.set("Content-Security-Policy", kContentSecurityPolicy);
}

void Send(Poco::Net::HTTPServerResponse& res, const Response& r) {
    // With its standard reason phrase: setStatus alone left Poco's "OK" on every status line.
    res.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
    SetCommonHeaders(res);
    for (const auto& [k, v] : r.headers) res.set(k, v);
    // An empty file still says what it is (a 204 has no content to describe).
    if (r.status != 204 && !r.content_type.empty()) res.setContentType(r.content_type);
    if (r.status == 204 || r.body.empty()) {
        res.setContentLength(0);
        res.send();
        return;
    }
    res.setContentLength(static_cast<std::streamsize>(r.body.size()));
    res.send().write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
}

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    Handler(const Router* router, const ServerOptions* options, RequestGate* gate)
        : router_(router), options_(options), gate_(gate) {}

    void handleRequest(Poco::Net::HTTPServerRequest& preq, Poco::Net::HTTPServerResponse& pres) override {
        try {
            Handle(preq, pres);
        } catch (const std::exception& e) {
            std::cerr << "shian: request failed: " << e.what() << "\n";
            if (!pres.sent()) Send(pres, ErrorResponse(Error::Internal(e.what())));
        }
    }

private:
    void Handle(Poco::Net::HTTPServerRequest& preq, Poco::Net::HTTPServerResponse& pres) {
        Request req;
        req.method = preq.getMethod();
        Poco::URI uri;
        try {
            uri = Poco::URI(preq.getURI());
            req.path = uri.getPath();
            for (auto& [k, v] : uri.getQueryParameters()) req.query.emplace(k, v);
        } catch (const Poco::Exception&) {
            Send(pres, ErrorResponse(Error::Invalid("", "请求地址格式错误")));
            return;
        }
        bool api = req.path.rfind("/api/", 0) == 0 || req.path == "/healthz";
        if (!api) {
            ServeStatic(req, pres);
            return;
        }
        for (const auto& [k, v] : preq) {
            std::string key = k;
            for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            req.headers[key] = v;
        }
        req.remote = preq.clientAddress().host().toString();
        bool upload = req.path.ends_with("/import");
        size_t limit = upload ? options_->max_upload_body : options_->max_json_body;
        if (preq.hasContentLength() && preq.getContentLength64() > static_cast<int64_t>(limit)) {
            // Most clients send the whole body before reading the answer; read and drop a
            // bounded amount so they see the 413 rather than a reset connection.
            if (preq.getContentLength64() <= static_cast<int64_t>(kMaxDrainBytes)) {
                std::istream& in = preq.stream();
                char sink[16384];
                while (in.read(sink, sizeof sink) || in.gcount() > 0) {
                }
            }
            pres.setKeepAlive(false);
            Send(pres, ErrorResponse({ErrorCode::kTooLarge,
                                      "请求体过大（上限 " + std::to_string(limit >> 20) + " MB）", ""}));
            return;
        }
        if (req.method == "POST" || req.method == "PATCH" || req.method == "PUT") {
            std::istream& in = preq.stream();
            req.body.reserve(preq.hasContentLength() ? static_cast<size_t>(preq.getContentLength64()) : 4096);
            char buf[16384];
            while (in.read(buf, sizeof buf) || in.gcount() > 0) {
                req.body.append(buf, static_cast<size_t>(in.gcount()));
                if (req.body.size() > limit) {
                    pres.setKeepAlive(false);
                    Send(pres, ErrorResponse({ErrorCode::kTooLarge, "请求体过大", ""}));
                    return;
                }
            }
        }
        Response r = router_->Dispatch(req, gate_);  // quick reads take turns (Pace)
        if (req.path.rfind("/api/", 0) == 0) r.headers.emplace_back("Cache-Control", "no-store");
        Send(pres, r);
    }

    void ServeStatic(const Request& req, Poco::Net::HTTPServerResponse& pres) {
        if (req.method != "GET" && req.method != "HEAD") {
            Response r = ErrorResponse({ErrorCode::kInvalidArgument, "不支持的请求方法", ""});
            r.status = 405;
            Send(pres, r);
            return;
        }
        if (options_->web_root.empty()) {
            Send(pres, ErrorResponse(Error::NotFound("未配置网页目录（--web）")));
            return;
        }
        fs::path root(options_->web_root);
        std::string rel = req.path;
        if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos) {
            Send(pres, ErrorResponse(Error::NotFound("文件不存在")));
            return;
        }
        while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
        fs::path file = rel.empty() ? root / "index.html" : root / rel;
        std::error_code ec;
        bool asset = rel.rfind("assets/", 0) == 0;
        if (!fs::is_regular_file(file, ec)) {
            if (asset || fs::path(rel).has_extension()) {
                Send(pres, ErrorResponse(Error::NotFound("文件不存在：" + rel)));
                return;
            }
            file = root / "index.html";  // client-side route
        }
        Response r;
        if (!ReadWholeFile(file, &r.body)) {
            Send(pres, ErrorResponse(Error::NotFound("网页文件不存在，请先构建 web/（npm run build）")));
            return;
        }
        r.content_type = MimeType(file.extension().string());
        // Vite names assets by content hash: cache them for a year; never cache index.html.
        r.headers.emplace_back("Cache-Control", asset ? "public, max-age=31536000, immutable" : "no-cache");
        Send(pres, r);
    }

    const Router* router_;
    const ServerOptions* options_;
    RequestGate* gate_;
};

// The open connections and whether each waits for its next request, so that a stop ends the
// waiting ones at once and the others after the request they are serving.
class Connections {
public:
    // The connection on `socket` waits for its next request; false when the server stops.
    bool Wait(Poco::Net::StreamSocket* socket) { return Set(socket, true); }
    // It has a request to serve; false when the server stops (it is closed unanswered).
    bool Serve(Poco::Net::StreamSocket* socket) { return Set(socket, false); }
    void Remove(Poco::Net::StreamSocket* socket) {
        std::lock_guard lock(mu_);
        open_.erase(socket);
    }
    // Stops: each waiting connection's read side is shut, which wakes its wait.
    void Stop() {
        std::lock_guard lock(mu_);
        stopping_ = true;
        for (auto& [socket, waiting] : open_) {
            if (waiting) ShutDown(socket);
        }
    }
    // Ends every connection still open (in the middle of a request: the grace ran out).
    void Abort() {
        std::lock_guard lock(mu_);
        for (auto& [socket, waiting] : open_) ShutDown(socket);
    }

private:
    bool Set(Poco::Net::StreamSocket* socket, bool waiting) {
        std::lock_guard lock(mu_);
        open_[socket] = waiting;
        return !stopping_;
    }
    static void ShutDown(Poco::Net::StreamSocket* socket) {
        try {
            socket->shutdown();
        } catch (const Poco::Exception&) {  // already closed by the peer
        }
    }

    std::mutex mu_;
    bool stopping_ = false;
    std::unordered_map<Poco::Net::StreamSocket*, bool> open_;
};

// Exposes the bytes a session has read ahead (a pipelined request needs no wait).
class Session final : public Poco::Net::HTTPServerSession {
public:
    using HTTPServerSession::HTTPServerSession;
    using HTTPSession::buffered;
};

// True when fd has something to read (or its peer closed) within `timeout`.
bool WaitReadable(int fd, Poco::Timespan timeout) {
    pollfd p{fd, POLLIN, 0};
    int rc;
    do {
        rc = ::poll(&p, 1, static_cast<int>(timeout.totalMilliseconds()));
    } while (rc < 0 && errno == EINTR);
    return rc > 0;
}

// One keep-alive HTTP/1.1 connection, in place of Poco's HTTPServerConnection: the same request
// cycle, but it waits for the next request with one poll(2) where Poco 1.11 creates, arms,
// waits on and closes an epoll instance for every request (~8 % of the server's CPU on a
// business detail, perf, session 12). A stop ends it as Poco's did: at once when it waits for a
// request, after the answer when it is serving one (Connections).
class Connection final : public Poco::Net::TCPServerConnection {
public:
    Connection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
               const Router* router, const ServerOptions* options, Connections* connections, RequestGate* gate)
        : TCPServerConnection(socket), params_(std::move(params)), handler_(router, options, gate),
          connections_(connections) {}

    void run() override {
        Poco::Net::StreamSocket& sock = socket();
        // Out of the registry before the socket goes, however run() ends.
        struct Leave {
            Connections* connections;
            Poco::Net::StreamSocket* socket;
            ~Leave() { connections->Remove(socket); }
        } leave{connections_, &sock};
        Session session(sock, params_);
        int left = params_->getMaxKeepAliveRequests();
        Poco::Timespan wait = params_->getTimeout();  // for the first request: the read timeout
        while (left > 0) {
            if (session.buffered() == 0) {
                if (!connections_->Wait(&sock)) break;
                bool readable = WaitReadable(sock.impl()->sockfd(), wait);
                if (!connections_->Serve(&sock) || !readable) break;
            } else if (!connections_->Serve(&sock)) {
                break;
            }
            wait = params_->getKeepAliveTimeout();
            --left;
            if (!ServeOne(session, left > 0)) break;
        }
    }

private:
    // Reads one request and answers it; false when the connection is to be closed.
    bool ServeOne(Session& session, bool may_keep_alive) {
        try {
            Poco::Net::HTTPServerResponseImpl response(session);
            Poco::Net::HTTPServerRequestImpl request(response, session, params_);
            response.setDate(Poco::Timestamp());
            response.setVersion(request.getVersion());
            response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() && may_keep_alive);
            if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
                response.sendContinue();
            }
            handler_.handleRequest(request, response);
            session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && may_keep_alive);
            return session.getKeepAlive();
        } catch (const Poco::Net::NoMessageException&) {  // the peer closed between requests
            return false;
        } catch (const Poco::Net::MessageException&) {  // no HTTP request line or headers
            try {
                Poco::Net::HTTPServerResponseImpl response(session);
                response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
                response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
                response.setKeepAlive(false);
                response.send();
            } catch (const Poco::Exception&) {
            }
            return false;
        } catch (const Poco::Exception&) {  // a read timeout, a reset connection
            return false;
        }
    }

    Poco::Net::HTTPServerParams::Ptr params_;
    Handler handler_;
    Connections* connections_;
};

class ConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, const Router* router, const ServerOptions* options,
                      Connections* connections, RequestGate* gate)
        : params_(std::move(params)), router_(router), options_(options), connections_(connections), gate_(gate) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new Connection(socket, params_, router_, options_, connections_, gate_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    const Router* router_;
    const ServerOptions* options_;
    Connections* connections_;
    RequestGate* gate_;
};

}  // namespace

struct HttpServer::Impl {
    const Router* router;
    ServerOptions options;
    std::unique_ptr<Poco::ThreadPool> pool;
    Connections connections;
    std::unique_ptr<RequestGate> gate;
    std::unique_ptr<Poco::Net::TCPServer> server;
};

HttpServer::HttpServer(const Router* router, ServerOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->router = router;
    impl_->options = std::move(options);
}

HttpServer::~HttpServer() { Stop(1000); }

Result<int> HttpServer::Start() {
    try {
        Poco::Net::SocketAddress addr(impl_->options.host, static_cast<Poco::UInt16>(impl_->options.port));
        // SO_REUSEADDR (a restart need not wait for TIME_WAIT) but not SO_REUSEPORT: a second
        // server on a port in use must fail, not share the port with the first one.
        Poco::Net::ServerSocket socket;
        socket.bind(addr, true, false);
        socket.listen(256);
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(impl_->options.threads);
        params->setMaxQueued(1024);
        params->setKeepAlive(true);
        params->setMaxKeepAliveRequests(10000);
        params->setKeepAliveTimeout(Poco::Timespan(impl_->options.keep_alive_seconds, 0));
        params->setTimeout(Poco::Timespan(impl_->options.read_timeout_seconds, 0));
        impl_->pool = std::make_unique<Poco::ThreadPool>(2, impl_->options.threads + 2);
        impl_->gate = std::make_unique<RequestGate>(impl_->options.active_requests);
        impl_->server = std::make_unique<Poco::Net::TCPServer>(
            new ConnectionFactory(params, impl_->router, &impl_->options, &impl_->connections, impl_->gate.get()),
            *impl_->pool,
            socket, params);
        impl_->server->start();
        return static_cast<int>(socket.address().port());
    } catch (const Poco::Exception& e) {
        return Error{ErrorCode::kUnavailable, "无法监听 " + impl_->options.host + ":" +
                                                  std::to_string(impl_->options.port) + "：" + e.displayText(),
                     "port"};
    }
}

void HttpServer::Stop(int grace_ms) {
    if (!impl_->server) return;
    impl_->server->stop();         // no new connections
    impl_->connections.Stop();     // idle ones end now, the others after their request
    for (int waited = 0; impl_->server->currentConnections() > 0 && waited < grace_ms; waited += 10) {
        Poco::Thread::sleep(10);
    }
    impl_->connections.Abort();
    impl_->server.reset();
    impl_->pool->joinAll();
}

}  // namespace shian::http
