// Region: a place in the county's tree (county → township/street → village/community),
// identified by its 统计用区划代码, and the repository interface that stores the tree.
//
// Every record that belongs to a place stores the place's materialised path
// ("/511902/511902001/511902001001/"), so "this place and everything below it" is one index
// range scan on any engine, however deep the tree (domain.md §13).
//
// The tree has exactly these three levels, each place one level below its parent (the loader
// checks it, and places are only merged into places of their own level): a path's depth is its
// place's level, and a village has no places below it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"

namespace shian::places {

enum class RegionLevel { kCounty, kTownship, kVillage };

// "county" / "township" / "village" — API values.
const char* RegionLevelName(RegionLevel level);
std::optional<RegionLevel> ParseRegionLevel(std::string_view name);

struct Region {
    std::string code;
    std::string name;
    RegionLevel level = RegionLevel::kCounty;
    std::string parent_code;  // empty for the county
    std::string path;         // "/county/township/village/"
    bool active = true;
    bool has_children = false;  // filled by Children()
    // A retired place (active false): when, and the place it was merged into, if any. Records
    // keep pointing to it in their history; pickers and the tree no longer show it.
    TimeMs retired_at = 0;
    std::string successor_code;
};

// Path prefix range [begin, end) covering a path and its whole subtree: "/a/" ≤ p < "/a0".
// ('0' is the character right after '/', so only paths starting with "/a/" fall in between.)
struct PathRange {
    std::string begin;
    std::string end;
};
PathRange SubtreeRange(const std::string& path);
std::string ChildPath(const std::string& parent_path, const std::string& code);

// The number of places on a path: 1 for the county, 2 for a township, 3 for a village.
int PathDepth(std::string_view path);
// The path of the township a path lies in ("/c/t/" for "/c/t/" and "/c/t/v/"), or "" for the
// county's own path. Storage indexes businesses by it (migration 9), in the same definition.
std::string TownshipPath(std::string_view path);

class RegionRepository {
public:
    virtual ~RegionRepository() = default;
    virtual Result<std::optional<Region>> Find(const std::string& code) = 0;
    virtual Result<std::vector<Region>> Children(const std::string& parent_code) = 0;
    virtual Result<std::vector<Region>> Roots() = 0;
    // Inserts or updates regions (by code); parents before children.
    virtual Status Upsert(const std::vector<Region>& regions) = 0;
    // Marks a place retired (active false), merged into `successor_code` when not empty.
    virtual Status Retire(const std::string& code, TimeMs at, const std::string& successor_code) = 0;
    virtual Result<int64_t> Count() = 0;
};

}  // namespace shian::places
