// Tests of AuthService (login, lockout, sessions, principals) and of the password policy, on a
// temporary database (SQLite unless SHIAN_TEST_DB says otherwise) prepared by
// app::PrepareDatabase, with a FakeClock driving time.
//
// Rule sources (docs/rules.md): lockout after 5 consecutive failures for 15 minutes, session
// idle expiry after 30 minutes and the password policy come from the platform foundation
// issue §5, in line with GB/T 22239-2019 8.1.4.1; tests of those rules say so by name
// ("Issue5...") and in a comment.
#include "shian/core/result_matchers.hpp"
#include "shian/access/auth_service.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shian/access/password.hpp"
#include "shian/access/user_service.hpp"
#include "shian/app/setup.hpp"
#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"
#include "shian/storage/connection_pool.hpp"
#include "shian/storage/sql_store.hpp"
#include "shian/storage/test_database.hpp"

namespace shian::access {
namespace {

constexpr TimeMs kT0 = 1'764'000'000'000;  // 2025-11-24
constexpr const char* kPassword = "Shian@2026";
constexpr const char* kCounty = "511902";
constexpr const char* kDongcheng = "511902001";  // 东城街道
constexpr const char* kBeimen = "511902001001";  // 北门社区居民委员会
constexpr TimeMs kSessionCacheMs = 2000;  // `shian serve`'s default

class AuthServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = storage::OpenTestDatabase();
        ASSERT_TRUE(IsOk(db));
        pool_ = std::make_unique<storage::ConnectionPool>(std::move(db).value(), 4);
        {
            auto lease = pool_->Acquire();
            ASSERT_TRUE(IsOk(lease));
            ASSERT_TRUE(IsOk(app::PrepareDatabase(**lease, app::SetupOptions{}, nullptr)));
        }
        stores_ = std::make_unique<storage::SqlStoreProvider>(pool_.get());
        // With the session cache `shian serve` runs with, so every rule below holds through it.
        users_ = std::make_unique<UserService>(stores_.get(), &clock_, &sessions_);
        auth_ = std::make_unique<AuthService>(stores_.get(), &clock_, &sessions_);
    }

    User CreateUser(const std::string& username, const std::string& role = "inspector",
                    const std::string& region = kDongcheng, bool disabled = false,
                    std::optional<int64_t> business_id = std::nullopt) {
        UserInput in;
        in.username = username;
        in.password = kPassword;
        in.display_name = "测试" + username;
        in.role = role;
        in.region_code = region;
        in.disabled = disabled;
        if (business_id) in.business_id = business_id;
        auto view = users_->Create(SystemPrincipal(), in);
        EXPECT_TRUE(IsOk(view)) << username;
        return view.ok() ? view->user : User{};
    }

    std::unique_ptr<storage::Store> Store() {
        auto store = stores_->Open();
        EXPECT_TRUE(IsOk(store));
        return store.ok() ? std::move(store).value() : nullptr;
    }

    User Stored(const std::string& username) {
        auto user = Store()->access().FindUserByName(username);
        EXPECT_TRUE(IsOk(user));
        EXPECT_TRUE(user.ok() && user->has_value()) << username;
        return user.ok() && user->has_value() ? **user : User{};
    }

    // Actions of the audit entries about sessions of `user_id`, oldest first.
    std::vector<std::string> SessionAudit(int64_t user_id) {
        AuditQuery q;
        q.entity = "session";
        q.entity_id = std::to_string(user_id);
        q.page_size = 100;
        auto page = Store()->audit().List(q);
        EXPECT_TRUE(IsOk(page));
        std::vector<std::string> actions;
        if (page.ok()) {
            for (auto it = page->first.rbegin(); it != page->first.rend(); ++it) {
                actions.push_back(it->action);
            }
        }
        return actions;
    }

