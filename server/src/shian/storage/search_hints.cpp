#include "shian/storage/search_hints.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "shian/core/text.hpp"
#include "shian/registry/search_text.hpp"
#include "shian/storage/business_tally.hpp"
#include "shian/storage/search_terms.hpp"

namespace shian::storage {
namespace {

// PostgreSQL's share for an element of an array's statistics it does not list among the
// most common (array_selfuncs.c: the smaller of DEFAULT_CONTAIN_SEL and half the least
// common listed element's share).
constexpr double kDefaultContainShare = 0.005;

double ShareOf(const std::map<std::string, int64_t>& counts, const std::string& key, int64_t all) {
    if (all <= 0) return 0;
    auto it = counts.find(key);
    return it == counts.end() ? 0.0 : static_cast<double>(it->second) / static_cast<double>(all);
}

// The first `rows` businesses by id: how many, and how many of them hold each term (their
// bigrams, number grams and house number terms, as the search index has them).
Result<std::pair<int64_t, std::unordered_map<std::string, int32_t>>> ReadSample(Connection& c, int64_t rows) {
    SHIAN_ASSIGN_OR_RETURN(Rows texts, c.Query("SELECT search_text FROM business ORDER BY id LIMIT $1", {rows}));
    std::unordered_map<std::string, int32_t> terms;
    std::unordered_set<std::string> seen;  // one business's terms, each counted once
    for (size_t i = 0; i < texts.size(); ++i) {
        const std::string text = texts.Text(i, 0);
        seen.clear();
        for (const std::string& field : SplitNonEmpty(text, '\x1f')) {
            for (auto& gram : registry::Bigrams(field)) seen.insert(std::move(gram));
        }
        for (auto& gram : TaggedNumberGrams(text)) seen.insert(std::move(gram));
        for (auto& term : HouseNumberTerms(text)) seen.insert(std::move(term));
        for (const auto& term : seen) ++terms[term];
    }
    return std::make_pair(static_cast<int64_t>(texts.size()), std::move(terms));
}

}  // namespace

bool SearchHints::Refreshed(Connection& c) {
    if (Refresh(c).ok()) return true;
    read_at_ = clock_();  // tried again after kMaxAge rather than on every search
    return false;
}

Status SearchHints::Refresh(Connection& c) {
    auto now = clock_();
    if (read_at_ && now - *read_at_ < kMaxAge) return Ok();
    // The most common elements of search_grams with their shares; the first share after them
    // is the least common one's (then the greatest, then the NULLs').
    SHIAN_ASSIGN_OR_RETURN(
        Rows stats,
        c.Query("SELECT u.elem, u.share FROM pg_stats s CROSS JOIN LATERAL "
                "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) WITH ORDINALITY "
                "AS u(elem, share, n) WHERE s.schemaname = current_schema() AND s.tablename = 'business' "
                "AND s.attname = 'search_grams' ORDER BY u.n"));
    std::unordered_map<std::string, double> share;
    double least = 0;
    for (size_t i = 0; i < stats.size(); ++i) {
        if (stats.IsNull(i, 1)) continue;
        if (stats.IsNull(i, 0)) {
            least = stats.Double(i, 1);
            break;
        }
        share.emplace(stats.Text(i, 0), stats.Double(i, 1));
    }
    // Businesses by place subtree (every place), and county-wide by kind, grade and status.
    SHIAN_ASSIGN_OR_RETURN(Rows places, c.Query("SELECT place_path, CAST(sum(n) AS BIGINT) FROM business_tally "
                                                "GROUP BY place_path"));
    SHIAN_ASSIGN_OR_RETURN(
        Rows county, c.Query("SELECT kind, risk_grade, status, n FROM business_tally "
                             "WHERE place_path IN (SELECT path FROM region WHERE parent_code IS NULL)"));
    share_ = std::move(share);
    rare_share_ = std::min(kDefaultContainShare, least / 2);
    place_.clear();
    for (size_t i = 0; i < places.size(); ++i) place_[places.Text(i, 0)] = places.Int(i, 1);
    all_ = 0;
    kind_.clear();
    grade_.clear();
    status_.clear();
    for (size_t i = 0; i < county.size(); ++i) {
        int64_t n = county.Int(i, 3);
        all_ += n;
        kind_[county.Text(i, 0)] += n;
        grade_[county.Text(i, 1)] += n;
        status_[county.Text(i, 2)] += n;
    }
    read_at_ = now;
    return Ok();
}

std::optional<double> SearchHints::ExpectedMatches(Connection& c, const registry::BusinessFilter& f,
                                                   const std::string& bigram) {
    using Out = std::optional<double>;
    registry::BusinessFilter rest = f;
    rest.q.clear();
    if (rest.scope.business_id) return Out(1.0);  // one business at most
    auto places = TallyPlacesOf(rest);
    if (!places) return Out();  // a tag, or places without their subtree
    std::lock_guard lock(mu_);
    // Only a hint: when the figures cannot be read the caller asks the planner instead.
    if (!Refreshed(c)) return Out();
    if (share_.empty()) return Out();  // never analysed: no statistics
    double rows = 0;
    if (places->all_roots) {
        rows = static_cast<double>(all_);
    } else {
        for (const auto& p : places->paths) {
            auto it = place_.find(p);
            if (it != place_.end()) rows += static_cast<double>(it->second);
        }
    }
    if (!f.kind.empty()) rows *= ShareOf(kind_, f.kind, all_);
    if (!f.risk_grade.empty()) rows *= ShareOf(grade_, f.StoredRiskGrade(), all_);
    if (!f.status.empty()) rows *= ShareOf(status_, f.status, all_);
    auto it = share_.find(bigram);
    return Out(rows * (it == share_.end() ? rare_share_ : it->second));
}

std::optional<double> SearchHints::GramShare(Connection& c, const std::string& gram) {
    using Out = std::optional<double>;
    if (c.dialect() == Dialect::kPostgres) {
        std::lock_guard lock(mu_);
        if (!Refreshed(c)) return Out();
        if (share_.empty()) return Out();  // never analysed
        auto it = share_.find(gram);
        return Out(it == share_.end() ? rare_share_ : it->second);
    }
    bool stale = false;
    {
        std::lock_guard lock(mu_);
        auto now = clock_();
        if (!sample_read_at_ || now - *sample_read_at_ >= kMaxAge) {
            sample_read_at_ = now;  // one search re-reads it; the others use the old counts
            stale = true;
        }
    }
    if (stale) {
        // Read and counted without the lock (tens of ms for 4,096 businesses).
        auto sample = ReadSample(c, sample_rows_);
        std::lock_guard lock(mu_);
        if (sample.ok()) {
            sample_size_ = sample->first;
            sample_terms_ = std::move(sample->second);
        } else {
            sample_size_ = 0;  // tried again after kMaxAge
            sample_terms_.clear();
        }
    }
    std::lock_guard lock(mu_);
    if (sample_size_ < sample_rows_ || sample_rows_ <= 0) return Out();  // too few businesses to tell
    auto it = sample_terms_.find(gram);
    return Out(it == sample_terms_.end() ? 0.0 : static_cast<double>(it->second) / static_cast<double>(sample_size_));
}

void SearchHints::RememberExceeds(const std::string& normalized_query, int64_t limit) {
    std::lock_guard lock(mu_);
    if (exceeded_.size() >= kMaxRemembered && exceeded_.count(normalized_query) == 0) exceeded_.clear();
    exceeded_[normalized_query] = Exceeded{limit, clock_()};
}

void SearchHints::ForgetExceeded() {
    std::lock_guard lock(mu_);
    exceeded_.clear();
}

bool SearchHints::KnownToExceed(const std::string& normalized_query, int64_t limit) {
    std::lock_guard lock(mu_);
    auto it = exceeded_.find(normalized_query);
    if (it == exceeded_.end()) return false;
    if (clock_() - it->second.at >= kMaxAge) {
        exceeded_.erase(it);
        return false;
    }
    return it->second.limit >= limit;
}

}  // namespace shian::storage
