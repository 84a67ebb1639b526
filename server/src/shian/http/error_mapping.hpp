// The one place where an Error becomes an HTTP status and the JSON error shape
// {"error":{"code","message","field"}}.
#pragma once

#include "shian/core/error.hpp"
#include "shian/http/http_types.hpp"

namespace shian::http {

int HttpStatusFor(ErrorCode code);
Response ErrorResponse(const Error& error);

}  // namespace shian::http
