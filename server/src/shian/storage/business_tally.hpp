// business_tally: counts of businesses kept up to date with every write, by place subtree ×
// kind × risk grade × status. A list total or a statistic over a place subtree is then a sum
// of at most (kinds × grades × statuses) rows instead of a count over up to millions of
// businesses.
//
// A business counts once for its own place and once for every place above it (village,
// township, county), so the rows of one place are the totals of its whole subtree. Rows are
// changed only by the business repository, in the transaction that writes the business, and
// always in key order (TallyDelta is a sorted map): concurrent PostgreSQL writers lock tally rows
// in the same order and cannot deadlock on them. Migration 3 fills the table from existing
// businesses; the contract tests check it against counting the rows.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shian/core/error.hpp"
#include "shian/registry/business.hpp"
#include "shian/storage/connection.hpp"

namespace shian::storage {

struct TallyKey {
    std::string place_path;
    std::string kind;
    std::string risk_grade;
    std::string status;
    auto operator<=>(const TallyKey&) const = default;
};

// Changes to apply, in key order.
using TallyDelta = std::map<TallyKey, int64_t>;

// Adds n for b to its place and to every place above it ("/c/t/v/" → /c/, /c/t/, /c/t/v/).
void AddToTally(const registry::Business& b, int64_t n, TallyDelta* delta);

// The place subtrees whose union is exactly what a filter's scope and place filter select,
// none inside another (all_roots: every root place, i.e. everything). nullopt when the tally
// cannot answer the filter: a text query or a tag (not tallied), a business account (one row)
// or places visible without their subtree.
struct TallyPlaces {
    bool all_roots = false;
    std::vector<std::string> paths;
};
std::optional<TallyPlaces> TallyPlacesOf(const registry::BusinessFilter& f);

// The code at `level` (1-based) on a path, or "" when the path is not that deep.
std::string CodeAtLevel(const std::string& path, int level);

class BusinessTally {
public:
    explicit BusinessTally(Connection* c) : c_(c) {}

    Status Apply(const TallyDelta& delta);
    // The number of businesses f selects, or nullopt when the tally cannot answer f.
    Result<std::optional<int64_t>> Total(const registry::BusinessFilter& f);
    // The scalar SELECT that sums the tally rows of f, whose places are `places`
    // (TallyPlacesOf(f)); its parameters are appended to *params, so that it can also ride in
    // another statement as a column.
    std::string TotalQuery(const TallyPlaces& places, const registry::BusinessFilter& f,
                           std::vector<Value>* params) const;
    // Counts by dimension as BusinessRepository::Count, or nullopt when the tally cannot
    // answer f (or the grouping level lies more than one level below the filter's places).
    Result<std::optional<std::vector<registry::StatsRow>>> CountBy(const registry::BusinessFilter& f,
                                                                   registry::StatsDimension by, int depth);

private:
    // " AND kind = $n ..." for f's kind, grade and status filters.
    std::string Conditions(const registry::BusinessFilter& f, std::vector<Value>* params) const;
    Result<std::vector<std::string>> Paths(const TallyPlaces& places);

    Connection* c_;
};

}  // namespace shian::storage