    FakeClock clock_{kT0};
    SessionCache sessions_{kSessionCacheMs};
    std::unique_ptr<storage::ConnectionPool> pool_;
    std::unique_ptr<storage::SqlStoreProvider> stores_;
    std::unique_ptr<UserService> users_;
    std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, LoginOpensASessionThatAuthenticates) {
    User created = CreateUser("zhang.san");
    auto login = auth_->Login("zhang.san", kPassword);
    ASSERT_TRUE(IsOk(login));
    EXPECT_EQ(login->token.size(), 64u);
    EXPECT_EQ(login->token.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(login->principal.user.id, created.id);
    EXPECT_EQ(login->principal.user.last_login_at, kT0);
    EXPECT_EQ(login->principal.role.code, "inspector");
    EXPECT_EQ(Stored("zhang.san").last_login_at, kT0);

    // Only the token's hash is stored.
    auto session = Store()->access().FindSession(HashToken(login->token));
    ASSERT_TRUE(IsOk(session));
    ASSERT_TRUE(session->has_value());
    EXPECT_EQ((*session)->user_id, created.id);
    auto raw = Store()->access().FindSession(login->token);
    ASSERT_TRUE(IsOk(raw));
    EXPECT_FALSE(raw->has_value());

    clock_.Advance(kMinuteMs);
    auto who = auth_->Authenticate(login->token);
    ASSERT_TRUE(IsOk(who));
    EXPECT_EQ(who->user.username, "zhang.san");
    EXPECT_EQ(who->region_name, "东城街道");
    EXPECT_EQ(SessionAudit(created.id), std::vector<std::string>{"login"});

    // Two logins are two independent sessions.
    auto second = auth_->Login("zhang.san", kPassword);
    ASSERT_TRUE(IsOk(second));
    EXPECT_NE(second->token, login->token);
    EXPECT_TRUE(IsOk(auth_->Authenticate(login->token)));
    EXPECT_TRUE(IsOk(auth_->Authenticate(second->token)));
}

TEST_F(AuthServiceTest, WrongPasswordUnknownUserAndBadTokensAreUnauthenticated) {
    User user = CreateUser("li.si");
    auto wrong = auth_->Login("li.si", "Wrong@2026");
    EXPECT_TRUE(FailsWith(wrong, ErrorCode::kUnauthenticated));
    EXPECT_NE(wrong.error().message.find("再失败4次"), std::string::npos) << wrong.error().message;
    EXPECT_TRUE(FailsWith(auth_->Login("li.si", ""), ErrorCode::kUnauthenticated));
    EXPECT_TRUE(FailsWith(auth_->Login("LI.SI", kPassword), ErrorCode::kUnauthenticated));
    auto unknown = auth_->Login("nobody", kPassword);
    EXPECT_TRUE(FailsWith(unknown, ErrorCode::kUnauthenticated));
    // An unknown name reads like a wrong password (no user-name probing).
    EXPECT_EQ(unknown.error().message, "用户名或密码错误");
    EXPECT_EQ(Stored("li.si").failed_logins, 2);
    EXPECT_EQ(SessionAudit(user.id), (std::vector<std::string>{"login_failed", "login_failed"}));

    for (const std::string& token :
         {std::string(), std::string("abc"), std::string(64, 'g'), RandomToken()}) {
        EXPECT_TRUE(FailsWith(auth_->Authenticate(token), ErrorCode::kUnauthenticated)) << token;
    }
}

// Source: platform issue §5; GB/T 22239-2019 8.1.4.1 — 5 consecutive failed logins lock the
// account for 15 minutes; it unlocks when the clock passes the lock.
TEST_F(AuthServiceTest, Issue5LockoutAfterFiveFailuresForFifteenMinutes) {
    ASSERT_EQ(kMaxFailedLogins, 5);
    ASSERT_EQ(kLockMinutes, 15);
    User user = CreateUser("wang.wu");
    struct Step {
        TimeMs advance;
        std::string password;
        std::optional<ErrorCode> expected;  // nullopt: logged in
        const char* why;
    };
    const std::vector<Step> steps = {
        {0, "Wrong@0001", ErrorCode::kUnauthenticated, "1st failure"},
        {kMinuteMs, "Wrong@0002", ErrorCode::kUnauthenticated, "2nd failure"},
        {kMinuteMs, "Wrong@0003", ErrorCode::kUnauthenticated, "3rd failure"},
        {kMinuteMs, "Wrong@0004", ErrorCode::kUnauthenticated, "4th failure"},
        {kMinuteMs, "Wrong@0005", ErrorCode::kLocked, "5th failure locks"},
        {0, kPassword, ErrorCode::kLocked, "the right password while locked"},
        {10 * kMinuteMs, "Wrong@0006", ErrorCode::kLocked, "failures while locked"},
        {5 * kMinuteMs - 1, kPassword, ErrorCode::kLocked, "1 ms before the lock ends"},
        {1, kPassword, std::nullopt, "15 minutes after the 5th failure"},
    };
    TimeMs locked_at = 0;
    for (const auto& step : steps) {
        clock_.Advance(step.advance);
        auto login = auth_->Login("wang.wu", step.password);
        if (step.expected) {
            EXPECT_TRUE(FailsWith(login, *step.expected)) << step.why;
        } else {
            EXPECT_TRUE(IsOk(login)) << step.why;
        }
        if (locked_at == 0 && !login.ok() && login.error().code == ErrorCode::kLocked) {
            locked_at = clock_.NowMs();
            EXPECT_EQ(Stored("wang.wu").locked_until, locked_at + 15 * kMinuteMs);
            EXPECT_NE(login.error().message.find("15分钟"), std::string::npos);
        }
    }
    EXPECT_EQ(locked_at, kT0 + 4 * kMinuteMs);
    User after = Stored("wang.wu");
    EXPECT_EQ(after.failed_logins, 0);
    EXPECT_EQ(after.locked_until, 0);
    EXPECT_EQ(after.last_login_at, locked_at + 15 * kMinuteMs);
    // Failures while locked are not even checked, so they are not recorded either.
    EXPECT_EQ(SessionAudit(user.id),
              (std::vector<std::string>{"login_failed", "login_failed", "login_failed",
                                        "login_failed", "login_failed", "login"}));
}

// Source: platform issue §5 — only *consecutive* failures count; a success starts over.
TEST_F(AuthServiceTest, Issue5SuccessfulLoginResetsTheFailureCount) {
    CreateUser("zhao.liu");
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(FailsWith(auth_->Login("zhao.liu", "Wrong@2026"), ErrorCode::kUnauthenticated));
    }
    ASSERT_TRUE(IsOk(auth_->Login("zhao.liu", kPassword)));
    EXPECT_EQ(Stored("zhao.liu").failed_logins, 0);
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(FailsWith(auth_->Login("zhao.liu", "Wrong@2026"), ErrorCode::kUnauthenticated))
            << i;
    }
    EXPECT_TRUE(FailsWith(auth_->Login("zhao.liu", "Wrong@2026"), ErrorCode::kLocked));

    // A reset password unlocks at once.
    ASSERT_TRUE(IsOk(users_->SetPasswordByName(SystemPrincipal(), "zhao.liu", "New@Pass2026")));
    EXPECT_TRUE(IsOk(auth_->Login("zhao.liu", "New@Pass2026")));
}

