#include "shian/storage/sql_repositories.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "shian/storage/insert_many.hpp"
#include "shian/storage/sql_values.hpp"

namespace shian::storage {
namespace {

using access::AuditEntry;
using access::FieldList;
using nlohmann::ordered_json;
using sql::AddParam;
using sql::PlacePathsCondition;

// Audit snapshots keep their field order (ordered_json), so before/after read as written.
std::string EncodeFields(const std::optional<FieldList>& fields) {
    ordered_json obj = ordered_json::object();
    for (const auto& [k, v] : *fields) obj[k] = v;
    return obj.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::optional<FieldList> DecodeFields(const Rows& rows, size_t r, size_t c) {
    if (rows.IsNull(r, c)) return std::nullopt;
    FieldList out;
    ordered_json obj = ordered_json::parse(rows.Text(r, c), nullptr, false);
    if (!obj.is_object()) return out;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        out.emplace_back(it.key(), it->is_string() ? it->get<std::string>() : it->dump());
    }
    return out;
}

class SqlAuditRepository final : public access::AuditRepository {
public:
    explicit SqlAuditRepository(Connection* c) : c_(c) {}

    Status Append(const AuditEntry& e) override {
        SHIAN_TRY(c_->Execute(std::string(kInsert) + " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)", Values(e)));
        return Ok();
    }

    Status AppendAll(const std::vector<AuditEntry>& entries) override {
        return InsertMany(c_, kInsert, 10, entries.size(), [&](size_t i, std::vector<Value>* out) {
            for (auto& v : Values(entries[i])) out->push_back(std::move(v));
        });
    }

    Result<std::pair<std::vector<AuditEntry>, int64_t>> List(const access::AuditQuery& q) override {
        std::string where =
            " WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2) AND "
            "($3 = '' OR username = $3) AND ($4 = '' OR action = $4) AND ($5 = 0 OR at >= $5) AND "
            "($6 = 0 OR at < $6)";
        std::vector<Value> params = {q.entity, q.entity_id, q.username, q.action, q.from, q.to};
        where += ScopeCondition(q.scope, &params);
        SHIAN_ASSIGN_OR_RETURN(Rows count, c_->Query("SELECT count(*) FROM audit_log" + where, params));
        params.push_back(int64_t{q.page_size});
        std::string limit = " LIMIT $" + std::to_string(params.size());
        params.push_back(int64_t{(q.page - 1) * static_cast<int64_t>(q.page_size)});
        limit += " OFFSET $" + std::to_string(params.size());
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query("SELECT id, at, user_id, username, action, entity, entity_id, summary, "
                                 "before_json, after_json, place_path FROM audit_log" + where +
                                 " ORDER BY id DESC" + limit, params));
        std::vector<AuditEntry> out;
        for (size_t i = 0; i < rows.size(); ++i) {
            AuditEntry e;
            e.id = rows.Int(i, 0);
            e.at = rows.Int(i, 1);
            e.user_id = rows.Int(i, 2);
            e.username = rows.Text(i, 3);
            e.action = rows.Text(i, 4);
            e.entity = rows.Text(i, 5);
            e.entity_id = rows.Text(i, 6);
            e.summary = rows.Text(i, 7);
            e.before = DecodeFields(rows, i, 8);
            e.after = DecodeFields(rows, i, 9);
            e.place_path = rows.Text(i, 10);
            out.push_back(std::move(e));
        }
        return std::make_pair(std::move(out), count.Int(0, 0));
    }

private:
    static constexpr const char* kInsert =
        "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, "
        "before_json, after_json, place_path)";

    static std::vector<Value> Values(const AuditEntry& e) {
        return {e.at, e.user_id, e.username, e.action, e.entity, e.entity_id, e.summary,
                e.before ? Value{EncodeFields(e.before)} : Value{},
                e.after ? Value{EncodeFields(e.after)} : Value{}, e.place_path};
    }

    // " AND (…)" restricting entries to the scope's places (nothing when the scope is all). An
    // entry without a place is visible to all-scope auditors only; one business's own account
    // sees that business's entries.
    static std::string ScopeCondition(const access::ScopeFilter& s, std::vector<Value>* params) {
        if (s.all) return "";
        if (s.nothing) return " AND 1 = 0";
        if (s.business_id) {
            return " AND entity = 'business' AND entity_id = " + AddParam(params, std::to_string(*s.business_id));
        }
        return " AND " + PlacePathsCondition(s, "place_path", params);
    }

    Connection* c_;
};

}  // namespace

std::unique_ptr<access::AuditRepository> MakeSqlAuditRepository(Connection* c) {
    return std::make_unique<SqlAuditRepository>(c);
}

}  // namespace shian::storage
