#include "shian/access/user_service.hpp"

#include <algorithm>
#include <cctype>

#include "shian/access/password.hpp"
#include "shian/core/text.hpp"

namespace shian::access {
namespace {

Status Require(const Principal& who, std::string_view permission) {
    if (!who.Can(permission)) return Error::Denied("您没有此操作的权限");
    return Ok();
}

Status CheckUsername(const std::string& name) {
    if (name.size() < 3 || name.size() > 32) return Error::Invalid("username", "用户名长度应为3至32位");
    for (unsigned char c : name) {
        if (!std::isalnum(c) && c != '_' && c != '.' && c != '-') {
            return Error::Invalid("username", "用户名只能包含字母、数字、下划线、点和连字符");
        }
    }
    return Ok();
}

Status CheckRoleCode(const std::string& code) {
    bool ok = code.size() >= 2 && code.size() <= 32 && code[0] >= 'a' && code[0] <= 'z';
    for (unsigned char c : code) ok = ok && ((c >= 'a' && c <= 'z') || std::isdigit(c) || c == '_');
    if (!ok) return Error::Invalid("code", "角色编码应为2至32位小写字母、数字或下划线，以字母开头");
    return Ok();
}

std::string JoinComma(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& p : v) s += (s.empty() ? "" : ",") + p;
    return s;
}

// The audit snapshot of a role.
FieldList RoleToFields(const Role& r) {
    std::vector<std::string> places;
    for (const auto& p : r.places) places.push_back(p.code);
    return {{"code", r.code}, {"label", r.label}, {"data_scope", DataScopeName(r.data_scope)},
            {"places", JoinComma(places)}, {"permissions", JoinComma(r.permissions)}};
}

// How many places a custom scope may list (a county has about 25 townships).
constexpr size_t kMaxRolePlaces = 100;

}  // namespace

Principal SystemPrincipal() {
    Principal p;
    p.user.id = 0;
    p.user.username = "system";
    p.user.display_name = "系统";
    p.role.code = "admin";
    p.scope.all = true;
    for (const auto& perm : AllPermissions()) p.permissions.insert(std::string(perm.code));
    return p;
}

FieldList UserToFields(const User& u) {
    return {{"username", u.username},
            {"display_name", u.display_name},
            {"role", u.role},
            {"region_code", u.region_code},
            {"department_id", u.department_id ? std::to_string(*u.department_id) : ""},
            {"business_id", u.business_id ? std::to_string(*u.business_id) : ""},
            {"disabled", u.disabled ? "是" : "否"}};
}

Result<UserView> UserService::View(storage::Store& store, const User& user) {
    UserView v{user, user.role, ""};
    SHIAN_ASSIGN_OR_RETURN(auto role, store.access().FindRole(user.role));
    if (role) v.role_label = role->label;
    SHIAN_ASSIGN_OR_RETURN(auto region, store.regions().Find(user.region_code));
    if (region) v.region_name = region->name;
    return v;
}

