#include "shian/http/router.hpp"

#include <charconv>
#include <iostream>

#include "shian/http/error_mapping.hpp"

namespace shian::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
    std::vector<std::string> out;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Access access, Handler handler, RouteDoc doc,
                 Pace pace) {
    auto segments = Split(pattern);
    routes_.push_back({std::move(method), std::move(pattern), std::move(segments), access, std::move(handler),
                       std::move(doc), pace});
}

Response Router::Dispatch(Request& request, RequestGate* gate) const {
    auto segments = Split(request.path);
    bool path_matched = false;
    for (const Route& route : routes_) {
        if (route.segments.size() != segments.size()) continue;
        std::map<std::string, std::string> params;
        bool match = true;
        for (size_t i = 0; i < segments.size() && match; ++i) {
            const std::string& p = route.segments[i];
            if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
                params[p.substr(1, p.size() - 2)] = segments[i];
            } else {
                match = p == segments[i];
            }
        }
        if (!match) continue;
        path_matched = true;
        if (route.method != request.method) continue;
        request.params = std::move(params);
        GatePass pass(route.method == "GET" && route.pace == Pace::kQuick ? gate : nullptr);
        if (route.access == Access::kAuth) {
            std::string auth = request.Header("authorization");
            if (auth.rfind("Bearer ", 0) != 0) return ErrorResponse(Error::Unauthenticated("请先登录"));
            request.token = auth.substr(7);
            auto principal = auth_->Authenticate(request.token);
            if (!principal.ok()) return ErrorResponse(principal.error());
            request.principal = std::move(principal).value();
        }
        auto result = route.handler(request);
        if (!result.ok()) {
            if (result.error().code == ErrorCode::kInternal) {
                std::cerr << "shian: " << request.method << " " << request.path << ": "
                          << result.error().message << "\n";
            }
            return ErrorResponse(result.error());
        }
        return std::move(result).value();
    }
    if (path_matched) {
        Response r = ErrorResponse({ErrorCode::kInvalidArgument, "不支持的请求方法：" + request.method, ""});
        r.status = 405;
        return r;
    }
    return ErrorResponse(Error::NotFound("接口不存在：" + request.path));
}

Response JsonResponse(int status, const std::string& json_text) {
    Response r;
    r.status = status;
    r.body = json_text;
    return r;
}

Response NoContent() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

Result<int64_t> ParseId(const std::string& text, const std::string& field) {
    int64_t v = 0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() || v <= 0) {
        return Error::Invalid(field, field + " 应为正整数");
    }
    return v;
}

Result<int> ParseIntParam(const Request& request, const std::string& name, int def, int min, int max) {
    std::string text = request.Query(name);
    if (text.empty()) return def;
    int v = 0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (res.ec != std::errc() || res.ptr != text.data() + text.size() || v < min || v > max) {
        return Error::Invalid(name, name + " 应为" + std::to_string(min) + "至" + std::to_string(max) + "之间的整数");
    }
    return v;
}

}  // namespace shian::http
