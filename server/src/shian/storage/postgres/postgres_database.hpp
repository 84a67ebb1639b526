// OpenPostgresDatabase: the PostgreSQL engine behind storage::Database, over libpq.
//
// Each Connection owns one PGconn and caches a server-side prepared statement per distinct
// SQL text and parameter-type combination. Parameters travel as text with explicit types
// (int8 for int64, float8 for double, unknown for strings and NULL). Result cells come
// back as int64 (int2/int4/int8, bool as 0/1), double (float4/float8/numeric) or text.
// SQLSTATEs map to ErrorCode: 23505 -> kConflict, 23502/23503/23514 -> kInvalidArgument,
// 40001/40P01 and lost connections -> kUnavailable, anything else -> kInternal.
// Thread-safety: a Connection is used by one thread at a time; Database::Connect() and
// Describe() are safe to call from several threads at once.
#pragma once

#include <memory>
#include <string>

#include "shian/core/error.hpp"
#include "shian/storage/connection.hpp"

namespace shian::storage {

// Accepts a "postgresql://" / "postgres://" URI (or a libpq "key=value" string). Only
// validates it; connecting happens in Database::Connect().
Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& uri);

// The URI with any password (user:PASSWORD@host, ?password=..., password=...) replaced
// by "***"; used for Describe() and log lines.
std::string MaskPostgresPassword(const std::string& uri);

}  // namespace shian::storage
