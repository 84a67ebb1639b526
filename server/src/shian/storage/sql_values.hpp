// What the SQL repositories (storage/sql_*.cpp) share: optional values as NULL, '|'-joined
// lists, numbered placeholders and conditions on place paths.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shian/access/user.hpp"
#include "shian/storage/connection.hpp"

namespace shian::storage::sql {

// NULL for an empty text or a missing number.
Value OptText(const std::string& s);
Value OptInt(const std::optional<int64_t>& v);
Value OptDouble(const std::optional<double>& v);

// A list stored as one text, '|' between items (tags, permissions, place paths: none holds a
// '|'), and back (SplitList drops empty items: "" is the empty list).
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(const std::string& s);

// Appends a parameter and returns its placeholder ("$n").
std::string AddParam(std::vector<Value>* params, Value v);

// `column` within the subtree of `path`: one index range on any engine.
std::string SubtreeCondition(const std::string& column, const std::string& path, std::vector<Value>* params);

// The places of a scope made of place paths (its subtree and exact paths) as a condition on
// `column`; "1 = 0" when it lists none. The callers handle all / nothing / one business, which
// mean different things for businesses and for audit entries.
std::string PlacePathsCondition(const access::ScopeFilter& s, const std::string& column,
                                std::vector<Value>* params);

}  // namespace shian::storage::sql
