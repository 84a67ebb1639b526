#include "shian/storage/sql_values.hpp"

#include <utility>

#include "shian/core/text.hpp"
#include "shian/places/region.hpp"

namespace shian::storage::sql {

Value OptText(const std::string& s) { return s.empty() ? Value{} : Value{s}; }
Value OptInt(const std::optional<int64_t>& v) { return v ? Value{*v} : Value{}; }
Value OptDouble(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }

std::string JoinList(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& t : items) {
        if (!out.empty()) out.push_back('|');
        out += t;
    }
    return out;
}

std::vector<std::string> SplitList(const std::string& s) { return SplitNonEmpty(s, '|'); }

std::string AddParam(std::vector<Value>* params, Value v) {
    params->push_back(std::move(v));
    return "$" + std::to_string(params->size());
}

std::string SubtreeCondition(const std::string& column, const std::string& path, std::vector<Value>* params) {
    auto range = places::SubtreeRange(path);
    return column + " >= " + AddParam(params, range.begin) + " AND " + column + " < " + AddParam(params, range.end);
}

std::string PlacePathsCondition(const access::ScopeFilter& s, const std::string& column,
                                std::vector<Value>* params) {
    std::string any;
    for (const auto& p : s.subtree_paths) {
        any += (any.empty() ? "(" : " OR (") + SubtreeCondition(column, p, params) + ")";
    }
    for (const auto& p : s.exact_paths) any += (any.empty() ? "" : " OR ") + column + " = " + AddParam(params, p);
    return any.empty() ? "1 = 0" : "(" + any + ")";
}

}  // namespace shian::storage::sql
