// PlaceService: the place tree as a user may see it (the places inside the user's scope and
// those on the way down to it), and 区划调整 — an administrator retires a place or merges it
// into another place of the same level (撤并, domain.md §2), moving every record that belongs
// to it with its history: businesses (each gets a place-history entry and an audit entry),
// users, departments and custom-scope roles. The retired place stays in the tree, marked
// retired with its successor, so old records and history still name it.
//
// It lives in registry/ because moving a place's records needs every domain that owns them;
// later modules that store a place (inspections, sampling, …) add their records here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shian/access/session_cache.hpp"
#include "shian/access/user.hpp"
#include "shian/core/clock.hpp"
#include "shian/registry/lookup_cache.hpp"
#include "shian/storage/store.hpp"

namespace shian::registry {

// A place with the places above it.
struct PlaceDetail {
    places::Region place;
    std::vector<places::Region> path;  // from the county down to the place itself
};

struct PlaceMergeReport {
    places::Region from;  // as retired
    places::Region into;
    int64_t places = 0;  // places below `from` moved under `into`
    int64_t businesses = 0;
    int64_t users = 0;
    int64_t departments = 0;
    int64_t roles = 0;
};

class PlaceService {
public:
    // sessions: the cache of resolved sessions a merge clears; lookups: the cache of places that
    // list filters name and the tree is read through, which a merge or a retirement clears
    // (either may be nullptr).
    PlaceService(storage::StoreProvider* stores, const Clock* clock, access::SessionCache* sessions = nullptr,
                 LookupCache* lookups = nullptr)
        : stores_(stores), clock_(clock), sessions_(sessions), lookups_(lookups) {}

    // The active places right below `parent_code` that `who` may see. "" asks for the top of
    // the user's tree: the county for a county-wide scope, else the user's own place (with
    // has_children). A parent outside what `who` may see is NotFound, as is an unknown one.
    Result<std::vector<places::Region>> Children(const access::Principal& who, const std::string& parent_code);
    // A place `who` may see, retired or not, with the places above it; NotFound otherwise.
    Result<PlaceDetail> Get(const access::Principal& who, const std::string& code);

    // Merges `from` into `into` (same level, both active, not the county): the places below
    // `from` become children of `into`; businesses, users and departments of `from` move to
    // `into`; roles that listed `from` list `into`. All in one transaction.
    Result<PlaceMergeReport> Merge(const access::Principal& who, const std::string& from_code,
                                   const std::string& into_code);

    // Retires a place nothing belongs to any more (no active places below it, no businesses,
    // users, departments or roles); otherwise a conflict that says what is left.
    Result<places::Region> Retire(const access::Principal& who, const std::string& code);

private:
    storage::StoreProvider* stores_;
    const Clock* clock_;
    access::SessionCache* sessions_;
    LookupCache* lookups_;
};

}  // namespace shian::registry
