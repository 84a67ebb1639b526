// PostgresDatabase and PostgresConnection: storage::Database / Connection over libpq.
#include "shian/storage/postgres/postgres_database.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace shian::storage {
namespace {

// Type OIDs from pg_type.dat; stable across PostgreSQL versions.
constexpr Oid kUnknownOid = 0;
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// The wire protocol counts bind parameters in 16 bits.
constexpr size_t kMaxParams = 65535;
// Beyond this many cached statements (only dynamic SQL gets there) the cache starts over.
constexpr size_t kMaxCachedStatements = 512;

struct PgResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

std::string Trimmed(const char* text) {
    std::string out = text != nullptr ? text : "";
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

std::string Field(const PGresult* result, int field) {
    const char* value = PQresultErrorField(result, field);
    return value != nullptr ? value : "";
}

std::string Parenthesized(const std::string& detail) {
    return detail.empty() ? "" : "（" + detail + "）";
}

// "Key (name)=(x) already exists." -> "name"; empty for multi-column keys or other text.
std::string KeyColumn(const std::string& detail) {
    static constexpr std::string_view kPrefix = "Key (";
    if (detail.rfind(kPrefix, 0) != 0) return "";
    size_t end = detail.find(")=", kPrefix.size());
    if (end == std::string::npos) return "";
    std::string column = detail.substr(kPrefix.size(), end - kPrefix.size());
    if (column.find_first_of(", (") != std::string::npos) return "";
    return column;
}

Error Unavailable(std::string message) {
    return Error{ErrorCode::kUnavailable, std::move(message), {}};
}

// Turns a failed command's result (or its absence) into an Error.
Error ErrorFromResult(const PGresult* result, PGconn* conn) {
    if (PQstatus(conn) != CONNECTION_OK) {
        return Unavailable("数据库连接已断开：" + Trimmed(PQerrorMessage(conn)));
    }
    if (result == nullptr) return Error::Internal("数据库错误：" + Trimmed(PQerrorMessage(conn)));

    std::string state = Field(result, PG_DIAG_SQLSTATE);
    std::string primary = Field(result, PG_DIAG_MESSAGE_PRIMARY);
    if (primary.empty()) primary = Trimmed(PQresultErrorMessage(result));
    std::string constraint = Field(result, PG_DIAG_CONSTRAINT_NAME);
    std::string detail = Field(result, PG_DIAG_MESSAGE_DETAIL);

    if (state == "23505") {
        return Error::Conflict("记录已存在" + Parenthesized(constraint), KeyColumn(detail));
    }
    if (state == "23503") {
        bool referenced = detail.find("still referenced") != std::string::npos;
        if (referenced) {
            return Error::Invalid("", "记录仍被其他数据引用" + Parenthesized(constraint));
        }
        return Error::Invalid(KeyColumn(detail), "关联的记录不存在" + Parenthesized(constraint));
    }
    if (state == "23514") {
        return Error::Invalid("", "数据不符合约束条件" + Parenthesized(constraint));
    }
    if (state == "23502") {
        std::string column = Field(result, PG_DIAG_COLUMN_NAME);
        return Error::Invalid(column, "缺少必填字段" + Parenthesized(column));
    }
    if (state == "40001" || state == "40P01") {
        return Unavailable("数据库繁忙（并发冲突），请重试");
    }
    if (state == "57014") return Unavailable("数据库查询超时或被取消");
    // Class 08 is connection trouble, except 08P01 (protocol violation: a caller bug such as
    // too few parameters).
    bool connection_lost = state.rfind("08", 0) == 0 && state != "08P01";
    if (connection_lost || state.rfind("53", 0) == 0 || state == "57P01" || state == "57P02" ||
        state == "57P03") {
        return Unavailable("数据库暂不可用：" + primary);
    }
    return Error::Internal("数据库错误：" + primary + (state.empty() ? "" : " [" + state + "]"));
}

bool Succeeded(const PGresult* result) {
    if (result == nullptr) return false;
    ExecStatusType status = PQresultStatus(result);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

std::string FormatInt(int64_t value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

std::string FormatDouble(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

Value CellValue(const PGresult* result, int row, int col) {
    if (PQgetisnull(result, row, col)) return std::monostate{};
    const char* text = PQgetvalue(result, row, col);
    const char* end = text + PQgetlength(result, row, col);
    switch (PQftype(result, col)) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid: {
            int64_t value = 0;
            auto [ptr, ec] = std::from_chars(text, end, value);
            if (ec == std::errc() && ptr == end) return value;
            break;
        }
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid: {
            double value = 0;
            auto [ptr, ec] = std::from_chars(text, end, value);
            if (ec == std::errc() && ptr == end) return value;
            if (ec == std::errc::result_out_of_range) return std::strtod(text, nullptr);
            break;
        }
        case kBoolOid:
            return int64_t{text[0] == 't' ? 1 : 0};
        default:
            break;
    }
    return std::string(text, end);
}

Rows ToRows(const PGresult* result) {
    int columns = PQnfields(result);
    int rows = PQntuples(result);
    std::vector<std::string> names;
    names.reserve(columns);
    for (int c = 0; c < columns; ++c) names.emplace_back(PQfname(result, c));
    std::vector<std::vector<Value>> cells(rows);
    for (int r = 0; r < rows; ++r) {
        cells[r].reserve(columns);
        for (int c = 0; c < columns; ++c) cells[r].push_back(CellValue(result, r, c));
    }
    return Rows(std::move(names), std::move(cells));
}

// Drops NOTICE/INFO chatter (e.g. "table does not exist, skipping"); WARNINGs go to stderr.
void OnNotice(void* /*unused*/, const PGresult* result) {
    const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (severity == nullptr || std::strcmp(severity, "WARNING") != 0) return;
    std::fprintf(stderr, "postgres: %s", PQresultErrorMessage(result));
}

class PostgresConnection final : public Connection {
public:
    explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
    ~PostgresConnection() override { PQfinish(conn_); }
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    Dialect dialect() const override { return Dialect::kPostgres; }

    Status ExecuteScript(std::string_view sql) override {
        return Note([&]() -> Status {
            SHIAN_TRY(Simple(std::string(sql)));
            return Ok();
        }());
    }

    Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
        return Note([&]() -> Result<Rows> {
            SHIAN_ASSIGN_OR_RETURN(PgResult result, RunPrepared(sql, params));
            return ToRows(result.get());
        }());
    }

    Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) override {
        return Note([&]() -> Result<int64_t> {
            SHIAN_ASSIGN_OR_RETURN(PgResult result, RunPrepared(sql, params));
            const char* tuples = PQcmdTuples(result.get());
            int64_t count = 0;
            std::from_chars(tuples, tuples + std::strlen(tuples), count);
            return count;
        }());
    }

    Status Begin() override { return Note(DoBegin()); }
    Status Commit() override { return Note(DoCommit()); }
    Status Rollback() override { return Note(DoRollback()); }

    bool Healthy() const override {
        return !unavailable_ && PQstatus(conn_) == CONNECTION_OK &&
               PQtransactionStatus(conn_) == PQTRANS_IDLE;
    }

private:
    // Remembers whether the last operation failed with kUnavailable (for Healthy()).
    template <typename R>
    R Note(R result) {
        unavailable_ = !result.ok() && result.error().code == ErrorCode::kUnavailable;
        return result;
    }

    Status DoBegin() {
        SHIAN_TRY(EnsureConnected());
        if (PQtransactionStatus(conn_) != PQTRANS_IDLE) {
            return Error::Internal("事务已在进行中，不能重复开始");
        }
        SHIAN_TRY(Simple("BEGIN"));
        return Ok();
    }

    Status DoCommit() {
        SHIAN_TRY(EnsureConnected());
        if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
            return Error::Internal("没有进行中的事务，无法提交");
        }
        SHIAN_ASSIGN_OR_RETURN(PgResult result, Simple("COMMIT"));
        // COMMIT of a transaction aborted by an earlier error reports success but rolls back.
        if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
            return Error::Internal("事务因先前的错误已回滚，未能提交");
        }
        return Ok();
    }