// Source: platform issue §5 — a session expires after 30 minutes without a request; every
// request keeps it alive.
TEST_F(AuthServiceTest, Issue5SessionExpiresAfterThirtyIdleMinutes) {
    ASSERT_EQ(kIdleMinutes, 30);
    User user = CreateUser("sun.qi");
    auto login = auth_->Login("sun.qi", kPassword);
    ASSERT_TRUE(IsOk(login));
    struct Step {
        TimeMs advance;  // since the previous request
        bool alive;
        const char* why;
    };
    const std::vector<Step> steps = {
        {29 * kMinuteMs, true, "29 idle minutes: alive, and the request renews the session"},
        {29 * kMinuteMs, true, "29 more minutes (58 after login): alive"},
        {30 * kMinuteMs, true, "exactly 30 idle minutes: alive"},
        {30 * kMinuteMs + 1, false, "30 idle minutes and 1 ms: expired"},
        {0, false, "an expired session stays gone"},
    };
    for (const auto& step : steps) {
        clock_.Advance(step.advance);
        auto who = auth_->Authenticate(login->token);
        if (step.alive) {
            EXPECT_TRUE(IsOk(who)) << step.why;
        } else {
            EXPECT_TRUE(FailsWith(who, ErrorCode::kUnauthenticated)) << step.why;
        }
    }
    auto session = Store()->access().FindSession(HashToken(login->token));
    ASSERT_TRUE(IsOk(session));
    EXPECT_FALSE(session->has_value()) << "the expired session is deleted";

    // Without any request, 31 minutes after login is too late.
    auto fresh = auth_->Login("sun.qi", kPassword);
    ASSERT_TRUE(IsOk(fresh));
    auto forgotten = auth_->Login("sun.qi", kPassword);  // e.g. another browser, never used
    ASSERT_TRUE(IsOk(forgotten));
    clock_.Advance(31 * kMinuteMs);
    auto late = auth_->Authenticate(fresh->token);
    EXPECT_TRUE(FailsWith(late, ErrorCode::kUnauthenticated));
    EXPECT_NE(late.error().message.find("30分钟"), std::string::npos) << late.error().message;

    // The next login clears the user's other idle sessions from the table.
    auto idle = Store()->access().FindSession(HashToken(forgotten->token));
    ASSERT_TRUE(IsOk(idle));
    EXPECT_TRUE(idle->has_value());
    ASSERT_TRUE(IsOk(auth_->Login("sun.qi", kPassword)));
    idle = Store()->access().FindSession(HashToken(forgotten->token));
    ASSERT_TRUE(IsOk(idle));
    EXPECT_FALSE(idle->has_value());
    EXPECT_EQ(SessionAudit(user.id),
              (std::vector<std::string>{"login", "login", "login", "login"}));
}

