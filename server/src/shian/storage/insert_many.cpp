#include "shian/storage/insert_many.hpp"

#include <algorithm>

namespace shian::storage {

Status InsertMany(Connection* c, const std::string& head, const std::vector<const char*>& casts, size_t count,
                  const std::function<void(size_t, std::vector<Value>*)>& row, const std::string& tail,
                  std::vector<int64_t>* returned_ids) {
    // Chunks of a power of two rows (at most 256; under SQLite's 32,766 and PostgreSQL's
    // 65,535 parameters): a table's inserts use at most nine statement texts, so the prepared
    // statement caches do not fill with one multi-row statement per batch size.
    size_t max_rows = 256;
    while (max_rows > 1 && max_rows * casts.size() > 16000) max_rows /= 2;
    std::vector<Value> params;
    std::string sql;
    for (size_t first = 0, n = 0; first < count; first += n) {
        n = max_rows;
        while (n > count - first) n /= 2;
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

Status InsertMany(Connection* c, const std::string& head, size_t columns, size_t count,
                  const std::function<void(size_t, std::vector<Value>*)>& row, const std::string& tail) {
    return InsertMany(c, head, std::vector<const char*>(columns, ""), count, row, tail);
}

}  // namespace shian::storage
