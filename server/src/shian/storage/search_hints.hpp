// SearchHints: how common a bigram is (GramShare, both engines) and, on PostgreSQL, how many
// businesses a two-character search may match (ExpectedMatches), estimated
// the way PostgreSQL's planner does — the bigram's share of businesses (the statistics' most
// common elements of search_grams) times the rows of the other filters — from figures read
// at most once a minute per process instead of planning an EXPLAIN for every such search
// (~0.4 ms of the database's CPU per request). The other filters' rows come from the tally
// (exact per place; kind, grade and status taken as independent, as the planner takes them).
//
// Only the choice of how to read a page rests on the estimate (SqlBusinessRepository::List:
// count the matches, or walk the sort order and say "200+"), never which rows are returned,
// so figures a minute old are harmless. Thread-safe: one per process, shared by its stores.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "shian/core/error.hpp"
#include "shian/registry/business.hpp"
#include "shian/storage/connection.hpp"

namespace shian::storage {

class SearchHints {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    static constexpr std::chrono::seconds kMaxAge{60};

    static constexpr int64_t kSampleRows = 4096;

    // clock: when the figures were read (injectable for tests); sample_rows: how many
    // businesses GramShare counts in on SQLite.
    explicit SearchHints(Clock clock = std::chrono::steady_clock::now, int64_t sample_rows = kSampleRows)
        : clock_(std::move(clock)), sample_rows_(sample_rows) {}

    // The share of businesses whose search index holds `gram` (a term a query asks: a plain
    // bigram or a number gram, QueryTerms — on PostgreSQL tagged by its field, GinCondition),
    // for leaving out of a query the terms nearly every business holds
    // (SqlBusinessRepository::LeftOutGrams); nullopt when unknown. PostgreSQL:
    // from the statistics' most common elements, as ExpectedMatches. SQLite keeps no such
    // figures: the terms of the first sample_rows businesses by id are counted once per
    // kMaxAge (one statement, read by one search while the others use the old counts) and
    // looked up there; nullopt while the table holds fewer. Only which terms narrow a search
    // rests on it, never which rows are returned.
    std::optional<double> GramShare(Connection& c, const std::string& gram);

    // The estimated businesses that match f's filters other than its text query and contain
    // `bigram`; nullopt when there are no statistics yet (the table was never analysed) or f
    // has a filter the figures cannot estimate (a tag, places without their subtree): the
    // caller then asks the planner; also when the figures cannot be read (they are tried
    // again a minute later).
    std::optional<double> ExpectedMatches(Connection& c, const registry::BusinessFilter& f,
                                          const std::string& bigram);

    // Text queries found to match more than a count limit, keyed by the caller (the word, its
    // place terms and other filters: SqlBusinessRepository::CountKey): the next search for the
    // same key within kMaxAge skips the count ("limit+") and walks
    // the sort order for its page — what it would do after counting. A two-character word is
    // judged from the statistics (ExpectedMatches); a longer one has none (its bigrams'
    // frequencies cannot tell a frequent word from a rare one made of frequent bigrams), so
    // the first search pays the count (PostgreSQL: the GIN bitmap of both bigrams, ~6 ms of
    // CPU for 便利店) and the process remembers the answer. Only how the page is read and the
    // "limit+" rest on it, never which rows are returned.
    void RememberExceeds(const std::string& normalized_query, int64_t limit);
    bool KnownToExceed(const std::string& normalized_query, int64_t limit);
    // Forgets what RememberExceeds recorded: called when this process edits businesses, since
    // an edit may take matches away (a new business only adds them). Another process's edits
    // are seen when the memory expires (kMaxAge), until then only the "limit+" may be stale.
    void ForgetExceeded();

private:
    static constexpr size_t kMaxRemembered = 10'000;

    // Reads the figures when they are older than kMaxAge (or never read).
    Status Refresh(Connection& c);
    // Refresh, false when the figures cannot be read (then tried again after kMaxAge). mu_ held.
    bool Refreshed(Connection& c);

    Clock clock_;
    const int64_t sample_rows_;
    std::mutex mu_;
    std::optional<std::chrono::steady_clock::time_point> read_at_;
    std::unordered_map<std::string, double> share_;  // bigram -> share of businesses
    double rare_share_ = 0;                          // a bigram not among them
    int64_t all_ = 0;                                // every business
    std::map<std::string, int64_t> place_;           // place path -> businesses in its subtree
    std::map<std::string, int64_t> kind_, grade_, status_;  // county-wide
    struct Exceeded {
        int64_t limit = 0;
        std::chrono::steady_clock::time_point at;
    };
    std::unordered_map<std::string, Exceeded> exceeded_;  // normalised query -> when it was seen
    // SQLite: the sample's size and its businesses by term (ReadSample in the .cpp), when read.
    std::optional<std::chrono::steady_clock::time_point> sample_read_at_;
    int64_t sample_size_ = 0;
    std::unordered_map<std::string, int32_t> sample_terms_;
};

}  // namespace shian::storage
