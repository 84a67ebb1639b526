// AuthService: login with lockout, sessions with idle expiry, and resolving a token into the
// Principal (user, role, permissions, data scope) a request acts as.
//
// Rules (platform foundation issue §5; GB/T 22239-2019 8.1.4.1 identity authentication):
//   lock an account for kLockMinutes after kMaxFailedLogins consecutive failures;
//   a session expires after kIdleMinutes without a request.
#pragma once

#include <memory>
#include <string>

#include "shian/access/session_cache.hpp"
#include "shian/access/user.hpp"
#include "shian/core/clock.hpp"
#include "shian/storage/store.hpp"

namespace shian::access {

inline constexpr int kMaxFailedLogins = 5;
inline constexpr int kLockMinutes = 15;
inline constexpr int kIdleMinutes = 30;
// last_seen_at is written at most this often, so reads do not turn into writes.
inline constexpr TimeMs kTouchIntervalMs = 60'000;

struct LoginResult {
    std::string token;
    Principal principal;
};

class AuthService {
public:
    // sessions: where resolved tokens are kept for a few seconds (nullptr: every request reads
    // its session from the database).
    AuthService(storage::StoreProvider* stores, const Clock* clock, SessionCache* sessions = nullptr)
        : stores_(stores), clock_(clock), sessions_(sessions) {}

    // 401 for unknown user or wrong password, kLocked while locked, 403 when disabled.
    Result<LoginResult> Login(const std::string& username, const std::string& password);
    Result<Principal> Authenticate(const std::string& token);
    Status Logout(const std::string& token, const Principal& who);

    // Resolves user → principal (role, permissions, scope) with the given store.
    static Result<Principal> ResolvePrincipal(storage::Store& store, const User& user);

private:
    storage::StoreProvider* stores_;
    const Clock* clock_;
    SessionCache* sessions_;
};

}  // namespace shian::access
