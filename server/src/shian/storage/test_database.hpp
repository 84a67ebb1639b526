// OpenTestDatabase: a fresh, empty database per test on the engine named by SHIAN_TEST_DB.
//
//   SHIAN_TEST_DB=sqlite (or unset)  a new SQLite file in its own temporary directory;
//   SHIAN_TEST_DB=postgres           a new uniquely named database, created through the
//                                    superuser URL in SHIAN_TEST_PG_URL (scripts/with-postgres.sh
//                                    sets it). Missing URL is an error, never a silent skip.
// The returned Database deletes the file / drops the database (WITH (FORCE)) when destroyed.
// Library code without gtest, so repository contract tests can reuse it.
// Thread-safety: OpenTestDatabase may be called from several threads.
#pragma once

#include <memory>

#include "shian/core/error.hpp"
#include "shian/storage/connection.hpp"

namespace shian::storage {

// The engine SHIAN_TEST_DB selects; kInvalidArgument for an unknown value, or for
// postgres without SHIAN_TEST_PG_URL.
Result<Dialect> TestDialect();

Result<std::unique_ptr<Database>> OpenTestDatabase();

}  // namespace shian::storage
