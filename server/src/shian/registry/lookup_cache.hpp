// LookupCache: the places (by code, and the children of a place) and the kind dictionary that
// list, statistics and export filters name, kept in this process for a short time so that a
// list request does not read them from the database every time. On PostgreSQL each was a
// statement of its own: a township's list was two statements, the place and the page, and its
// place ~a quarter of the request's database CPU (docs/performance.md, session 9); statistics
// by place read the base place and its children (~a third of the request's database time,
// session 16).
//
// Filters read through it (BusinessService::MakeFilter), and so do statistics by place and the
// place names and kind labels a business is shown with (BusinessService::FillNames; storage
// reads neither, which took two joins off every page statement: +6–40 % req/s, session 12). A
// write checks its place and kind against the database. What it trades is the same as
// SessionCache's (ARCHITECTURE.md, "Several processes"): this process's own changes clear it
// at once (PlaceService after it commits, BusinessService::AddKind), another process's —
// or `shian region merge` run beside the server — are seen when the entry runs out, at most
// `ttl_ms` later; until then a merged place still filters as before (its businesses have
// moved, so the list is empty), statistics and the place tree show places as they were read
// (counts are always current), and a new kind is refused as a filter. `shian serve
// --session-cache-ms 0` turns both caches off.
//
// Thread-safety: every method may be called from several threads.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"
#include "shian/places/region.hpp"
#include "shian/registry/business.hpp"

namespace shian::storage {
class Store;
}

namespace shian::registry {

class LookupCache {
public:
    // ttl_ms: how long an entry is trusted (0: nothing is kept). max_places bounds memory, for
    // places and for lists of children each (a county has a few hundred places; a full cache
    // is emptied, not grown).
    explicit LookupCache(TimeMs ttl_ms, size_t max_places = 4'096)
        : ttl_ms_(ttl_ms), max_places_(max_places) {}

    // The place of `code` as put less than ttl before `now`, if any. Unknown codes are not
    // kept (a filter naming one is an error, and they would let requests fill the cache).
    std::optional<places::Region> Place(const std::string& code, TimeMs now);
    void PutPlace(const places::Region& place, TimeMs now);

    // The active places right below `parent_code` ("": the tree's roots, retired or not), as
    // RegionRepository::Children / Roots gave them, put less than ttl before `now`, if they
    // were. Statistics by place name a place's children on every request.
    std::optional<std::vector<places::Region>> Children(const std::string& parent_code, TimeMs now);
    void PutChildren(const std::string& parent_code, std::vector<places::Region> children, TimeMs now);

    // The kind dictionary as put less than ttl before `now`, if it was.
    std::optional<std::vector<Kind>> Kinds(TimeMs now);
    void PutKinds(std::vector<Kind> kinds, TimeMs now);

    // Forgets everything: call after committing a change to places or kinds.
    void Clear();

private:
    bool Fresh(TimeMs put_at, TimeMs now) const { return now >= put_at && now - put_at < ttl_ms_; }

    const TimeMs ttl_ms_;
    const size_t max_places_;
    std::mutex mu_;
    std::unordered_map<std::string, std::pair<places::Region, TimeMs>> places_;
    std::unordered_map<std::string, std::pair<std::vector<places::Region>, TimeMs>> children_;
    std::optional<std::pair<std::vector<Kind>, TimeMs>> kinds_;
};

// Reads through `cache` (nullptr: from the store every time), putting what the store gave.
Result<std::optional<places::Region>> CachedPlace(LookupCache* cache, storage::Store& store,
                                                  const std::string& code, TimeMs now);
// The active places right below `parent_code`, or the roots for "".
Result<std::vector<places::Region>> CachedChildren(LookupCache* cache, storage::Store& store,
                                                   const std::string& parent_code, TimeMs now);

}  // namespace shian::registry
