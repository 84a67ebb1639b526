// /healthz and /api/v1/openapi.json. The OpenAPI document is generated from the router's own
// table, so it cannot list a route that does not exist or miss one that does.
#include "shian/http/routes.hpp"
#include "shian/http/views.hpp"

namespace shian::http {
namespace {

using nlohmann::json;

json ErrorSchema() {
    return {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message", "field"}},
                {"properties",
                 {{"code", {{"type", "string"}}},
                  {"message", {{"type", "string"}, {"description", "中文说明"}}},
                  {"field", {{"type", "string"}, {"description", "出错的字段，可能为空"}}}}}}}}}};
}

json Obj(std::initializer_list<std::pair<const char*, json>> props) {
    json p = json::object();
    for (const auto& [k, v] : props) p[k] = v;
    return {{"type", "object"}, {"properties", p}};
}
json Str() { return {{"type", "string"}}; }
json Int() { return {{"type", "integer"}}; }
json Num() { return {{"type", "number"}, {"nullable", true}}; }
json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
json ArrayOf(json item) { return {{"type", "array"}, {"items", std::move(item)}}; }

json Schemas() {
    json person = Obj({{"role", {{"type", "string"}, {"enum", {"法定代表人", "主要负责人", "食品安全总监", "食品安全员"}}}},
                       {"name", Str()},
                       {"id_number", {{"type", "string"}, {"description", "列表中脱敏显示（如 5119**********0016），详情为完整号码"}}},
                       {"phone", {{"type", "string"}, {"description", "列表中脱敏显示（如 138****8000），详情为完整号码"}}}});
    json input = Obj({{"name", Str()}, {"uscc", Str()}, {"licence_no", Str()},
                      {"kind", {{"type", "string"}, {"description", "业态名称或代码"}}},
                      {"region_code", Str()}, {"address", Str()}, {"lng", Num()}, {"lat", Num()},
                      {"status", {{"type", "string"}, {"enum", {"营业", "停业", "注销"}}}},
                      {"risk_grade", {{"type", "string"}, {"nullable", true}, {"enum", {"A", "B", "C", "D"}}}},
                      {"people", ArrayOf(Ref("Person"))}, {"tags", ArrayOf(Str())},
                      {"version", {{"type", "integer"}, {"description", "修改时必填：读取时的版本号"}}},
                      {"status_reason", Str()}, {"grade_reason", Str()}});
    json business = input;
    for (const char* k : {"id", "version"}) business["properties"][k] = Int();
    for (const char* k : {"kind_code", "kind_label", "region_name", "created_at", "updated_at"}) {
        business["properties"][k] = Str();
    }
    json history = ArrayOf(Obj({{"reason", Str()}, {"at", Str()}, {"by", Str()}}));
    business["properties"]["status_history"] = history;
    business["properties"]["grade_history"] = history;
    json user = Obj({{"id", Int()}, {"username", Str()}, {"display_name", Str()}, {"role", Str()},
                     {"role_label", Str()}, {"region_code", Str()}, {"region_name", Str()},
                     {"business_id", {{"type", "integer"}, {"nullable", true}}}, {"permissions", ArrayOf(Str())}});
    json region = Obj({{"code", Str()}, {"name", Str()},
                       {"level", {{"type", "string"}, {"enum", {"county", "township", "village"}}}},
                       {"has_children", {{"type", "boolean"}}}});
    auto page = [](const char* item) {
        return Obj({{"items", ArrayOf(Ref(item))}, {"total", Int()}, {"page", Int()}, {"page_size", Int()}});
    };
    json audit = Obj({{"id", Int()}, {"at", Str()}, {"user_id", Int()}, {"username", Str()}, {"action", Str()},
                      {"entity", Str()}, {"entity_id", Str()}, {"summary", Str()},
                      {"before", {{"type", "object"}, {"nullable", true}}},
                      {"after", {{"type", "object"}, {"nullable", true}}}});
    return {{"Error", ErrorSchema()},
            {"Person", person},
            {"BusinessInput", input},
            {"Business", business},
            {"BusinessPage", [&] {
                 json p = page("Business");
                 p["properties"]["total_exact"] = {
                     {"type", "boolean"},
                     {"description", "false：匹配条数超过计数上限（无 q 时 10000，有 q 时 200），total 即该上限，应显示为“10000+”"}};
                 return p;
             }()},
            {"User", user},
            {"UserEnvelope", Obj({{"user", Ref("User")}})},
            {"LoginRequest", Obj({{"username", Str()}, {"password", Str()}})},
            {"LoginResponse", Obj({{"token", Str()}, {"user", Ref("User")}})},
            {"Region", region},
            {"RegionList", Obj({{"items", ArrayOf(Ref("Region"))}})},
            {"ImportReport", Obj({{"inserted", Int()}, {"updated", Int()}, {"unchanged", Int()},
                                  {"rejected", ArrayOf(Obj({{"row", Int()}, {"column", Str()}, {"message", Str()}}))}})},
            {"Stats", Obj({{"rows", ArrayOf(Obj({{"key", Str()}, {"label", Str()}, {"count", Int()}}))},
                           {"total", Int()}})},
            {"AuditEntry", audit},
            {"AuditPage", page("AuditEntry")}};
}

