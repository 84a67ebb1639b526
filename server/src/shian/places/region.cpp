#include "shian/places/region.hpp"

namespace shian::places {

const char* RegionLevelName(RegionLevel level) {
    switch (level) {
        case RegionLevel::kCounty: return "county";
        case RegionLevel::kTownship: return "township";
        case RegionLevel::kVillage: return "village";
    }
    return "county";
}

std::optional<RegionLevel> ParseRegionLevel(std::string_view name) {
    if (name == "county") return RegionLevel::kCounty;
    if (name == "township") return RegionLevel::kTownship;
    if (name == "village") return RegionLevel::kVillage;
    return std::nullopt;
}

PathRange SubtreeRange(const std::string& path) {
    PathRange range{path, path};
    if (!range.end.empty() && range.end.back() == '/') range.end.back() = '0';
    return range;
}

std::string ChildPath(const std::string& parent_path, const std::string& code) {
    return (parent_path.empty() ? std::string("/") : parent_path) + code + "/";
}

int PathDepth(std::string_view path) {
    int depth = 0;
    for (size_t i = 1; i < path.size(); ++i) depth += path[i] == '/' ? 1 : 0;
    return depth;
}

std::string TownshipPath(std::string_view path) {
    if (PathDepth(path) < 2) return {};
    size_t second = path.find('/', 1);
    size_t third = path.find('/', second + 1);
    return std::string(path.substr(0, third + 1));
}

}  // namespace shian::places