Result<UserView> UserService::Create(const Principal& who, const UserInput& in) {
    SHIAN_TRY(Require(who, perm::kUserManage));
    User u;
    u.username = in.username.value_or("");
    SHIAN_TRY(CheckUsername(u.username));
    SHIAN_TRY(CheckPasswordPolicy(in.password.value_or("")));
    u.display_name = TrimText(in.display_name.value_or(u.username));
    if (u.display_name.empty()) u.display_name = u.username;
    SHIAN_TRY(CheckLine(u.display_name, "display_name", "姓名", 30, true));
    u.role = in.role.value_or("");
    u.region_code = in.region_code.value_or("");
    if (in.department_id) u.department_id = *in.department_id;
    if (in.business_id) u.business_id = *in.business_id;
    u.disabled = in.disabled.value_or(false);
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto role, store->access().FindRole(u.role));
    if (!role) return Error::Invalid("role", "未知的角色：" + u.role + "（可用：admin、office、inspector、cadre、business、public）");
    SHIAN_ASSIGN_OR_RETURN(auto region, store->regions().Find(u.region_code));
    if (!region) return Error::Invalid("region_code", "未知的区划代码：" + u.region_code);
    if (!who.scope.CoversPath(region->path)) {
        return Error{ErrorCode::kPermissionDenied, "无权在该区划创建用户", "region_code"};
    }
    if (u.business_id) {
        SHIAN_ASSIGN_OR_RETURN(auto b, store->businesses().Find(*u.business_id));
        if (!b) return Error::Invalid("business_id", "关联的主体不存在");
    } else if (u.role == "business") {
        return Error::Invalid("business_id", "企业账号须关联一个主体");
    }
    SHIAN_ASSIGN_OR_RETURN(u.password_hash, HashPassword(*in.password));
    TimeMs now = clock_->NowMs();
    u.created_at = u.updated_at = now;
    SHIAN_ASSIGN_OR_RETURN(int64_t id, storage::InTransaction(*store, [&]() -> Result<int64_t> {
        SHIAN_ASSIGN_OR_RETURN(auto existing, store->access().FindUserByName(u.username));
        if (existing) return Error::Conflict("用户名已存在：" + u.username, "username");
        SHIAN_ASSIGN_OR_RETURN(int64_t new_id, store->access().InsertUser(u));
        SHIAN_TRY(store->audit().Append({0, now, who.user.id, who.user.username, "create", "user",
                                         std::to_string(new_id), "新增用户：" + u.username,
                                         std::nullopt, UserToFields(u), region->path}));
        return new_id;
    }));
    u.id = id;
    return View(*store, u);
}

Result<UserView> UserService::Update(const Principal& who, int64_t id, const UserInput& in) {
    SHIAN_TRY(Require(who, perm::kUserManage));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto current, store->access().FindUser(id));
    if (!current) return Error::NotFound("用户不存在");
    SHIAN_ASSIGN_OR_RETURN(auto current_region, store->regions().Find(current->region_code));
    if (!current_region || !who.scope.CoversPath(current_region->path)) return Error::NotFound("用户不存在");
    if (in.username && *in.username != current->username) {
        return Error::Invalid("username", "用户名创建后不能修改");
    }
    if (in.password) return Error::Invalid("password", "请使用重置密码功能修改密码");
    User u = *current;
    std::string place = current_region->path;  // the user's place after the change
    if (in.display_name) {
        u.display_name = TrimText(*in.display_name);
        SHIAN_TRY(CheckLine(u.display_name, "display_name", "姓名", 30, true));
    }
    if (in.role) {
        SHIAN_ASSIGN_OR_RETURN(auto role, store->access().FindRole(*in.role));
        if (!role) return Error::Invalid("role", "未知的角色：" + *in.role);
        u.role = *in.role;
    }
    if (in.region_code) {
        SHIAN_ASSIGN_OR_RETURN(auto region, store->regions().Find(*in.region_code));
        if (!region) return Error::Invalid("region_code", "未知的区划代码：" + *in.region_code);
        if (!who.scope.CoversPath(region->path)) {
            return Error{ErrorCode::kPermissionDenied, "无权把用户设到该区划", "region_code"};
        }
        u.region_code = *in.region_code;
        place = region->path;
    }
    if (in.department_id) u.department_id = *in.department_id;
    if (in.business_id) u.business_id = *in.business_id;
    if (in.disabled) {
        if (*in.disabled && u.id == who.user.id) return Error::Invalid("disabled", "不能停用自己的账号");
        u.disabled = *in.disabled;
    }
    TimeMs now = clock_->NowMs();
    u.updated_at = now;
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_TRY(store->access().UpdateUser(u));
        if (u.disabled) SHIAN_TRY(store->access().DeleteSessionsOfUser(u.id));
        return store->audit().Append({0, now, who.user.id, who.user.username, "update", "user",
                                      std::to_string(u.id), "修改用户：" + u.username,
                                      UserToFields(*current), UserToFields(u), place});
    }));
    ForgetSessions();
    return View(*store, u);
}

