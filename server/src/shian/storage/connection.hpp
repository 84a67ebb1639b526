// Connection: the one SQL seam between repositories and a database engine.
//
// SQL text uses PostgreSQL-style numbered placeholders ($1, $2, ...) on both engines
// (SQLite binds them by name). Repositories write portable SQL and consult dialect() only
// where the engines truly differ (full-text search, upsert details).
// Thread-safety: a Connection is used by one thread at a time; Database hands them out.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "shian/core/error.hpp"

namespace shian::storage {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a result cell. NULL is std::monostate.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// A fully materialised result: rows of cells in column order.
class Rows {
public:
    Rows() = default;
    Rows(std::vector<std::string> columns, std::vector<std::vector<Value>> rows)
        : columns_(std::move(columns)), rows_(std::move(rows)) {}

    size_t size() const { return rows_.size(); }
    bool empty() const { return rows_.empty(); }
    const std::vector<std::string>& columns() const { return columns_; }

    bool IsNull(size_t row, size_t col) const {
        return std::holds_alternative<std::monostate>(rows_[row][col]);
    }
    // Conversions are lenient: PostgreSQL returns text for everything, SQLite returns typed values.
    int64_t Int(size_t row, size_t col) const;
    double Double(size_t row, size_t col) const;
    std::string Text(size_t row, size_t col) const;
    // Text(row, col), moved out of the cell when it holds text (which is then left empty): for
    // reading each cell of a row once into an object — a page of businesses is ~340 strings.
    std::string TakeText(size_t row, size_t col);
    std::optional<double> OptDouble(size_t row, size_t col) const {
        if (IsNull(row, col)) return std::nullopt;
        return Double(row, col);
    }

    std::vector<std::vector<Value>>& raw() { return rows_; }

private:
    std::vector<std::string> columns_;
    std::vector<std::vector<Value>> rows_;
};

class Connection {
public:
    virtual ~Connection() = default;

    virtual Dialect dialect() const = 0;

    // Runs one or more statements without parameters (migrations, pragmas).
    virtual Status ExecuteScript(std::string_view sql) = 0;

    // Runs one statement with parameters and returns all its rows (empty for DML without
    // RETURNING). Unique-key violations come back as ErrorCode::kConflict.
    virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;

    // Runs one DML statement and returns the number of rows it changed.
    virtual Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;

    // As Execute, for a write that may be skipped: when another transaction holds the write
    // lock it needs, kUnavailable at once instead of waiting (the connection stays healthy).
    // SQLite: no busy wait (an import holds the database's write lock for seconds).
    // PostgreSQL: as Execute — writers lock rows there, not the database.
    virtual Result<int64_t> TryExecute(std::string_view sql, const std::vector<Value>& params = {}) {
        return Execute(sql, params);
    }

    virtual Status Begin() = 0;
    virtual Status Commit() = 0;
    virtual Status Rollback() = 0;
    // Begins a transaction that will write many rows (an import); the engine may give it more
    // memory until it ends.
    virtual Status BeginBulk() { return Begin(); }

    // False when the connection must not be reused (ConnectionPool drops it): a transaction
    // is still open, or its last operation failed with kUnavailable.
    virtual bool Healthy() const = 0;
};

// Opens connections to one database. Safe to call from several threads.
class Database {
public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;
    virtual Result<std::unique_ptr<Connection>> Connect() = 0;
    // Human-readable target without secrets, e.g. "sqlite:./shian.db".
    virtual std::string Describe() const = 0;
};

struct DatabaseOptions {
    // SQLite page cache per connection. The server keeps it small (it holds one connection per
    // thread, and the OS caches the file); one-shot commands that write much (import,
    // bench-data) take a large one, so a long transaction does not spill pages to the WAL.
    int64_t sqlite_cache_kib = 4096;
};

// Opens "sqlite:PATH" (or a bare path) or a "postgresql://" / "postgres://" URI.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, const DatabaseOptions& options = {});

namespace internal {
template <typename Tx, typename Fn>
auto RunInTransaction(Tx& tx, Status begun, Fn&& fn) -> decltype(fn()) {
    if (!begun.ok()) return begun.error();
    auto result = fn();
    if (result.ok()) {
        if (auto st = tx.Commit(); !st.ok()) {
            (void)tx.Rollback();
            return st.error();
        }
    } else {
        (void)tx.Rollback();
    }
    return result;
}
}  // namespace internal

// Runs fn inside a transaction of `tx` (a Connection or a Store: anything with Begin, Commit
// and Rollback); commits when fn returns ok, rolls back otherwise.
template <typename Tx, typename Fn>
auto InTransaction(Tx& tx, Fn&& fn) -> decltype(fn()) {
    return internal::RunInTransaction(tx, tx.Begin(), std::forward<Fn>(fn));
}

// The same for a transaction that writes many rows (BeginBulk).
template <typename Tx, typename Fn>
auto InBulkTransaction(Tx& tx, Fn&& fn) -> decltype(fn()) {
    return internal::RunInTransaction(tx, tx.BeginBulk(), std::forward<Fn>(fn));
}

}  // namespace shian::storage
