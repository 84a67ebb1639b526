#include "shian/storage/business_tally.hpp"

#include <algorithm>

#include "shian/places/region.hpp"
#include "shian/registry/search_text.hpp"
#include "shian/storage/insert_many.hpp"

namespace shian::storage {

void AddToTally(const registry::Business& b, int64_t n, TallyDelta* delta) {
    const std::string& path = b.region_path;
    for (size_t end = path.find('/', 1); end != std::string::npos; end = path.find('/', end + 1)) {
        (*delta)[{path.substr(0, end + 1), b.kind, b.risk_grade, b.status}] += n;
    }
}

std::optional<TallyPlaces> TallyPlacesOf(const registry::BusinessFilter& f) {
    if (!registry::NormalizeForSearch(f.q).empty() || !f.tag.empty()) return std::nullopt;
    const access::ScopeFilter& s = f.scope;
    TallyPlaces out;
    if (s.nothing) return out;
    if (s.business_id || !s.exact_paths.empty()) return std::nullopt;
    const std::string& place = f.region_path;
    if (s.all) {
        if (place.empty()) out.all_roots = true;
        else out.paths.push_back(place);
        return out;
    }
    for (const auto& p : s.subtree_paths) {
        if (place.empty()) out.paths.push_back(p);
        else if (place.starts_with(p)) out.paths.push_back(place);  // the place lies in the scope
        else if (p.starts_with(place)) out.paths.push_back(p);      // the scope lies in the place
    }
    // Sorted, a subtree's paths follow its root: keep those not inside the last one kept.
    std::sort(out.paths.begin(), out.paths.end());
    std::vector<std::string> kept;
    for (auto& p : out.paths) {
        if (kept.empty() || !p.starts_with(kept.back())) kept.push_back(std::move(p));
    }
    out.paths = std::move(kept);
    return out;
}

std::string CodeAtLevel(const std::string& path, int level) {
    size_t begin = 1;
    for (int l = 1; l < level; ++l) {
        begin = path.find('/', begin);
        if (begin == std::string::npos) return {};
        ++begin;
    }
    size_t end = path.find('/', begin);
    if (end == std::string::npos || end == begin) return {};
    return path.substr(begin, end - begin);
}

Status BusinessTally::Apply(const TallyDelta& delta) {
    // Multi-row upserts (each key once per statement, rows in key order).
    std::vector<const std::pair<const TallyKey, int64_t>*> changes;
    for (const auto& change : delta) {
        if (change.second != 0) changes.push_back(&change);
    }
    return InsertMany(c_, "INSERT INTO business_tally (place_path, kind, risk_grade, status, n)", 5,
                      changes.size(),
                      [&](size_t i, std::vector<Value>* out) {
                          const auto& [key, n] = *changes[i];
                          out->insert(out->end(), {key.place_path, key.kind, key.risk_grade, key.status, n});
                      },
                      "ON CONFLICT (place_path, kind, risk_grade, status) DO UPDATE SET n = business_tally.n + excluded.n");
}

std::string BusinessTally::Conditions(const registry::BusinessFilter& f, std::vector<Value>* params) const {
    std::string out;
    auto add = [&](const char* column, std::string value) {
        params->push_back(std::move(value));
        out += std::string(" AND t.") + column + " = $" + std::to_string(params->size());
    };
    if (!f.kind.empty()) add("kind", f.kind);
    if (!f.risk_grade.empty()) add("risk_grade", f.StoredRiskGrade());
    if (!f.status.empty()) add("status", f.status);
    return out;
}

Result<std::vector<std::string>> BusinessTally::Paths(const TallyPlaces& places) {
    if (!places.all_roots) return places.paths;
    SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query("SELECT path FROM region WHERE parent_code IS NULL ORDER BY path"));
    std::vector<std::string> out;
    for (size_t i = 0; i < rows.size(); ++i) out.push_back(rows.Text(i, 0));
    return out;
}

