// Contract tests of storage::Connection, ConnectionPool and Migrate: the same suite must pass
// on SQLite and PostgreSQL.
//
// Run once with SHIAN_TEST_DB=sqlite and once with SHIAN_TEST_DB=postgres under
// scripts/with-postgres.sh (which sets SHIAN_TEST_PG_URL). Each test gets a fresh database.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "shian/core/result_matchers.hpp"
#include "shian/core/error.hpp"
#include "shian/storage/connection.hpp"
#include "shian/storage/connection_pool.hpp"
#include "shian/storage/migrations/migrations.hpp"
#include "shian/storage/postgres/postgres_database.hpp"
#include "shian/storage/test_database.hpp"

namespace shian::storage {
namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, amount DOUBLE PRECISION)";
constexpr const char* kInsert = "INSERT INTO t (id, name, amount) VALUES ($1, $2, $3)";

class ConnectionContractTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = OpenTestDatabase();
        ASSERT_TRUE(IsOk(db)) << "OpenTestDatabase";
        db_ = std::move(db).value();
        conn_ = Connect();
        ASSERT_NE(conn_, nullptr);
        ASSERT_TRUE(IsOk(conn_->ExecuteScript(kCreateTable)));
    }

    std::unique_ptr<Connection> Connect() {
        auto conn = db_->Connect();
        EXPECT_TRUE(IsOk(conn)) << db_->Describe();
        return conn.ok() ? std::move(conn).value() : nullptr;
    }

    bool IsPostgres() const { return db_->dialect() == Dialect::kPostgres; }

    void Insert(int64_t id, Value name, Value amount) {
        auto changed = conn_->Execute(kInsert, {id, std::move(name), std::move(amount)});
        ASSERT_TRUE(IsOk(changed));
        EXPECT_EQ(*changed, 1);
    }

    int64_t Count(Connection& conn, const std::string& table = "t") {
        auto rows = conn.Query("SELECT COUNT(*) FROM " + table);
        EXPECT_TRUE(IsOk(rows));
        if (!rows.ok() || rows->size() != 1) return -1;
        return rows->Int(0, 0);
    }
    int64_t Count() { return Count(*conn_); }

    // Declared in destruction order: connections close before the database is dropped.
    std::unique_ptr<Database> db_;
    std::unique_ptr<Connection> conn_;
};

TEST_F(ConnectionContractTest, DialectMatchesEngine) {
    auto expected = TestDialect();
    ASSERT_TRUE(IsOk(expected));
    EXPECT_EQ(db_->dialect(), *expected);
    EXPECT_EQ(conn_->dialect(), *expected);
    EXPECT_FALSE(db_->Describe().empty());
}

TEST_F(ConnectionContractTest, NumberedPlaceholdersInAnyOrderAndRepeated) {
    Insert(1, std::string("a"), 1.5);
    // Placeholders need not appear in order.
    auto changed = conn_->Execute("INSERT INTO t (name, amount, id) VALUES ($2, $3, $1)",
                                  {int64_t{2}, std::string("b"), 2.5});
    ASSERT_TRUE(IsOk(changed));

    auto rows = conn_->Query("SELECT id, name FROM t WHERE id = $1 OR id = $1 + 1 ORDER BY id",
                             {int64_t{1}});
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ(rows->Int(0, 0), 1);
    EXPECT_EQ(rows->Text(1, 1), "b");

    rows = conn_->Query("SELECT id FROM t WHERE name = $1 OR name = $1 || 'x' OR id = $2",
                        {std::string("b"), int64_t{-7}});
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->Int(0, 0), 2);

    // $10 and $11 must not be read as $1 followed by a digit.
    std::vector<Value> params;
    for (int64_t i = 1; i <= 11; ++i) params.emplace_back(i * 100);
    rows = conn_->Query("SELECT $11 - $1 AS diff, $10 AS ten, $1 AS one", params);
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->Int(0, 0), 1000);
    EXPECT_EQ(rows->Int(0, 1), 1000);
    EXPECT_EQ(rows->Int(0, 2), 100);
}

TEST_F(ConnectionContractTest, PlaceholderTextInsideQuotesAndCommentsIsLeftAlone) {
    auto rows = conn_->Query("SELECT '$1' || $1 AS a, 'it''s $2' AS \"$1 b\" -- not $2\n, $2 AS c",
                             {std::string("x"), int64_t{7}});
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->Text(0, 0), "$1x");
    EXPECT_EQ(rows->Text(0, 1), "it's $2");
    EXPECT_EQ(rows->columns()[1], "$1 b");
    EXPECT_EQ(rows->Int(0, 2), 7);
}

TEST_F(ConnectionContractTest, SameSqlWithDifferentParameterTypes) {
    Insert(1, std::string("int"), int64_t{5});
    Insert(2, std::string("double"), 2.5);
    Insert(3, std::monostate{}, std::monostate{});
    Insert(4, std::string("int again"), int64_t{-3});

    auto rows = conn_->Query("SELECT amount FROM t ORDER BY id");
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 4u);
    EXPECT_DOUBLE_EQ(rows->Double(0, 0), 5.0);
    EXPECT_DOUBLE_EQ(rows->Double(1, 0), 2.5);
    EXPECT_TRUE(rows->IsNull(2, 0));
    EXPECT_DOUBLE_EQ(rows->Double(3, 0), -3.0);
}

