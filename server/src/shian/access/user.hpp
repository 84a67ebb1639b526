// Users, roles, departments, sessions and the principal a request acts as, plus the
// repository interface that stores them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shian/access/permissions.hpp"
#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"

namespace shian::access {

struct User {
    int64_t id = 0;
    std::string username;
    std::string display_name;
    std::string password_hash;
    std::string role;
    std::string region_code;
    std::optional<int64_t> department_id;
    std::optional<int64_t> business_id;
    bool disabled = false;
    int failed_logins = 0;
    TimeMs locked_until = 0;
    TimeMs last_login_at = 0;
    TimeMs created_at = 0;
    TimeMs updated_at = 0;
};

// A place of a kCustom role's scope.
struct RolePlace {
    std::string code;
    std::string name;  // read with the role (empty when read for authentication)
    std::string path;
};

struct Role {
    std::string code;
    std::string label;
    DataScope data_scope = DataScope::kSelf;
    std::vector<std::string> permissions;
    bool builtin = true;
    std::vector<RolePlace> places;  // kCustom: the places seen, each with its subtree
};

struct Department {
    int64_t id = 0;
    std::string name;
    std::optional<int64_t> parent_id;
    std::string region_code;
    std::string kind;  // 食安办 / 监管所 / 成员单位 / 乡镇
};

struct Session {
    std::string token_hash;
    int64_t user_id = 0;
    TimeMs created_at = 0;
    TimeMs last_seen_at = 0;
};

// A session together with its user, the user's role and the user's place, read at once for
// per-request authentication. user/role are empty when the row is missing; region_path is
// empty when the user's place is unknown.
struct SessionUser {
    Session session;
    std::optional<User> user;
    std::optional<Role> role;
    std::string region_name;
    std::string region_path;
};

// Which records a principal may see: a resolved data scope.
struct ScopeFilter {
    bool all = false;
    std::vector<std::string> subtree_paths;  // place paths whose whole subtree is visible
    std::vector<std::string> exact_paths;    // places visible without their subtree
    std::optional<int64_t> business_id;      // kSelf: this one business only
    bool nothing = false;                    // sees no place-bound records at all

    bool CoversPath(const std::string& path) const;
    // The path when the scope is exactly one place's whole subtree, else nullptr.
    const std::string* SingleSubtree() const {
        bool one = !all && !nothing && !business_id && exact_paths.empty() && subtree_paths.size() == 1;
        return one ? &subtree_paths.front() : nullptr;
    }
    static ScopeFilter Everything() {
        ScopeFilter s;
        s.all = true;
        return s;
    }
};

// The authenticated user a request acts as, with the role and scope resolved.
struct Principal {
    User user;
    Role role;
    std::string region_name;
    std::string region_path;
    ScopeFilter scope;
    std::set<std::string, std::less<>> permissions;

    bool Can(std::string_view permission) const { return permissions.count(permission) > 0; }
};

struct UserQuery {
    std::string q;
    int page = 1;
    int page_size = 20;
};

class AccessRepository {
public:
    virtual ~AccessRepository() = default;
    virtual Result<std::optional<User>> FindUserByName(const std::string& username) = 0;
    virtual Result<std::optional<User>> FindUser(int64_t id) = 0;
    virtual Result<int64_t> InsertUser(const User& user) = 0;
    virtual Status UpdateUser(const User& user) = 0;
    virtual Result<std::pair<std::vector<User>, int64_t>> ListUsers(const UserQuery& query) = 0;
    // Sets the login counters (after a success, a lock, or an administrator's reset).
    virtual Status RecordLoginResult(int64_t user_id, int failed_logins, TimeMs locked_until,
                                     TimeMs last_login_at) = 0;
    // Adds one failed login atomically (safe against concurrent attempts on any engine) and
    // returns the count after it.
    virtual Result<int> IncrementFailedLogins(int64_t user_id) = 0;

    virtual Result<std::vector<Role>> ListRoles() = 0;
    virtual Result<std::optional<Role>> FindRole(const std::string& code) = 0;
    virtual Status UpsertRole(const Role& role) = 0;

    virtual Result<std::vector<Department>> ListDepartments() = 0;
    virtual Result<int64_t> InsertDepartment(const Department& dept) = 0;
    virtual Status UpdateDepartment(const Department& dept) = 0;

    virtual Status InsertSession(const Session& session) = 0;
    virtual Result<std::optional<Session>> FindSession(const std::string& token_hash) = 0;
    virtual Result<std::optional<SessionUser>> FindSessionUser(const std::string& token_hash) = 0;
    // Best effort: kUnavailable at once, rather than a wait, while another writer holds the
    // lock it needs (Connection::TryExecute).
    virtual Status TouchSession(const std::string& token_hash, TimeMs at) = 0;
    virtual Status DeleteSession(const std::string& token_hash) = 0;
    virtual Status DeleteSessionsOfUser(int64_t user_id) = 0;
    virtual Status DeleteSessionsIdleSince(TimeMs before) = 0;
};

}  // namespace shian::access