std::string BusinessTally::TotalQuery(const TallyPlaces& places, const registry::BusinessFilter& f,
                                      std::vector<Value>* params) const {
    std::string in;
    if (places.all_roots) {
        in = "SELECT path FROM region WHERE parent_code IS NULL";
    } else {
        if (places.paths.empty()) return "SELECT CAST(0 AS BIGINT)";
        for (const auto& p : places.paths) {
            params->push_back(p);
            in += (in.empty() ? "$" : ", $") + std::to_string(params->size());
        }
    }
    return "SELECT CAST(coalesce(sum(t.n), 0) AS BIGINT) FROM business_tally t WHERE t.place_path IN (" + in +
           ")" + Conditions(f, params);
}

Result<std::optional<int64_t>> BusinessTally::Total(const registry::BusinessFilter& f) {
    auto places = TallyPlacesOf(f);
    if (!places) return std::optional<int64_t>();
    if (!places->all_roots && places->paths.empty()) return std::optional<int64_t>(0);
    std::vector<Value> params;
    std::string sql = TotalQuery(*places, f, &params);
    SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(sql, params));
    return std::optional<int64_t>(rows.Int(0, 0));
}

Result<std::optional<std::vector<registry::StatsRow>>> BusinessTally::CountBy(const registry::BusinessFilter& f,
                                                                              registry::StatsDimension by,
                                                                              int depth) {
    using Out = std::optional<std::vector<registry::StatsRow>>;
    auto places = TallyPlacesOf(f);
    if (!places) return Out();
    SHIAN_ASSIGN_OR_RETURN(std::vector<std::string> paths, Paths(*places));
    std::map<std::string, int64_t> counts;
    if (by != registry::StatsDimension::kRegion) {
        const char* column = by == registry::StatsDimension::kKind        ? "kind"
                             : by == registry::StatsDimension::kRiskGrade ? "risk_grade"
                                                                          : "status";
        if (!paths.empty()) {
            std::vector<Value> params;
            std::string in;
            for (const auto& p : paths) {
                params.push_back(p);
                in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
            }
            std::string conditions = Conditions(f, &params);
            SHIAN_ASSIGN_OR_RETURN(
                Rows rows, c_->Query(std::string("SELECT t.") + column + ", CAST(sum(t.n) AS BIGINT) "
                                     "FROM business_tally t WHERE t.place_path IN (" + in + ")" + conditions +
                                     " GROUP BY t." + column, params));
            for (size_t i = 0; i < rows.size(); ++i) counts[rows.Text(i, 0)] += rows.Int(i, 1);
        }
    } else {
        for (const auto& path : paths) {
            int level = places::PathDepth(path);
            if (level >= depth) {
                registry::BusinessFilter one = f;
                one.scope = access::ScopeFilter{};
                one.scope.all = true;
                one.region_path = path;
                SHIAN_ASSIGN_OR_RETURN(auto total, Total(one));
                counts[CodeAtLevel(path, depth)] += total.value_or(0);
                continue;
            }
            if (level != depth - 1) return Out();
            // The place's total and each child's, in one statement; what is left of the total
            // is registered on the place itself. A subquery per place reads each one's rows by
            // the key; a join lets PostgreSQL hash the whole tally (55,000 rows at 1M
            // businesses: 90 ms instead of < 1 ms).
            std::string code = CodeAtLevel(path, level);
            std::vector<Value> params = {code};
            std::string conditions = Conditions(f, &params);
            SHIAN_ASSIGN_OR_RETURN(
                Rows rows, c_->Query("SELECT r.code, (SELECT CAST(coalesce(sum(t.n), 0) AS BIGINT) "
                                     "FROM business_tally t WHERE t.place_path = r.path" + conditions +
                                     ") FROM region r WHERE r.parent_code = $1 OR r.code = $1", params));
            int64_t total = 0, below = 0;
            for (size_t i = 0; i < rows.size(); ++i) {
                std::string row_code = rows.Text(i, 0);
                if (row_code == code) {
                    total = rows.Int(i, 1);
                } else {
                    counts[row_code] += rows.Int(i, 1);
                    below += rows.Int(i, 1);
                }
            }
            counts[""] += total - below;
        }
    }
    std::vector<registry::StatsRow> out;
    for (auto& [key, n] : counts) {
        if (n > 0) out.push_back({key, n});
    }
    return Out(std::move(out));
}

}  // namespace shian::storage
