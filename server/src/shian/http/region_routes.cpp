// /api/v1/regions: the place tree, limited to what the user's scope reaches.
#include "shian/http/routes.hpp"
#include "shian/http/views.hpp"
#include "shian/http/json_body.hpp"

namespace shian::http {

void AddRegionRoutes(Router& router, Services& s) {
    router.Add("GET", "/api/v1/regions", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto regions, s.places->Children(*req.principal, req.Query("parent")));
        Json items = Json::array();
        for (const auto& r : regions) items.push_back(RegionJson(r));
        return JsonResponse(200, Dump({{"items", std::move(items)}}));
    },
               RouteDoc{"区划下级列表（限于本人管辖范围）", {"parent"}, "", "RegionList", ""});
    router.Add("GET", "/api/v1/regions/{code}", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto detail, s.places->Get(*req.principal, req.params["code"]));
        const places::Region& r = detail.place;
        Json path = Json::array();
        for (const auto& c : detail.path) path.push_back({{"code", c.code}, {"name", c.name}});
        Json out = RegionJson(r);
        out["parent"] = r.parent_code;
        out["path"] = path;
        out["active"] = r.active;
        if (!r.active) {
            out["retired_at"] = FormatIsoUtc(r.retired_at);
            out["successor"] = r.successor_code.empty() ? Json(nullptr) : Json(r.successor_code);
        }
        return JsonResponse(200, Dump(out));
    },
               RouteDoc{"区划详情与上级路径", {}, "", "Region", ""});
    router.Add("POST", "/api/v1/regions/{code}/merge", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req.body, {"into"}));
        SHIAN_ASSIGN_OR_RETURN(auto into, body.String("into", "并入的区划"));
        if (!into) return Error::Invalid("into", "请填写并入的区划代码");
        SHIAN_ASSIGN_OR_RETURN(auto report, s.places->Merge(*req.principal, req.params["code"], *into));
        Json out = {{"from", RegionJson(report.from)}, {"into", RegionJson(report.into)},
                    {"places", report.places},         {"businesses", report.businesses},
                    {"users", report.users},           {"departments", report.departments},
                    {"roles", report.roles}};
        return JsonResponse(200, Dump(out));
    },
               RouteDoc{"区划撤并：并入同级区划，迁移下级区划、主体、用户、部门与角色范围", {}, "", "",
                        "system:region:manage"});
    router.Add("POST", "/api/v1/regions/{code}/retire", Access::kAuth, [&s](Request& req) -> Result<Response> {
        if (!req.body.empty()) SHIAN_TRY(JsonBody::Parse(req.body, {}));
        SHIAN_ASSIGN_OR_RETURN(auto retired, s.places->Retire(*req.principal, req.params["code"]));
        Json out = RegionJson(retired);
        out["active"] = false;
        return JsonResponse(200, Dump(out));
    },
               RouteDoc{"撤销区划（须已无下级区划、主体、用户）", {}, "", "", "system:region:manage"});
}

}  // namespace shian::http
