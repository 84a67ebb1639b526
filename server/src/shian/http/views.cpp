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

namespace {

// The members of a business object (the caller opens and closes it).
void WriteBusinessFields(JsonWriter& w, const registry::Business& b) {
    const std::string& kind_label = b.kind_label.empty() ? b.kind : b.kind_label;
    w.Key("id").Int(b.id);
    w.Key("version").Int(b.version);
    w.Key("name").String(b.name);
    w.Key("uscc").String(b.uscc);
    w.Key("licence_no").String(b.licence_no);
    w.Key("kind").String(kind_label);
    w.Key("kind_code").String(b.kind);
    w.Key("kind_label").String(kind_label);
    w.Key("region_code").String(b.region_code);
    w.Key("region_name").String(b.region_name);
    w.Key("address").String(b.address);
    w.Key("lng").DoubleOrNull(b.lng);
    w.Key("lat").DoubleOrNull(b.lat);
    w.Key("status").String(b.status);
    w.Key("risk_grade").StringOrNull(b.risk_grade);
    w.Key("people").BeginArray();
    for (const auto& p : b.people) {
        w.BeginObject();
        w.Key("role").String(p.role);
        w.Key("name").String(p.name);
        w.Key("id_number").String(p.id_number);
        w.Key("phone").String(p.phone);
        w.EndObject();
    }
    w.EndArray();
    w.Key("tags").BeginArray();
    for (const auto& t : b.tags) w.String(t);
    w.EndArray();
    w.Key("created_at").String(FormatIsoUtc(b.created_at));
    w.Key("updated_at").String(FormatIsoUtc(b.updated_at));
}

}  // namespace

std::string BusinessPageDocument(const registry::BusinessPage& page, int page_no, int page_size) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& b : page.items) {
        w.BeginObject();
        WriteBusinessFields(w, b);
        w.EndObject();
    }
    w.EndArray();
    w.Key("total").Int(page.total);
    w.Key("total_exact").Bool(page.total_exact);
    w.Key("page").Int(page_no);
    w.Key("page_size").Int(page_size);
    w.EndObject();
    return w.Take();
}

std::string BusinessDetailDocument(const registry::BusinessDetail& d) {
    JsonWriter w;
    w.BeginObject();
    WriteBusinessFields(w, d.business);
    auto history = [&](const char* name, const std::vector<registry::HistoryEntry>& entries, const char* key) {
        w.Key(name).BeginArray();
        for (const auto& e : entries) {
            w.BeginObject();
            w.Key(key).StringOrNull(e.value);
            w.Key("reason").String(e.reason);
            w.Key("at").String(FormatIsoUtc(e.at));
            w.Key("by").String(e.by);
            w.EndObject();
        }
        w.EndArray();
    };
    history("status_history", d.status_history, "status");
    history("grade_history", d.grade_history, "grade");
    w.EndObject();
    return w.Take();
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
