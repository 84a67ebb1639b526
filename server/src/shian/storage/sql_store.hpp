// The SQL implementation of Store over storage::Connection, with the business registry's
// repository (sql_store.cpp; the other repositories in sql_*_repository.cpp, what they share in
// sql_values.hpp). Written once in portable SQL; dialect() branches only where SQLite and
// PostgreSQL differ (full-text search, arrays).
#pragma once

#include <memory>

#include "shian/storage/connection_pool.hpp"
#include "shian/storage/search_hints.hpp"
#include "shian/storage/store.hpp"

namespace shian::storage {

// Opens Stores on connections leased from the pool.
class SqlStoreProvider final : public StoreProvider {
public:
    explicit SqlStoreProvider(ConnectionPool* pool) : pool_(pool), hints_(std::make_unique<SearchHints>()) {}
    Result<std::unique_ptr<Store>> Open() override;

private:
    ConnectionPool* pool_;
    std::unique_ptr<SearchHints> hints_;  // shared by every store it opens
};

// A Store over a connection the caller owns (CLI tools, tests), with its own SearchHints or
// the caller's.
std::unique_ptr<Store> MakeSqlStore(Connection* conn, SearchHints* hints = nullptr);

}  // namespace shian::storage
