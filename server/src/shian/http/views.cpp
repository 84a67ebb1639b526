#include "shian/http/views.hpp"

namespace shian::http {

using json = Json;

std::string Dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json PrincipalJson(const access::Principal& p) {
    json perms = json::array();
    for (const auto& perm : p.permissions) perms.push_back(perm);
    return {{"id", p.user.id},
            {"username", p.user.username},
            {"display_name", p.user.display_name},
            {"role", p.role.code},
            {"role_label", p.role.label},
            {"region_code", p.user.region_code},
            {"region_name", p.region_name},
            {"business_id", p.user.business_id ? json(*p.user.business_id) : json(nullptr)},
            {"permissions", perms}};
}

json RegionJson(const places::Region& r) {
    return {{"code", r.code},
            {"name", r.name},
            {"level", places::RegionLevelName(r.level)},
            {"has_children", r.has_children}};
}

json BusinessJson(const registry::Business& b) {
    const std::string& kind_label = b.kind_label.empty() ? b.kind : b.kind_label;
    json people = json::array();
    for (const auto& p : b.people) {
        people.push_back({{"role", p.role}, {"name", p.name}, {"id_number", p.id_number}, {"phone", p.phone}});
    }
    return {{"id", b.id},
            {"version", b.version},
            {"name", b.name},
            {"uscc", b.uscc},
            {"licence_no", b.licence_no},
            {"kind", kind_label},
            {"kind_code", b.kind},
            {"kind_label", kind_label},
            {"region_code", b.region_code},
            {"region_name", b.region_name},
            {"address", b.address},
            {"lng", b.lng ? json(*b.lng) : json(nullptr)},
            {"lat", b.lat ? json(*b.lat) : json(nullptr)},
            {"status", b.status},
            {"risk_grade", b.risk_grade.empty() ? json(nullptr) : json(b.risk_grade)},
            {"people", people},
            {"tags", b.tags},
            {"created_at", FormatIsoUtc(b.created_at)},
            {"updated_at", FormatIsoUtc(b.updated_at)}};
}

json BusinessDetailJson(const registry::BusinessDetail& d) {
    json out = BusinessJson(d.business);
    auto history = [](const std::vector<registry::HistoryEntry>& entries, const char* key) {
        json arr = json::array();
        for (const auto& e : entries) {
            arr.push_back({{key, e.value.empty() ? json(nullptr) : json(e.value)},
                           {"reason", e.reason},
                           {"at", FormatIsoUtc(e.at)},
                           {"by", e.by}});
        }
        return arr;
    };
    out["status_history"] = history(d.status_history, "status");
    out["grade_history"] = history(d.grade_history, "grade");
    return out;
}

json UserJson(const access::UserView& v) {
    const access::User& u = v.user;
    return {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"role", u.role},
            {"role_label", v.role_label},
            {"region_code", u.region_code},
            {"region_name", v.region_name},
            {"department_id", u.department_id ? json(*u.department_id) : json(nullptr)},
            {"business_id", u.business_id ? json(*u.business_id) : json(nullptr)},
            {"disabled", u.disabled},
            {"locked_until", u.locked_until ? json(FormatIsoUtc(u.locked_until)) : json(nullptr)},
            {"last_login_at", u.last_login_at ? json(FormatIsoUtc(u.last_login_at)) : json(nullptr)}};
}

json AuditJson(const access::AuditEntry& e) {
    auto fields = [](const std::optional<access::FieldList>& f) -> json {
        if (!f) return nullptr;
        json obj = json::object();
        for (const auto& [k, v] : *f) obj[k] = v;
        return obj;
    };
    return {{"id", e.id},
            {"at", FormatIsoUtc(e.at)},
            {"user_id", e.user_id},
            {"username", e.username},
            {"action", e.action},
            {"entity", e.entity},
            {"entity_id", e.entity_id},
            {"summary", e.summary},
            {"before", fields(e.before)},
            {"after", fields(e.after)}};
}

}  // namespace shian::http
