// Versioned schema migrations for both engines, applied in order by `shian migrate` and on
// `serve`. A migration is never edited once released; add a new one instead.
#pragma once

#include <string>
#include <vector>

#include "shian/storage/connection.hpp"

namespace shian::storage {

struct Migration {
    int version;
    const char* name;
    const char* sqlite_sql;
    const char* postgres_sql;
    // SQLite: run VACUUM once the migrations are applied (outside their transactions), for one
    // that leaves much of the file free (rows that shrank: their pages are not merged).
    bool sqlite_vacuum_after = false;
};

const std::vector<Migration>& AllMigrations();

// The township path of a business row (places::TownshipPath of its region_path) as migration 9
// indexes it in business_township, written over the unqualified column region_path: SQLite's
// generated column `township_path`; on PostgreSQL the indexed expression itself (an index on an
// expression, so that adding it rewrites no rows), which a query must write exactly so for
// the planner to use that index.
const char* TownshipPathExpression(Dialect dialect);

// Applies every migration not yet recorded in schema_migrations, each in its own
// transaction that also checks whether it is recorded, so a failing script leaves nothing
// behind and several processes may start at once (PostgreSQL advisory lock; SQLite BEGIN
// IMMEDIATE). Returns the number applied by this call.
Result<int> Migrate(Connection& conn);
// The same with an explicit list (tests).
Result<int> Migrate(Connection& conn, const std::vector<Migration>& migrations);

// kConflict when schema_migrations records a version beyond the last of AllMigrations(): a
// newer shian migrated the database, and this one would write what it knows — e.g. no house
// number entries (migration 23) — leaving the newer one's derived tables and indexes wrong.
// Every command checks it after migrating (app::PrepareDatabase); the check runs on
// schema_migrations, which Migrate creates.
Status CheckSchemaNotNewer(Connection& conn);

}  // namespace shian::storage