Status UserService::SetPassword(const Principal& who, int64_t id, const std::string& password) {
    SHIAN_TRY(Require(who, perm::kUserManage));
    SHIAN_TRY(CheckPasswordPolicy(password));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto user, store->access().FindUser(id));
    if (!user) return Error::NotFound("用户不存在");
    SHIAN_ASSIGN_OR_RETURN(auto region, store->regions().Find(user->region_code));
    if (!region || !who.scope.CoversPath(region->path)) return Error::NotFound("用户不存在");
    SHIAN_ASSIGN_OR_RETURN(user->password_hash, HashPassword(password));
    TimeMs now = clock_->NowMs();
    user->failed_logins = 0;
    user->locked_until = 0;
    user->updated_at = now;
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_TRY(store->access().UpdateUser(*user));
        SHIAN_TRY(store->access().DeleteSessionsOfUser(user->id));
        return store->audit().Append({0, now, who.user.id, who.user.username, "reset_password", "user",
                                      std::to_string(user->id), "重置密码：" + user->username,
                                      std::nullopt, std::nullopt, region->path});
    }));
    ForgetSessions();
    return Ok();
}

Status UserService::SetPasswordByName(const Principal& who, const std::string& username,
                                      const std::string& password) {
    int64_t id = 0;
    {
        SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
        SHIAN_ASSIGN_OR_RETURN(auto user, store->access().FindUserByName(username));
        if (!user) return Error::NotFound("用户不存在：" + username);
        id = user->id;
    }  // the connection goes back before SetPassword takes one
    return SetPassword(who, id, password);
}

Result<std::pair<std::vector<UserView>, int64_t>> UserService::List(const Principal& who,
                                                                      const UserQuery& q) {
    SHIAN_TRY(Require(who, perm::kUserManage));
    if (q.page < 1 || q.page_size < 1 || q.page_size > 200) {
        return Error::Invalid("page_size", "分页参数无效（每页1至200条）");
    }
    SHIAN_TRY(CheckLine(q.q, "q", "搜索词", 50, false));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto page, store->access().ListUsers(q));
    std::vector<UserView> views;
    for (const auto& u : page.first) {
        SHIAN_ASSIGN_OR_RETURN(auto v, View(*store, u));
        views.push_back(std::move(v));
    }
    return std::make_pair(std::move(views), page.second);
}

Result<std::vector<Role>> UserService::Roles(const Principal& who) {
    if (!who.Can(perm::kRoleManage) && !who.Can(perm::kUserManage)) {
        return Error::Denied("您没有此操作的权限");
    }
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    return store->access().ListRoles();
}

Result<Role> UserService::SetRolePermissions(const Principal& who, const std::string& code,
                                             const std::vector<std::string>& permissions) {
    SHIAN_TRY(Require(who, perm::kRoleManage));
    for (const auto& p : permissions) {
        if (!IsKnownPermission(p)) return Error::Invalid("permissions", "未知的权限：" + p);
    }
    if (code == "admin") return Error::Invalid("code", "系统管理员的权限不能修改");
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto role, store->access().FindRole(code));
    if (!role) return Error::NotFound("角色不存在：" + code);
    Role updated = *role;
    updated.permissions = permissions;
    std::sort(updated.permissions.begin(), updated.permissions.end());
    updated.permissions.erase(std::unique(updated.permissions.begin(), updated.permissions.end()),
                              updated.permissions.end());
    TimeMs now = clock_->NowMs();
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& p : v) s += (s.empty() ? "" : ",") + p;
        return s;
    };
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_TRY(store->access().UpsertRole(updated));
        return store->audit().Append({0, now, who.user.id, who.user.username, "update", "role", code,
                                      "修改角色权限：" + role->label,
                                      FieldList{{"permissions", join(role->permissions)}},
                                      FieldList{{"permissions", join(updated.permissions)}}, ""});
    }));
    ForgetSessions();
    return updated;
}