json BuildOpenApi(const Router& router) {
    json paths = json::object();
    for (const auto& route : router.routes()) {
        const RouteDoc& doc = route.doc;
        json ok = {{"description", "成功"}};
        if (!doc.response_schema.empty()) {
            ok["content"] = {{"application/json", {{"schema", Ref(doc.response_schema)}}}};
        }
        int ok_status = route.method == "POST" && doc.response_schema == "Business" ? 201 : 200;
        json op = {{"operationId", route.method + " " + route.pattern},
                   {"summary", doc.summary},
                   {"responses",
                    {{std::to_string(ok_status), ok},
                     {"default", {{"description", "错误（4xx/5xx）"},
                                  {"content", {{"application/json", {{"schema", Ref("Error")}}}}}}}}}};
        if (!doc.permission.empty()) op["x-permission"] = doc.permission;
        if (route.access == Access::kAuth) op["security"] = json::array({{{"bearer", json::array()}}});
        json params = json::array();
        for (const auto& seg : route.segments) {
            if (seg.size() > 2 && seg.front() == '{') {
                params.push_back({{"name", seg.substr(1, seg.size() - 2)}, {"in", "path"},
                                  {"required", true}, {"schema", Str()}});
            }
        }
        for (const auto& q : doc.query) {
            params.push_back({{"name", q}, {"in", "query"}, {"required", false}, {"schema", Str()}});
        }
        if (!params.empty()) op["parameters"] = params;
        if (!doc.request_schema.empty()) {
            op["requestBody"] = {{"required", true},
                                 {"content", {{"application/json", {{"schema", Ref(doc.request_schema)}}}}}};
        }
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(c));
        paths[route.pattern][method] = op;
    }
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "shian 食安 API"}, {"version", "1"},
                      {"description", "县级食品安全监管平台接口。错误统一为 {\"error\":{\"code\",\"message\",\"field\"}}。"}}},
            {"paths", paths},
            {"components",
             {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
              {"schemas", Schemas()}}}};
}

}  // namespace

void AddMetaRoutes(Router& router, Services& s) {
    router.Add("GET", "/healthz", Access::kPublic, [&s](Request&) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto store, s.stores->Open());
        SHIAN_ASSIGN_OR_RETURN(auto county, store->GetSetting("county_code"));
        return JsonResponse(200, Dump({{"status", "ok"}, {"county", county}}));
    },
               RouteDoc{"健康检查", {}, "", "", ""});
    router.Add("GET", "/api/v1/openapi.json", Access::kPublic, [&router](Request&) -> Result<Response> {
        return JsonResponse(200, Dump(BuildOpenApi(router)));
    },
               RouteDoc{"本接口文档", {}, "", "", ""});
}

}  // namespace shian::http
