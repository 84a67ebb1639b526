// SearchIndexUpkeep: a running server's merging of its search index, a bounded step at a time.
//
// SQLite's FTS5 index grows by one segment per committing transaction that wrote to it, and
// FTS5's automerge folds them only once several share a level: months of edits and small
// imports leave it in several segments, and every search reads each one (the 1M bench
// database in 9 segments served 3,990 two-character searches a second, in one 6,666;
// docs/performance.md, session 16). A large import ends with the whole merge
// (BusinessRepository::CompactSearchIndex); a server takes bounded steps instead
// (CompactSearchIndexStep), each holding the write lock briefly: one every kStepIntervalMs
// while the index is in several pieces, otherwise a look every kIdleIntervalMs. A step that
// fails (the database busy) is tried again at the next look. PostgreSQL: every look finds
// nothing to do.
//
// Thread-safety: one thread calls Tick (the serve loop).
#pragma once

#include <functional>

#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"

namespace shian::app {

class SearchIndexUpkeep {
public:
    static constexpr TimeMs kIdleIntervalMs = 10 * kMinuteMs;
    static constexpr TimeMs kStepIntervalMs = 5'000;

    // step: one bounded merge step, true while more remains (CompactSearchIndexStep).
    SearchIndexUpkeep(std::function<Result<bool>()> step, const Clock* clock);

    // Takes a step when one is due; call it often. The step's error when it failed.
    Status Tick();

private:
    std::function<Result<bool>()> step_;
    const Clock* clock_;
    TimeMs next_;
};

}  // namespace shian::app
