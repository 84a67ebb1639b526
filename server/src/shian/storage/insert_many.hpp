// InsertMany: many rows with a few multi-row INSERT statements, for batches (imports,
// generated data) on either engine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "shian/core/error.hpp"
#include "shian/storage/connection.hpp"

namespace shian::storage {

// Writes `count` rows with one multi-row INSERT per chunk of 256, 128, … rows —
// "<head> VALUES ($1,…,$k), ($k+1,…) <tail>" — so a batch costs a statement per few hundred
// rows rather than one per row (one round trip on PostgreSQL; on SQLite also one flush of the
// search index's pending terms per statement).
// `casts[i]` follows column i's placeholder ("" or e.g. "::text[]"); `row(i, &values)` appends
// row i's values in column order; `tail` (e.g. an ON CONFLICT clause) ends every statement.
// With `returned_ids`, the statement ends in RETURNING id and the new ids are appended in row
// order: ids are drawn in VALUES order on both engines, so a chunk's ids sorted ascending
// belong to its rows in order.
// With more than one chunk, `row` is called on a second thread for the next chunk while the
// current one is written: it must only read what stays unchanged during the call.
Status InsertMany(Connection* c, const std::string& head, const std::vector<const char*>& casts, size_t count,
                  const std::function<void(size_t, std::vector<Value>*)>& row, const std::string& tail = "",
                  std::vector<int64_t>* returned_ids = nullptr);
// The same for `columns` columns without casts.
Status InsertMany(Connection* c, const std::string& head, size_t columns, size_t count,
                  const std::function<void(size_t, std::vector<Value>*)>& row, const std::string& tail = "");

}  // namespace shian::storage