Status UserService::ApplyRoleInput(storage::Store& store, const Principal& who, const RoleInput& in,
                                   Role* role) {
    if (in.label) {
        role->label = TrimText(*in.label);
        SHIAN_TRY(CheckLine(role->label, "label", "角色名称", 30, true));
    }
    if (in.data_scope) {
        if (!ParseDataScope(*in.data_scope, &role->data_scope)) {
            return Error::Invalid("data_scope", "数据范围应为 all、custom、region、region_and_below 或 self");
        }
    }
    if (in.places) {
        if (in.places->size() > kMaxRolePlaces) {
            return Error::Invalid("places", "自定义范围最多" + std::to_string(kMaxRolePlaces) + "个区划");
        }
        std::vector<std::string> codes = *in.places;
        std::sort(codes.begin(), codes.end());
        codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
        role->places.clear();
        for (const auto& code : codes) {
            if (code.empty() || code.size() > 12) return Error::Invalid("places", "区划代码无效：" + code);
            SHIAN_ASSIGN_OR_RETURN(auto region, store.regions().Find(code));
            if (!region) return Error::Invalid("places", "未知的区划代码：" + code);
            if (!who.scope.CoversPath(region->path)) {
                return Error{ErrorCode::kPermissionDenied, "无权授予管辖范围以外的区划：" + region->name, "places"};
            }
            role->places.push_back({region->code, region->name, region->path});
        }
    }
    if (role->data_scope != DataScope::kCustom) {
        if (in.places && !in.places->empty()) {
            return Error::Invalid("places", "只有自定义数据范围（custom）才能指定区划");
        }
        role->places.clear();
    } else if (role->places.empty()) {
        return Error::Invalid("places", "自定义数据范围须至少选择一个区划");
    }
    if (in.permissions) {
        for (const auto& p : *in.permissions) {
            if (!IsKnownPermission(p)) return Error::Invalid("permissions", "未知的权限：" + p);
        }
        role->permissions = *in.permissions;
        std::sort(role->permissions.begin(), role->permissions.end());
        role->permissions.erase(std::unique(role->permissions.begin(), role->permissions.end()),
                                role->permissions.end());
    }
    return Ok();
}

Result<Role> UserService::CreateRole(const Principal& who, const RoleInput& in) {
    SHIAN_TRY(Require(who, perm::kRoleManage));
    Role role;
    role.code = in.code.value_or("");
    SHIAN_TRY(CheckRoleCode(role.code));
    role.builtin = false;
    if (!in.label) return Error::Invalid("label", "请填写角色名称");
    if (!in.data_scope) return Error::Invalid("data_scope", "请选择数据范围");
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_TRY(ApplyRoleInput(*store, who, in, &role));
    TimeMs now = clock_->NowMs();
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_ASSIGN_OR_RETURN(auto existing, store->access().FindRole(role.code));
        if (existing) return Error::Conflict("角色编码已存在：" + role.code, "code");
        SHIAN_ASSIGN_OR_RETURN(auto roles, store->access().ListRoles());
        for (const auto& r : roles) {
            if (r.label == role.label) return Error::Conflict("角色名称已存在：" + role.label, "label");
        }
        SHIAN_TRY(store->access().UpsertRole(role));
        return store->audit().Append({0, now, who.user.id, who.user.username, "create", "role", role.code,
                                      "新增角色：" + role.label, std::nullopt, RoleToFields(role), ""});
    }));
    return role;
}

