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

TEST(RegionTest, PathDepthAndTownship) {
    struct Case {
        const char* path;
        int depth;
        const char* township;
    };
    const Case cases[] = {
        {"/511902/", 1, ""},
        {"/511902/511902001/", 2, "/511902/511902001/"},
        {"/511902/511902001/511902001001/", 3, "/511902/511902001/"},
        {"/1/22/333/", 3, "/1/22/"},
        {"", 0, ""},
        {"/", 0, ""},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(PathDepth(c.path), c.depth) << c.path;
        EXPECT_EQ(TownshipPath(c.path), c.township) << c.path;
    }
}

TEST(RegionTest, EachPlaceIsOneLevelBelowItsParent) {
    const char* kHeader = "code,name,level,parent\n511902,巴州区,county,\n";
    // A village directly under the county, a township under a township, a village under a
    // village, a second county, a duplicate code: each would break "depth = level".
    for (const char* rows : {"511902001001,北门社区,village,511902\n",
                             "511902001,东城街道,township,511902\n511902002,西城街道,township,511902001\n",
                             "511902001,东城街道,township,511902\n511902001001,北门社区,village,511902001\n"
                             "511902001002,x,village,511902001001\n",
                             "511903,恩阳区,county,\n511903001,x,township,511903\n",
                             "511902001,东城街道,township,511902\n511902001,东城街道,township,511902\n"}) {
        EXPECT_FALSE(ParseCountyExtract(std::string(kHeader) + rows).ok()) << rows;
    }
    EXPECT_TRUE(ParseCountyExtract(std::string(kHeader) + "511902001,东城街道,township,511902\n").ok());
}

}  // namespace
}  // namespace shian::places
