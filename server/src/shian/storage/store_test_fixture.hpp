// StoreTest: the fixture of the storage contract tests. Each test gets a fresh database on the
// engine SHIAN_TEST_DB names (test_database.hpp), migrated and seeded with the bundled 巴州区
// places by app::PrepareDatabase, and a Store on one connection. Test-only (uses gtest).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "shian/app/setup.hpp"
#include "shian/core/result_matchers.hpp"
#include "shian/storage/connection.hpp"
#include "shian/storage/sql_store.hpp"
#include "shian/storage/test_database.hpp"

namespace shian::storage {

// The materialised path of a place of the extract, from its code's fixed-width levels
// (county 6, township 9, village 12 digits).
inline std::string PathOf(const std::string& code) {
    std::string path = "/" + code.substr(0, 6) + "/";
    if (code.size() >= 9) path += code.substr(0, 9) + "/";
    if (code.size() == 12) path += code + "/";
    return path;
}

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = OpenTestDatabase();
        ASSERT_TRUE(IsOk(db)) << "OpenTestDatabase";
        db_ = std::move(db).value();
        auto conn = db_->Connect();
        ASSERT_TRUE(IsOk(conn)) << db_->Describe();
        conn_ = std::move(conn).value();
        ASSERT_TRUE(IsOk(app::PrepareDatabase(*conn_, app::SetupOptions{}, nullptr)));
        store_ = MakeSqlStore(conn_.get());
    }

    registry::BusinessRepository& businesses() { return store_->businesses(); }

    std::unique_ptr<Database> db_;
    std::unique_ptr<Connection> conn_;
    std::unique_ptr<Store> store_;
};

}  // namespace shian::storage
