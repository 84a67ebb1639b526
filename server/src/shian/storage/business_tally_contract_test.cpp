// Contract tests of the maintained business counts (storage/business_tally.hpp): after any
// sequence of inserts and updates (moves between places, kind, grade and status changes), the
// totals and statistics read from the tally equal counting the rows, for every kind of scope
// and filter; migration 3 fills the tally from businesses stored before it existed.
//
// Runs on SQLite and PostgreSQL (SHIAN_TEST_DB, see test_database.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "shian/app/setup.hpp"
#include "shian/core/result_matchers.hpp"
#include "shian/places/region.hpp"
#include "shian/registry/business.hpp"
#include "shian/storage/business_tally.hpp"
#include "shian/storage/connection.hpp"
#include "shian/storage/migrations/migrations.hpp"
#include "shian/storage/sql_store.hpp"
#include "shian/storage/store_test_fixture.hpp"

namespace shian::storage {
namespace {

using registry::Business;
using registry::BusinessFilter;
using registry::StatsDimension;

constexpr TimeMs kT0 = 1'764'000'000'000;

// Places of the bundled 巴州区 extract: two townships with a village each, and a third township.
constexpr const char* kCounty = "511902";
constexpr const char* kDongcheng = "511902001";
constexpr const char* kBeimen = "511902001001";
constexpr const char* kXicheng = "511902002";
constexpr const char* kCaoba = "511902002001";
constexpr const char* kHuifeng = "511902003";  // 回风街道

class BusinessTallyTest : public StoreTest {
protected:

    // A random sequence of inserts and updates; `all_` mirrors what is stored.
    void RandomWrites(int inserts, int updates, uint32_t seed) {
        static const char* kPlaces[] = {kBeimen, kDongcheng, kCaoba, kXicheng, kHuifeng};
        static const char* kKinds[] = {"catering", "food_retail", "school_canteen"};
        static const char* kGrades[] = {"", "A", "B", "C", "D"};
        static const char* kStatuses[] = {"营业", "停业", "注销"};
        std::mt19937 rng(seed);
        auto pick = [&rng](const auto& options) {
            return options[rng() % (sizeof options / sizeof options[0])];
        };
        ASSERT_TRUE(IsOk(store_->Begin()));
        for (int i = 0; i < inserts; ++i) {
            Business b;
            b.version = 1;
            b.name = "主体" + std::to_string(i);
            b.kind = pick(kKinds);
            b.region_code = pick(kPlaces);
            b.region_path = PathOf(b.region_code);
            b.status = pick(kStatuses);
            b.risk_grade = pick(kGrades);
            b.created_at = b.updated_at = kT0 + i;
            auto id = businesses().Insert(b);
            ASSERT_TRUE(IsOk(id));
            b.id = *id;
            all_.push_back(b);
        }
        for (int i = 0; i < updates; ++i) {
            Business& b = all_[rng() % all_.size()];
            Business next = b;
            switch (rng() % 4) {
                case 0:
                    next.region_code = pick(kPlaces);
                    next.region_path = PathOf(next.region_code);
                    break;
                case 1: next.kind = pick(kKinds); break;
                case 2: next.risk_grade = pick(kGrades); break;
                default: next.status = pick(kStatuses); break;
            }
            next.version = b.version + 1;
            ASSERT_TRUE(IsOk(businesses().Update(next)));
            b = next;
        }
        ASSERT_TRUE(IsOk(store_->Commit()));
    }

    // What counting the rows gives: the rows under any of `paths` (all when empty) with f's
    // kind, grade and status.
    std::vector<const Business*> Matching(const std::vector<std::string>& paths, const BusinessFilter& f) {
        std::vector<const Business*> out;
        for (const auto& b : all_) {
            bool placed = paths.empty();
            for (const auto& p : paths) placed = placed || b.region_path.starts_with(p);
            if (!placed) continue;
            if (!f.kind.empty() && b.kind != f.kind) continue;
            if (!f.risk_grade.empty() && b.risk_grade != (f.risk_grade == "none" ? "" : f.risk_grade)) continue;
            if (!f.status.empty() && b.status != f.status) continue;
            out.push_back(&b);
        }
        return out;
    }