TEST_F(ConnectionContractTest, NullRoundTrip) {
    Insert(1, std::monostate{}, std::monostate{});
    Insert(2, std::string(""), 0.0);

    auto rows = conn_->Query("SELECT name, amount FROM t ORDER BY id");
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_TRUE(rows->IsNull(0, 0));
    EXPECT_TRUE(rows->IsNull(0, 1));
    EXPECT_EQ(rows->OptDouble(0, 1), std::nullopt);
    // An empty string is not NULL.
    EXPECT_FALSE(rows->IsNull(1, 0));
    EXPECT_EQ(rows->Text(1, 0), "");
    EXPECT_EQ(rows->OptDouble(1, 1), 0.0);

    rows = conn_->Query("SELECT id FROM t WHERE name IS NULL");
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->Int(0, 0), 1);

    // Comparing with a NULL parameter matches nothing (SQL semantics, not "IS NULL").
    rows = conn_->Query("SELECT id FROM t WHERE name = $1", {std::monostate{}});
    ASSERT_TRUE(IsOk(rows));
    EXPECT_TRUE(rows->empty());

    // Overwriting with NULL through a parameter.
    auto changed =
        conn_->Execute("UPDATE t SET name = $1 WHERE id = $2", {std::monostate{}, int64_t{2}});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 1);
    EXPECT_EQ(Count(*conn_, "t WHERE name IS NULL"), 2);
}

TEST_F(ConnectionContractTest, Int64Extremes) {
    const std::vector<int64_t> values = {std::numeric_limits<int64_t>::min(),
                                         std::numeric_limits<int64_t>::max(), 0, -1,
                                         (int64_t{1} << 53) + 1};
    for (int64_t v : values) Insert(v, std::string("x"), std::monostate{});

    auto rows = conn_->Query("SELECT id FROM t ORDER BY id");
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), values.size());
    EXPECT_EQ(rows->Int(0, 0), std::numeric_limits<int64_t>::min());
    EXPECT_EQ(rows->Int(1, 0), -1);
    EXPECT_EQ(rows->Int(2, 0), 0);
    EXPECT_EQ(rows->Int(3, 0), (int64_t{1} << 53) + 1);
    EXPECT_EQ(rows->Int(4, 0), std::numeric_limits<int64_t>::max());
    EXPECT_TRUE(std::holds_alternative<int64_t>(rows->raw()[0][0]));

    for (int64_t v : values) {
        rows = conn_->Query("SELECT id FROM t WHERE id = $1", {v});
        ASSERT_TRUE(IsOk(rows));
        ASSERT_EQ(rows->size(), 1u) << v;
        EXPECT_EQ(rows->Int(0, 0), v);
    }

    rows = conn_->Query("SELECT COUNT(*) AS n FROM t");
    ASSERT_TRUE(IsOk(rows));
    EXPECT_TRUE(std::holds_alternative<int64_t>(rows->raw()[0][0]));
    EXPECT_EQ(rows->Int(0, 0), 5);
}

TEST_F(ConnectionContractTest, DoublesRoundTripExactly) {
    const std::vector<double> values = {
        0.1, -2.5, 1e-300, 1.7976931348623157e308, 3.141592653589793, 123456789.12345679, 2.0};
    for (size_t i = 0; i < values.size(); ++i) {
        Insert(static_cast<int64_t>(i), std::string("d"), values[i]);
    }
    auto rows = conn_->Query("SELECT amount FROM t ORDER BY id");
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        EXPECT_TRUE(std::holds_alternative<double>(rows->raw()[i][0])) << i;
        EXPECT_EQ(rows->Double(i, 0), values[i]) << i;
    }

    rows = conn_->Query("SELECT id FROM t WHERE amount = $1", {0.1});
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->Int(0, 0), 0);

    // Aggregates over doubles and integers come back as doubles on both engines.
    rows = conn_->Query("SELECT SUM(amount), AVG(id) FROM t WHERE id < 3");
    ASSERT_TRUE(IsOk(rows));
    EXPECT_DOUBLE_EQ(rows->Double(0, 0), 0.1 - 2.5 + 1e-300);
    EXPECT_DOUBLE_EQ(rows->Double(0, 1), 1.0);
    EXPECT_TRUE(std::holds_alternative<double>(rows->raw()[0][1]));
}

TEST_F(ConnectionContractTest, ChineseTextRoundTrip) {
    const std::string text = "食品安全监管：餐饮服务许可证（第3号）🍜 “引号” & ASCII";
    Insert(1, text, std::monostate{});
    Insert(2, std::string("粮油店"), std::monostate{});

    auto rows = conn_->Query("SELECT name, LENGTH(name) FROM t WHERE name = $1", {text});
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->Text(0, 0), text);
    // LENGTH counts characters, not bytes, on both engines.
    EXPECT_EQ(rows->Int(0, 1), 33);

    rows = conn_->Query("SELECT id FROM t WHERE name LIKE $1", {std::string("食品安全%")});
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->Int(0, 0), 1);

    rows = conn_->Query("SELECT name || $1 FROM t WHERE id = 2", {std::string("（已注销）")});
    ASSERT_TRUE(IsOk(rows));
    EXPECT_EQ(rows->Text(0, 0), "粮油店（已注销）");
}

TEST_F(ConnectionContractTest, ReturningGeneratedId) {
    const char* create =
        IsPostgres()
            ? "CREATE TABLE items (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
              "name TEXT NOT NULL UNIQUE)"
            : "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, "
              "name TEXT NOT NULL UNIQUE)";
    ASSERT_TRUE(IsOk(conn_->ExecuteScript(create)));

    std::vector<int64_t> ids;
    for (const char* name : {"甲", "乙", "丙"}) {
        auto rows = conn_->Query("INSERT INTO items (name) VALUES ($1) RETURNING id, name",
                                 {std::string(name)});
        ASSERT_TRUE(IsOk(rows));
        ASSERT_EQ(rows->size(), 1u);
        ASSERT_EQ(rows->columns(), (std::vector<std::string>{"id", "name"}));
        EXPECT_TRUE(std::holds_alternative<int64_t>(rows->raw()[0][0]));
        EXPECT_EQ(rows->Text(0, 1), name);
        ids.push_back(rows->Int(0, 0));
    }
    EXPECT_GT(ids[0], 0);
    EXPECT_LT(ids[0], ids[1]);
    EXPECT_LT(ids[1], ids[2]);

    auto changed =
        conn_->Execute("INSERT INTO items (name) VALUES ($1) RETURNING id", {std::string("丁")});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 1);
    EXPECT_EQ(Count(*conn_, "items"), 4);
}

