// Store: one unit of work against the database — the repositories of every domain bound to
// one connection, with transaction control. Services receive a StoreProvider and open a
// Store per operation; they see only the repository interfaces, never SQL.
// Thread-safety: a Store is used by one thread; StoreProvider::Open is thread-safe.
#pragma once

#include <memory>

#include "shian/access/audit.hpp"
#include "shian/access/user.hpp"
#include "shian/core/error.hpp"
#include "shian/places/region.hpp"
#include "shian/storage/connection.hpp"
#include "shian/registry/business.hpp"

namespace shian::storage {

class Store {
public:
    virtual ~Store() = default;
    virtual places::RegionRepository& regions() = 0;
    virtual access::AccessRepository& access() = 0;
    virtual access::AuditRepository& audit() = 0;
    virtual registry::BusinessRepository& businesses() = 0;

    virtual Status Begin() = 0;
    virtual Status Commit() = 0;
    virtual Status Rollback() = 0;
    // A transaction that will write many rows (Connection::BeginBulk). The business counts
    // (business_tally) change once, when it commits; so does SQLite's search index for the
    // businesses it inserts (a search inside the transaction does not find them yet).
    virtual Status BeginBulk() = 0;

    // Key/value settings (e.g. the county code this installation serves).
    virtual Result<std::string> GetSetting(const std::string& key) = 0;
    virtual Status SetSetting(const std::string& key, const std::string& value) = 0;
};

class StoreProvider {
public:
    virtual ~StoreProvider() = default;
    virtual Result<std::unique_ptr<Store>> Open() = 0;
};

}  // namespace shian::storage