    std::vector<Business> all_;
};

TEST_F(BusinessTallyTest, TotalsEqualCountingTheRows) {
    RandomWrites(300, 400, 7);
    struct Case {
        const char* name;
        access::ScopeFilter scope;
        std::string place;               // the place filter
        std::vector<std::string> paths;  // what the rows must lie under (empty: anywhere)
    };
    access::ScopeFilter all;
    all.all = true;
    access::ScopeFilter dongcheng;
    dongcheng.subtree_paths = {PathOf(kDongcheng)};
    access::ScopeFilter two;
    two.subtree_paths = {PathOf(kXicheng), PathOf(kBeimen)};
    access::ScopeFilter nested;  // a village inside the township also given: counted once
    nested.subtree_paths = {PathOf(kBeimen), PathOf(kDongcheng)};
    access::ScopeFilter none;
    none.nothing = true;
    const Case cases[] = {
        {"everything", all, "", {}},
        {"county place", all, PathOf(kCounty), {PathOf(kCounty)}},
        {"township place", all, PathOf(kDongcheng), {PathOf(kDongcheng)}},
        {"village place", all, PathOf(kBeimen), {PathOf(kBeimen)}},
        {"township scope", dongcheng, "", {PathOf(kDongcheng)}},
        {"village inside the scope", dongcheng, PathOf(kBeimen), {PathOf(kBeimen)}},
        {"county place around the scope", dongcheng, PathOf(kCounty), {PathOf(kDongcheng)}},
        {"place outside the scope", dongcheng, PathOf(kXicheng), {"/none/"}},
        {"two subtrees", two, "", {PathOf(kXicheng), PathOf(kBeimen)}},
        {"nested subtrees", nested, "", {PathOf(kDongcheng)}},
        {"no scope", none, "", {"/none/"}},
    };
    for (const Case& c : cases) {
        for (const char* kind : {"", "catering"}) {
            for (const char* grade : {"", "A", "none"}) {
                for (const char* status : {"", "营业"}) {
                    BusinessFilter f;
                    f.scope = c.scope;
                    f.region_path = c.place;
                    f.kind = kind;
                    f.risk_grade = grade;
                    f.status = status;
                    SCOPED_TRACE(std::string(c.name) + " kind=" + kind + " grade=" + grade + " status=" + status);
                    BusinessTally tally(conn_.get());
                    auto total = tally.Total(f);
                    ASSERT_TRUE(IsOk(total));
                    ASSERT_TRUE(total->has_value()) << "the tally answers place, kind, grade and status filters";
                    EXPECT_EQ(**total, static_cast<int64_t>(Matching(c.paths, f).size()));
                    // The list reports the same total.
                    auto page = businesses().List(f, true);
                    ASSERT_TRUE(IsOk(page));
                    EXPECT_EQ(page->total, **total);
                    EXPECT_TRUE(page->total_exact);
                }
            }
        }
    }
}

TEST_F(BusinessTallyTest, StatisticsEqualCountingTheRows) {
    RandomWrites(250, 300, 11);
    auto expected = [&](const std::vector<std::string>& paths, const BusinessFilter& f, StatsDimension by,
                        int depth) {
        std::map<std::string, int64_t> counts;
        for (const Business* b : Matching(paths, f)) {
            switch (by) {
                case StatsDimension::kKind: counts[b->kind]++; break;
                case StatsDimension::kRiskGrade: counts[b->risk_grade]++; break;
                case StatsDimension::kStatus: counts[b->status]++; break;
                case StatsDimension::kRegion: counts[CodeAtLevel(b->region_path, depth)]++; break;
            }
        }
        return counts;
    };
    struct Case {
        const char* name;
        BusinessFilter filter;
        std::vector<std::string> paths;
        int depth;
    };
    BusinessFilter county;
    county.scope.all = true;
    BusinessFilter township = county;
    township.region_path = PathOf(kDongcheng);
    BusinessFilter scoped;
    scoped.scope.subtree_paths = {PathOf(kXicheng)};
    BusinessFilter catering_in_county = county;
    catering_in_county.kind = "catering";
    const Case cases[] = {
        {"county by township", county, {}, 2},
        {"township by village", township, {PathOf(kDongcheng)}, 3},
        {"township scope by village", scoped, {PathOf(kXicheng)}, 3},
        {"township scope by township", scoped, {PathOf(kXicheng)}, 2},
        {"catering by township", catering_in_county, {}, 2},
    };
    for (const Case& c : cases) {
        for (StatsDimension by : {StatsDimension::kKind, StatsDimension::kRiskGrade, StatsDimension::kStatus,
                                  StatsDimension::kRegion}) {
            SCOPED_TRACE(std::string(c.name) + " by " + std::to_string(static_cast<int>(by)));
            BusinessTally tally(conn_.get());
            auto rows = tally.CountBy(c.filter, by, c.depth);
            ASSERT_TRUE(IsOk(rows));
            ASSERT_TRUE(rows->has_value());
            std::map<std::string, int64_t> got;
            for (const auto& r : **rows) got[r.key] += r.count;
            EXPECT_EQ(got, expected(c.paths, c.filter, by, c.depth));
        }
    }
}

TEST_F(BusinessTallyTest, ABatchInsertsUpdatesAndCountsOnce) {
    RandomWrites(40, 0, 5);
    // Half the batch updates stored businesses (moved to 回风街道, graded D), half is new.
    std::vector<Business> batch;
    for (size_t i = 0; i < 20; ++i) {
        Business b = all_[i];
        b.region_code = kHuifeng;
        b.region_path = PathOf(kHuifeng);
        b.risk_grade = "D";
        b.version += 1;
        batch.push_back(b);
        Business n;
        n.version = 1;
        n.name = "新主体" + std::to_string(i);
        n.kind = "catering";
        n.region_code = kBeimen;
        n.region_path = PathOf(kBeimen);
        n.status = "营业";
        n.created_at = n.updated_at = kT0;
        batch.push_back(n);
    }
    ASSERT_TRUE(IsOk(store_->Begin()));
    ASSERT_TRUE(IsOk(businesses().Save(&batch)));
    ASSERT_TRUE(IsOk(store_->Commit()));
    for (size_t i = 0; i < batch.size(); ++i) {
        ASSERT_NE(batch[i].id, 0) << "inserted rows get their ids";
        if (i % 2 == 0) all_[i / 2] = batch[i];
        else all_.push_back(batch[i]);
    }
    for (const char* place : {"", kHuifeng, kBeimen, kDongcheng}) {
        BusinessFilter f;
        f.scope.all = true;
        if (*place) f.region_path = PathOf(place);
        auto page = businesses().List(f, true);
        ASSERT_TRUE(IsOk(page));
        EXPECT_EQ(page->total, static_cast<int64_t>(Matching(*place ? std::vector<std::string>{PathOf(place)}
                                                                    : std::vector<std::string>{},
                                                             f).size()))
            << place;
    }
    auto stored = businesses().Find(batch[1].id);
    ASSERT_TRUE(IsOk(stored));
    ASSERT_TRUE(stored->has_value());
    EXPECT_EQ((*stored)->name, "新主体0");

    // A stale version anywhere in a batch is a conflict.
    std::vector<Business> stale = {all_[0]};  // version already stored, not stored + 1
    EXPECT_TRUE(FailsWith(businesses().Save(&stale), ErrorCode::kConflict));
}

TEST_F(BusinessTallyTest, ABulkTransactionChangesTheCountsOnceWhenItCommits) {
    RandomWrites(30, 0, 11);
    auto expect_totals = [&](const char* why) {
        for (const char* place : {"", kHuifeng, kBeimen, kDongcheng, kXicheng}) {
            BusinessFilter f;
            f.scope.all = true;
            if (*place) f.region_path = PathOf(place);
            for (const char* status : {"", "营业"}) {
                f.status = status;
                auto page = businesses().List(f, true);
                ASSERT_TRUE(IsOk(page));
                EXPECT_EQ(page->total,
                          static_cast<int64_t>(
                              Matching(*place ? std::vector<std::string>{PathOf(place)} : std::vector<std::string>{}, f)
                                  .size()))
                    << why << ", place " << place << ", status " << status;
            }
        }
    };
    // Two batches, as an import writes its chunks: the second moves some of the first's
    // businesses again.
    auto batch_of = [&](size_t first, const char* place, const char* status, int fresh) {
        std::vector<Business> batch;
        for (size_t i = first; i < first + 10; ++i) {
            Business b = all_[i];
            b.region_code = place;
            b.region_path = PathOf(place);
            b.status = status;
            b.version += 1;
            batch.push_back(b);
        }
        for (int i = 0; i < fresh; ++i) {
            Business n;
            n.version = 1;
            n.name = std::string("批量") + place + std::to_string(i);
            n.kind = "food_retail";
            n.region_code = place;
            n.region_path = PathOf(place);
            n.status = status;
            n.created_at = n.updated_at = kT0;
            batch.push_back(n);
        }
        return batch;
    };
    auto keep = [&](const std::vector<Business>& batch) {
        for (const auto& b : batch) {
            auto it = std::find_if(all_.begin(), all_.end(), [&](const Business& a) { return a.id == b.id; });
            if (it != all_.end()) *it = b;
            else all_.push_back(b);
        }
    };

    // Rolled back: the counts are as before.
    std::vector<Business> dropped = batch_of(0, kHuifeng, "停业", 5);
    ASSERT_TRUE(IsOk(store_->BeginBulk()));
    ASSERT_TRUE(IsOk(businesses().Save(&dropped)));
    ASSERT_TRUE(IsOk(store_->Rollback()));
    expect_totals("after a rollback");

    ASSERT_TRUE(IsOk(store_->BeginBulk()));
    std::vector<Business> first = batch_of(0, kHuifeng, "停业", 5);
    ASSERT_TRUE(IsOk(businesses().Save(&first)));
    keep(first);
    std::vector<Business> second = batch_of(5, kCaoba, "营业", 3);  // 5 of them were in `first`
    ASSERT_TRUE(IsOk(businesses().Save(&second)));
    keep(second);
    ASSERT_TRUE(IsOk(store_->Commit()));
    expect_totals("after the bulk transaction");

    // The next ordinary transaction counts as it writes.
    RandomWrites(3, 4, 12);
    expect_totals("after an ordinary transaction");
}

TEST_F(BusinessTallyTest, TextQueriesTagsAndBusinessAccountsAreNotTallied) {
    BusinessFilter f;
    f.scope.all = true;
    f.q = "火锅";
    EXPECT_FALSE(TallyPlacesOf(f).has_value());
    f.q = "  ";  // no searchable characters: no text condition at all
    EXPECT_TRUE(TallyPlacesOf(f).has_value());
    f.q.clear();
    f.tag = "明厨亮灶";
    EXPECT_FALSE(TallyPlacesOf(f).has_value());
    BusinessFilter own;
    own.scope.business_id = 7;
    EXPECT_FALSE(TallyPlacesOf(own).has_value());
    BusinessFilter exact;
    exact.scope.exact_paths = {PathOf(kDongcheng)};
    EXPECT_FALSE(TallyPlacesOf(exact).has_value());
}

TEST_F(BusinessTallyTest, MigrationFillsTheTallyFromStoredBusinesses) {
    RandomWrites(200, 150, 3);
    auto snapshot = [&]() {
        auto rows = conn_->Query("SELECT place_path, kind, risk_grade, status, n FROM business_tally WHERE n <> 0 "
                                 "ORDER BY place_path, kind, risk_grade, status");
        EXPECT_TRUE(IsOk(rows));
        std::vector<std::string> out;
        if (!rows.ok()) return out;
        for (size_t i = 0; i < rows->size(); ++i) {
            out.push_back(rows->Text(i, 0) + "|" + rows->Text(i, 1) + "|" + rows->Text(i, 2) + "|" +
                          rows->Text(i, 3) + "|" + std::to_string(rows->Int(i, 4)));
        }
        return out;
    };
    auto maintained = snapshot();
    ASSERT_FALSE(maintained.empty());
    // Forget the tally and migrate again: migration 3 rebuilds it from the rows.
    ASSERT_TRUE(IsOk(conn_->ExecuteScript("DROP TABLE business_tally; DELETE FROM schema_migrations WHERE version = 3")));
    auto applied = Migrate(*conn_);
    ASSERT_TRUE(IsOk(applied));
    EXPECT_EQ(*applied, 1);
    EXPECT_EQ(snapshot(), maintained);
}

TEST(BusinessTallyPaths, LevelsAndCodes) {
    struct Case {
        const char* path;
        int level;
        const char* code_at_2;
    };
    const Case cases[] = {
        {"/511902/", 1, ""},
        {"/511902/511902001/", 2, "511902001"},
        {"/511902/511902001/511902001001/", 3, "511902001"},
        {"", 0, ""},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(places::PathDepth(c.path), c.level) << c.path;
        EXPECT_EQ(CodeAtLevel(c.path, 2), c.code_at_2) << c.path;
    }
    EXPECT_EQ(CodeAtLevel("/511902/511902001/", 1), "511902");
}

TEST(BusinessTallyPaths, ABusinessCountsForEveryPlaceOnItsPath) {
    Business b;
    b.kind = "catering";
    b.risk_grade = "B";
    b.status = "营业";
    b.region_path = "/511902/511902001/511902001001/";
    TallyDelta delta;
    AddToTally(b, 1, &delta);
    b.region_path = "/511902/511902002/";
    AddToTally(b, -1, &delta);
    EXPECT_EQ(delta, (TallyDelta{{{"/511902/", "catering", "B", "营业"}, 0},
                                 {{"/511902/511902001/", "catering", "B", "营业"}, 1},
                                 {{"/511902/511902001/511902001001/", "catering", "B", "营业"}, 1},
                                 {{"/511902/511902002/", "catering", "B", "营业"}, -1}}));
}

}  // namespace
}  // namespace shian::storage
