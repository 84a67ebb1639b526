// SQLite backend of storage::Database: WAL, foreign keys on, busy timeout, statement cache.
// Thread-safety: each Connection belongs to one thread at a time; Connect() is thread-safe.
#pragma once

#include <memory>
#include <string>

#include "shian/storage/connection.hpp"

namespace shian::storage {

// cache_kib: the page cache of each connection (PRAGMA cache_size=-cache_kib).
Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int64_t cache_kib = 4096);

}  // namespace shian::storage
