#include "shian/storage/postgres/postgres_database.hpp"
#include "shian/storage/sqlite/sqlite_database.hpp"

namespace shian::storage {

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, const DatabaseOptions& options) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        return OpenPostgresDatabase(url);
    }
    std::string path = url;
    if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
    if (path.empty()) {
        return Error::Invalid("db", "数据库地址为空：请使用 sqlite:路径 或 postgresql:// 地址");
    }
    return OpenSqliteDatabase(path, options.sqlite_cache_kib);
}

}  // namespace shian::storage