TEST_F(ConnectionContractTest, UniqueViolationIsConflict) {
    Insert(1, std::string("a"), 1.0);
    auto dup = conn_->Execute(kInsert, {int64_t{1}, std::string("b"), 2.0});
    EXPECT_TRUE(FailsWith(dup, ErrorCode::kConflict));

    ASSERT_TRUE(IsOk(conn_->ExecuteScript("CREATE UNIQUE INDEX t_name ON t (name)")));
    auto rows = conn_->Query("INSERT INTO t (id, name) VALUES ($1, $2) RETURNING id",
                             {int64_t{2}, std::string("a")});
    EXPECT_TRUE(FailsWith(rows, ErrorCode::kConflict));

    // The connection stays usable and nothing was written.
    EXPECT_EQ(Count(), 1);
    Insert(3, std::string("c"), 3.0);
    EXPECT_EQ(Count(), 2);
}

TEST_F(ConnectionContractTest, OtherConstraintViolationsAreInvalidArgument) {
    ASSERT_TRUE(IsOk(
        conn_->ExecuteScript("CREATE TABLE parent (id BIGINT PRIMARY KEY);"
                             "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL "
                             "REFERENCES parent (id), qty BIGINT CHECK (qty >= 0));"
                             "INSERT INTO parent (id) VALUES (1);")));
    const char* insert = "INSERT INTO child (id, parent_id, qty) VALUES ($1, $2, $3)";

    EXPECT_TRUE(FailsWith(conn_->Execute(insert, {int64_t{1}, int64_t{99}, int64_t{1}}),
                          ErrorCode::kInvalidArgument))
        << "foreign key";
    EXPECT_TRUE(FailsWith(conn_->Execute(insert, {int64_t{2}, int64_t{1}, int64_t{-1}}),
                          ErrorCode::kInvalidArgument))
        << "check";
    EXPECT_TRUE(FailsWith(conn_->Execute(insert, {int64_t{3}, std::monostate{}, int64_t{1}}),
                          ErrorCode::kInvalidArgument))
        << "not null";

    ASSERT_TRUE(IsOk(conn_->Execute(insert, {int64_t{4}, int64_t{1}, int64_t{1}})));
    EXPECT_TRUE(FailsWith(conn_->Execute("DELETE FROM parent WHERE id = $1", {int64_t{1}}),
                          ErrorCode::kInvalidArgument))
        << "still referenced";
    EXPECT_EQ(Count(*conn_, "child"), 1);
}

TEST_F(ConnectionContractTest, RollbackLeavesNothing) {
    ASSERT_TRUE(IsOk(conn_->Begin()));
    Insert(1, std::string("a"), 1.0);
    Insert(2, std::string("b"), 2.0);
    EXPECT_EQ(Count(), 2);

    // Uncommitted rows are invisible to another connection.
    auto other = Connect();
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(Count(*other), 0);

    ASSERT_TRUE(IsOk(conn_->Rollback()));
    EXPECT_EQ(Count(), 0);
    EXPECT_EQ(Count(*other), 0);
}

TEST_F(ConnectionContractTest, CommitIsVisibleToOtherConnections) {
    ASSERT_TRUE(IsOk(conn_->Begin()));
    Insert(1, std::string("a"), 1.0);
    ASSERT_TRUE(IsOk(conn_->Commit()));

    auto other = Connect();
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(Count(*other), 1);
}

TEST_F(ConnectionContractTest, BeginTwiceIsAnError) {
    ASSERT_TRUE(IsOk(conn_->Begin()));
    EXPECT_FALSE(conn_->Begin().ok());
    Insert(1, std::string("a"), 1.0);
    ASSERT_TRUE(IsOk(conn_->Rollback()));
    EXPECT_EQ(Count(), 0);
}

TEST_F(ConnectionContractTest, InTransactionCommitsOnSuccess) {
    Result<int64_t> result = InTransaction(*conn_, [&]() -> Result<int64_t> {
        SHIAN_TRY(conn_->Execute(kInsert, {int64_t{1}, std::string("a"), 1.0}));
        return conn_->Execute(kInsert, {int64_t{2}, std::string("b"), 2.0});
    });
    ASSERT_TRUE(IsOk(result));
    EXPECT_EQ(*result, 1);

    auto other = Connect();
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(Count(*other), 2);
}

TEST_F(ConnectionContractTest, InTransactionRollsBackOnError) {
    Status status = InTransaction(*conn_, [&]() -> Status {
        SHIAN_TRY(conn_->Execute(kInsert, {int64_t{1}, std::string("a"), 1.0}));
        return Error::Invalid("name", "名称不合法");
    });
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().field, "name");
    EXPECT_EQ(Count(), 0);

    // A database error inside the transaction (a duplicate key) rolls back earlier writes.
    Insert(5, std::string("e"), 5.0);
    status = InTransaction(*conn_, [&]() -> Status {
        SHIAN_TRY(conn_->Execute(kInsert, {int64_t{6}, std::string("f"), 6.0}));
        SHIAN_TRY(conn_->Execute(kInsert, {int64_t{5}, std::string("dup"), 0.0}));
        return Ok();
    });
    EXPECT_TRUE(FailsWith(status, ErrorCode::kConflict));
    EXPECT_EQ(Count(), 1);

    // The connection is usable for the next transaction.
    status = InTransaction(*conn_, [&]() -> Status {
        SHIAN_TRY(conn_->Execute(kInsert, {int64_t{7}, std::string("g"), 7.0}));
        return Ok();
    });
    EXPECT_TRUE(IsOk(status));
    EXPECT_EQ(Count(), 2);
}