TEST_F(AuthServiceTest, ARequestDoesNotWaitForAnotherWriterToTouchItsSession) {
    CreateUser("zhou.jiu");
    auto login = auth_->Login("zhou.jiu", kPassword);
    ASSERT_TRUE(IsOk(login));
    auto last_seen = [&] {
        auto session = Store()->access().FindSession(HashToken(login->token));
        EXPECT_TRUE(IsOk(session));
        return session.ok() && session->has_value() ? (*session)->last_seen_at : -1;
    };
    TimeMs logged_in = last_seen();
    clock_.Advance(2 * kMinuteMs);  // the request is due to touch the session
    {
        // Another writer (on SQLite, e.g. an import) holds the write lock.
        auto writer = pool_->Acquire();
        ASSERT_TRUE(IsOk(writer));
        ASSERT_TRUE(IsOk((*writer)->Begin()));
        auto who = auth_->Authenticate(login->token);
        EXPECT_TRUE(IsOk(who)) << "the request goes on";
        auto dialect = storage::TestDialect();
        ASSERT_TRUE(IsOk(dialect));
        if (*dialect == storage::Dialect::kSqlite) {
            EXPECT_EQ(last_seen(), logged_in) << "the touch was skipped";
        }
        ASSERT_TRUE(IsOk((*writer)->Rollback()));
    }
    ASSERT_TRUE(IsOk(auth_->Authenticate(login->token)));
    EXPECT_EQ(last_seen(), clock_.NowMs()) << "the next request touches it";
}

TEST_F(AuthServiceTest, DisabledUsersAreRefused) {
    CreateUser("disabled.user", "inspector", kDongcheng, /*disabled=*/true);
    EXPECT_TRUE(FailsWith(auth_->Login("disabled.user", kPassword), ErrorCode::kPermissionDenied));
    // A wrong password is reported as such, so the state of the account does not leak.
    EXPECT_TRUE(
        FailsWith(auth_->Login("disabled.user", "Wrong@2026"), ErrorCode::kUnauthenticated));

    // Disabling an active user ends the sessions already open, at once (cached or not).
    User active = CreateUser("active.user");
    auto login = auth_->Login("active.user", kPassword);
    ASSERT_TRUE(IsOk(login));
    ASSERT_TRUE(IsOk(auth_->Authenticate(login->token)));
    UserInput disable;
    disable.disabled = true;
    ASSERT_TRUE(IsOk(users_->Update(SystemPrincipal(), active.id, disable)));
    EXPECT_TRUE(FailsWith(auth_->Authenticate(login->token), ErrorCode::kUnauthenticated));
    EXPECT_TRUE(FailsWith(auth_->Login("active.user", kPassword), ErrorCode::kPermissionDenied));

    UserInput enable;
    enable.disabled = false;
    ASSERT_TRUE(IsOk(users_->Update(SystemPrincipal(), active.id, enable)));
    EXPECT_TRUE(IsOk(auth_->Login("active.user", kPassword)));
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
    User user = CreateUser("zhou.ba");
    auto login = auth_->Login("zhou.ba", kPassword);
    ASSERT_TRUE(IsOk(login));
    ASSERT_TRUE(IsOk(auth_->Authenticate(login->token)));  // cached
    ASSERT_TRUE(IsOk(auth_->Logout(login->token, login->principal)));
    EXPECT_TRUE(FailsWith(auth_->Authenticate(login->token), ErrorCode::kUnauthenticated));
    EXPECT_EQ(SessionAudit(user.id), (std::vector<std::string>{"login", "logout"}));
}

