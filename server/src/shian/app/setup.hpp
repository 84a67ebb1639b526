// Installation set-up shared by `migrate`, `serve` and `demo`: open the database, apply
// migrations, make sure the built-in roles and kinds exist, and load the county's places.
#pragma once

#include <memory>
#include <string>

#include "shian/core/error.hpp"
#include "shian/storage/connection.hpp"
#include "shian/storage/store.hpp"

namespace shian::app {

struct SetupOptions {
    std::string county_code = "511902";  // 巴州区, the demo county
    std::string regions_dir;             // national tables; empty = bundled extract
};

// Migrates and seeds reference data; loads the county's regions when the tree is empty.
// Prints what it did to `log` when not null.
Status PrepareDatabase(storage::Connection& conn, const SetupOptions& options, std::ostream* log);

// Where the bundled data/ folder is (beside the binary's source tree or the working dir).
std::string DataDir();

}  // namespace shian::app
