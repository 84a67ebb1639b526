#include "shian/app/search_index_upkeep.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace shian::app {
namespace {

constexpr TimeMs kT0 = 1'790'000'000'000;

// A step that reports more to do for its first `pieces - 1` calls, or fails when told to.
struct FakeIndex {
    int pieces = 1;
    int steps = 0;
    bool fail = false;
    Result<bool> Step() {
        ++steps;
        if (fail) return Error::Internal("database is locked");
        if (pieces > 1) --pieces;
        return pieces > 1;
    }
};

TEST(SearchIndexUpkeepTest, LooksEveryIdleIntervalAndStepsOftenWhileThereIsMore) {
    FakeClock clock(kT0);
    FakeIndex index;
    index.pieces = 4;
    SearchIndexUpkeep upkeep([&] { return index.Step(); }, &clock);
    // Nothing at start-up: a server that starts must answer first.
    EXPECT_TRUE(upkeep.Tick().ok());
    clock.Advance(SearchIndexUpkeep::kIdleIntervalMs - 1);
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 0);
    clock.Advance(1);
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 1);  // 4 -> 3 pieces: more to do
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 1);  // not again at once
    clock.Advance(SearchIndexUpkeep::kStepIntervalMs);
    EXPECT_TRUE(upkeep.Tick().ok());
    clock.Advance(SearchIndexUpkeep::kStepIntervalMs);
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 3);
    EXPECT_EQ(index.pieces, 1);  // one piece: back to a look every idle interval
    clock.Advance(SearchIndexUpkeep::kStepIntervalMs);
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 3);
    clock.Advance(SearchIndexUpkeep::kIdleIntervalMs);
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 4);
}

TEST(SearchIndexUpkeepTest, AFailedStepIsTriedAgainAtTheNextLook) {
    FakeClock clock(kT0);
    FakeIndex index;
    index.pieces = 3;
    index.fail = true;
    SearchIndexUpkeep upkeep([&] { return index.Step(); }, &clock);
    clock.Advance(SearchIndexUpkeep::kIdleIntervalMs);
    Status failed = upkeep.Tick();
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().message, "database is locked");
    index.fail = false;
    clock.Advance(SearchIndexUpkeep::kStepIntervalMs);
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 1);  // not at the busy pace after a failure
    clock.Advance(SearchIndexUpkeep::kIdleIntervalMs);
    EXPECT_TRUE(upkeep.Tick().ok());
    EXPECT_EQ(index.steps, 2);
    EXPECT_EQ(index.pieces, 2);
}

}  // namespace
}  // namespace shian::app