TEST_F(ConnectionContractTest, ABulkTransactionCommitsAndRollsBackLikeAnyOther) {
    // SQLite gives a bulk transaction a larger page cache until it ends.
    auto cache_size = [&]() -> int64_t {
        auto rows = conn_->Query("PRAGMA cache_size");
        EXPECT_TRUE(IsOk(rows));
        return rows.ok() && rows->size() == 1 ? rows->Int(0, 0) : 0;
    };
    int64_t own = IsPostgres() ? 0 : cache_size();
    Status status = InBulkTransaction(*conn_, [&]() -> Status {
        if (!IsPostgres()) {
            EXPECT_LT(cache_size(), own) << "more KiB (a negative size is in KiB)";
        }
        SHIAN_TRY(conn_->Execute(kInsert, {int64_t{1}, std::string("a"), 1.0}));
        return Ok();
    });
    ASSERT_TRUE(IsOk(status));
    if (!IsPostgres()) {
        EXPECT_EQ(cache_size(), own);
    }
    auto other = Connect();
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(Count(*other), 1);

    status = InBulkTransaction(*conn_, [&]() -> Status {
        SHIAN_TRY(conn_->Execute(kInsert, {int64_t{2}, std::string("b"), 2.0}));
        return Error::Invalid("file", "导入文件有错误行");
    });
    EXPECT_TRUE(FailsWith(status, ErrorCode::kInvalidArgument));
    EXPECT_EQ(Count(*other), 1);
    if (!IsPostgres()) {
        EXPECT_EQ(cache_size(), own);
    }
    EXPECT_TRUE(conn_->Healthy());

    // A bulk transaction that cannot begin (one is open) leaves the open one as it was.
    ASSERT_TRUE(IsOk(conn_->Begin()));
    EXPECT_FALSE(conn_->BeginBulk().ok());
    if (!IsPostgres()) {
        EXPECT_EQ(cache_size(), own);
    }
    EXPECT_TRUE(IsOk(conn_->Rollback()));
}

TEST_F(ConnectionContractTest, TryExecuteDoesNotWaitForAnotherWriter) {
    Insert(1, std::string("a"), 1.0);
    constexpr const char* kUpdate = "UPDATE t SET amount = $1 WHERE id = $2";
    auto changed = conn_->TryExecute(kUpdate, {2.0, int64_t{1}});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 1);
    if (IsPostgres()) return;  // PostgreSQL writers lock rows, not the database

    auto other = Connect();
    ASSERT_NE(other, nullptr);
    ASSERT_TRUE(IsOk(other->Begin()));  // BEGIN IMMEDIATE: the database's write lock
    ASSERT_TRUE(IsOk(other->Execute(kUpdate, {3.0, int64_t{1}})));
    auto start = std::chrono::steady_clock::now();
    auto busy = conn_->TryExecute(kUpdate, {4.0, int64_t{1}});
    EXPECT_TRUE(FailsWith(busy, ErrorCode::kUnavailable));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10))
        << "no busy wait (Execute would wait up to 30 s)";
    EXPECT_TRUE(conn_->Healthy()) << "another writer's lock is no fault of this connection";
    ASSERT_TRUE(IsOk(other->Commit()));

    changed = conn_->TryExecute(kUpdate, {5.0, int64_t{1}});
    ASSERT_TRUE(IsOk(changed));
    auto rows = conn_->Query("SELECT amount FROM t WHERE id = 1");
    ASSERT_TRUE(IsOk(rows));
    EXPECT_EQ(rows->Double(0, 0), 5.0);
}

TEST_F(ConnectionContractTest, RowsAffectedCounts) {
    for (int64_t id = 1; id <= 5; ++id) Insert(id, std::string("n"), 1.0);

    auto changed = conn_->Execute("INSERT INTO t (id, name) VALUES ($1, $2), ($3, $2)",
                                  {int64_t{6}, std::string("m"), int64_t{7}});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 2);

    changed = conn_->Execute("UPDATE t SET amount = amount + $1 WHERE id <= $2", {1.5, int64_t{3}});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 3);

    // Rows that match count even when the new value equals the old one.
    changed = conn_->Execute("UPDATE t SET name = $1 WHERE id IN (4, 5)", {std::string("n")});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 2);

    changed =
        conn_->Execute("UPDATE t SET name = $1 WHERE id > $2", {std::string("x"), int64_t{100}});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 0);

    changed = conn_->Execute("DELETE FROM t WHERE id > $1", {int64_t{2}});
    ASSERT_TRUE(IsOk(changed));
    EXPECT_EQ(*changed, 5);
    EXPECT_EQ(Count(), 2);
}

