#include "shian/registry/place_service.hpp"

#include <algorithm>
#include <vector>

#include "shian/access/permissions.hpp"
#include "shian/access/user_service.hpp"
#include "shian/registry/business_service.hpp"

namespace shian::registry {
namespace {

namespace perm = access::perm;
using access::FieldList;
using places::Region;

constexpr size_t kBatch = 500;

Status Require(const access::Principal& who) {
    if (!who.Can(perm::kRegionManage)) return Error::Denied("您没有此操作的权限");
    return Ok();
}

Result<Region> FindActive(storage::Store& store, const std::string& code, const char* field) {
    if (code.empty() || code.size() > 12) return Error::Invalid(field, "区划代码无效：" + code);
    SHIAN_ASSIGN_OR_RETURN(auto region, store.regions().Find(code));
    if (!region) return Error::Invalid(field, "未知的区划代码：" + code);
    if (!region->active) return Error::Invalid(field, "区划已撤销：" + region->name);
    return *region;
}

// `path` with the prefix `from` replaced by `to` (both subtree paths ending in '/').
std::string Rebase(const std::string& path, const std::string& from, const std::string& to) {
    return to + path.substr(from.size());
}

// Users of `code`'s place, every page of them.
Result<std::vector<access::User>> UsersOf(storage::Store& store, const std::string& code) {
    std::vector<access::User> out;
    access::UserQuery q;
    q.page_size = 200;
    for (q.page = 1;; ++q.page) {
        SHIAN_ASSIGN_OR_RETURN(auto page, store.access().ListUsers(q));
        for (auto& u : page.first) {
            if (u.region_code == code) out.push_back(std::move(u));
        }
        if (page.first.size() < static_cast<size_t>(q.page_size)) return out;
    }
}

// A place is shown when it lies inside the scope or on the way down to it (a township
// inspector sees the county and the township to pick from, not the other townships).
bool Listable(const access::Principal& who, const Region& r) {
    if (who.scope.all || who.scope.CoversPath(r.path)) return true;
    auto leads_to = [&](const std::string& scope_path) { return scope_path.compare(0, r.path.size(), r.path) == 0; };
    for (const auto& p : who.scope.subtree_paths) if (leads_to(p)) return true;
    for (const auto& p : who.scope.exact_paths) if (leads_to(p)) return true;
    return !who.region_path.empty() && leads_to(who.region_path);
}

Error NotListable() { return Error::NotFound("区划不存在或不在您的管辖范围内"); }

FieldList RegionFields(const Region& r) {
    return {{"code", r.code},
            {"name", r.name},
            {"parent_code", r.parent_code},
            {"path", r.path},
            {"active", r.active ? "1" : "0"},
            {"successor_code", r.successor_code}};
}

}  // namespace

Result<std::vector<Region>> PlaceService::Children(const access::Principal& who, const std::string& parent_code) {
    if (parent_code.size() > 12) return Error::Invalid("parent", "区划代码过长");
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    TimeMs now = clock_->NowMs();
    std::vector<Region> out;
    if (parent_code.empty()) {
        if (who.scope.all) return CachedChildren(lookups_, *store, "", now);
        SHIAN_ASSIGN_OR_RETURN(auto own, CachedPlace(lookups_, *store, who.user.region_code, now));
        if (own) {
            SHIAN_ASSIGN_OR_RETURN(auto kids, CachedChildren(lookups_, *store, own->code, now));
            own->has_children = !kids.empty();
            out.push_back(std::move(*own));
        }
        return out;
    }
    SHIAN_ASSIGN_OR_RETURN(auto parent, CachedPlace(lookups_, *store, parent_code, now));
    if (!parent || !Listable(who, *parent)) return NotListable();
    SHIAN_ASSIGN_OR_RETURN(auto kids, CachedChildren(lookups_, *store, parent_code, now));
    for (auto& k : kids) {
        if (Listable(who, k)) out.push_back(std::move(k));
    }
    return out;
}

Result<PlaceDetail> PlaceService::Get(const access::Principal& who, const std::string& code) {
    if (code.size() > 12) return NotListable();
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    TimeMs now = clock_->NowMs();
    SHIAN_ASSIGN_OR_RETURN(auto place, CachedPlace(lookups_, *store, code, now));
    if (!place || !Listable(who, *place)) return NotListable();
    PlaceDetail out{*place, {}};
    // Up to the root: three levels (places/region.hpp), bounded in case of a broken parent link.
    std::optional<Region> cur = std::move(place);
    for (int depth = 0; cur && depth < 8; ++depth) {
        out.path.insert(out.path.begin(), *cur);
        if (cur->parent_code.empty()) break;
        SHIAN_ASSIGN_OR_RETURN(cur, CachedPlace(lookups_, *store, cur->parent_code, now));
    }
    return out;
}

Result<PlaceMergeReport> PlaceService::Merge(const access::Principal& who, const std::string& from_code,
                                                   const std::string& into_code) {
    SHIAN_TRY(Require(who));
    if (from_code == into_code) return Error::Invalid("into", "不能并入自身");
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    TimeMs now = clock_->NowMs();
    PlaceMergeReport report;
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_ASSIGN_OR_RETURN(Region from, FindActive(*store, from_code, "code"));
        SHIAN_ASSIGN_OR_RETURN(Region into, FindActive(*store, into_code, "into"));
        if (from.parent_code.empty()) return Error::Invalid("code", "县（区）不能撤并");
        if (from.level != into.level) return Error::Invalid("into", "只能并入同级区划：" + into.name);
        if (!who.scope.CoversPath(from.path) || !who.scope.CoversPath(into.path)) {
            return Error{ErrorCode::kPermissionDenied, "区划不在您的管辖范围内", "code"};
        }
        std::string reason = "区划调整：" + from.name + "（" + from.code + "）并入" + into.name + "（" + into.code + "）";

        // 1. The places below `from` move under `into`, parents first.
        std::vector<Region> moved;
        std::vector<Region> level;
        SHIAN_ASSIGN_OR_RETURN(level, store->regions().Children(from.code));
        for (auto& r : level) r.parent_code = into.code;
        while (!level.empty()) {
            std::vector<Region> next;
            for (auto& r : level) {
                SHIAN_ASSIGN_OR_RETURN(auto kids, store->regions().Children(r.code));
                r.path = Rebase(r.path, from.path, into.path);
                for (auto& k : kids) next.push_back(std::move(k));
                moved.push_back(r);
            }
            level = std::move(next);
        }
        // (`from` keeps its own path, which stays unique.)
        SHIAN_TRY(store->regions().Upsert(moved));
        report.places = static_cast<int64_t>(moved.size());

        // 2. Businesses of the subtree: the place code of `from` itself becomes `into`; every
        //    path is rebased. Each keeps its history and gets a place-history entry and an
        //    audit entry, like any edit.
        SHIAN_ASSIGN_OR_RETURN(auto kinds, store->businesses().ListKinds());
        BusinessFilter f;
        f.scope.all = true;
        f.region_path = from.path;
        std::vector<Business> batch;
        std::vector<FieldList> before;
        auto flush = [&]() -> Status {
            SHIAN_TRY(store->businesses().Save(&batch));
            for (size_t i = 0; i < batch.size(); ++i) {
                const Business& b = batch[i];
                SHIAN_TRY(store->businesses().AppendRegionHistory(b.id, {b.region_code, reason, now, who.user.username}));
                SHIAN_TRY(store->audit().Append({0, now, who.user.id, who.user.username, "update", "business",
                                                 std::to_string(b.id), reason, before[i],
                                                 BusinessToFields(b, kinds), b.region_path}));
            }
            report.businesses += static_cast<int64_t>(batch.size());
            batch.clear();
            before.clear();
            return Ok();
        };
        // Collected first: the walk must not see rows it has already changed.
        std::vector<Business> all;
        SHIAN_TRY(store->businesses().ForEach(f, [&](const Business& b) -> Status {
            all.push_back(b);
            return Ok();
        }));
        for (auto& b : all) {
            before.push_back(BusinessToFields(b, kinds));
            if (b.region_code == from.code) b.region_code = into.code;
            b.region_path = Rebase(b.region_path, from.path, into.path);
            b.version += 1;
            b.updated_at = now;
            batch.push_back(std::move(b));
            if (batch.size() == kBatch) SHIAN_TRY(flush());
        }
        if (!batch.empty()) SHIAN_TRY(flush());

        // 3. Users and departments of `from` itself (those below it keep their places, which
        //    have moved with it).
        SHIAN_ASSIGN_OR_RETURN(auto users, UsersOf(*store, from.code));
        for (auto& u : users) {
            access::User old = u;
            u.region_code = into.code;
            u.updated_at = now;
            SHIAN_TRY(store->access().UpdateUser(u));
            SHIAN_TRY(store->audit().Append({0, now, who.user.id, who.user.username, "update", "user",
                                             std::to_string(u.id), reason, access::UserToFields(old),
                                             access::UserToFields(u), into.path}));
        }
        report.users = static_cast<int64_t>(users.size());
        SHIAN_ASSIGN_OR_RETURN(auto depts, store->access().ListDepartments());
        for (auto& d : depts) {
            if (d.region_code != from.code) continue;
            d.region_code = into.code;
            SHIAN_TRY(store->access().UpdateDepartment(d));
            SHIAN_TRY(store->audit().Append({0, now, who.user.id, who.user.username, "update", "department",
                                             std::to_string(d.id), reason,
                                             FieldList{{"region_code", from.code}},
                                             FieldList{{"region_code", into.code}}, into.path}));
            ++report.departments;
        }

        // 4. Roles whose custom scope listed `from` list `into`.
        SHIAN_ASSIGN_OR_RETURN(auto roles, store->access().ListRoles());
        for (auto& role : roles) {
            auto it = std::find_if(role.places.begin(), role.places.end(),
                                   [&](const access::RolePlace& p) { return p.code == from.code; });
            if (it == role.places.end()) continue;
            role.places.erase(it);
            bool has_into = std::any_of(role.places.begin(), role.places.end(),
                                        [&](const access::RolePlace& p) { return p.code == into.code; });
            if (!has_into) role.places.push_back({into.code, into.name, into.path});
            SHIAN_TRY(store->access().UpsertRole(role));
            SHIAN_TRY(store->audit().Append({0, now, who.user.id, who.user.username, "update", "role", role.code,
                                             reason, FieldList{{"place", from.code}},
                                             FieldList{{"place", into.code}}, ""}));
            ++report.roles;
        }

        // 5. `from` is retired, pointing to `into`.
        SHIAN_TRY(store->regions().Retire(from.code, now, into.code));
        SHIAN_ASSIGN_OR_RETURN(auto retired, store->regions().Find(from.code));
        report.from = *retired;
        report.into = into;
        return store->audit().Append(
            {0, now, who.user.id, who.user.username, "merge", "region", from.code,
             reason + "（下级区划" + std::to_string(report.places) + "个，主体" + std::to_string(report.businesses) +
                 "家，用户" + std::to_string(report.users) + "个）",
             RegionFields(from), RegionFields(report.from), ""});
    }));
    // Users and roles of `from` now belong to `into`: sessions resolved before are re-read.
    if (sessions_ != nullptr) sessions_->Clear();
    // Places below `from` have new paths: a filter naming them reads them again.
    if (lookups_ != nullptr) lookups_->Clear();
    return report;
}

