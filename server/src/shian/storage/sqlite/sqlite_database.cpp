#include "shian/storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "shian/core/text.hpp"
#include "shian/storage/search_terms.hpp"

namespace shian::storage {
namespace {

// shian_fts_document(search_text, region_path, kind, risk_grade, status, tags): a business's
// document of the contentless search index (BusinessFtsDocument; tags '|'-separated as
// stored), so the index is written and deleted from with the row's own values in one
// statement (SqlBusinessRepository, migration 14, the delete trigger). A connection without
// it (the sqlite3 shell) cannot delete a business: the trigger fails instead of leaving the
// index holding a document that is gone.
void FtsDocumentFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    auto text = [&](int i) {
        const unsigned char* v = i < argc ? sqlite3_value_text(argv[i]) : nullptr;
        return v ? std::string(reinterpret_cast<const char*>(v), static_cast<size_t>(sqlite3_value_bytes(argv[i])))
                 : std::string();
    };
    std::string doc = BusinessFtsDocument(text(0), text(1), text(2), text(3), text(4), SplitNonEmpty(text(5), '|'));
    sqlite3_result_text64(ctx, doc.data(), doc.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

// Writers queue behind each other for up to 30 s: an import of the largest file allowed
// (200,000 rows) holds the write lock for ~20 s on two cores, and a login or an edit waits
// for it rather than fail. Reads never wait (WAL), nor does the session touch (TryExecute).
constexpr int kBusyTimeoutMs = 30'000;
constexpr size_t kStatementCacheLimit = 256;

Error SqliteError(sqlite3* db, int rc, std::string_view sql) {
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return {ErrorCode::kConflict, "记录已存在（" + msg + "）", {}};
    }
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        return {ErrorCode::kInvalidArgument, "数据约束不满足（" + msg + "）", {}};
    }
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        return {ErrorCode::kUnavailable, "数据库忙，请稍后重试", {}};
    }
    return Error::Internal("SQLite 错误：" + msg + "，语句：" + std::string(sql.substr(0, 200)));
}

// Rewrites the placeholders $1, $2, … as SQLite's numbered ?1, ?2, … (outside quotes and
// comments), which SQLite binds by number: parsing a statement of thousands of named "$n"
// looks each name up in a list (quadratic in a multi-row INSERT).
std::string NumberedParameters(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    for (size_t i = 0; i < sql.size(); ++i) {
        char ch = sql[i];
        if (ch == '\'' || ch == '"') {  // a literal or quoted name, '' / "" escaping itself
            size_t end = sql.find(ch, i + 1);
            while (end != std::string_view::npos && end + 1 < sql.size() && sql[end + 1] == ch) {
                end = sql.find(ch, end + 2);
            }
            if (end == std::string_view::npos) end = sql.size() - 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            size_t end = sql.find('\n', i);
            if (end == std::string_view::npos) end = sql.size() - 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (ch == '$' && i + 1 < sql.size() && sql[i + 1] >= '1' && sql[i + 1] <= '9') {
            out.push_back('?');
        } else {
            out.push_back(ch);
        }
    }
    return out;
}

class SqliteConnection final : public Connection {
public:
    SqliteConnection(sqlite3* db, int64_t cache_kib) : db_(db), cache_kib_(cache_kib) {}
    ~SqliteConnection() override {
        for (auto& [sql, p] : cache_) sqlite3_finalize(p.stmt);
        sqlite3_close_v2(db_);
    }

    Dialect dialect() const override { return Dialect::kSqlite; }

    // Runs the statements one at a time (as sqlite3_exec does) so that an error names the
    // statement that failed.
    Status ExecuteScript(std::string_view sql) override { return Note(RunScript(sql)); }

    Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
        return Note(RunQuery(sql, params));
    }

    Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) override {
        return Note(RunExecute(sql, params));
    }

    Result<int64_t> TryExecute(std::string_view sql, const std::vector<Value>& params) override {
        sqlite3_busy_timeout(db_, 0);
        auto result = RunExecute(sql, params);
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
        unavailable_ = false;  // another writer's lock is no fault of this connection
        return result;
    }

    // BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade.
    Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
    Status Commit() override { return EndBulk(ExecuteScript("COMMIT")); }
    Status Rollback() override { return EndBulk(ExecuteScript("ROLLBACK")); }

    // A transaction that writes many rows holds its dirty pages in a page cache of kBulkCacheKib
    // (the pool's connections keep a small one): pages spilled to the WAL before commit are
    // written twice. The cache shrinks back when the transaction ends. 32 MB since the list
    // indexes and the search index are built at commit (session 10): 64 MB made no faster
    // import of 100,000 rows, and a 200,000-row upload peaked at 297–323 MB against 266.
    Status BeginBulk() override {
        if (cache_kib_ < kBulkCacheKib && sqlite3_get_autocommit(db_) != 0) {
            SHIAN_TRY(ExecuteScript("PRAGMA cache_size=-" + std::to_string(kBulkCacheKib)));
            bulk_ = true;
        }
        return EndBulk(Begin());
    }

    bool Healthy() const override { return sqlite3_get_autocommit(db_) != 0 && !unavailable_; }

