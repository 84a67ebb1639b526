// LookupCache alone: entries younger than the ttl, a bounded number of places and of lists of
// children, Clear, and a ttl of 0 that keeps nothing. (Its use by list filters and statistics:
// BusinessServiceTest.FiltersSeeOtherProcessesPlaceAndKindChangesAfterTheTtl.)
#include "shian/registry/lookup_cache.hpp"

#include <gtest/gtest.h>

namespace shian::registry {
namespace {

TEST(LookupCacheTest, KeepsEntriesForTheTtlAndBoundsItsSize) {
    LookupCache cache(1000, /*max_places=*/2);
    places::Region a;
    a.code = "511902001";
    a.path = "/511902/511902001/";
    places::Region b = a, c = a;
    b.code = "511902002";
    c.code = "511902003";
    EXPECT_FALSE(cache.Place(a.code, 0));
    cache.PutPlace(a, 0);
    ASSERT_TRUE(cache.Place(a.code, 999));
    EXPECT_EQ(cache.Place(a.code, 999)->path, a.path);
    EXPECT_FALSE(cache.Place(a.code, 1000)) << "a ttl old";
    cache.PutPlace(a, 1000);
    EXPECT_FALSE(cache.Place(a.code, 999)) << "a clock that went back trusts nothing";
    cache.PutPlace(b, 1000);
    cache.PutPlace(c, 1000);  // full: emptied first
    EXPECT_FALSE(cache.Place(a.code, 1001));
    EXPECT_TRUE(cache.Place(c.code, 1001));

    EXPECT_FALSE(cache.Children("511902", 0));
    cache.PutChildren("511902", {a, b}, 0);
    cache.PutChildren("", {}, 0);  // the roots: none yet
    ASSERT_TRUE(cache.Children("511902", 999));
    EXPECT_EQ(cache.Children("511902", 999)->size(), 2u);
    ASSERT_TRUE(cache.Children("", 999)) << "an empty list is kept too";
    EXPECT_TRUE(cache.Children("", 999)->empty());
    EXPECT_FALSE(cache.Children("511902", 1000)) << "a ttl old";
    cache.PutChildren("511902", {a}, 1000);
    cache.PutChildren("511902001", {}, 1000);
    cache.PutChildren("511902002", {}, 1000);  // two lists kept at most: emptied first
    EXPECT_FALSE(cache.Children("511902", 1001));
    EXPECT_TRUE(cache.Children("511902002", 1001));

    EXPECT_FALSE(cache.Kinds(0));
    cache.PutKinds({{"catering", "餐饮服务", true, 1}}, 0);
    ASSERT_TRUE(cache.Kinds(10));
    EXPECT_EQ(cache.Kinds(10)->size(), 1u);
    cache.Clear();
    EXPECT_FALSE(cache.Kinds(10));
    EXPECT_FALSE(cache.Place(c.code, 1001));
    EXPECT_FALSE(cache.Children("511902002", 1001));

    LookupCache off(0);
    off.PutPlace(a, 0);
    off.PutChildren("511902", {a}, 0);
    off.PutKinds({}, 0);
    EXPECT_FALSE(off.Place(a.code, 0));
    EXPECT_FALSE(off.Children("511902", 0));
    EXPECT_FALSE(off.Kinds(0));
}

}  // namespace
}  // namespace shian::registry
