// UserService: administration of users, roles and departments (系统管理), with audit.
// The CLI uses it too, acting as the built-in system principal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "shian/access/session_cache.hpp"
#include "shian/access/user.hpp"
#include "shian/core/clock.hpp"
#include "shian/storage/store.hpp"

namespace shian::access {

struct UserInput {
    std::optional<std::string> username, password, display_name, role, region_code;
    std::optional<std::optional<int64_t>> department_id, business_id;
    std::optional<bool> disabled;
};

// A role as an administrator creates or edits it (PATCH: only the fields given).
struct RoleInput {
    std::optional<std::string> code, label, data_scope;
    std::optional<std::vector<std::string>> places;       // place codes, for data_scope custom
    std::optional<std::vector<std::string>> permissions;
};

struct UserView {
    User user;
    std::string role_label;
    std::string region_name;
};

// A principal with every permission and scope, for the shell (`shian user add`, `shian demo`).
Principal SystemPrincipal();

class UserService {
public:
    // sessions: the cache of resolved sessions that changes to users and roles clear (may be
    // nullptr).
    UserService(storage::StoreProvider* stores, const Clock* clock, SessionCache* sessions = nullptr)
        : stores_(stores), clock_(clock), sessions_(sessions) {}

    Result<UserView> Create(const Principal& who, const UserInput& input);
    Result<UserView> Update(const Principal& who, int64_t id, const UserInput& input);
    Status SetPassword(const Principal& who, int64_t id, const std::string& password);
    Status SetPasswordByName(const Principal& who, const std::string& username, const std::string& password);
    Result<std::pair<std::vector<UserView>, int64_t>> List(const Principal& who, const UserQuery& query);

    Result<std::vector<Role>> Roles(const Principal& who);
    Result<Role> SetRolePermissions(const Principal& who, const std::string& code,
                                    const std::vector<std::string>& permissions);
    // Roles an administrator defines (not built in): any data scope, including custom with its
    // places. Built-in roles keep their code and scope; only their permissions change.
    Result<Role> CreateRole(const Principal& who, const RoleInput& input);
    Result<Role> UpdateRole(const Principal& who, const std::string& code, const RoleInput& input);

    Result<std::vector<Department>> Departments(const Principal& who);
    Result<Department> CreateDepartment(const Principal& who, const Department& dept);

    Result<std::pair<std::vector<AuditEntry>, int64_t>> Audit(const Principal& who, const AuditQuery& query);

private:
    // Validates `in` onto `role` (places resolved against the store) for CreateRole/UpdateRole.
    Status ApplyRoleInput(storage::Store& store, const Principal& who, const RoleInput& in, Role* role);
    Result<UserView> View(storage::Store& store, const User& user);

    // After a committed change to a user or a role: sessions resolved before it are re-read.
    void ForgetSessions() {
        if (sessions_ != nullptr) sessions_->Clear();
    }

    storage::StoreProvider* stores_;
    const Clock* clock_;
    SessionCache* sessions_;
};

// The audit snapshot of a user (no password hash).
FieldList UserToFields(const User& u);

}  // namespace shian::access
