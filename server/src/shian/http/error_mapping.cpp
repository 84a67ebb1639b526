#include "shian/http/error_mapping.hpp"

#include <nlohmann/json.hpp>

namespace shian::http {

int HttpStatusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument: return 400;
        case ErrorCode::kUnauthenticated: return 401;
        case ErrorCode::kPermissionDenied: return 403;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kConflict: return 409;
        case ErrorCode::kTooLarge: return 413;
        case ErrorCode::kUnsupportedMedia: return 415;
        case ErrorCode::kRejected: return 422;
        case ErrorCode::kLocked: return 423;
        case ErrorCode::kUnavailable: return 503;
        case ErrorCode::kInternal: return 500;
    }
    return 500;
}

Response ErrorResponse(const Error& error) {
    Response r;
    r.status = HttpStatusFor(error.code);
    nlohmann::json body = {{"error",
                            {{"code", ErrorCodeName(error.code)},
                             {"message", error.code == ErrorCode::kInternal ? "服务器内部错误" : error.message},
                             {"field", error.field}}}};
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (error.code == ErrorCode::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
}

}  // namespace shian::http