private:
    static constexpr int64_t kBulkCacheKib = 32 * 1024;

    // After a bulk transaction ends (or fails to begin), the connection's own cache size.
    Status EndBulk(Status st) {
        if (bulk_ && sqlite3_get_autocommit(db_) != 0) {
            bulk_ = false;
            SHIAN_TRY(ExecuteScript("PRAGMA cache_size=-" + std::to_string(cache_kib_)));
        }
        return st;
    }

    // Remembers whether the last operation failed with kUnavailable (for Healthy()).
    template <typename R>
    R Note(R result) {
        unavailable_ = !result.ok() && result.error().code == ErrorCode::kUnavailable;
        return result;
    }

    Status RunScript(std::string_view sql) {
        const char* next = sql.data();
        const char* end = sql.data() + sql.size();
        while (next < end) {
            sqlite3_stmt* stmt = nullptr;
            const char* tail = nullptr;
            int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &stmt, &tail);
            if (rc != SQLITE_OK || tail == nullptr || tail < next || tail > end) tail = end;
            std::string_view statement(next, tail - next);
            statement.remove_prefix(
                std::min(statement.find_first_not_of(" \t\r\n"), statement.size()));
            if (rc != SQLITE_OK) return SqliteError(db_, rc, statement);
            next = tail;
            if (stmt == nullptr) continue;  // whitespace or a comment
            while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            }
            if (rc != SQLITE_DONE) {
                Error error = SqliteError(db_, rc, statement);
                sqlite3_finalize(stmt);
                return error;
            }
            sqlite3_finalize(stmt);
        }
        return Ok();
    }

    Result<Rows> RunQuery(std::string_view sql, const std::vector<Value>& params) {
        SHIAN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
        std::vector<std::string> columns;
        int ncol = sqlite3_column_count(stmt);
        columns.reserve(ncol);
        for (int i = 0; i < ncol; ++i) columns.emplace_back(sqlite3_column_name(stmt, i));
        std::vector<std::vector<Value>> rows;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            std::vector<Value>& row = rows.emplace_back();
            row.reserve(ncol);
            for (int i = 0; i < ncol; ++i) {
                switch (sqlite3_column_type(stmt, i)) {
                    case SQLITE_INTEGER: row.emplace_back(int64_t{sqlite3_column_int64(stmt, i)}); break;
                    case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(stmt, i)); break;
                    case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
                    default: {
                        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
                        row.emplace_back(std::string(text, sqlite3_column_bytes(stmt, i)));
                    }
                }
            }
        }
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);  // text was bound without a copy (see Prepare)
        if (rc != SQLITE_DONE) return SqliteError(db_, rc, sql);
        return Rows(std::move(columns), std::move(rows));
    }

    Result<int64_t> RunExecute(std::string_view sql, const std::vector<Value>& params) {
        SHIAN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        }
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);  // text was bound without a copy (see Prepare)
        if (rc != SQLITE_DONE) return SqliteError(db_, rc, sql);
        return int64_t{sqlite3_changes64(db_)};
    }