TEST_F(ConnectionContractTest, ExecuteScriptRunsEveryStatement) {
    ASSERT_TRUE(IsOk(conn_->ExecuteScript(R"sql(
        -- a comment; with a semicolon
        CREATE TABLE s (id BIGINT PRIMARY KEY, note TEXT);
        INSERT INTO s (id, note) VALUES (1, 'a;b');
        INSERT INTO s (id, note) VALUES (2, '食品；安全');
        CREATE INDEX s_note ON s (note);
        UPDATE s SET note = note || '!' WHERE id = 1;
    )sql")));
    auto rows = conn_->Query("SELECT note FROM s ORDER BY id");
    ASSERT_TRUE(IsOk(rows));
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ(rows->Text(0, 0), "a;b!");
    EXPECT_EQ(rows->Text(1, 0), "食品；安全");

    EXPECT_TRUE(IsOk(conn_->ExecuteScript("")));
    EXPECT_FALSE(
        conn_->ExecuteScript("INSERT INTO s (id) VALUES (3); INSERT INTO nope VALUES (1);").ok());
    EXPECT_TRUE(FailsWith(conn_->ExecuteScript("INSERT INTO s (id, note) VALUES (1, 'dup');"),
                          ErrorCode::kConflict));
}

TEST_F(ConnectionContractTest, SyntaxErrorIsAnErrorNotACrash) {
    Insert(1, std::string("a"), 1.0);
    EXPECT_TRUE(FailsWith(conn_->Query("SELEC id FROM t"), ErrorCode::kInternal));
    EXPECT_TRUE(FailsWith(conn_->Execute("INSERT INTO missing_table VALUES ($1)", {int64_t{1}}),
                          ErrorCode::kInternal));
    EXPECT_TRUE(FailsWith(conn_->ExecuteScript("CREATE TABLE ("), ErrorCode::kInternal));
    EXPECT_EQ(Count(), 1);

    // An error inside a transaction: roll back, and the connection works again.
    ASSERT_TRUE(IsOk(conn_->Begin()));
    Insert(2, std::string("b"), 2.0);
    EXPECT_FALSE(conn_->Query("SELECT no_such_column FROM t").ok());
    ASSERT_TRUE(IsOk(conn_->Rollback()));
    EXPECT_EQ(Count(), 1);
    ASSERT_TRUE(IsOk(conn_->Begin()));
    Insert(3, std::string("c"), 3.0);
    ASSERT_TRUE(IsOk(conn_->Commit()));
    EXPECT_EQ(Count(), 2);
}

TEST_F(ConnectionContractTest, ResultColumnsAndEmptyResults) {
    auto rows = conn_->Query("SELECT id AS ident, name FROM t WHERE id < $1", {int64_t{0}});
    ASSERT_TRUE(IsOk(rows));
    EXPECT_TRUE(rows->empty());
    EXPECT_EQ(rows->columns(), (std::vector<std::string>{"ident", "name"}));

    Insert(1, std::string("a"), 1.0);
    // Comparisons read as integers 0/1 on both engines.
    rows = conn_->Query("SELECT COUNT(*) > 0 AS any_rows, COUNT(*) > 5 AS many FROM t");
    ASSERT_TRUE(IsOk(rows));
    EXPECT_EQ(rows->Int(0, 0), 1);
    EXPECT_EQ(rows->Int(0, 1), 0);
}

TEST_F(ConnectionContractTest, RepeatedQueriesReusePreparedStatements) {
    for (int64_t i = 0; i < 200; ++i) Insert(i, "名" + std::to_string(i), i * 0.5);
    for (int64_t i = 0; i < 200; ++i) {
        auto rows = conn_->Query("SELECT name, amount FROM t WHERE id = $1", {i});
        ASSERT_TRUE(IsOk(rows));
        ASSERT_EQ(rows->size(), 1u);
        EXPECT_EQ(rows->Text(0, 0), "名" + std::to_string(i));
        EXPECT_EQ(rows->Double(0, 1), i * 0.5);
    }
    EXPECT_EQ(Count(), 200);
    if (IsPostgres()) {
        auto rows = conn_->Query("SELECT COUNT(*) FROM pg_prepared_statements");
        ASSERT_TRUE(IsOk(rows));
        EXPECT_LE(rows->Int(0, 0), 5);
    }
}

TEST_F(ConnectionContractTest, ManyDistinctStatementsStayBounded) {
    constexpr int64_t kStatements = 700;
    for (int64_t i = 0; i < kStatements; ++i) {
        auto rows = conn_->Query("SELECT " + std::to_string(i) + " + $1 AS n", {int64_t{1}});
        ASSERT_TRUE(IsOk(rows));
        ASSERT_EQ(rows->Int(0, 0), i + 1);
    }
    if (IsPostgres()) {
        auto rows = conn_->Query("SELECT COUNT(*) FROM pg_prepared_statements");
        ASSERT_TRUE(IsOk(rows));
        EXPECT_LT(rows->Int(0, 0), kStatements);
    }
}

TEST_F(ConnectionContractTest, PostgresReconnectsAfterLostSession) {
    if (!IsPostgres()) GTEST_SKIP() << "PostgreSQL only: SQLite has no server session";
    auto admin = Connect();
    ASSERT_NE(admin, nullptr);
    auto pid = conn_->Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(IsOk(pid));
    auto terminate = [&] {
        auto killed = admin->Query("SELECT pg_terminate_backend($1::int, 5000)", {pid->Int(0, 0)});
        ASSERT_TRUE(IsOk(killed));
        ASSERT_EQ(killed->Int(0, 0), 1);
    };

    terminate();
    EXPECT_TRUE(FailsWith(conn_->Query("SELECT 1"), ErrorCode::kUnavailable));
    EXPECT_EQ(Count(), 0) << "the next use reconnects";

    // Losing the session inside a transaction is reported until Rollback().
    pid = conn_->Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(IsOk(pid));
    ASSERT_TRUE(IsOk(conn_->Begin()));
    Insert(1, std::string("a"), 1.0);
    terminate();
    EXPECT_TRUE(FailsWith(conn_->Query("SELECT 1"), ErrorCode::kUnavailable));
    EXPECT_TRUE(FailsWith(conn_->Query("SELECT 1"), ErrorCode::kUnavailable));
    EXPECT_TRUE(IsOk(conn_->Rollback()));
    EXPECT_EQ(Count(), 0);
    Insert(2, std::string("b"), 2.0);
    EXPECT_EQ(Count(), 1);
}

TEST_F(ConnectionContractTest, PostgresCommitAfterFailedStatementIsAnError) {
    if (!IsPostgres()) GTEST_SKIP() << "PostgreSQL only: SQLite keeps the transaction alive";
    ASSERT_TRUE(IsOk(conn_->Begin()));
    Insert(1, std::string("a"), 1.0);
    EXPECT_FALSE(conn_->Query("SELEC 1").ok());
    EXPECT_FALSE(conn_->Commit().ok());
    EXPECT_EQ(Count(), 0);
    EXPECT_TRUE(IsOk(conn_->Rollback()));
}

TEST_F(ConnectionContractTest, ScriptErrorNamesTheFailingStatement) {
    Status status = conn_->ExecuteScript(
        "INSERT INTO t (id) VALUES (1);\n  INSERT INTO no_such_table (id) VALUES (2);");
    ASSERT_TRUE(FailsWith(status, ErrorCode::kInternal));
    const std::string& message = status.error().message;
    EXPECT_NE(message.find("no_such_table"), std::string::npos) << message;
    if (!IsPostgres()) {
        // The engine's reason and the statement it refers to, not the reason twice.
        EXPECT_NE(message.find("no such table"), std::string::npos) << message;
        EXPECT_NE(message.find("语句：INSERT INTO no_such_table (id) VALUES (2)"),
                  std::string::npos)
            << message;
    }
}

TEST_F(ConnectionContractTest, HealthyOnlyOutsideTransactions) {
    EXPECT_TRUE(conn_->Healthy());
    ASSERT_TRUE(IsOk(conn_->Begin()));
    EXPECT_FALSE(conn_->Healthy());
    Insert(1, std::string("a"), 1.0);
    ASSERT_TRUE(IsOk(conn_->Commit()));
    EXPECT_TRUE(conn_->Healthy());

    // Ordinary errors leave the connection reusable.
    EXPECT_FALSE(conn_->Query("SELEC 1").ok());
    EXPECT_TRUE(conn_->Healthy());
    EXPECT_FALSE(conn_->Execute(kInsert, {int64_t{1}, std::string("dup"), 0.0}).ok());
    EXPECT_TRUE(conn_->Healthy());

    ASSERT_TRUE(IsOk(conn_->Begin()));
    EXPECT_FALSE(conn_->Query("SELECT no_such_column FROM t").ok());
    EXPECT_FALSE(conn_->Healthy());
    ASSERT_TRUE(IsOk(conn_->Rollback()));
    EXPECT_TRUE(conn_->Healthy());
}

TEST_F(ConnectionContractTest, UnavailableIsUnhealthyUntilNextSuccess) {
    auto other = Connect();
    ASSERT_NE(other, nullptr);
    if (IsPostgres()) {
        // The server ends the other connection's session.
        auto pid = other->Query("SELECT pg_backend_pid()");
        ASSERT_TRUE(IsOk(pid));
        ASSERT_TRUE(
            IsOk(conn_->Query("SELECT pg_terminate_backend($1::int, 5000)", {pid->Int(0, 0)})));
        EXPECT_TRUE(FailsWith(other->Query("SELECT 1"), ErrorCode::kUnavailable));
    } else {
        // Another writer holds the lock and the other connection does not wait for it.
        ASSERT_TRUE(IsOk(other->ExecuteScript("PRAGMA busy_timeout = 0")));
        ASSERT_TRUE(IsOk(conn_->Begin()));
        EXPECT_TRUE(FailsWith(other->Begin(), ErrorCode::kUnavailable));
        ASSERT_TRUE(IsOk(conn_->Rollback()));
    }
    EXPECT_FALSE(other->Healthy());
    EXPECT_EQ(Count(*other), 0) << "the next use works (PostgreSQL reconnects)";
    EXPECT_TRUE(other->Healthy());
}

TEST_F(ConnectionContractTest, PoolWaitsAtItsLimitOfOpenConnections) {
    using namespace std::chrono_literals;
    auto pool_db = OpenTestDatabase();
    ASSERT_TRUE(IsOk(pool_db));
    ConnectionPool pool(std::move(pool_db).value(), /*max_idle=*/1, /*max_open=*/2, /*max_wait=*/200ms);
    auto a = pool.Acquire();
    auto b = pool.Acquire();
    ASSERT_TRUE(IsOk(a));
    ASSERT_TRUE(IsOk(b));
    EXPECT_EQ(pool.OpenCount(), 2u);

    // A third waits, and after max_wait is told the database is busy.
    auto started = std::chrono::steady_clock::now();
    auto refused = pool.Acquire();
    EXPECT_TRUE(FailsWith(refused, ErrorCode::kUnavailable));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 190ms);
    EXPECT_EQ(pool.OpenCount(), 2u);

    // A connection given back while it waits is handed over.
    std::thread giver([&] {
        std::this_thread::sleep_for(50ms);
        auto done = std::move(a).value();  // returned to the pool when `done` goes
    });
    auto handed = pool.Acquire();
    giver.join();
    ASSERT_TRUE(IsOk(handed));
    EXPECT_EQ(pool.OpenCount(), 2u);

    // A connection closed rather than kept (above max_idle, or unhealthy) makes room too.
    ASSERT_TRUE(IsOk((*b)->Begin()));  // returned with a transaction open: closed
    { auto gone = std::move(b).value(); }
    EXPECT_EQ(pool.OpenCount(), 1u);
    auto fresh = pool.Acquire();
    ASSERT_TRUE(IsOk(fresh));
    EXPECT_TRUE((*fresh)->Healthy());
    EXPECT_EQ(pool.OpenCount(), 2u);

    // Many threads through a pool of two: each gets its turn (a generous wait: no flakes on
    // a slow machine).
    auto busy_db = OpenTestDatabase();
    ASSERT_TRUE(IsOk(busy_db));
    ConnectionPool busy(std::move(busy_db).value(), 2, 2, 30s);
    {
        // A new SQLite file turns to WAL on its first connection (as `serve` prepares the
        // database before it serves); two first connections at once may find it locked.
        auto first = busy.Acquire();
        ASSERT_TRUE(IsOk(first));
    }
    ConnectionPool* p = &busy;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([p, &ok] {
            for (int i = 0; i < 20; ++i) {
                auto lease = p->Acquire();
                if (!lease.ok()) {
                    ADD_FAILURE() << lease.error().message;
                    continue;
                }
                auto rows = (*lease)->Query("SELECT 1");
                if (rows.ok()) {
                    ++ok;
                } else {
                    ADD_FAILURE() << rows.error().message;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), 160);
    EXPECT_LE(busy.OpenCount(), 2u);
}

TEST_F(ConnectionContractTest, PoolReusesHealthyConnectionsOnly) {
    auto pool_db = OpenTestDatabase();
    ASSERT_TRUE(IsOk(pool_db));
    ConnectionPool pool(std::move(pool_db).value(), 2);
    EXPECT_EQ(pool.IdleCount(), 0u);
    {
        auto lease = pool.Acquire();
        ASSERT_TRUE(IsOk(lease));
        ASSERT_TRUE(IsOk((*lease)->ExecuteScript(kCreateTable)));
    }
    EXPECT_EQ(pool.IdleCount(), 1u);

    // Returned with a transaction open: closed, and its writes rolled back.
    {
        auto lease = pool.Acquire();
        ASSERT_TRUE(IsOk(lease));
        EXPECT_EQ(pool.IdleCount(), 0u);
        ASSERT_TRUE(IsOk((*lease)->Begin()));
        ASSERT_TRUE(IsOk((*lease)->Execute(kInsert, {int64_t{1}, std::string("a"), 1.0})));
    }
    EXPECT_EQ(pool.IdleCount(), 0u);
    {
        auto lease = pool.Acquire();
        ASSERT_TRUE(IsOk(lease));
        EXPECT_TRUE((*lease)->Healthy());
        EXPECT_EQ(Count(**lease), 0);
        ASSERT_TRUE(IsOk((*lease)->Begin())) << "no transaction left open";
        ASSERT_TRUE(IsOk((*lease)->Rollback()));
    }
    EXPECT_EQ(pool.IdleCount(), 1u);

    // At most max_idle connections wait; the rest are closed.
    {
        auto a = pool.Acquire();
        auto b = pool.Acquire();
        auto c = pool.Acquire();
        ASSERT_TRUE(IsOk(a));
        ASSERT_TRUE(IsOk(b));
        ASSERT_TRUE(IsOk(c));
        EXPECT_EQ(pool.IdleCount(), 0u);
    }
    EXPECT_EQ(pool.IdleCount(), 2u);

    // Assigning over a lease returns the connection it held.
    {
        auto a = pool.Acquire();
        auto b = pool.Acquire();
        ASSERT_TRUE(IsOk(a));
        ASSERT_TRUE(IsOk(b));
        EXPECT_EQ(pool.IdleCount(), 0u);
        *a = std::move(*b);
        EXPECT_EQ(pool.IdleCount(), 1u);
    }
    EXPECT_EQ(pool.IdleCount(), 2u);
}

// Migrations with version numbers far above the real ones, on the fixture's database.
std::vector<Migration> TestMigrations(int base, bool broken_last) {
    std::vector<Migration> out;
    static std::deque<std::string> scripts;  // Migration holds const char*; deque never moves them
    for (int i = 0; i < 3; ++i) {
        std::string table = "m" + std::to_string(base + i);
        std::string sql = "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY);\n";
        sql += "INSERT INTO " + table + " (id) VALUES (1);\n";
        sql += "INSERT INTO " + table + " (id) VALUES (2);\n";
        if (broken_last && i == 2) sql += "INSERT INTO " + table + " (id) VALUES (2);\n";
        scripts.push_back(sql);
        out.push_back({base + i, "test", scripts.back().c_str(), scripts.back().c_str()});
    }
    return out;
}

TEST_F(ConnectionContractTest, MigrateAppliesEachScriptAtomicallyOnce) {
    // The third script fails on its last statement: its table and rows must not survive.
    auto failed = Migrate(*conn_, TestMigrations(9000, /*broken_last=*/true));
    ASSERT_FALSE(failed.ok());
    EXPECT_NE(failed.error().message.find("迁移 9002"), std::string::npos)
        << failed.error().message;
    EXPECT_TRUE(conn_->Healthy());
    EXPECT_EQ(Count(*conn_, "m9000"), 2);
    EXPECT_EQ(Count(*conn_, "m9001"), 2);
    EXPECT_FALSE(conn_->Query("SELECT COUNT(*) FROM m9002").ok()) << "m9002 was rolled back";
    auto versions = conn_->Query("SELECT version FROM schema_migrations ORDER BY version");
    ASSERT_TRUE(IsOk(versions));
    ASSERT_EQ(versions->size(), 2u);
    EXPECT_EQ(versions->Int(0, 0), 9000);
    EXPECT_EQ(versions->Int(1, 0), 9001);

    // Fixed script: only the missing migration runs; then nothing is left to do.
    auto applied = Migrate(*conn_, TestMigrations(9000, /*broken_last=*/false));
    ASSERT_TRUE(IsOk(applied));
    EXPECT_EQ(*applied, 1);
    EXPECT_EQ(Count(*conn_, "m9002"), 2);
    applied = Migrate(*conn_, TestMigrations(9000, false));
    ASSERT_TRUE(IsOk(applied));
    EXPECT_EQ(*applied, 0);
}

// A migration that empties much of the file asks SQLite for VACUUM once every migration is
// applied (outside their transactions): nothing is left on the free list. Without the flag
// the free pages stay. PostgreSQL ignores the flag.
TEST_F(ConnectionContractTest, MigrateVacuumsSqliteWhenAMigrationAsks) {
    const std::string fill =
        "CREATE TABLE m9200 (id BIGINT PRIMARY KEY, pad TEXT);\n"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)\n"
        "INSERT INTO m9200 (id, pad) SELECT i, " +
        std::string(conn_->dialect() == Dialect::kPostgres ? "repeat('x', 500)" : "printf('%.500c', 'x')") +
        " FROM n;\n";
    const std::string empty = "DELETE FROM m9200;\n";
    auto free_pages = [&]() -> int64_t {
        auto rows = conn_->Query("PRAGMA freelist_count");
        return IsOk(rows) ? rows->Int(0, 0) : -1;
    };
    ASSERT_TRUE(IsOk(Migrate(*conn_, {{9200, "fill", fill.c_str(), fill.c_str()},
                                      {9201, "empty", empty.c_str(), empty.c_str()}})));
    if (conn_->dialect() == Dialect::kSqlite) {
        EXPECT_GT(free_pages(), 100);
    }
    ASSERT_TRUE(IsOk(conn_->ExecuteScript("DELETE FROM schema_migrations WHERE version = 9201")));
    auto applied = Migrate(*conn_, {{9201, "empty again", empty.c_str(), empty.c_str(),
                                     /*sqlite_vacuum_after=*/true}});
    ASSERT_TRUE(IsOk(applied));
    EXPECT_EQ(*applied, 1);
    if (conn_->dialect() == Dialect::kSqlite) {
        EXPECT_EQ(free_pages(), 0);
    }
}

TEST_F(ConnectionContractTest, ConcurrentMigrateAppliesEachMigrationOnce) {
    // Several processes starting at once: every Migrate succeeds and each migration runs once.
    constexpr int kMigrators = 4;
    const std::vector<Migration>& real = AllMigrations();
    std::vector<Migration> all = real;
    for (const auto& m : TestMigrations(9100, false)) all.push_back(m);

    // schema_migrations exists already (an upgrade), so nothing serialises the migrators
    // before they ask which migrations are missing.
    auto none = Migrate(*conn_, {});
    ASSERT_TRUE(IsOk(none));
    EXPECT_EQ(*none, 0);

    std::vector<std::unique_ptr<Connection>> conns;
    for (int i = 0; i < kMigrators; ++i) {
        conns.push_back(Connect());
        ASSERT_NE(conns.back(), nullptr);
    }
    std::vector<Result<int>> results(kMigrators, Result<int>(0));
    std::vector<std::thread> threads;
    for (int i = 0; i < kMigrators; ++i) {
        threads.emplace_back([&, i] { results[i] = Migrate(*conns[i], all); });
    }
    for (auto& t : threads) t.join();
    int total = 0;
    for (int i = 0; i < kMigrators; ++i) {
        ASSERT_TRUE(IsOk(results[i])) << "migrator " << i;
        total += *results[i];
    }
    EXPECT_EQ(total, static_cast<int>(all.size()));
    EXPECT_EQ(Count(*conn_, "schema_migrations"), static_cast<int64_t>(all.size()));
    EXPECT_EQ(Count(*conn_, "m9102"), 2);
}

// Checks below need no server; they run in both passes.

TEST(PostgresUriTest, MasksPasswords) {
    EXPECT_EQ(MaskPostgresPassword("postgresql://shian:s3cret@db.local:5432/shian"),
              "postgresql://shian:***@db.local:5432/shian");
    EXPECT_EQ(MaskPostgresPassword("postgres://u:p%40ss@h/db?sslmode=require&password=x&a=b"),
              "postgres://u:***@h/db?sslmode=require&password=***&a=b");
    EXPECT_EQ(MaskPostgresPassword("postgresql://shian@127.0.0.1:5432/shian_test"),
              "postgresql://shian@127.0.0.1:5432/shian_test");
    EXPECT_EQ(MaskPostgresPassword("postgresql:///shian?host=/tmp"),
              "postgresql:///shian?host=/tmp");
    EXPECT_EQ(MaskPostgresPassword("host=h password='a b' dbname=x"),
              "host=h password=*** dbname=x");
    EXPECT_EQ(MaskPostgresPassword("password=secret host=h"), "password=*** host=h");
}

TEST(PostgresUriTest, InvalidUriIsInvalidArgument) {
    auto db = OpenPostgresDatabase("postgresql://u:secret@h:notaport/db?nonsense_option=1");
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(db.error().message.find("secret"), std::string::npos) << db.error().message;
}

TEST(PostgresUriTest, UnreachableServerIsUnavailableWithoutPassword) {
    auto db =
        OpenPostgresDatabase("postgresql://shian:topsecret@127.0.0.1:1/shian?connect_timeout=2");
    ASSERT_TRUE(IsOk(db));
    EXPECT_EQ((*db)->dialect(), Dialect::kPostgres);
    EXPECT_EQ((*db)->Describe(), "postgresql://shian:***@127.0.0.1:1/shian?connect_timeout=2");
    auto conn = (*db)->Connect();
    EXPECT_TRUE(FailsWith(conn, ErrorCode::kUnavailable));
    if (!conn.ok()) {
        EXPECT_EQ(conn.error().message.find("topsecret"), std::string::npos)
            << conn.error().message;
    }
}

}  // namespace
}  // namespace shian::storage
