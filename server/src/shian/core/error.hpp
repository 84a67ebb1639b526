// Error and Result<T>: the one error type of shian.
//
// Domain and storage code return Result<T>; an Error carries a protocol-neutral code, a
// human-readable message (Chinese, shown to users) and optionally the offending field.
// http/error_mapping.cpp is the only place that turns an ErrorCode into an HTTP status.
// Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace shian {

enum class ErrorCode {
    kInvalidArgument,   // malformed or out-of-range input (a field is named when known)
    kUnauthenticated,   // no or expired session, wrong password
    kPermissionDenied,  // authenticated but not allowed, or outside the data scope
    kNotFound,
    kConflict,          // duplicate key or stale version
    kLocked,            // account locked after repeated failed logins
    kTooLarge,          // request or file over the size limit
    kUnsupportedMedia,  // a file that is not what it claims to be
    kRejected,          // a batch (import) rejected as a whole; details travel separately
    kUnavailable,       // database busy or down
    kInternal,
};

// Stable machine-readable name, e.g. "invalid_argument"; part of the API contract.
const char* ErrorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    std::string field;

    static Error Invalid(std::string field, std::string message) {
        return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
    }
    static Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message), {}}; }
    static Error Conflict(std::string message, std::string field = {}) {
        return {ErrorCode::kConflict, std::move(message), std::move(field)};
    }
    static Error Denied(std::string message) {
        return {ErrorCode::kPermissionDenied, std::move(message), {}};
    }
    static Error Unauthenticated(std::string message) {
        return {ErrorCode::kUnauthenticated, std::move(message), {}};
    }
    static Error Internal(std::string message) { return {ErrorCode::kInternal, std::move(message), {}}; }
};

// A value or an Error. Deliberately small: ok(), value(), error(), operator*, operator->.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return data_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(data_); }
    const T& value() const& { assert(ok()); return std::get<0>(data_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
    const Error& error() const { assert(!ok()); return std::get<1>(data_); }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { assert(!ok_); return error_; }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace shian

// Propagates an error from an expression returning Result<...>/Status.
#define SHIAN_TRY(expr)                                   \
    do {                                                  \
        auto shian_try_result_ = (expr);                  \
        if (!shian_try_result_.ok()) return shian_try_result_.error(); \
    } while (0)

// SHIAN_ASSIGN_OR_RETURN(auto x, Expr()); binds the value or returns the error.
#define SHIAN_ASSIGN_OR_RETURN(decl, expr) SHIAN_AOR_NUMBERED_(__COUNTER__, decl, expr)
#define SHIAN_AOR_NUMBERED_(n, decl, expr) SHIAN_AOR_NAMED_(n, decl, expr)
#define SHIAN_AOR_NAMED_(n, decl, expr)                          \
    auto shian_res_##n = (expr);                                 \
    if (!shian_res_##n.ok()) return shian_res_##n.error();       \
    decl = std::move(shian_res_##n).value()
