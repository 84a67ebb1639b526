#include "shian/storage/insert_many.hpp"

#include <algorithm>

namespace shian::storage {

Status InsertMany(Connection* c, const std::string& head, const std::vector<const char*>& casts, size_t count,
                  const std::function<void(size_t, std::vector<Value>*)>& row, const std::string& tail,
                  std::vector<int64_t>* returned_ids) {
    // Under SQLite's 32,766 and PostgreSQL's 65,535 parameters; all chunks but the last share
    // one statement text (and so one prepared statement).
    const size_t per_chunk = std::max<size_t>(1, std::min<size_t>(256, 16000 / casts.size()));
    std::vector<Value> params;
    std::string sql;
    for (size_t first = 0; first < count; first += per_chunk) {
        size_t n = std::min(per_chunk, count - first);
        params.clear();
        params.reserve(n * casts.size());
        sql = head;
        sql += " VALUES ";
        for (size_t i = 0; i < n; ++i) {
            row(first + i, &params);
            sql += i ? ",(" : "(";
            for (size_t k = 0; k < casts.size(); ++k) {
                if (k) sql += ',';
                sql += '$';
                sql += std::to_string(i * casts.size() + k + 1);
                sql += casts[k];
            }
            sql += ')';
        }
        if (params.size() != n * casts.size()) return Error::Internal("InsertMany: wrong number of values");
        if (!tail.empty()) {
            sql += ' ';
            sql += tail;
        }
        if (returned_ids == nullptr) {
            SHIAN_TRY(c->Execute(sql, params));
            continue;
        }
        sql += " RETURNING id";
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c->Query(sql, params));
        if (rows.size() != n) return Error::Internal("InsertMany: RETURNING gave a wrong number of ids");
        std::vector<int64_t> ids(n);
        for (size_t i = 0; i < n; ++i) ids[i] = rows.Int(i, 0);
        std::sort(ids.begin(), ids.end());
        returned_ids->insert(returned_ids->end(), ids.begin(), ids.end());
    }
    return Ok();
}

}  // namespace shian::storage
