// SearchHints (PostgreSQL): how many businesses a two-character search may match, estimated
// the way PostgreSQL's planner does — the bigram's share of businesses (the statistics' most
// common elements of search_grams) times the rows of the other filters — from figures read
// at most once a minute per process instead of planning an EXPLAIN for every such search
// (~0.4 ms of the database's CPU per request). The other filters' rows come from the tally
// (exact per place; kind, grade and status taken as independent, as the planner takes them).
//
// Only the choice of how to read a page rests on the estimate (SqlBusinessRepository::List:
// count the matches, or walk the sort order and say "500+"), never which rows are returned,
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

    // clock: when the figures were read (injectable for tests).
    explicit SearchHints(Clock clock = std::chrono::steady_clock::now) : clock_(std::move(clock)) {}

    // The estimated businesses that match f's filters other than its text query and contain
    // `bigram`; nullopt when there are no statistics yet (the table was never analysed) or f
    // has a filter the figures cannot estimate (a tag, places without their subtree): the
    // caller then asks the planner; also when the figures cannot be read (they are tried
    // again a minute later).
    std::optional<double> ExpectedMatches(Connection& c, const registry::BusinessFilter& f,
                                          const std::string& bigram);

private:
    // Reads the figures when they are older than kMaxAge (or never read).
    Status Refresh(Connection& c);

    Clock clock_;
    std::mutex mu_;
    std::optional<std::chrono::steady_clock::time_point> read_at_;
    std::unordered_map<std::string, double> share_;  // bigram -> share of businesses
    double rare_share_ = 0;                          // a bigram not among them
    int64_t all_ = 0;                                // every business
    std::map<std::string, int64_t> place_;           // place path -> businesses in its subtree
    std::map<std::string, int64_t> kind_, grade_, status_;  // county-wide
};

}  // namespace shian::storage
