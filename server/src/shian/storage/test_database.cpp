// OpenTestDatabase: throwaway SQLite files and PostgreSQL databases for tests.
#include "shian/storage/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace shian::storage {
namespace {

std::string Env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

// Delegates to the real Database and runs a cleanup after it is gone.
class DisposableDatabase final : public Database {
public:
    DisposableDatabase(std::unique_ptr<Database> inner, std::function<void()> cleanup)
        : inner_(std::move(inner)), cleanup_(std::move(cleanup)) {}
    ~DisposableDatabase() override {
        inner_.reset();
        cleanup_();
    }
    DisposableDatabase(const DisposableDatabase&) = delete;
    DisposableDatabase& operator=(const DisposableDatabase&) = delete;

    Dialect dialect() const override { return inner_->dialect(); }
    Result<std::unique_ptr<Connection>> Connect() override { return inner_->Connect(); }
    std::string Describe() const override { return inner_->Describe(); }

private:
    std::unique_ptr<Database> inner_;
    std::function<void()> cleanup_;
};

Result<std::unique_ptr<Database>> OpenSqliteTestDatabase() {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "shian-test-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) {
        return Error::Internal("无法创建临时目录：" + pattern);
    }
    std::filesystem::path dir(buffer.data());
    SHIAN_ASSIGN_OR_RETURN(auto db, OpenDatabase("sqlite:" + (dir / "test.db").string()));
    return std::unique_ptr<Database>(std::make_unique<DisposableDatabase>(std::move(db), [dir] {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }));
}

// admin_url with its database name replaced by name (URI or "key=value" form).
std::string WithDatabaseName(const std::string& admin_url, const std::string& name) {
    size_t scheme = admin_url.find("://");
    if (scheme == std::string::npos) return admin_url + " dbname=" + name;
    size_t path = admin_url.find_first_of("/?", scheme + 3);
    if (path == std::string::npos) return admin_url + "/" + name;
    size_t query = admin_url.find('?', path);
    std::string rest = query == std::string::npos ? "" : admin_url.substr(query);
    return admin_url.substr(0, path) + "/" + name + rest;
}

std::string UniqueDatabaseName() {
    static std::atomic<int> counter{0};
    std::random_device random;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    return "shian_t_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" + suffix;
}

Status RunAdmin(Database& admin, const std::string& sql) {
    SHIAN_ASSIGN_OR_RETURN(auto conn, admin.Connect());
    return conn->ExecuteScript(sql);
}

Result<std::unique_ptr<Database>> OpenPostgresTestDatabase(const std::string& admin_url) {
    SHIAN_ASSIGN_OR_RETURN(std::shared_ptr<Database> admin, OpenDatabase(admin_url));
    std::string name = UniqueDatabaseName();
    Status created = RunAdmin(*admin, "CREATE DATABASE " + name +
                                          " TEMPLATE template0 ENCODING 'UTF8'"
                                          " LC_COLLATE 'C' LC_CTYPE 'C'");
    if (!created.ok()) {
        Error error = created.error();
        error.message =
            "无法创建测试数据库 " + name + "（SHIAN_TEST_PG_URL 需为超级用户）：" + error.message;
        return error;
    }
    auto drop = [admin, name] {
        Status dropped = RunAdmin(*admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        if (!dropped.ok()) {
            std::fprintf(stderr, "test_database: 无法删除测试数据库 %s：%s\n", name.c_str(),
                         dropped.error().message.c_str());
        }
    };
    auto db = OpenDatabase(WithDatabaseName(admin_url, name));
    if (!db.ok()) {
        drop();
        return db.error();
    }
    return std::unique_ptr<Database>(
        std::make_unique<DisposableDatabase>(std::move(db).value(), std::move(drop)));
}

}  // namespace

Result<Dialect> TestDialect() {
    std::string engine = Env("SHIAN_TEST_DB");
    if (engine.empty() || engine == "sqlite") return Dialect::kSqlite;
    if (engine == "postgres" || engine == "postgresql") {
        if (Env("SHIAN_TEST_PG_URL").empty()) {
            return Error::Invalid("SHIAN_TEST_PG_URL",
                                  "SHIAN_TEST_DB=postgres 但未设置 SHIAN_TEST_PG_URL；"
                                  "请用 scripts/with-postgres.sh 运行测试");
        }
        return Dialect::kPostgres;
    }
    return Error::Invalid("SHIAN_TEST_DB",
                          "未知的 SHIAN_TEST_DB=" + engine + "（应为 sqlite 或 postgres）");
}

Result<std::unique_ptr<Database>> OpenTestDatabase() {
    SHIAN_ASSIGN_OR_RETURN(Dialect dialect, TestDialect());
    if (dialect == Dialect::kPostgres) return OpenPostgresTestDatabase(Env("SHIAN_TEST_PG_URL"));
    return OpenSqliteTestDatabase();
}

}  // namespace shian::storage
