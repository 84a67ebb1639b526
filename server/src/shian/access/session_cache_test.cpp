// Tests of SessionCache on its own: when an entry is trusted, forgetting, clearing, the bound
// on its size and a cache that keeps nothing. AuthServiceTest covers it in use.
#include "shian/access/session_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace shian::access {
namespace {

constexpr TimeMs kT0 = 1'764'000'000'000;
constexpr TimeMs kTouch = 60'000;

Principal Named(const std::string& username) {
    Principal p;
    p.user.username = username;
    p.permissions.insert("registry:business:view");
    return p;
}

TEST(SessionCacheTest, AnEntryIsTrustedWhileYoungerThanItsTimeToLive) {
    SessionCache cache(2000);
    EXPECT_FALSE(cache.Find("h1", kT0, kTouch).has_value());
    cache.Put("h1", Named("a"), kT0, kT0);
    struct Case {
        TimeMs at;
        bool found;
        const char* why;
    };
    const std::vector<Case> cases = {
        {kT0, true, "just put"},
        {kT0 + 1999, true, "1 ms before the time to live is up"},
        {kT0 + 2000, false, "the time to live is up"},
        {kT0 - 1, false, "the clock went back"},
    };
    for (const auto& c : cases) {
        auto found = cache.Find("h1", c.at, kTouch);
        EXPECT_EQ(found.has_value(), c.found) << c.why;
        if (found) {
            EXPECT_EQ(found->user.username, "a");
            EXPECT_TRUE(found->Can("registry:business:view"));
        }
    }
    EXPECT_FALSE(cache.Find("h2", kT0, kTouch).has_value()) << "another token";
}

TEST(SessionCacheTest, ASessionDueForItsTouchIsNotServedFromTheCache) {
    SessionCache cache(10 * kTouch);
    // Last seen 59 s before it was cached.
    cache.Put("h1", Named("a"), kT0 - kTouch + 1000, kT0);
    EXPECT_TRUE(cache.Find("h1", kT0 + 1000, kTouch).has_value()) << "seen exactly a minute ago";
    EXPECT_FALSE(cache.Find("h1", kT0 + 1001, kTouch).has_value()) << "due to be touched";
}

TEST(SessionCacheTest, ForgetAndClear) {
    SessionCache cache(2000);
    cache.Put("h1", Named("a"), kT0, kT0);
    cache.Put("h2", Named("b"), kT0, kT0);
    cache.Put("h3", Named("c"), kT0, kT0);
    EXPECT_EQ(cache.size(), 3u);
    cache.Forget("h1");
    EXPECT_FALSE(cache.Find("h1", kT0, kTouch).has_value());
    EXPECT_TRUE(cache.Find("h2", kT0, kTouch).has_value());
    cache.Forget("unknown");
    cache.Clear();
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_FALSE(cache.Find("h2", kT0, kTouch).has_value());
    // Put again after a change: the newest principal wins.
    cache.Put("h2", Named("b2"), kT0, kT0);
    cache.Put("h2", Named("b3"), kT0, kT0 + 1);
    EXPECT_EQ(cache.Find("h2", kT0 + 1, kTouch)->user.username, "b3");
}

TEST(SessionCacheTest, SizeIsBounded) {
    SessionCache cache(2000, /*max_entries=*/64);
    for (int i = 0; i < 10'000; ++i) cache.Put("h" + std::to_string(i), Named("u"), kT0, kT0);
    EXPECT_LE(cache.size(), 64u + 16u);  // one extra per shard at most
    // Stale entries make room before fresh ones are dropped.
    SessionCache aging(2000, 16);
    for (int i = 0; i < 16; ++i) aging.Put("old" + std::to_string(i), Named("u"), kT0, kT0);
    aging.Put("new", Named("n"), kT0 + 5000, kT0 + 5000);
    EXPECT_TRUE(aging.Find("new", kT0 + 5000, kTouch).has_value());
}

TEST(SessionCacheTest, ATimeToLiveOfZeroKeepsNothing) {
    SessionCache cache(0);
    cache.Put("h1", Named("a"), kT0, kT0);
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_FALSE(cache.Find("h1", kT0, kTouch).has_value());
}

TEST(SessionCacheTest, ManyThreadsAtOnce) {
    SessionCache cache(2000, 1024);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&cache, t] {
            for (int i = 0; i < 2000; ++i) {
                std::string key = "h" + std::to_string((i * 7 + t) % 300);
                cache.Put(key, Named(key), kT0, kT0);
                auto found = cache.Find(key, kT0 + 1, kTouch);
                if (found) {
                    EXPECT_EQ(found->user.username, key);
                }
                if (i % 97 == 0) cache.Forget(key);
                if (i % 501 == 0) cache.Clear();
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_LE(cache.size(), 300u);
}

}  // namespace
}  // namespace shian::access
