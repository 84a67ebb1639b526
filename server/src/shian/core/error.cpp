#include "shian/core/error.hpp"

namespace shian {

const char* ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument: return "invalid_argument";
        case ErrorCode::kUnauthenticated: return "unauthenticated";
        case ErrorCode::kPermissionDenied: return "permission_denied";
        case ErrorCode::kNotFound: return "not_found";
        case ErrorCode::kConflict: return "conflict";
        case ErrorCode::kLocked: return "locked";
        case ErrorCode::kTooLarge: return "too_large";
        case ErrorCode::kUnsupportedMedia: return "unsupported_media";
        case ErrorCode::kRejected: return "rejected";
        case ErrorCode::kUnavailable: return "unavailable";
        case ErrorCode::kInternal: return "internal";
    }
    return "internal";
}

}  // namespace shian
