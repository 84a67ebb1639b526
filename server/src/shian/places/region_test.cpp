// Tests of place paths, subtree ranges and the county extract loader.
#include "shian/places/region.hpp"

#include <gtest/gtest.h>

#include "shian/places/region_loader.hpp"

namespace shian::places {
namespace {

TEST(RegionTest, SubtreeRangeCoversExactlyTheSubtree) {
    PathRange r = SubtreeRange("/511902/511902001/");
    auto inside = [&](const std::string& p) { return p >= r.begin && p < r.end; };
    EXPECT_TRUE(inside("/511902/511902001/"));
    EXPECT_TRUE(inside("/511902/511902001/511902001001/"));
    EXPECT_FALSE(inside("/511902/511902002/"));
    EXPECT_FALSE(inside("/511902/5119020010/"));  // a longer code is not a child
    EXPECT_FALSE(inside("/511902/"));
}

TEST(RegionTest, ParsesCountyExtractWithPaths) {
    auto regions = ParseCountyExtract(
        "code,name,level,parent\n511902,巴州区,county,\n511902001,东城街道,township,511902\n"
        "511902001001,北门社区居民委员会,village,511902001\n");
    ASSERT_TRUE(regions.ok()) << regions.error().message;
    ASSERT_EQ(regions->size(), 3u);
    EXPECT_EQ((*regions)[2].path, "/511902/511902001/511902001001/");
    EXPECT_EQ((*regions)[2].level, RegionLevel::kVillage);
}

TEST(RegionTest, MissingParentIsAnError) {
    auto regions = ParseCountyExtract("code,name,level,parent\n511902001,东城街道,township,511902\n");
    EXPECT_FALSE(regions.ok());
    EXPECT_FALSE(ParseCountyExtract("a,b\n1,2\n").ok());
    EXPECT_FALSE(ParseCountyExtract("code,name,level,parent\n1,x,planet,\n").ok());
}

}  // namespace
}  // namespace shian::places
