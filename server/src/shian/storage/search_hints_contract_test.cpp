// Contract tests of SearchHints (search_hints.hpp) on a real PostgreSQL: the estimate of a
// two-character search from the statistics and the tally, what it declines to estimate, and
// how long it keeps its figures. SQLite has no such statistics: skipped there.
#include "shian/storage/search_hints.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "shian/storage/store_test_fixture.hpp"

namespace shian::storage {
namespace {

using registry::Business;
using registry::BusinessFilter;

constexpr const char* kBeimen = "511902001001";  // 北门社区 (东城街道)
constexpr const char* kCaoba = "511902002001";   // 草坝社区 (西城街道)

class SearchHintsTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (conn_ && conn_->dialect() != Dialect::kPostgres) GTEST_SKIP() << "PostgreSQL statistics only";
    }

    // n businesses: 火锅 in every second name, 北门 and 草坝 alternately by pairs, one in
    // three catering.
    void Insert(int n, int first = 0) {
        ASSERT_TRUE(IsOk(store_->Begin()));
        for (int i = first; i < first + n; ++i) {
            Business b;
            b.version = 1;
            b.name = std::string("店") + std::to_string(i) + (i % 2 == 0 ? "火锅" : "超市");
            b.kind = i % 3 == 0 ? "catering" : "food_retail";
            b.region_code = (i / 2) % 2 == 0 ? kBeimen : kCaoba;
            b.region_path = PathOf(b.region_code);
            b.status = "营业";
            b.created_at = b.updated_at = 1'764'000'000'000 + i;
            ASSERT_TRUE(IsOk(store_->businesses().Insert(b)));
        }
        ASSERT_TRUE(IsOk(store_->Commit()));
    }

    void Analyze() { ASSERT_TRUE(IsOk(conn_->Execute("ANALYZE business", {}))); }

    double Expected(SearchHints& hints, const BusinessFilter& f, const std::string& bigram) {
        return hints.ExpectedMatches(*conn_, f, bigram).value_or(-1);
    }

    std::chrono::steady_clock::time_point now_{};
};

TEST_F(SearchHintsTest, EstimatesFromTheStatisticsAndTheTally) {
    Insert(240);
    Analyze();  // 240 rows: ANALYZE reads them all, so the shares are exact
    SearchHints hints([this] { return now_; });
    BusinessFilter f;
    f.scope.all = true;
    EXPECT_NEAR(Expected(hints, f, "火锅"), 120, 1);
    EXPECT_NEAR(Expected(hints, f, "超市"), 120, 1);
    // A bigram no business has: PostgreSQL's share for an unlisted element, at most 0.5 %.
    double rare = Expected(hints, f, "麻辣");
    EXPECT_GE(rare, 0);
    EXPECT_LE(rare, 240 * 0.005 + 1e-9);

    f.region_path = PathOf(kBeimen);  // half the businesses
    EXPECT_NEAR(Expected(hints, f, "火锅"), 60, 1);
    f.region_path = PathOf("511902001");  // 北门's township
    EXPECT_NEAR(Expected(hints, f, "火锅"), 60, 1);
    f.region_path.clear();
    f.kind = "catering";  // a third, taken as independent of the word
    EXPECT_NEAR(Expected(hints, f, "火锅"), 40, 1);
    f.kind.clear();

    BusinessFilter scoped;  // a user of 草坝
    scoped.scope.subtree_paths = {PathOf(kCaoba)};
    EXPECT_NEAR(Expected(hints, scoped, "火锅"), 60, 1);
    scoped.region_path = PathOf(kBeimen);  // a place outside the scope: nothing
    EXPECT_NEAR(Expected(hints, scoped, "火锅"), 0, 1e-9);

    BusinessFilter one;  // a business account: one business at most
    one.scope.business_id = 7;
    EXPECT_EQ(Expected(hints, one, "火锅"), 1);

    // Not estimated: a tag (not tallied) — the caller asks the planner.
    f.tag = "入网餐饮";
    EXPECT_FALSE(hints.ExpectedMatches(*conn_, f, "火锅"));
}

TEST_F(SearchHintsTest, KeepsItsFiguresForAMinute) {
    Insert(100);
    Analyze();
    SearchHints hints([this] { return now_; });
    BusinessFilter f;
    f.scope.all = true;
    EXPECT_NEAR(Expected(hints, f, "火锅"), 50, 1);

    Insert(300, 100);  // 400 businesses, 200 with 火锅
    Analyze();
    now_ += SearchHints::kMaxAge - std::chrono::seconds(1);
    EXPECT_NEAR(Expected(hints, f, "火锅"), 50, 1) << "figures younger than a minute are kept";
    now_ += std::chrono::seconds(1);
    EXPECT_NEAR(Expected(hints, f, "火锅"), 200, 1) << "a minute old: read again";
}

TEST_F(SearchHintsTest, RemembersForAMinuteThatAWordExceededALimit) {
    SearchHints hints([this] { return now_; });
    EXPECT_FALSE(hints.KnownToExceed("便利店", 200));
    hints.RememberExceeds("便利店", 200);
    EXPECT_TRUE(hints.KnownToExceed("便利店", 200));
    EXPECT_TRUE(hints.KnownToExceed("便利店", 100)) << "more than 200 is more than 100";
    EXPECT_FALSE(hints.KnownToExceed("便利店", 500)) << "more than 200 says nothing of 500";
    EXPECT_FALSE(hints.KnownToExceed("李记火", 200)) << "another word";
    now_ += SearchHints::kMaxAge - std::chrono::seconds(1);
    EXPECT_TRUE(hints.KnownToExceed("便利店", 200));
    now_ += std::chrono::seconds(1);
    EXPECT_FALSE(hints.KnownToExceed("便利店", 200)) << "a minute old: counted again";
    hints.RememberExceeds("便利店", 200);
    hints.ForgetExceeded();  // an edit in this process
    EXPECT_FALSE(hints.KnownToExceed("便利店", 200)) << "forgotten after an edit";
}

// Without statistics — a table never analysed, or an engine without pg_stats (SQLite, where
// the statement fails) — the hints decline, and the list asks the planner or counts.
TEST_F(StoreTest, SearchHintsDeclineWithoutStatistics) {
    SearchHints hints;
    BusinessFilter f;
    f.scope.all = true;
    EXPECT_FALSE(hints.ExpectedMatches(*conn_, f, "火锅"));
    EXPECT_FALSE(hints.ExpectedMatches(*conn_, f, "火锅")) << "asked again within the minute";
}

}  // namespace
}  // namespace shian::storage
