// /api/v1/users, /roles, /permissions, /departments, /audit: system administration.
#include "shian/http/json_body.hpp"
#include "shian/http/routes.hpp"
#include "shian/http/views.hpp"

namespace shian::http {
namespace {

using json = Json;

Result<access::UserInput> ParseUserInput(const std::string& text) {
    SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(text, {"username", "password", "display_name", "role",
                                                             "region_code", "department_id", "business_id",
                                                             "disabled"}));
    access::UserInput in;
    SHIAN_ASSIGN_OR_RETURN(in.username, body.String("username", "用户名"));
    SHIAN_ASSIGN_OR_RETURN(in.password, body.String("password", "密码"));
    SHIAN_ASSIGN_OR_RETURN(in.display_name, body.String("display_name", "姓名"));
    SHIAN_ASSIGN_OR_RETURN(in.role, body.String("role", "角色"));
    SHIAN_ASSIGN_OR_RETURN(in.region_code, body.String("region_code", "所属区划"));
    SHIAN_ASSIGN_OR_RETURN(in.department_id, body.NullableInteger("department_id", "部门"));
    SHIAN_ASSIGN_OR_RETURN(in.business_id, body.NullableInteger("business_id", "关联主体"));
    SHIAN_ASSIGN_OR_RETURN(in.disabled, body.Bool("disabled", "停用"));
    return in;
}

json RoleJson(const access::Role& r) {
    json places = json::array();
    for (const auto& p : r.places) places.push_back({{"code", p.code}, {"name", p.name}});
    return {{"code", r.code}, {"label", r.label}, {"data_scope", access::DataScopeName(r.data_scope)},
            {"places", places}, {"permissions", r.permissions}, {"builtin", r.builtin}};
}

Result<access::RoleInput> ParseRoleInput(const std::string& text) {
    SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(text, {"code", "label", "data_scope", "places", "permissions",
                                                             "builtin"}));
    access::RoleInput in;
    SHIAN_ASSIGN_OR_RETURN(in.code, body.OptString("code", "角色编码"));
    SHIAN_ASSIGN_OR_RETURN(in.label, body.OptString("label", "角色名称"));
    SHIAN_ASSIGN_OR_RETURN(in.data_scope, body.OptString("data_scope", "数据范围"));
    SHIAN_ASSIGN_OR_RETURN(in.places, body.StringArray("places", "区划", 100));
    SHIAN_ASSIGN_OR_RETURN(in.permissions, body.StringArray("permissions", "权限", 100));
    return in;
}

json DepartmentJson(const access::Department& d) {
    return {{"id", d.id}, {"name", d.name}, {"parent_id", d.parent_id ? json(*d.parent_id) : json(nullptr)},
            {"region_code", d.region_code}, {"kind", d.kind}};
}

}  // namespace

