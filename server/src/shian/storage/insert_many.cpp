#include "shian/storage/insert_many.hpp"

#include <algorithm>
#include <future>

namespace shian::storage {
namespace {

// One multi-row INSERT: its text and its values.
struct Chunk {
    std::string sql;
    std::vector<Value> params;
};

Chunk BuildChunk(const std::string& head, const std::vector<const char*>& casts, size_t first, size_t n,
                 const std::function<void(size_t, std::vector<Value>*)>& row, const std::string& tail,
                 bool returning) {
    Chunk chunk;
    chunk.params.reserve(n * casts.size());
    chunk.sql.reserve(head.size() + tail.size() + n * casts.size() * 8 + 32);
    chunk.sql = head;
    chunk.sql += " VALUES ";
    for (size_t i = 0; i < n; ++i) {
        row(first + i, &chunk.params);
        chunk.sql += i ? ",(" : "(";
        for (size_t k = 0; k < casts.size(); ++k) {
            if (k) chunk.sql += ',';
            chunk.sql += '$';
            chunk.sql += std::to_string(i * casts.size() + k + 1);
            chunk.sql += casts[k];
        }
        chunk.sql += ')';
    }
    if (!tail.empty()) {
        chunk.sql += ' ';
        chunk.sql += tail;
    }
    if (returning) chunk.sql += " RETURNING id";
    return chunk;
}

}  // namespace

Status InsertMany(Connection* c, const std::string& head, const std::vector<const char*>& casts, size_t count,
                  const std::function<void(size_t, std::vector<Value>*)>& row, const std::string& tail,
                  std::vector<int64_t>* returned_ids) {
    // Chunks of a power of two rows (at most 256; under SQLite's 32,766 and PostgreSQL's
    // 65,535 parameters): a table's inserts use at most nine statement texts, so the prepared
    // statement caches do not fill with one multi-row statement per batch size.
    size_t max_rows = 256;
    while (max_rows > 1 && max_rows * casts.size() > 16000) max_rows /= 2;
    auto chunk_rows = [&](size_t first) {
        size_t n = max_rows;
        while (n > count - first) n /= 2;
        return n;
    };
    auto build = [&](size_t first) {
        return BuildChunk(head, casts, first, chunk_rows(first), row, tail, returned_ids != nullptr);
    };
    // With more than one chunk, the next chunk's values are built on a second thread while the
    // database writes the current one (an import spends about a third of its time building rows).
    std::future<Chunk> next;
    if (count > 0) next = std::async(count > max_rows ? std::launch::async : std::launch::deferred, build, size_t{0});
    for (size_t first = 0; first < count;) {
        size_t n = chunk_rows(first);
        Chunk chunk = next.get();
        if (first + n < count) next = std::async(std::launch::async, build, first + n);
        if (chunk.params.size() != n * casts.size()) return Error::Internal("InsertMany: wrong number of values");
        first += n;
        if (returned_ids == nullptr) {
            SHIAN_TRY(c->Execute(chunk.sql, chunk.params));
            continue;
        }
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c->Query(chunk.sql, chunk.params));
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