// The session cache (session_cache.hpp): what another process changes is seen once the entry
// is older than the cache's time to live; what this process changes is seen at once.
TEST_F(AuthServiceTest, ACachedSessionIsTrustedForItsTimeToLiveOnly) {
    CreateUser("wu.shi");
    auto login = auth_->Login("wu.shi", kPassword);
    ASSERT_TRUE(IsOk(login));
    ASSERT_TRUE(IsOk(auth_->Authenticate(login->token)));
    EXPECT_EQ(sessions_.size(), 1u);

    // Another process logs the session out: its row is gone from the database.
    ASSERT_TRUE(IsOk(Store()->access().DeleteSession(HashToken(login->token))));
    clock_.Advance(kSessionCacheMs - 1);
    EXPECT_TRUE(IsOk(auth_->Authenticate(login->token))) << "still cached";
    clock_.Advance(1);
    EXPECT_TRUE(FailsWith(auth_->Authenticate(login->token), ErrorCode::kUnauthenticated))
        << "the cache's time to live is up: read again, and gone";

    // Without a cache every request reads the database.
    AuthService uncached(stores_.get(), &clock_);
    auto second = uncached.Login("wu.shi", kPassword);
    ASSERT_TRUE(IsOk(second));
    ASSERT_TRUE(IsOk(uncached.Authenticate(second->token)));
    ASSERT_TRUE(IsOk(Store()->access().DeleteSession(HashToken(second->token))));
    EXPECT_TRUE(FailsWith(uncached.Authenticate(second->token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, ChangesToUsersAndRolesInThisProcessApplyAtOnce) {
    User user = CreateUser("zheng.yi", "inspector", kDongcheng);
    auto login = auth_->Login("zheng.yi", kPassword);
    ASSERT_TRUE(IsOk(login));
    auto who = auth_->Authenticate(login->token);
    ASSERT_TRUE(IsOk(who));
    ASSERT_TRUE(who->Can(perm::kBusinessEdit));
    ASSERT_EQ(who->region_name, "东城街道");

    // The role loses a permission: the next request no longer has it.
    std::vector<std::string> kept;
    for (const auto& p : who->role.permissions) {
        if (p != perm::kBusinessEdit) kept.push_back(p);
    }
    ASSERT_TRUE(IsOk(users_->SetRolePermissions(SystemPrincipal(), "inspector", kept)));
    who = auth_->Authenticate(login->token);
    ASSERT_TRUE(IsOk(who));
    EXPECT_FALSE(who->Can(perm::kBusinessEdit));

    // The user moves to a village: the next request has the village's scope.
    UserInput move;
    move.region_code = std::string(kBeimen);
    ASSERT_TRUE(IsOk(users_->Update(SystemPrincipal(), user.id, move)));
    who = auth_->Authenticate(login->token);
    ASSERT_TRUE(IsOk(who));
    EXPECT_EQ(who->user.region_code, kBeimen);
    EXPECT_NE(who->region_name, "东城街道");

    // A password reset ends the session.
    ASSERT_TRUE(IsOk(users_->SetPassword(SystemPrincipal(), user.id, "Other@2026x")));
    EXPECT_TRUE(FailsWith(auth_->Authenticate(login->token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, ResolvePrincipalAppliesTheRoleScope) {
    // A business for the business account, and a role whose scope is its own place only.
    auto store = Store();
    registry::Business shop;
    shop.version = 1;
    shop.name = "北门小吃";
    shop.kind = "small_catering";
    shop.region_code = kBeimen;
    shop.region_path = "/511902/511902001/511902001001/";
    shop.status = "营业";
    auto shop_id = store->businesses().Insert(shop);
    ASSERT_TRUE(IsOk(shop_id));
    ASSERT_TRUE(IsOk(store->access().UpsertRole(
        {"station", "监管站", DataScope::kRegion, {"registry:business:list"}, false, {}})));
    // A custom scope: two townships, each with its subtree, whatever the user's own place.
    ASSERT_TRUE(IsOk(store->access().UpsertRole(
        {"district", "片区督查组", DataScope::kCustom, {"registry:business:list"}, false,
         {{"511902002", "", ""}, {"511902001", "", ""}}})));

    struct Case {
        std::string username, role, region;
        std::optional<int64_t> business_id;
        // Expected scope.
        bool all;
        std::vector<std::string> subtree, exact;
        bool self;
        bool nothing;
        std::string region_name;
    };
    const std::vector<Case> cases = {
        {"admin1", "admin", kCounty, {}, true, {}, {}, false, false, "巴州区"},
        {"office1", "office", kCounty, {}, false, {"/511902/"}, {}, false, false, "巴州区"},
        {"inspector1",
         "inspector",
         kDongcheng,
         {},
         false,
         {"/511902/511902001/"},
         {},
         false,
         false,
         "东城街道"},
        {"cadre1",
         "cadre",
         kBeimen,
         {},
         false,
         {"/511902/511902001/511902001001/"},
         {},
         false,
         false,
         "北门社区居民委员会"},
        {"station1",
         "station",
         kDongcheng,
         {},
         false,
         {},
         {"/511902/511902001/"},
         false,
         false,
         "东城街道"},
        {"district1",
         "district",
         kCounty,
         {},
         false,
         {"/511902/511902001/", "/511902/511902002/"},
         {},
         false,
         false,
         "巴州区"},
        {"shop1", "business", kBeimen, *shop_id, false, {}, {}, true, false, "北门社区居民委员会"},
        {"public1", "public", kCounty, {}, false, {}, {}, false, true, "巴州区"},
    };
    for (const auto& c : cases) {
        User user = CreateUser(c.username, c.role, c.region, false, c.business_id);
        auto p = AuthService::ResolvePrincipal(*store, user);
        ASSERT_TRUE(IsOk(p)) << c.username;
        EXPECT_EQ(p->role.code, c.role) << c.username;
        EXPECT_EQ(p->region_name, c.region_name) << c.username;
        EXPECT_EQ(p->scope.all, c.all) << c.username;
        EXPECT_EQ(p->scope.subtree_paths, c.subtree) << c.username;
        EXPECT_EQ(p->scope.exact_paths, c.exact) << c.username;
        EXPECT_EQ(p->scope.business_id.has_value(), c.self) << c.username;
        if (c.self) {
            EXPECT_EQ(*p->scope.business_id, *shop_id);
        }
        EXPECT_EQ(p->scope.nothing, c.nothing) << c.username;
    }

    // A session resolves to the same scope (one query reads the custom scope's places too).
    for (const char* username : {"district1", "station1", "inspector1"}) {
        ASSERT_TRUE(IsOk(users_->SetPasswordByName(SystemPrincipal(), username, kPassword)));
        auto login = auth_->Login(username, kPassword);
        ASSERT_TRUE(IsOk(login)) << username;
        auto p = auth_->Authenticate(login->token);
        ASSERT_TRUE(IsOk(p)) << username;
        auto direct = AuthService::ResolvePrincipal(*store, Stored(username));
        ASSERT_TRUE(IsOk(direct));
        EXPECT_EQ(p->scope.subtree_paths, direct->scope.subtree_paths) << username;
        EXPECT_EQ(p->scope.exact_paths, direct->scope.exact_paths) << username;
        EXPECT_EQ(p->scope.nothing, direct->scope.nothing) << username;
    }

    // Permissions come from the role.
    auto office = AuthService::ResolvePrincipal(*store, Stored("office1"));
    ASSERT_TRUE(IsOk(office));
    EXPECT_TRUE(office->Can(perm::kBusinessImport));
    EXPECT_FALSE(office->Can(perm::kUserManage));
    auto admin = AuthService::ResolvePrincipal(*store, Stored("admin1"));
    ASSERT_TRUE(IsOk(admin));
    EXPECT_TRUE(admin->Can(perm::kUserManage));
    auto station = AuthService::ResolvePrincipal(*store, Stored("station1"));
    ASSERT_TRUE(IsOk(station));
    EXPECT_EQ(station->permissions.size(), 1u);
}

// Source: platform issue §5; GB/T 22239-2019 — at least 8 characters (at most 64) and at
// least three of: lowercase, uppercase, digits, symbols. Characters, not bytes, are counted.
TEST(PasswordPolicyTest, Issue5PolicyTable) {
    struct Case {
        std::string password;
        bool ok;
        const char* why;
    };
    const std::vector<Case> cases = {
        {"Abcdef1!", true, "four classes"},
        {"abcdef1!", true, "lower, digit, symbol"},
        {"ABCDEF1a", true, "upper, digit, lower"},
        {"ABCDEF1!", true, "upper, digit, symbol"},
        {"Abc1!xyz", true, "exactly 8 characters"},
        {std::string(60, 'a') + "B1!x", true, "64 characters"},
        {"密码Abc123", true, "Chinese characters count as symbols"},
        {"Abcdefgh", false, "two classes"},
        {"abcd1234", false, "two classes"},
        {"!@#$%^&*", false, "one class"},
        {"Abcde1!", false, "7 characters"},
        {"密码Abc12", false, "7 characters (11 bytes)"},
        {std::string(61, 'a') + "B1!x", false, "65 characters"},
        {"Abcdef1\t", false, "control character"},
        {"Abcdef1\x7f", false, "DEL"},
        {"Abc\xff\xfe"
         "def1",
         false, "invalid UTF-8"},
        {"", false, "empty"},
    };
    for (const auto& c : cases) {
        Status st = CheckPasswordPolicy(c.password);
        EXPECT_EQ(st.ok(), c.ok) << c.why;
        if (!st.ok()) {
            EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument) << c.why;
            EXPECT_EQ(st.error().field, "password") << c.why;
            EXPECT_FALSE(st.error().message.empty()) << c.why;
        }
    }
    Status named = CheckPasswordPolicy("short", "new_password");
    ASSERT_FALSE(named.ok());
    EXPECT_EQ(named.error().field, "new_password");
}

// Source: platform issue §5 — the policy applies wherever a password is set.
TEST_F(AuthServiceTest, Issue5PolicyAppliesWhenPasswordsAreSet) {
    UserInput weak;
    weak.username = "weak.user";
    weak.password = "password";
    weak.role = "inspector";
    weak.region_code = kDongcheng;
    auto created = users_->Create(SystemPrincipal(), weak);
    ASSERT_TRUE(FailsWith(created, ErrorCode::kInvalidArgument));
    EXPECT_EQ(created.error().field, "password");
    auto missing = Store()->access().FindUserByName("weak.user");
    ASSERT_TRUE(IsOk(missing));
    EXPECT_FALSE(missing->has_value());

    User user = CreateUser("strong.user");
    Status reset = users_->SetPassword(SystemPrincipal(), user.id, "12345678");
    ASSERT_TRUE(FailsWith(reset, ErrorCode::kInvalidArgument));
    EXPECT_EQ(reset.error().field, "password");
    EXPECT_TRUE(IsOk(auth_->Login("strong.user", kPassword))) << "the old password still works";

    // Hashes are salted Argon2id and verify only the right password.
    auto hash = HashPassword(kPassword);
    ASSERT_TRUE(IsOk(hash));
    EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
    EXPECT_NE(*hash, Stored("strong.user").password_hash);
    EXPECT_TRUE(VerifyPassword(kPassword, *hash));
    EXPECT_FALSE(VerifyPassword("Shian@2027", *hash));
    EXPECT_FALSE(VerifyPassword(kPassword, ""));
}

}  // namespace
}  // namespace shian::access
