// SQLite backend of storage::Database: WAL, foreign keys on, busy timeout, statement cache.
// Thread-safety: each Connection belongs to one thread at a time; Connect() is thread-safe.
#pragma once

#include <memory>
#include <string>

#include "shian/storage/connection.hpp"

namespace shian::storage {

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path);

}  // namespace shian::storage
