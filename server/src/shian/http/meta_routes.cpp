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

json BuildOpenApi(const Router& router) {
    json paths = json::object();
    for (const auto& route : router.routes()) {
        json op = {{"operationId", route.method + " " + route.pattern},
                   {"responses",
                    {{"200", {{"description", "成功"}}},
                     {"default",
                      {{"description", "错误",},
                       {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
        if (route.access == Access::kAuth) op["security"] = json::array({{{"bearer", json::array()}}});
        json params = json::array();
        for (const auto& seg : route.segments) {
            if (seg.size() > 2 && seg.front() == '{') {
                params.push_back({{"name", seg.substr(1, seg.size() - 2)}, {"in", "path"},
                                  {"required", true}, {"schema", {{"type", "string"}}}});
            }
        }
        if (!params.empty()) op["parameters"] = params;
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(c));
        paths[route.pattern][method] = op;
    }
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "shian 食安 API"}, {"version", "1"},
                      {"description", "食品安全监管平台接口。字段与规则见 docs/api-contract.md。"}}},
            {"paths", paths},
            {"components",
             {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
              {"schemas", {{"Error", ErrorSchema()}}}}}};
}

}  // namespace

void AddMetaRoutes(Router& router, Services& s) {
    router.Add("GET", "/healthz", Access::kPublic, [&s](Request&) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto store, s.stores->Open());
        SHIAN_ASSIGN_OR_RETURN(auto county, store->GetSetting("county_code"));
        return JsonResponse(200, Dump({{"status", "ok"}, {"county", county}}));
    });
    router.Add("GET", "/api/v1/openapi.json", Access::kPublic, [&router](Request&) -> Result<Response> {
        return JsonResponse(200, Dump(BuildOpenApi(router)));
    });
}

}  // namespace shian::http