private:
    // A prepared statement and, for each $n, its SQLite parameter index (0: not used; the
    // index is n itself once written ?n, but a statement need not use every n).
    struct Prepared {
        sqlite3_stmt* stmt = nullptr;
        std::vector<int> index_of;
    };

    Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& params) {
        std::string key(sql);
        Prepared* prepared = nullptr;
        if (auto it = cache_.find(key); it != cache_.end()) {
            prepared = &it->second;
        } else {
            sqlite3_stmt* stmt = nullptr;
            std::string text = NumberedParameters(key);
            int rc = sqlite3_prepare_v3(db_, text.data(), static_cast<int>(text.size()),
                                        SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
            if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
            if (cache_.size() >= kStatementCacheLimit) {
                for (auto& [s, old] : cache_) sqlite3_finalize(old.stmt);
                cache_.clear();
            }
            Prepared p{stmt, {}};
            for (int i = 1, n = sqlite3_bind_parameter_count(stmt); i <= n; ++i) {
                const char* name = sqlite3_bind_parameter_name(stmt, i);
                if (name == nullptr || (name[0] != '?' && name[0] != '$')) continue;
                size_t number = std::strtoul(name + 1, nullptr, 10);
                if (number == 0) continue;
                if (p.index_of.size() < number) p.index_of.resize(number, 0);
                p.index_of[number - 1] = i;
            }
            prepared = &cache_.emplace(std::move(key), std::move(p)).first->second;
        }
        sqlite3_stmt* stmt = prepared->stmt;
        size_t bound = std::min(params.size(), prepared->index_of.size());
        for (size_t i = 0; i < bound; ++i) {
            int index = prepared->index_of[i];
            if (index == 0) continue;  // parameter not used by this statement
            const Value& v = params[i];
            int rc = SQLITE_OK;
            if (const auto* n = std::get_if<int64_t>(&v)) {
                rc = sqlite3_bind_int64(stmt, index, *n);
            } else if (const auto* d = std::get_if<double>(&v)) {
                rc = sqlite3_bind_double(stmt, index, *d);
            } else if (const auto* s = std::get_if<std::string>(&v)) {
                // SQLITE_STATIC: `params` outlives the statement's run, after which
                // RunQuery/RunExecute clear the bindings.
                rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
            } else {
                rc = sqlite3_bind_null(stmt, index);
            }
            if (rc != SQLITE_OK) {
                Error error = SqliteError(db_, rc, sql);
                sqlite3_clear_bindings(stmt);
                return error;
            }
        }
        return stmt;
    }

    sqlite3* db_;
    const int64_t cache_kib_;
    std::unordered_map<std::string, Prepared> cache_;
    bool unavailable_ = false;
    bool bulk_ = false;  // the cache is kBulkCacheKib until the transaction ends
};

class SqliteDatabase final : public Database {
public:
    SqliteDatabase(std::string path, int64_t cache_kib) : path_(std::move(path)), cache_kib_(cache_kib) {}
    Dialect dialect() const override { return Dialect::kSqlite; }
    std::string Describe() const override { return "sqlite:" + path_; }

    Result<std::unique_ptr<Connection>> Connect() override {
        sqlite3* db = nullptr;
        int rc = sqlite3_open_v2(path_.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
            sqlite3_close_v2(db);
            return Error{ErrorCode::kUnavailable, "无法打开数据库 " + path_ + "：" + msg, "db"};
        }
        sqlite3_busy_timeout(db, kBusyTimeoutMs);
        rc = sqlite3_create_function_v2(db, "shian_fts_document", 6,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                        FtsDocumentFunction, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = sqlite3_errmsg(db);
            sqlite3_close_v2(db);
            return Error::Internal("无法注册数据库函数：" + msg);
        }
        int64_t cache_kib = std::max<int64_t>(cache_kib_, 64);
        auto conn = std::make_unique<SqliteConnection>(db, cache_kib);
        SHIAN_TRY(conn->ExecuteScript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=0; PRAGMA cache_size=-" +
            std::to_string(cache_kib)));
        return std::unique_ptr<Connection>(std::move(conn));
    }

private:
    std::string path_;
    int64_t cache_kib_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int64_t cache_kib) {
    return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(path, cache_kib));
}

}  // namespace shian::storage