    Status DoRollback() {
        if (PQstatus(conn_) != CONNECTION_OK) {
            // The server has already discarded the transaction with the session.
            in_transaction_ = false;
            return Ok();
        }
        if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Ok();
        SHIAN_TRY(Simple("ROLLBACK"));
        return Ok();
    }

    // Reconnects a broken session once, unless a transaction was open on it: then the
    // caller must learn that its transaction is gone (Rollback() clears the state).
    Status EnsureConnected() {
        if (PQstatus(conn_) == CONNECTION_OK) return Ok();
        if (in_transaction_) return Unavailable("数据库连接已断开，当前事务已中止");
        PQreset(conn_);
        statements_.clear();
        if (PQstatus(conn_) != CONNECTION_OK) {
            return Unavailable("无法重新连接数据库：" + Trimmed(PQerrorMessage(conn_)));
        }
        return Ok();
    }

    // Remembers whether a transaction is open while the server can still tell us.
    void NoteTransactionState() {
        PGTransactionStatusType status = PQtransactionStatus(conn_);
        if (status == PQTRANS_IDLE) in_transaction_ = false;
        if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR) in_transaction_ = true;
    }

    Result<PgResult> Finish(PGresult* raw) {
        PgResult result(raw);
        NoteTransactionState();
        if (!Succeeded(result.get())) return ErrorFromResult(result.get(), conn_);
        return result;
    }

    Result<PgResult> Simple(const std::string& sql) {
        SHIAN_TRY(EnsureConnected());
        return Finish(PQexec(conn_, sql.c_str()));
    }

    Result<PgResult> RunPrepared(std::string_view sql, const std::vector<Value>& params) {
        if (params.size() > kMaxParams) {
            return Error::Internal("SQL 参数过多（最多 65535 个）");
        }
        SHIAN_TRY(EnsureConnected());

        std::vector<Oid> types(params.size(), kUnknownOid);
        std::vector<std::string> texts(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (size_t i = 0; i < params.size(); ++i) {
            const Value& param = params[i];
            if (const auto* number = std::get_if<int64_t>(&param)) {
                types[i] = kInt8Oid;
                texts[i] = FormatInt(*number);
            } else if (const auto* real = std::get_if<double>(&param)) {
                types[i] = kFloat8Oid;
                texts[i] = FormatDouble(*real);
            } else if (const auto* text = std::get_if<std::string>(&param)) {
                texts[i] = *text;
            }
        }
        for (size_t i = 0; i < params.size(); ++i) {
            if (!std::holds_alternative<std::monostate>(params[i])) values[i] = texts[i].c_str();
        }

        SHIAN_ASSIGN_OR_RETURN(std::string name, Prepare(sql, types));
        return Finish(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                     values.data(), nullptr, nullptr, 0));
    }

    // The server-side statement for sql with these parameter types, prepared on first use.
    // Types are part of the key: a statement prepared for int8 cannot take "2.5" later.
    Result<std::string> Prepare(std::string_view sql, const std::vector<Oid>& types) {
        std::string key(sql);
        key.push_back('\0');
        for (Oid type : types) key += FormatInt(type) + ",";
        if (auto it = statements_.find(key); it != statements_.end()) return it->second;

        if (statements_.size() >= kMaxCachedStatements &&
            PQtransactionStatus(conn_) != PQTRANS_INERROR) {
            SHIAN_TRY(Simple("DEALLOCATE ALL"));
            statements_.clear();
        }
        std::string name = "shian_" + FormatInt(++statement_counter_);
        std::string text(sql);
        SHIAN_ASSIGN_OR_RETURN(PgResult prepared,
                               Finish(PQprepare(conn_, name.c_str(), text.c_str(),
                                                static_cast<int>(types.size()), types.data())));
        statements_.emplace(std::move(key), name);
        return name;
    }

    PGconn* conn_;
    std::unordered_map<std::string, std::string> statements_;
    int64_t statement_counter_ = 0;
    bool in_transaction_ = false;
    bool unavailable_ = false;
};