Result<Role> UserService::UpdateRole(const Principal& who, const std::string& code, const RoleInput& in) {
    SHIAN_TRY(Require(who, perm::kRoleManage));
    if (in.code && *in.code != code) return Error::Invalid("code", "角色编码创建后不能修改");
    if (code == "admin") return Error::Invalid("code", "系统管理员角色不能修改");
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    TimeMs now = clock_->NowMs();
    Role updated;
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_ASSIGN_OR_RETURN(auto role, store->access().FindRole(code));
        if (!role) return Error::NotFound("角色不存在：" + code);
        if (role->builtin && (in.label || in.data_scope || in.places)) {
            return Error::Invalid(in.label ? "label" : in.data_scope ? "data_scope" : "places",
                                  "内置角色只能修改权限；需要其他名称或数据范围请新增角色");
        }
        updated = *role;
        SHIAN_TRY(ApplyRoleInput(*store, who, in, &updated));
        if (in.label) {
            SHIAN_ASSIGN_OR_RETURN(auto roles, store->access().ListRoles());
            for (const auto& r : roles) {
                if (r.code != code && r.label == updated.label) {
                    return Error::Conflict("角色名称已存在：" + updated.label, "label");
                }
            }
        }
        SHIAN_TRY(store->access().UpsertRole(updated));
        return store->audit().Append({0, now, who.user.id, who.user.username, "update", "role", code,
                                      "修改角色：" + updated.label, RoleToFields(*role), RoleToFields(updated), ""});
    }));
    ForgetSessions();
    return updated;
}

Result<std::vector<Department>> UserService::Departments(const Principal& who) {
    if (!who.Can(perm::kDeptManage) && !who.Can(perm::kUserManage)) {
        return Error::Denied("您没有此操作的权限");
    }
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    return store->access().ListDepartments();
}

Result<Department> UserService::CreateDepartment(const Principal& who, const Department& in) {
    SHIAN_TRY(Require(who, perm::kDeptManage));
    Department d = in;
    d.name = TrimText(d.name);
    SHIAN_TRY(CheckLine(d.name, "name", "部门名称", 50, true));
    static const std::vector<std::string> kKinds = {"食安办", "监管所", "成员单位", "乡镇", "其他"};
    if (std::find(kKinds.begin(), kKinds.end(), d.kind) == kKinds.end()) {
        return Error::Invalid("kind", "部门类型应为 食安办、监管所、成员单位、乡镇 或 其他");
    }
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto region, store->regions().Find(d.region_code));
    if (!region) return Error::Invalid("region_code", "未知的区划代码：" + d.region_code);
    if (d.parent_id) {
        SHIAN_ASSIGN_OR_RETURN(auto all, store->access().ListDepartments());
        bool found = std::any_of(all.begin(), all.end(), [&](const Department& x) { return x.id == *d.parent_id; });
        if (!found) return Error::Invalid("parent_id", "上级部门不存在");
    }
    TimeMs now = clock_->NowMs();
    SHIAN_ASSIGN_OR_RETURN(d.id, storage::InTransaction(*store, [&]() -> Result<int64_t> {
        SHIAN_ASSIGN_OR_RETURN(int64_t id, store->access().InsertDepartment(d));
        SHIAN_TRY(store->audit().Append({0, now, who.user.id, who.user.username, "create", "department",
                                         std::to_string(id), "新增部门：" + d.name, std::nullopt,
                                         FieldList{{"name", d.name}, {"kind", d.kind},
                                                   {"region_code", d.region_code}},
                                         region->path}));
        return id;
    }));
    return d;
}

Result<std::pair<std::vector<AuditEntry>, int64_t>> UserService::Audit(const Principal& who,
                                                                         const AuditQuery& q) {
    // The audit trail of one business is visible to whoever may view that business (checked
    // by the caller through BusinessService::Get); the full log needs system:audit:view.
    if (!who.Can(perm::kAuditView) && !(q.entity == "business" && !q.entity_id.empty())) {
        return Error::Denied("您没有查看操作日志的权限");
    }
    if (q.page < 1 || q.page_size < 1 || q.page_size > 200) {
        return Error::Invalid("page_size", "分页参数无效（每页1至200条）");
    }
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    AuditQuery scoped = q;
    // An auditor sees the entries of the places they oversee; the trail of one business follows
    // that business's visibility instead (checked by the caller), wherever it was before.
    if (!(q.entity == "business" && !q.entity_id.empty())) scoped.scope = who.scope;
    return store->audit().List(scoped);
}

}  // namespace shian::access
