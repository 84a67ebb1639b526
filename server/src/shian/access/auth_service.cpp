#include "shian/access/auth_service.hpp"

#include "shian/access/password.hpp"

namespace shian::access {

namespace {

// The principal of `user` with its role and place (region_path empty: the place is unknown).
Result<Principal> BuildPrincipal(const User& user, const std::optional<Role>& role,
                                 const std::string& region_name, const std::string& region_path) {
    Principal p;
    p.user = user;
    if (!role) return Error::Internal("用户角色不存在：" + user.role);
    p.role = *role;
    for (const auto& perm : role->permissions) p.permissions.insert(perm);
    bool region = !region_path.empty();
    p.region_name = region_name;
    p.region_path = region_path;
    switch (role->data_scope) {
        case DataScope::kAll: p.scope.all = true; break;
        case DataScope::kCustom:
            for (const auto& place : role->places) p.scope.subtree_paths.push_back(place.path);
            p.scope.nothing = p.scope.subtree_paths.empty();
            break;
        case DataScope::kRegionAndBelow:
            if (region) p.scope.subtree_paths.push_back(region_path);
            else p.scope.nothing = true;
            break;
        case DataScope::kRegion:
            if (region) p.scope.exact_paths.push_back(region_path);
            else p.scope.nothing = true;
            break;
        case DataScope::kSelf:
            if (user.business_id) p.scope.business_id = user.business_id;
            else p.scope.nothing = true;
            break;
    }
    return p;
}

}  // namespace

Result<Principal> AuthService::ResolvePrincipal(storage::Store& store, const User& user) {
    SHIAN_ASSIGN_OR_RETURN(auto role, store.access().FindRole(user.role));
    SHIAN_ASSIGN_OR_RETURN(auto region, store.regions().Find(user.region_code));
    return BuildPrincipal(user, role, region ? region->name : "", region ? region->path : "");
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password) {
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    TimeMs now = clock_->NowMs();
    SHIAN_ASSIGN_OR_RETURN(auto user, store->access().FindUserByName(username));
    if (!user) {
        // Spend the same time as a real check so user names cannot be probed by timing.
        VerifyPassword(password, "$argon2id$v=19$m=19456,t=2,p=1$c2hpYW5zYWx0c2hpYW4$"
                                 "0000000000000000000000000000000000000000000");
        return Error::Unauthenticated("用户名或密码错误");
    }
    if (user->locked_until > now) {
        int minutes = static_cast<int>((user->locked_until - now + kMinuteMs - 1) / kMinuteMs);
        return Error{ErrorCode::kLocked,
                     "连续登录失败次数过多，账号已锁定，请" + std::to_string(minutes) + "分钟后再试", {}};
    }
    if (!VerifyPassword(password, user->password_hash)) {
        SHIAN_ASSIGN_OR_RETURN(int failed, store->access().IncrementFailedLogins(user->id));
        TimeMs locked_until = 0;
        if (failed >= kMaxFailedLogins) {
            locked_until = now + kLockMinutes * kMinuteMs;
            failed = 0;
            SHIAN_TRY(store->access().RecordLoginResult(user->id, 0, locked_until, 0));
        }
        SHIAN_ASSIGN_OR_RETURN(auto place, store->regions().Find(user->region_code));
        SHIAN_TRY(store->audit().Append({0, now, user->id, user->username, "login_failed", "session",
                                         std::to_string(user->id),
                                         locked_until ? "登录失败，账号锁定15分钟" : "登录失败：密码错误",
                                         std::nullopt, std::nullopt, place ? place->path : ""}));
        if (locked_until) {
            return Error{ErrorCode::kLocked, "连续登录失败5次，账号已锁定15分钟", {}};
        }
        return Error::Unauthenticated("用户名或密码错误，再失败" +
                                      std::to_string(kMaxFailedLogins - failed) + "次将锁定账号");
    }
    if (user->disabled) return Error::Denied("账号已停用，请联系管理员");
    SHIAN_ASSIGN_OR_RETURN(Principal principal, ResolvePrincipal(*store, *user));
    std::string token = RandomToken();
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_TRY(store->access().RecordLoginResult(user->id, 0, 0, now));
        SHIAN_TRY(store->access().DeleteSessionsIdleSince(now - kIdleMinutes * kMinuteMs));
        SHIAN_TRY(store->access().InsertSession({HashToken(token), user->id, now, now}));
        return store->audit().Append({0, now, user->id, user->username, "login", "session",
                                      std::to_string(user->id), "登录成功", std::nullopt, std::nullopt,
                                      principal.region_path});
    }));
    principal.user.last_login_at = now;
    return LoginResult{token, std::move(principal)};
}

Result<Principal> AuthService::Authenticate(const std::string& token) {
    if (token.size() != 64) return Error::Unauthenticated("请先登录");
    std::string hash = HashToken(token);
    TimeMs now = clock_->NowMs();
    if (sessions_ != nullptr) {
        if (auto cached = sessions_->Find(hash, now, kTouchIntervalMs)) return std::move(*cached);
    }
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    // Session, user, role and place in one query.
    SHIAN_ASSIGN_OR_RETURN(auto found, store->access().FindSessionUser(hash));
    if (!found) return Error::Unauthenticated("登录已失效，请重新登录");
    const Session& session = found->session;
    if (now - session.last_seen_at > kIdleMinutes * kMinuteMs) {
        SHIAN_TRY(store->access().DeleteSession(hash));
        return Error::Unauthenticated("30分钟未操作，登录已过期，请重新登录");
    }
    const std::optional<User>& user = found->user;
    if (!user || user->disabled) return Error::Unauthenticated("账号已停用，请联系管理员");
    TimeMs last_seen_at = session.last_seen_at;
    if (now - last_seen_at > kTouchIntervalMs) {
        // Skipped while another writer holds SQLite's lock (an import, for seconds): a read
        // does not wait for it, and a later request touches the session again, long before
        // its 30 idle minutes are up.
        Status touched = store->access().TouchSession(hash, now);
        if (touched.ok()) last_seen_at = now;
        else if (touched.error().code != ErrorCode::kUnavailable) return touched.error();
    }
    SHIAN_ASSIGN_OR_RETURN(Principal principal,
                           BuildPrincipal(*user, found->role, found->region_name, found->region_path));
    if (sessions_ != nullptr) sessions_->Put(hash, principal, last_seen_at, now);
    return principal;
}

Status AuthService::Logout(const std::string& token, const Principal& who) {
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    TimeMs now = clock_->NowMs();
    std::string hash = HashToken(token);
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_TRY(store->access().DeleteSession(hash));
        return store->audit().Append({0, now, who.user.id, who.user.username, "logout", "session",
                                      std::to_string(who.user.id), "退出登录", std::nullopt,
                                      std::nullopt, who.region_path});
    }));
    if (sessions_ != nullptr) sessions_->Forget(hash);
    return Ok();
}

}  // namespace shian::access