class PostgresDatabase final : public Database {
public:
    explicit PostgresDatabase(std::string uri)
        : uri_(std::move(uri)), description_(MaskPostgresPassword(uri_)) {}

    Dialect dialect() const override { return Dialect::kPostgres; }

    Result<std::unique_ptr<Connection>> Connect() override {
        // Later entries override what the URI (expanded from "dbname") says.
        const char* const keys[] = {"connect_timeout", "fallback_application_name", "dbname",
                                    "client_encoding", nullptr};
        const char* const values[] = {"10", "shian", uri_.c_str(), "UTF8", nullptr};
        PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
        if (conn == nullptr) return Unavailable("无法连接数据库 " + description_ + "：内存不足");
        if (PQstatus(conn) != CONNECTION_OK) {
            std::string message = Trimmed(PQerrorMessage(conn));
            PQfinish(conn);
            return Unavailable("无法连接数据库 " + description_ + "：" + message);
        }
        PQsetNoticeReceiver(conn, OnNotice, nullptr);
        return std::unique_ptr<Connection>(std::make_unique<PostgresConnection>(conn));
    }

    std::string Describe() const override { return description_; }

private:
    const std::string uri_;
    const std::string description_;
};

}  // namespace

std::string MaskPostgresPassword(const std::string& uri) {
    static constexpr std::string_view kMask = "***";
    std::string out = uri;
    size_t scheme = out.find("://");
    if (scheme == std::string::npos) {
        // Keyword form: password=secret or password='se cret'.
        static const std::regex kPassword(R"((^|\s)password\s*=\s*('([^'\\]|\\.)*'|\S*))");
        return std::regex_replace(out, kPassword, "$1password=***");
    }
    size_t authority = scheme + 3;
    size_t authority_end = out.find_first_of("/?", authority);
    if (authority_end == std::string::npos) authority_end = out.size();
    size_t at = out.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
    if (at != std::string::npos && at >= authority) {
        size_t colon = out.find(':', authority);
        if (colon != std::string::npos && colon < at) {
            out.replace(colon + 1, at - colon - 1, kMask);
        }
    }
    size_t query = out.find('?');
    while (query != std::string::npos) {
        size_t start = query + 1;
        size_t end = out.find('&', start);
        if (end == std::string::npos) end = out.size();
        static constexpr std::string_view kKey = "password=";
        if (out.compare(start, kKey.size(), kKey) == 0) {
            out.replace(start + kKey.size(), end - start - kKey.size(), kMask);
            end = start + kKey.size() + kMask.size();
        }
        query = end < out.size() ? end : std::string::npos;
    }
    return out;
}

Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& uri) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
    if (options == nullptr) {
        std::string message = error != nullptr ? Trimmed(error) : "内存不足";
        PQfreemem(error);
        // libpq may quote the offending part, which could be the password.
        if (MaskPostgresPassword(uri) != uri) message = "格式错误";
        return Error::Invalid("db", "PostgreSQL 连接地址无效：" + message);
    }
    PQconninfoFree(options);
    return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(uri));
}

}  // namespace shian::storage