void AddSystemRoutes(Router& router, Services& s) {
    router.Add("GET", "/api/v1/users", Access::kAuth, [&s](Request& req) -> Result<Response> {
        access::UserQuery q;
        q.q = req.Query("q");
        SHIAN_ASSIGN_OR_RETURN(q.page, ParseIntParam(req, "page", 1, 1, 1'000'000));
        SHIAN_ASSIGN_OR_RETURN(q.page_size, ParseIntParam(req, "page_size", 20, 1, 200));
        SHIAN_ASSIGN_OR_RETURN(auto page, s.users->List(*req.principal, q));
        json items = json::array();
        for (const auto& v : page.first) items.push_back(UserJson(v));
        return JsonResponse(200, Dump({{"items", std::move(items)}, {"total", page.second}, {"page", q.page},
                                       {"page_size", q.page_size}}));
    },
               RouteDoc{"用户列表", {"q", "page", "page_size"}, "", "", "system:user:manage"});
    router.Add("POST", "/api/v1/users", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto in, ParseUserInput(req.body));
        SHIAN_ASSIGN_OR_RETURN(auto view, s.users->Create(*req.principal, in));
        return JsonResponse(201, Dump(UserJson(view)));
    },
               RouteDoc{"新增用户", {}, "", "", "system:user:manage"});
    router.Add("PATCH", "/api/v1/users/{id}", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(int64_t id, ParseId(req.params["id"], "id"));
        SHIAN_ASSIGN_OR_RETURN(auto in, ParseUserInput(req.body));
        SHIAN_ASSIGN_OR_RETURN(auto view, s.users->Update(*req.principal, id, in));
        return JsonResponse(200, Dump(UserJson(view)));
    },
               RouteDoc{"修改用户（姓名、角色、区划、部门、停用）", {}, "", "", "system:user:manage"});
    router.Add("POST", "/api/v1/users/{id}/password", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(int64_t id, ParseId(req.params["id"], "id"));
        SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req.body, {"password"}));
        SHIAN_ASSIGN_OR_RETURN(auto password, body.String("password", "密码"));
        SHIAN_TRY(s.users->SetPassword(*req.principal, id, password.value_or("")));
        return NoContent();
    },
               RouteDoc{"重置密码（同时解除锁定）", {}, "", "", "system:user:manage"});
    router.Add("GET", "/api/v1/roles", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto roles, s.users->Roles(*req.principal));
        json items = json::array();
        for (const auto& r : roles) items.push_back(RoleJson(r));
        return JsonResponse(200, Dump({{"items", std::move(items)}}));
    },
               RouteDoc{"角色与权限", {}, "", "", ""});
    router.Add("PUT", "/api/v1/roles/{code}/permissions", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req.body, {"permissions"}));
        SHIAN_ASSIGN_OR_RETURN(auto perms, body.StringArray("permissions", "权限", 100));
        if (!perms) return Error::Invalid("permissions", "缺少 permissions");
        SHIAN_ASSIGN_OR_RETURN(auto role, s.users->SetRolePermissions(*req.principal, req.params["code"], *perms));
        return JsonResponse(200, Dump(RoleJson(role)));
    },
               RouteDoc{"设置角色权限", {}, "", "", "system:role:manage"});
    router.Add("POST", "/api/v1/roles", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto in, ParseRoleInput(req.body));
        SHIAN_ASSIGN_OR_RETURN(auto role, s.users->CreateRole(*req.principal, in));
        return JsonResponse(201, Dump(RoleJson(role)));
    },
               RouteDoc{"新增角色（数据范围可为自定义区划）", {}, "", "", "system:role:manage"});
    router.Add("PATCH", "/api/v1/roles/{code}", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto in, ParseRoleInput(req.body));
        SHIAN_ASSIGN_OR_RETURN(auto role, s.users->UpdateRole(*req.principal, req.params["code"], in));
        return JsonResponse(200, Dump(RoleJson(role)));
    },
               RouteDoc{"修改角色（内置角色只能修改权限）", {}, "", "", "system:role:manage"});
    router.Add("GET", "/api/v1/permissions", Access::kAuth, [](Request& req) -> Result<Response> {
        json items = json::array();
        for (const auto& p : access::AllPermissions()) {
            items.push_back({{"code", std::string(p.code)}, {"label", std::string(p.label)}});
        }
        return JsonResponse(200, Dump({{"items", std::move(items)}}));
    },
               RouteDoc{"全部权限", {}, "", "", ""});
    router.Add("GET", "/api/v1/departments", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto depts, s.users->Departments(*req.principal));
        json items = json::array();
        for (const auto& d : depts) items.push_back(DepartmentJson(d));
        return JsonResponse(200, Dump({{"items", std::move(items)}}));
    },
               RouteDoc{"部门/监管所", {}, "", "", ""});
    router.Add("POST", "/api/v1/departments", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req.body, {"name", "parent_id", "region_code", "kind"}));
        access::Department d;
        SHIAN_ASSIGN_OR_RETURN(auto name, body.String("name", "部门名称"));
        SHIAN_ASSIGN_OR_RETURN(auto parent, body.NullableInteger("parent_id", "上级部门"));
        SHIAN_ASSIGN_OR_RETURN(auto region, body.String("region_code", "所属区划"));
        SHIAN_ASSIGN_OR_RETURN(auto kind, body.String("kind", "部门类型"));
        d.name = name.value_or("");
        if (parent) d.parent_id = *parent;
        d.region_code = region.value_or("");
        d.kind = kind.value_or("");
        SHIAN_ASSIGN_OR_RETURN(auto created, s.users->CreateDepartment(*req.principal, d));
        return JsonResponse(201, Dump(DepartmentJson(created)));
    },
               RouteDoc{"新增部门", {}, "", "", "system:dept:manage"});
    router.Add("GET", "/api/v1/audit", Access::kAuth, [&s](Request& req) -> Result<Response> {
        access::AuditQuery q;
        q.entity = req.Query("entity");
        q.entity_id = req.Query("id");
        q.username = req.Query("user");
        q.action = req.Query("action");
        for (const auto* v : {&q.entity, &q.entity_id, &q.username, &q.action}) {
            if (v->size() > 64) return Error::Invalid("entity", "查询参数过长");
        }
        for (auto [name, target] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
            std::string text = req.Query(name);
            if (!text.empty() && !ParseIsoUtc(text, target)) {
                return Error::Invalid(name, std::string(name) + " 应为日期，如 2026-11-25 或 2026-11-25T08:00:00Z");
            }
        }
        if (q.to && req.Query("to").size() == 10) q.to += 24 * 60 * kMinuteMs;  // a date includes its day
        SHIAN_ASSIGN_OR_RETURN(q.page, ParseIntParam(req, "page", 1, 1, 1'000'000));
        SHIAN_ASSIGN_OR_RETURN(q.page_size, ParseIntParam(req, "page_size", 20, 1, 200));
        if (q.entity == "business" && !q.entity_id.empty()) {
            // The trail of one business follows that business's visibility.
            SHIAN_ASSIGN_OR_RETURN(int64_t id, ParseId(q.entity_id, "id"));
            SHIAN_TRY(s.businesses->Get(*req.principal, id));
        }
        SHIAN_ASSIGN_OR_RETURN(auto page, s.users->Audit(*req.principal, q));
        json items = json::array();
        for (const auto& e : page.first) items.push_back(AuditJson(e));
        return JsonResponse(200, Dump({{"items", std::move(items)}, {"total", page.second}, {"page", q.page},
                                       {"page_size", q.page_size}}));
    },
               RouteDoc{"操作日志（筛选：对象、用户、动作、时间）", {"entity", "id", "user", "action", "from", "to", "page", "page_size"}, "", "AuditPage", "system:audit:view"});
}

void AddAllRoutes(Router& router, Services& services) {
    AddMetaRoutes(router, services);
    AddAuthRoutes(router, services);
    AddRegionRoutes(router, services);
    AddBusinessRoutes(router, services);
    AddSystemRoutes(router, services);
}

}  // namespace shian::http