Result<Region> PlaceService::Retire(const access::Principal& who, const std::string& code) {
    SHIAN_TRY(Require(who));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    TimeMs now = clock_->NowMs();
    Region out;
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_ASSIGN_OR_RETURN(Region place, FindActive(*store, code, "code"));
        if (place.parent_code.empty()) return Error::Invalid("code", "县（区）不能撤销");
        if (!who.scope.CoversPath(place.path)) {
            return Error{ErrorCode::kPermissionDenied, "区划不在您的管辖范围内", "code"};
        }
        auto left = [&](const std::string& what) {
            return Error::Conflict(place.name + "下仍有" + what + "，请先将其并入其他区划（撤并）", "code");
        };
        SHIAN_ASSIGN_OR_RETURN(auto kids, store->regions().Children(place.code));
        if (!kids.empty()) return left("下级区划");
        BusinessFilter f;
        f.scope.all = true;
        f.region_path = place.path;
        f.page_size = 1;
        SHIAN_ASSIGN_OR_RETURN(auto page, store->businesses().List(f, true));
        if (page.total > 0) return left("主体" + std::to_string(page.total) + "家");
        SHIAN_ASSIGN_OR_RETURN(auto users, UsersOf(*store, place.code));
        if (!users.empty()) return left("用户" + std::to_string(users.size()) + "个");
        SHIAN_ASSIGN_OR_RETURN(auto depts, store->access().ListDepartments());
        for (const auto& d : depts) {
            if (d.region_code == place.code) return left("部门：" + d.name);
        }
        SHIAN_ASSIGN_OR_RETURN(auto roles, store->access().ListRoles());
        for (const auto& r : roles) {
            for (const auto& p : r.places) {
                if (p.code == place.code) return left("角色的自定义范围：" + r.label);
            }
        }
        SHIAN_TRY(store->regions().Retire(place.code, now, ""));
        SHIAN_ASSIGN_OR_RETURN(auto retired, store->regions().Find(place.code));
        out = *retired;
        return store->audit().Append({0, now, who.user.id, who.user.username, "retire", "region", place.code,
                                      "撤销区划：" + place.name + "（" + place.code + "）", RegionFields(place),
                                      RegionFields(out), ""});
    }));
    if (lookups_ != nullptr) lookups_->Clear();
    return out;
}

}  // namespace shian::registry
