// /api/v1/regions: the place tree, limited to what the user's scope reaches.
#include "shian/http/routes.hpp"
#include "shian/http/views.hpp"
#include "shian/http/json_body.hpp"

namespace shian::http {
namespace {

// A place is listed when it lies inside the scope or on the way down to it.
bool Listable(const access::Principal& who, const places::Region& r) {
    if (who.scope.all || who.scope.CoversPath(r.path)) return true;
    auto leads_to = [&](const std::string& scope_path) {
        return scope_path.compare(0, r.path.size(), r.path) == 0;
    };
    for (const auto& p : who.scope.subtree_paths) if (leads_to(p)) return true;
    for (const auto& p : who.scope.exact_paths) if (leads_to(p)) return true;
    return !who.region_path.empty() && leads_to(who.region_path);
}

}  // namespace

void AddRegionRoutes(Router& router, Services& s) {
    router.Add("GET", "/api/v1/regions", Access::kAuth, [&s](Request& req) -> Result<Response> {
        const access::Principal& who = *req.principal;
        SHIAN_ASSIGN_OR_RETURN(auto store, s.stores->Open());
        std::string parent = req.Query("parent");
        std::vector<places::Region> regions;
        if (parent.empty()) {
            if (who.scope.all) {
                SHIAN_ASSIGN_OR_RETURN(regions, store->regions().Roots());
            } else {
                SHIAN_ASSIGN_OR_RETURN(auto own, store->regions().Find(who.user.region_code));
                if (own) {
                    SHIAN_ASSIGN_OR_RETURN(auto kids, store->regions().Children(own->code));
                    own->has_children = !kids.empty();
                    regions.push_back(*own);
                }
            }
        } else {
            if (parent.size() > 12) return Error::Invalid("parent", "区划代码过长");
            SHIAN_ASSIGN_OR_RETURN(auto p, store->regions().Find(parent));
            if (!p || !Listable(who, *p)) return Error::NotFound("区划不存在或不在您的管辖范围内");
            SHIAN_ASSIGN_OR_RETURN(auto kids, store->regions().Children(parent));
            for (auto& k : kids) {
                if (Listable(who, k)) regions.push_back(std::move(k));
            }
        }
        Json items = Json::array();
        for (const auto& r : regions) items.push_back(RegionJson(r));
        return JsonResponse(200, Dump({{"items", std::move(items)}}));
    },
               RouteDoc{"区划下级列表（限于本人管辖范围）", {"parent"}, "", "RegionList", ""});
    router.Add("GET", "/api/v1/regions/{code}", Access::kAuth, [&s](Request& req) -> Result<Response> {
        const access::Principal& who = *req.principal;
        SHIAN_ASSIGN_OR_RETURN(auto store, s.stores->Open());
        SHIAN_ASSIGN_OR_RETURN(auto r, store->regions().Find(req.params["code"]));
        if (!r || !Listable(who, *r)) return Error::NotFound("区划不存在或不在您的管辖范围内");
        Json path = Json::array();
        std::string code = r->code;
        std::vector<places::Region> chain;
        std::optional<places::Region> cur = *r;
        while (cur) {
            chain.insert(chain.begin(), *cur);
            if (cur->parent_code.empty()) break;
            SHIAN_ASSIGN_OR_RETURN(cur, store->regions().Find(cur->parent_code));
        }
        for (const auto& c : chain) path.push_back({{"code", c.code}, {"name", c.name}});
        Json out = RegionJson(*r);
        out["parent"] = r->parent_code;
        out["path"] = path;
        out["active"] = r->active;
        if (!r->active) {
            out["retired_at"] = FormatIsoUtc(r->retired_at);
            out["successor"] = r->successor_code.empty() ? Json(nullptr) : Json(r->successor_code);
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
