// Contract tests of SqlBusinessRepository::List's plans (sql_store.cpp): the capped count
// (BusinessFilter::total_limit, BusinessPage::total_exact), the three ways a page is read
// (sorting all matches, walking the sort order's index once the count reaches its limit, and
// cutting the page from the matches' sort keys for a text query) and the place terms that
// narrow a text query to a place subtree. Whatever the plan, the pages must be those of the
// plain definition: every match, ordered by the sort with id as the tie-breaker.
//
// Runs on SQLite and PostgreSQL (SHIAN_TEST_DB, see test_database.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "shian/app/setup.hpp"
#include "shian/core/text.hpp"
#include "shian/registry/business.hpp"
#include "shian/registry/search_text.hpp"
#include "shian/storage/connection.hpp"
#include "shian/storage/search_hints.hpp"
#include "shian/storage/migrations/migrations.hpp"
#include "shian/storage/sql_store.hpp"
#include "shian/storage/store_test_fixture.hpp"

namespace shian::storage {
namespace {

using registry::Business;
using registry::BusinessFilter;
using registry::BusinessSort;

constexpr TimeMs kT0 = 1'764'000'000'000;

// Townships and villages of the bundled 巴州区 extract.
constexpr const char* kDongcheng = "511902001";    // 东城街道
constexpr const char* kBeimen = "511902001001";    // 北门社区 (东城)
constexpr const char* kXicheng = "511902002";      // 西城街道
constexpr const char* kCaoba = "511902002001";     // 草坝社区 (西城)

class BusinessListTest : public StoreTest {
protected:

    // n businesses over four places, names from a few words, updated_at with ties.
    void InsertMany(int n) {
        static const char* kPlaces[] = {kBeimen, kDongcheng, kCaoba, kXicheng};
        static const char* kWords[] = {"火锅", "超市", "串串香", "面馆", "火锅城"};
        ASSERT_TRUE(store_->Begin().ok());
        for (int i = 0; i < n; ++i) {
            Business b;
            b.version = 1;
            b.name = std::string("店") + std::to_string(i % 7) + kWords[(i * 7) % 5];
            b.kind = i % 3 == 0 ? "catering" : "food_retail";
            b.region_code = kPlaces[(i * 5) % 4];
            b.region_path = PathOf(b.region_code);
            b.status = "营业";
            b.risk_grade = std::string(1, static_cast<char>('A' + i % 4));
            b.created_at = kT0;
            b.updated_at = kT0 + (i * 37) % 101;  // many ties: id decides
            if (i % 5 != 0) b.tags = {"入网餐饮"};
            auto id = store_->businesses().Insert(b);
            ASSERT_TRUE(id.ok()) << id.error().message;
            b.id = *id;
            all_.push_back(b);
        }
        ASSERT_TRUE(store_->Commit().ok());
    }

    // Moves b (one of all_) to the place `code`, stored as an edit: a new version, updated later.
    void MoveTo(Business* b, const char* code) {
        b->region_code = code;
        b->region_path = PathOf(code);
        b->updated_at += 1;
        b->version += 1;
        auto updated = businesses().Update(*b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }

    // Every page of f (page_size 7) concatenated, and the totals the first page reported.
    std::vector<int64_t> Pages(BusinessFilter f, int64_t* total = nullptr, bool* exact = nullptr) {
        std::vector<int64_t> ids;
        f.page_size = 7;
        for (f.page = 1;; ++f.page) {
            auto page = store_->businesses().List(f, true);
            EXPECT_TRUE(page.ok()) << page.error().message;
            if (!page.ok()) return ids;
            if (f.page == 1 && total) *total = page->total;
            if (f.page == 1 && exact) *exact = page->total_exact;
            for (const auto& b : page->items) ids.push_back(b.id);
            if (page->items.size() < 7) return ids;
        }
    }

    // The plain definition: the matches of `keep`, by updated_at, id, or risk grade then place,
    // each with id as the last tie-breaker.
    std::vector<int64_t> Expected(const std::function<bool(const Business&)>& keep, BusinessSort sort) {
        std::vector<Business> v;
        for (const auto& b : all_) {
            if (keep(b)) v.push_back(b);
        }
        std::sort(v.begin(), v.end(), [sort](const Business& a, const Business& b) {
            switch (sort) {
                case BusinessSort::kUpdatedDesc:
                    return a.updated_at != b.updated_at ? a.updated_at > b.updated_at : a.id > b.id;
                case BusinessSort::kUpdatedAsc:
                    return a.updated_at != b.updated_at ? a.updated_at < b.updated_at : a.id < b.id;
                case BusinessSort::kGradeDesc:
                    if (a.risk_grade != b.risk_grade) return a.risk_grade > b.risk_grade;
                    return a.region_path != b.region_path ? a.region_path > b.region_path : a.id > b.id;
                case BusinessSort::kIdDesc:
                    return a.id > b.id;
                case BusinessSort::kIdAsc:
                    return a.id < b.id;
                default:  // grade ascending: equal grades by place, then id
                    if (a.risk_grade != b.risk_grade) return a.risk_grade < b.risk_grade;
                    return a.region_path != b.region_path ? a.region_path < b.region_path : a.id < b.id;
            }
        });
        std::vector<int64_t> ids;
        for (const auto& b : v) ids.push_back(b.id);
        return ids;
    }

    std::vector<Business> all_;
};

bool Everything(const Business&) { return true; }
bool InDongcheng(const Business& b) { return b.region_path.rfind(PathOf(kDongcheng), 0) == 0; }
bool InBeimen(const Business& b) { return b.region_code == kBeimen; }
bool HasHotpot(const Business& b) { return b.name.find("火锅") != std::string::npos; }
bool HasChuanChuanXiang(const Business& b) { return b.name.find("串串香") != std::string::npos; }
bool HotpotInDongcheng(const Business& b) { return HasHotpot(b) && InDongcheng(b); }
bool CateringInBeimen(const Business& b) { return b.kind == "catering" && InBeimen(b); }
bool ChuanChuanXiangInDongcheng(const Business& b) { return HasChuanChuanXiang(b) && InDongcheng(b); }
bool CateringHotpot(const Business& b) { return HasHotpot(b) && b.kind == "catering"; }
bool Online(const Business& b) { return !b.tags.empty(); }
bool OnlineInDongcheng(const Business& b) { return Online(b) && InDongcheng(b); }
bool OnlineInBeimen(const Business& b) { return Online(b) && InBeimen(b); }
bool Nothing(const Business&) { return false; }
bool OnlineHotpotCity(const Business& b) { return b.name.find("火锅城") != std::string::npos && Online(b); }

TEST_F(BusinessListTest, TotalIsExactUpToTheLimit) {
    InsertMany(30);
    BusinessFilter f;
    f.scope.all = true;
    int64_t total = 0;
    bool exact = false;
    EXPECT_EQ(Pages(f, &total, &exact).size(), 30u);
    EXPECT_EQ(total, 30);
    EXPECT_TRUE(exact);

    // Place, kind, grade and status filters are totalled from the maintained counts (see
    // business_tally.hpp): exact whatever the limit. Other filters are counted up to it.
    f.total_limit = 5;
    Pages(f, &total, &exact);
    EXPECT_EQ(total, 30);
    EXPECT_TRUE(exact);

    f.tag = "入网餐饮";  // 24 of the 30
    f.total_limit = 24;
    Pages(f, &total, &exact);
    EXPECT_EQ(total, 24);
    EXPECT_TRUE(exact) << "exactly the limit is still exact";

    f.total_limit = 23;
    auto ids = Pages(f, &total, &exact);
    EXPECT_EQ(total, 23);
    EXPECT_FALSE(exact) << "more than the limit match";
    EXPECT_EQ(ids.size(), 24u) << "the pages still hold every match";
    f.tag.clear();

    f.q = "火锅";
    f.total_limit = 3;
    Pages(f, &total, &exact);
    EXPECT_EQ(total, 3);
    EXPECT_FALSE(exact);
}

// A frequent two-character word is judged from statistics (PostgreSQL: SearchHints once the
// table is analysed, the planner before) and its page read by walking the sort order; the
// pages hold every match all the same.
TEST_F(BusinessListTest, AFrequentWordIsPagedWithoutCounting) {
    InsertMany(200);  // 火锅 in 80 names
    if (conn_->dialect() == Dialect::kPostgres) {
        ASSERT_TRUE(conn_->Execute("ANALYZE business", {}).ok());
    }
    for (const char* region : {"", kBeimen}) {
        BusinessFilter f;
        f.scope.all = true;
        if (*region) f.region_path = PathOf(region);
        f.q = "火锅";
        f.total_limit = 10;
        int64_t total = 0;
        bool exact = true;
        auto keep = *region ? +[](const Business& b) { return HasHotpot(b) && InBeimen(b); } : HasHotpot;
        EXPECT_EQ(Pages(f, &total, &exact), Expected(keep, BusinessSort::kUpdatedDesc)) << region;
        EXPECT_EQ(total, 10) << region;
        EXPECT_FALSE(exact) << region;
    }
}

// A search within a township with more matches than its count limit: on PostgreSQL its page
// is cut from up to eight times the limit's keys (KeysWorthSorting), beyond that read by
// walking the sort order. Either way the pages hold every match, and the count stops at the
// limit.
TEST_F(BusinessListTest, ASearchInAPlaceBeyondItsLimit) {
    InsertMany(600);  // 火锅 in 240 names, 120 of them in 东城
    size_t matches = Expected(HotpotInDongcheng, BusinessSort::kIdDesc).size();
    ASSERT_EQ(matches, 120u);
    struct Case {
        int64_t limit;
        int64_t total;
        bool exact;
    };
    // 10: 120 > 80 keys, walked; 20: 120 <= 160 keys, cut from them; 200: counted exactly.
    for (Case c : {Case{10, 10, false}, Case{20, 20, false}, Case{200, 120, true}}) {
        for (BusinessSort sort : {BusinessSort::kIdDesc, BusinessSort::kUpdatedDesc, BusinessSort::kGradeAsc}) {
            BusinessFilter f;
            f.scope.all = true;
            f.region_path = PathOf(kDongcheng);
            f.q = "火锅";
            f.sort = sort;
            f.total_limit = c.limit;
            int64_t total = -1;
            bool exact = !c.exact;
            EXPECT_EQ(Pages(f, &total, &exact), Expected(HotpotInDongcheng, sort))
                << "limit " << c.limit << " sort " << static_cast<int>(sort);
            EXPECT_EQ(total, c.total) << "limit " << c.limit;
            EXPECT_EQ(exact, c.exact) << "limit " << c.limit;
        }
    }
}

TEST_F(BusinessListTest, EveryPlanYieldsTheSamePages) {
    // 600 rows: past the size at which a place filter walks the sort order's index.
    InsertMany(600);
    struct Case {
        const char* name;
        std::string q;
        std::string region;
        std::string kind;
        bool (*keep)(const Business&);
        std::string tag = {};
        std::string grade = {};
        std::string status = {};
    };
    auto hotpot_catering_in_dongcheng = [](const Business& b) { return CateringHotpot(b) && InDongcheng(b); };
    auto chuanchuanxiang_b = [](const Business& b) { return HasChuanChuanXiang(b) && b.risk_grade == "B"; };
    auto every_filter = [](const Business& b) {
        return HotpotInDongcheng(b) && b.kind == "food_retail" && b.risk_grade == "A" && Online(b);
    };
    const Case cases[] = {
        {"all", "", "", "", Everything},
        {"township", "", kDongcheng, "", InDongcheng},
        {"village", "", kBeimen, "", InBeimen},
        {"kind in village", "", kBeimen, "catering", CateringInBeimen},
        {"tag", "", "", "", Online, "入网餐饮"},
        {"tag in a township", "", kDongcheng, "", OnlineInDongcheng, "入网餐饮"},
        {"two characters", "火锅", "", "", HasHotpot},
        {"three characters", "串串香", "", "", HasChuanChuanXiang},
        {"two characters in a township", "火锅", kDongcheng, "", HotpotInDongcheng},
        {"three characters in a township", "串串香", kDongcheng, "", ChuanChuanXiangInDongcheng},
        {"text and kind", "火锅", "", "catering", CateringHotpot},
        {"text and tag", "火锅城", "", "", OnlineHotpotCity, "入网餐饮"},
        {"text and kind in a township", "火锅", kDongcheng, "catering", hotpot_catering_in_dongcheng},
        {"text and grade", "串串香", "", "", chuanchuanxiang_b, "", "B"},
        {"text and every filter in a township", "火锅", kDongcheng, "food_retail", every_filter, "入网餐饮", "A",
         "营业"},
    };
    for (const Case& c : cases) {
        for (BusinessSort sort : {BusinessSort::kUpdatedDesc, BusinessSort::kUpdatedAsc, BusinessSort::kGradeAsc,
                                  BusinessSort::kGradeDesc, BusinessSort::kIdDesc, BusinessSort::kIdAsc}) {
            BusinessFilter f;
            f.scope.all = true;
            f.q = c.q;
            if (!c.region.empty()) f.region_path = PathOf(c.region);
            f.kind = c.kind;
            f.tag = c.tag;
            f.risk_grade = c.grade;
            f.status = c.status;
            f.sort = sort;
            auto expected = Expected(c.keep, sort);
            ASSERT_FALSE(expected.empty()) << c.name;
            // Exact count: the matches are sorted (or cut from their keys for a text query).
            int64_t total = 0;
            EXPECT_EQ(Pages(f, &total), expected) << c.name << " sort " << static_cast<int>(sort);
            EXPECT_EQ(total, static_cast<int64_t>(expected.size())) << c.name;
            // A limit below the matches: the sort order's index is walked (place, kind, grade
            // and status totals come from the tally and are exact, so only for 600+ matches).
            f.total_limit = 5;
            EXPECT_EQ(Pages(f), expected) << c.name << " sort " << static_cast<int>(sort) << " (walk)";
            // A limit so low that even PostgreSQL's eightfold key read overflows: from the
            // second page on, the store remembers the word is frequent (SearchHints) and walks.
            f.total_limit = 1;
            EXPECT_EQ(Pages(f), expected) << c.name << " sort " << static_cast<int>(sort) << " (remembered)";
        }
    }
}

// A text query matches exactly the businesses whose name, address, USCC or licence number
// contains it (after normalisation), whatever its length: its bigrams appearing apart, in
// another order, across two fields or only once where the query repeats one must not match.
TEST_F(BusinessListTest, TextQueryMatchesExactlyTheSubstring) {
    struct Row {
        const char* name;
        const char* address;
    };
    const Row rows[] = {
        {"串串香火锅", "东城街道"},        // 0: 串串香, 火锅
        {"串串小吃串香楼", "北门"},        // 1: 串串 and 串香 apart
        {"香串串", "西城"},                // 2: the bigrams of 串香 reversed
        {"老王串串", "香港路"},            // 3: 串串 | 香港: across two fields
        {"哈哈哈烧烤", "南门"},            // 4: 哈哈哈
        {"哈哈面", "哈尔滨路"},            // 5: 哈哈 once
        {"ＡＢＣ食品", "人民路８号"},      // 6: full-width, folded to abc / 8
        {"★星火锅★", "新华街"},           // 7: symbols dropped
        {"王记酸菜鱼馆", "东城·人民路"},   // 8: a longer phrase; · dropped
        {"火锅1锅店", "滨河路11号"},       // 9: 火锅 and 锅店 with a digit between
        {"店1234号2345", "长江路"},        // 10: two runs of digits
        {"川菜馆", "人民路1号2栋"},        // 11: house numbers sharing 号 (路1号, 号2栋)
        {"3号火锅", "中山路22号"},         // 12: a number at the start of a field
        {"建设路1号店", "人民路3号"},      // 13: 人民路 and 路1号, not 人民路1号
    };
    ASSERT_TRUE(store_->Begin().ok());
    std::vector<int64_t> ids;
    for (const Row& r : rows) {
        Business b;
        b.version = 1;
        b.name = r.name;
        b.address = r.address;
        b.kind = "catering";
        b.region_code = kBeimen;
        b.region_path = PathOf(kBeimen);
        b.status = "营业";
        b.created_at = b.updated_at = kT0;
        auto id = store_->businesses().Insert(b);
        ASSERT_TRUE(id.ok()) << id.error().message;
        ids.push_back(*id);
    }
    ASSERT_TRUE(store_->Commit().ok());
    struct Case {
        std::string q;
        std::vector<size_t> rows;
    };
    const Case cases[] = {
        {"串串香", {0}},
        {"串串", {0, 1, 2, 3}},
        {"串香", {0, 1}},
        {"串香港", {}},
        {"哈哈哈", {4}},
        {"哈哈", {4, 5}},
        {"abc", {6}},
        {"ＡＢＣ", {6}},
        {"路8号", {6}},
        {"星火锅", {7}},
        {"★星火", {7}},
        {"酸菜鱼馆", {8}},
        {"王记酸菜鱼馆", {8}},
        {"王记鱼馆", {}},
        {"东城人民路", {8}},
        {"火锅东城", {}},  // 串串香火锅 | 东城街道: across fields
        {"火锅店", {}},    // 火锅1锅店: the bigrams consecutive, the text not
        {"锅1锅", {9}},
        {"路1号", {11, 13}},  // a house number's term (路1号), not 路11号's
        {"路11号", {9}},
        {"11号", {9}},
        {"路1号2栋", {11}},
        {"号2栋", {11}},
        {"1号2栋", {11}},
        {"人民路1号", {11}},
        {"人民路3号", {13}},
        {"人民路8号", {6}},
        {"民路1", {11}},
        {"路12号", {}},
        {"路2号", {}},
        {"路22号", {12}},
        {"2号", {12}},
        {"路1号路1号", {}},
        {"3号火锅", {12}},
        {"1234号", {10}},
        {"12345", {}},  // 1234 | 2345: their number grams consecutive, the digits not
        {"1234", {10}},
        {"2345", {10}},
        {"1234号2345", {10}},
    };
    for (BusinessSort sort : {BusinessSort::kIdDesc, BusinessSort::kUpdatedDesc}) {
        for (const Case& c : cases) {
            std::vector<int64_t> expected;
            for (size_t r : c.rows) expected.push_back(ids[r]);
            if (sort == BusinessSort::kIdDesc) std::reverse(expected.begin(), expected.end());
            BusinessFilter f;
            f.scope.all = true;
            f.q = c.q;
            f.sort = sort;
            int64_t total = -1;
            auto got = Pages(f, &total);
            if (sort == BusinessSort::kUpdatedDesc) {  // equal updated_at: id descending
                std::sort(expected.begin(), expected.end(), std::greater<>());
            }
            EXPECT_EQ(got, expected) << c.q;
            EXPECT_EQ(total, static_cast<int64_t>(expected.size())) << c.q;
            // Within their village and township (the bigrams joined to the township when the
            // query is all ideographs, the plain ones otherwise).
            for (const char* place : {kBeimen, kDongcheng}) {
                f.region_path = PathOf(place);
                EXPECT_EQ(Pages(f, &total), expected) << c.q << " in " << place;
                EXPECT_EQ(total, static_cast<int64_t>(expected.size())) << c.q << " in " << place;
            }
            f.region_path = PathOf(kXicheng);  // none of them is there
            EXPECT_TRUE(Pages(f, &total).empty()) << c.q;
            EXPECT_EQ(total, 0) << c.q;
        }
    }
}

TEST_F(BusinessListTest, TextQueryInAScopeOrPlaceFollowsMoves) {
    InsertMany(40);
    // The scope as an inspector of 东城 has it; the place filter narrows further.
    BusinessFilter f;
    f.scope.subtree_paths = {PathOf(kDongcheng)};
    f.q = "火锅";
    int64_t total = 0;
    EXPECT_EQ(Pages(f, &total), Expected(HotpotInDongcheng, BusinessSort::kUpdatedDesc));
    EXPECT_EQ(total, static_cast<int64_t>(Expected(HotpotInDongcheng, BusinessSort::kUpdatedDesc).size()));

    // A business moved from 西城 to 东城 is found in 东城 only (its place terms move too).
    Business moved;
    for (const auto& b : all_) {
        if (HasHotpot(b) && !InDongcheng(b)) moved = b;
    }
    ASSERT_NE(moved.id, 0);
    moved.region_code = kBeimen;
    moved.region_path = PathOf(kBeimen);
    moved.version += 1;
    ASSERT_TRUE(store_->businesses().Update(moved).ok());
    for (auto& b : all_) {
        if (b.id == moved.id) b = moved;
    }
    EXPECT_EQ(Pages(f), Expected(HotpotInDongcheng, BusinessSort::kUpdatedDesc));
    f.scope.subtree_paths = {PathOf(kXicheng)};
    auto xicheng = Pages(f);
    EXPECT_EQ(std::count(xicheng.begin(), xicheng.end(), moved.id), 0);
}

// In id order, a text query within one township walks that township's ids with their search
// text on PostgreSQL (business_township_text, migration 11; TextWalkTownship in sql_store.cpp)
// once its count passes the limit — whether the township comes from the place filter, the
// scope or both — and the plain plans serve what does not narrow to one township (a village,
// a scope of two townships, a filter outside the scope). Every page must be the plain
// definition's, also after a business moves into the township.
TEST_F(BusinessListTest, TextInATownshipWalksItsOwnIdOrder) {
    InsertMany(300);  // 火锅 in 120 names, 60 of them in 东城; 串串香 in 60, 30 in 东城
    struct Case {
        const char* name;
        std::vector<std::string> scope;  // subtree paths; empty: everything
        const char* region;
        const char* q;
        bool (*keep)(const Business&);
    };
    const Case cases[] = {
        {"filter", {}, kDongcheng, "火锅", HotpotInDongcheng},
        {"scope", {PathOf(kDongcheng)}, "", "火锅", HotpotInDongcheng},
        {"scope and filter", {PathOf(kDongcheng)}, kDongcheng, "串串香", ChuanChuanXiangInDongcheng},
        {"county scope, township filter", {PathOf("511902")}, kDongcheng, "火锅", HotpotInDongcheng},
        {"village", {PathOf(kDongcheng)}, kBeimen, "火锅", +[](const Business& b) {
             return HasHotpot(b) && InBeimen(b);
         }},
        {"two townships", {PathOf(kDongcheng), PathOf(kXicheng)}, "", "火锅", HasHotpot},
        {"filter outside the scope", {PathOf(kXicheng)}, kDongcheng, "火锅", Nothing},
    };
    auto check = [&](const Case& c, const char* when) {
        for (BusinessSort sort : {BusinessSort::kIdDesc, BusinessSort::kIdAsc}) {
            for (int64_t limit : {0, 200, 5, 1}) {
                BusinessFilter f;
                if (c.scope.empty()) {
                    f.scope.all = true;
                } else {
                    f.scope.subtree_paths = c.scope;
                }
                if (*c.region) f.region_path = PathOf(c.region);
                f.q = c.q;
                f.sort = sort;
                f.total_limit = limit;
                auto expected = Expected(c.keep, sort);
                int64_t total = -1;
                bool exact = false;
                EXPECT_EQ(Pages(f, &total, &exact), expected)
                    << c.name << " " << when << " sort " << static_cast<int>(sort) << " limit " << limit;
                auto n = static_cast<int64_t>(expected.size());
                EXPECT_EQ(total, limit > 0 ? std::min(n, limit) : n) << c.name << " " << when << " limit " << limit;
                EXPECT_EQ(exact, limit <= 0 || n <= limit) << c.name << " " << when << " limit " << limit;
            }
        }
    };
    for (const Case& c : cases) check(c, "before");
    // A 火锅 of 西城 moves into 东城 (a village of it): found there, by every plan.
    for (auto& b : all_) {
        if (HasHotpot(b) && b.region_code == kCaoba) {
            MoveTo(&b, kBeimen);
            break;
        }
    }
    for (const Case& c : cases) check(c, "after a move");
}

// A search whose matches overflowed is remembered (SearchHints) by its word, place terms and
// other filters, so the next one walks without counting — but only for a scope that place
// terms describe: a user whose scope is two places must not be told "limit+" from a county-wide
// search of the same word.
TEST_F(BusinessListTest, ARememberedCountIsNotSharedAcrossScopes) {
    ASSERT_TRUE(store_->Begin().ok());
    for (int i = 0; i < 102; ++i) {
        Business b;
        b.version = 1;
        b.name = "老火锅" + std::to_string(i);
        b.kind = "catering";
        b.region_code = i < 100 ? kBeimen : kCaoba;
        b.region_path = PathOf(b.region_code);
        b.status = "营业";
        b.created_at = b.updated_at = kT0 + i;
        auto id = store_->businesses().Insert(b);
        ASSERT_TRUE(id.ok()) << id.error().message;
        b.id = *id;
        all_.push_back(b);
    }
    ASSERT_TRUE(store_->Commit().ok());
    for (BusinessSort sort : {BusinessSort::kIdDesc, BusinessSort::kUpdatedDesc}) {
        BusinessFilter county;
        county.scope.all = true;
        county.q = "老火锅";
        county.sort = sort;
        county.total_limit = 5;
        for (int round = 0; round < 2; ++round) {  // the second is answered from memory
            int64_t total = -1;
            bool exact = true;
            EXPECT_EQ(Pages(county, &total, &exact).size(), 102u);
            EXPECT_EQ(total, 5);
            EXPECT_FALSE(exact);
        }
        BusinessFilter two_places = county;
        two_places.scope.all = false;
        two_places.scope.subtree_paths = {PathOf(kCaoba), PathOf("511902100")};
        int64_t total = -1;
        bool exact = false;
        auto keep = +[](const Business& b) { return b.region_code == kCaoba && b.name.starts_with("老火锅"); };
        EXPECT_EQ(Pages(two_places, &total, &exact), Expected(keep, sort)) << static_cast<int>(sort);
        EXPECT_EQ(total, 2) << static_cast<int>(sort);
        EXPECT_TRUE(exact) << static_cast<int>(sort);
    }
}

// In update order, a list within one township or village walks that place's own index once
// the count passes its limit (business_township, migration 9; business_region for a village)
// rather than the county's. Whether the place comes from the filter, the scope or both, the
// pages must be the plain definition's, also after a business moves.
TEST_F(BusinessListTest, PlacesWalkTheirOwnUpdateOrder) {
    InsertMany(200);
    Business county;  // registered at the county itself: in no township
    county.version = 1;
    county.name = "县直属食堂";
    county.kind = "catering";
    county.region_code = "511902";
    county.region_path = PathOf("511902");
    county.status = "营业";
    county.tags = {"入网餐饮"};
    county.created_at = county.updated_at = kT0 + 50;
    auto id = businesses().Insert(county);
    ASSERT_TRUE(id.ok()) << id.error().message;
    county.id = *id;
    all_.push_back(county);

    // The indexed township path is places::TownshipPath of the path, on either engine.
    auto rows = conn_->Query(std::string("SELECT region_path, ") + TownshipPathExpression(conn_->dialect()) +
                             " FROM business");
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    ASSERT_EQ(rows->size(), all_.size());
    for (size_t i = 0; i < rows->size(); ++i) {
        EXPECT_EQ(rows->Text(i, 1), places::TownshipPath(rows->Text(i, 0))) << rows->Text(i, 0);
    }

    struct Case {
        const char* name;
        const char* scope;
        const char* region;
        bool (*keep)(const Business&);
    };
    const Case cases[] = {
        {"all", nullptr, nullptr, Online},
        {"township filter", nullptr, kDongcheng, OnlineInDongcheng},
        {"village filter", nullptr, kBeimen, OnlineInBeimen},
        {"township scope", kDongcheng, nullptr, OnlineInDongcheng},
        {"village scope", kBeimen, nullptr, OnlineInBeimen},
        {"township scope, its village", kDongcheng, kBeimen, OnlineInBeimen},
        {"village scope, its township", kBeimen, kDongcheng, OnlineInBeimen},
        {"township scope, another township", kDongcheng, kXicheng, Nothing},
        {"village scope, another village", kBeimen, kCaoba, Nothing},
    };
    auto check = [&](const char* when) {
        for (const Case& c : cases) {
            for (BusinessSort sort : {BusinessSort::kUpdatedDesc, BusinessSort::kUpdatedAsc}) {
                BusinessFilter f;
                f.scope.all = c.scope == nullptr;
                if (c.scope) f.scope.subtree_paths = {PathOf(c.scope)};
                if (c.region) f.region_path = PathOf(c.region);
                f.tag = "入网餐饮";  // counted up to the limit, so past it the index is walked
                f.sort = sort;
                f.total_limit = 5;
                EXPECT_EQ(Pages(f), Expected(c.keep, sort)) << when << ": " << c.name << " sort " << static_cast<int>(sort);
            }
        }
    };
    check("as inserted");

    // Moves between townships, into a township itself and out of a village.
    int moves = 0;
    for (auto& b : all_) {
        const char* to = nullptr;
        if (b.region_code == kCaoba && moves < 3) to = kBeimen;
        else if (b.region_code == kBeimen && moves >= 3 && moves < 6) to = kDongcheng;
        else if (b.region_code == kDongcheng && moves >= 6 && moves < 9) to = kXicheng;
        if (!to) continue;
        MoveTo(&b, to);
        ++moves;
    }
    ASSERT_EQ(moves, 9);
    check("after moves");
}

// A place's list in update order with no other filter reads its count (the tally's) in the
// page's own statement; the pages and the count must still be those of the definition, for
// every scope and place filter, past the last page, and after businesses move.
// The plain definition of a filter with a text query, for the test's businesses (their words
// are in their names; no address, USCC or licence).
bool Matches(const Business& b, const BusinessFilter& f) {
    if (!f.q.empty() && registry::BuildSearchText({b.name, b.address, b.uscc, b.licence_no})
                            .find(registry::NormalizeForSearch(f.q)) == std::string::npos) {
        return false;
    }
    if (!f.region_path.empty() && !b.region_path.starts_with(f.region_path)) return false;
    if (!f.kind.empty() && b.kind != f.kind) return false;
    if (!f.risk_grade.empty() && b.risk_grade != (f.risk_grade == "none" ? "" : f.risk_grade)) return false;
    if (!f.status.empty() && b.status != f.status) return false;
    return f.tag.empty() || std::find(b.tags.begin(), b.tags.end(), f.tag) != b.tags.end();
}

// A text query with kind, risk grade, status or tag filters is narrowed by the search index's
// field terms (migration 13; FieldTerms in sql_store.cpp): the pages and counts must be the
// plain definition's by every plan — also for combinations that match nothing, for tags with
// symbols, for the ungraded, and after edits change those fields (the terms follow the row).
TEST_F(BusinessListTest, TextWithFieldFiltersFollowsEdits) {
    InsertMany(300);  // 火锅 in 120 names (60 in 东城); grades A–D; tag 入网餐饮 on 4 in 5
    struct Case {
        const char* name;
        const char* q;
        const char* region;
        const char* kind;
        const char* grade;
        const char* status;
        const char* tag;
    };
    const Case cases[] = {
        {"kind in a township", "火锅", kDongcheng, "catering", "", "", ""},
        {"kind and grade", "火锅", "", "food_retail", "B", "", ""},
        {"grade and status in a village", "火锅城", kBeimen, "", "A", "营业", ""},
        {"ungraded", "火锅", "", "", "none", "", ""},
        {"closed", "火锅", kDongcheng, "", "", "停业", ""},
        {"a tag with symbols", "火锅", "", "", "", "", "★明厨亮灶"},
        {"tag and kind in a township", "火锅城", kDongcheng, "food_retail", "", "", "入网餐饮"},
        {"three characters, kind", "串串香", kXicheng, "catering", "", "", ""},
        {"no such kind among them", "超市", kDongcheng, "school_canteen", "", "", ""},
    };
    auto check = [&](const char* when) {
        for (const Case& c : cases) {
            for (BusinessSort sort : {BusinessSort::kIdDesc, BusinessSort::kUpdatedDesc, BusinessSort::kIdAsc}) {
                for (int64_t limit : {0, 200, 5, 1}) {
                    BusinessFilter f;
                    f.scope.all = true;
                    f.q = c.q;
                    if (*c.region) f.region_path = PathOf(c.region);
                    f.kind = c.kind;
                    f.risk_grade = c.grade;
                    f.status = c.status;
                    f.tag = c.tag;
                    f.sort = sort;
                    f.total_limit = limit;
                    auto expected = Expected([&f](const Business& b) { return Matches(b, f); }, sort);
                    int64_t total = -1;
                    bool exact = false;
                    EXPECT_EQ(Pages(f, &total, &exact), expected)
                        << when << ": " << c.name << " sort " << static_cast<int>(sort) << " limit " << limit;
                    auto n = static_cast<int64_t>(expected.size());
                    EXPECT_EQ(total, limit > 0 ? std::min(n, limit) : n) << when << ": " << c.name << " limit " << limit;
                    EXPECT_EQ(exact, limit <= 0 || n <= limit) << when << ": " << c.name << " limit " << limit;
                }
            }
        }
    };
    check("as inserted");
    // Every 火锅 of 东城 changes: kinds swap, grades move on (D becomes ungraded), one in three
    // closes, and each takes the tags it did not have (with ★明厨亮灶 instead of none).
    for (auto& b : all_) {
        if (!HotpotInDongcheng(b)) continue;
        b.kind = b.kind == "catering" ? "food_retail" : "catering";
        b.risk_grade = b.risk_grade == "D" ? "" : b.risk_grade == "" ? "A" : std::string(1, b.risk_grade[0] + 1);
        if (b.id % 3 == 0) b.status = "停业";
        b.tags = b.tags.empty() ? std::vector<std::string>{"★明厨亮灶", "入网餐饮"} : std::vector<std::string>{};
        b.version += 1;
        b.updated_at += 1;
        auto updated = businesses().Update(b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }
    check("after edits");
}

// Migrations 13 to 17 give the businesses already stored the field terms, the bigrams joined
// to their township, the number grams and house numbers that the repository writes for new ones: the same terms
// (PostgreSQL computes them in SQL, the repository in C++), also when a migration runs twice,
// and the searches that rely on them find the same businesses. On SQLite, whose index is
// contentless (the repository deletes a document by recomputing it), the index built from
// scratch must hold exactly what the repository's inserts, edits and moves left in it.
TEST_F(BusinessListTest, SearchTermsMigrationsMatchTheRepository) {
    InsertMany(60);
    Business odd;  // ungraded, closed, tags with symbols and spaces
    odd.version = 1;
    // A number run with two characters before and after it (2b345cd), and before it xk12b3,
    // whose 12 is too short a run for xk12 or 12b3 to be number grams.
    odd.name = "老码头火锅XK12B345CD6";
    odd.kind = "small_catering";
    odd.region_code = kBeimen;
    odd.region_path = PathOf(kBeimen);
    odd.status = "停业";
    odd.tags = {"★明厨亮灶", "24 小时", "网红店"};
    // Bigrams with digits: not joined (migration 15); house numbers that share an ideograph
    // (号1锅 after 路101号) and one across a dropped hyphen (normalised: 3栋12室).
    odd.address = "滨河路101号火锅1锅店3栋-12室";
    odd.licence_no = "JY15119020000017";
    odd.uscc = "925119023A456B7890";  // runs sharing letters and digits: 925119023a4, 3a456b7, 6b7890
    odd.created_at = odd.updated_at = kT0;
    auto id = businesses().Insert(odd);
    ASSERT_TRUE(id.ok()) << id.error().message;
    odd.id = *id;
    all_.push_back(odd);
    // Edits of every field the terms hold: names, kinds, grades, tags, and moves to another
    // township (the joined bigrams change with it).
    for (size_t i = 0; i + 1 < all_.size(); i += 7) {
        Business& b = all_[i];
        b.name += "火锅城";
        b.kind = b.kind == "catering" ? "food_retail" : "catering";
        b.risk_grade = b.risk_grade.empty() ? "C" : "";
        b.tags = b.tags.empty() ? std::vector<std::string>{"入网餐饮"} : std::vector<std::string>{};
        if (i % 2 == 0) {
            b.region_code = b.region_path.starts_with(PathOf(kDongcheng)) ? kXicheng : kBeimen;
            b.region_path = PathOf(b.region_code);
        }
        b.version += 1;
        b.updated_at += 1;
        auto updated = businesses().Update(b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }
    bool pg = conn_->dialect() == Dialect::kPostgres;
    if (!pg) {
        ASSERT_TRUE(IsOk(conn_->ExecuteScript(
            "CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, business_fts, 'instance')")));
    }
    auto terms = [&]() {
        auto rows = conn_->Query(pg ? "SELECT id, search_grams::text FROM business ORDER BY id"
                                    : "SELECT doc, group_concat(term, ' ') FROM (SELECT doc, term FROM "
                                      "temp.fts_terms ORDER BY doc, \"offset\") GROUP BY doc ORDER BY doc");
        EXPECT_TRUE(IsOk(rows));
        std::vector<std::string> out;
        if (!rows.ok()) return out;
        for (size_t i = 0; i < rows->size(); ++i) out.push_back(rows->Text(i, 0) + ":" + rows->Text(i, 1));
        return out;
    };
    auto written = terms();
    ASSERT_EQ(written.size(), all_.size());
    // The terms as they were before migration 13 (PostgreSQL: without the field terms and
    // joined bigrams), or none at all (SQLite).
    ASSERT_TRUE(IsOk(conn_->ExecuteScript(
        pg ? "UPDATE business SET search_grams = ARRAY(SELECT g FROM unnest(search_grams) WITH ORDINALITY AS "
             "u(g, n) WHERE char_length(g) = 2 OR g ~ '^p[0-9]+$' ORDER BY n)"
           : "INSERT INTO business_fts(business_fts) VALUES ('delete-all')")));
    ASSERT_NE(terms(), written);
    auto migrate_again = [&](const char* versions) {
        ASSERT_TRUE(IsOk(conn_->ExecuteScript(std::string("DELETE FROM schema_migrations WHERE version IN (") +
                                              versions + ")")));
        auto applied = Migrate(*conn_);
        ASSERT_TRUE(IsOk(applied));
        EXPECT_EQ(*applied, static_cast<int>(SplitNonEmpty(versions, ',').size())) << versions;
        if (!pg) {  // the vocabulary table of the index the migration replaced
            ASSERT_TRUE(IsOk(conn_->ExecuteScript(
                "DROP TABLE temp.fts_terms; "
                "CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, business_fts, 'instance')")));
        }
        auto now = terms();
        for (size_t i = 0; i < std::min(now.size(), written.size()); ++i) {
            EXPECT_EQ(now[i], written[i]) << versions;
        }
        EXPECT_EQ(now.size(), written.size()) << versions;
    };
    migrate_again("13, 14, 15, 16, 17, 18, 19, 20, 21");
    migrate_again("14, 15, 16, 17, 18, 19, 20, 21");  // from all bigrams joined (migration 14) to some
    migrate_again("16, 17, 18, 19, 20, 21");
    migrate_again("17, 18, 19, 20, 21");
    migrate_again("18, 19, 20, 21");
    migrate_again("19, 20, 21");
    migrate_again("20, 21");
    migrate_again("21");
    if (!pg) {
        EXPECT_TRUE(IsOk(conn_->Execute("INSERT INTO business_fts (business_fts) VALUES ('integrity-check')", {})));
    }
    for (const char* tag : {"★明厨亮灶", "24 小时", "入网餐饮"}) {
        BusinessFilter f;
        f.scope.all = true;
        f.q = "火锅";
        f.tag = tag;
        f.sort = BusinessSort::kIdDesc;
        f.total_limit = 200;
        EXPECT_EQ(Pages(f), Expected([&f](const Business& b) { return Matches(b, f); }, f.sort)) << tag;
    }
    BusinessFilter closed;
    closed.scope.all = true;
    closed.q = "码头";
    closed.risk_grade = "none";
    closed.status = "停业";
    closed.kind = "small_catering";
    EXPECT_EQ(Pages(closed), std::vector<int64_t>{odd.id});
    for (const char* place : {kDongcheng, kBeimen, kXicheng}) {
        for (const char* word : {"火锅", "码头火锅", "老码", "火锅店", "101号", "锅1锅", "jy151190200", "路101号",
                                 "滨河路101号火锅", "号1锅", "店3栋12室", "栋12室", "023a456b", "a456b7", "3a45", "b7890",
                                 "2b345cd", "xk12b345", "45cd6", "b345c", "k12b", "9251", "925119023a4",
                                 "925119023A456B7890"}) {
            BusinessFilter f;
            f.scope.all = true;
            f.q = word;
            f.region_path = PathOf(place);
            f.sort = BusinessSort::kIdDesc;
            f.total_limit = 200;
            EXPECT_EQ(Pages(f), Expected([&f](const Business& b) { return Matches(b, f); }, f.sort))
                << place << " " << word;
        }
    }
}

// Number searches: the bigrams nearly every business holds (here jy, y1, 15, 51, 11, 19, 90,
// 02 of every licence number) are left out of the index query when a rarer one remains
// (SqlBusinessRepository::LeftOutGrams) and the substring check decides: the pages must be
// the plain definition's, county-wide, in a township or village, with a kind, whatever part
// of the number is asked.
TEST_F(BusinessListTest, NumberSearchesLeaveOutBigramsEveryBusinessHolds) {
    SearchHints hints(std::chrono::steady_clock::now, /*sample_rows=*/100);
    store_ = MakeSqlStore(conn_.get(), &hints);
    InsertMany(240);
    for (size_t i = 0; i < all_.size(); ++i) {
        Business& b = all_[i];
        char serial[16];
        std::snprintf(serial, sizeof serial, "%07zu", 9173 * (i + 1) % 10'000'000);
        b.licence_no = std::string("JY1511902") + serial;
        b.address = "巴州区人民路" + std::to_string(i % 37) + "号";
        char uscc[24];  // the county's code, two letters, six digits, a letter: runs with letters at their ends
        std::snprintf(uscc, sizeof uscc, "92511902%c%c%06zuK", "MAPQ"[i % 4], "ABXY"[(i / 4) % 4], 37 * i % 1'000'000);
        b.uscc = uscc;
        b.version += 1;
        auto updated = businesses().Update(b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }
    // USCCs of the other type (91…) with the same characters after the county's code as a
    // 92… start, one that holds a 92… start further on, one that holds its own start again:
    // a query that starts a USCC is found through the USCC's btree, a query found further on
    // through the USCC's grams, which leave out only the window at its first character
    // (TaggedNumberGrams; PostgreSQL, migration 21).
    const std::pair<size_t, const char*> others[] = {
        {3, "91511902MA000111K"}, {5, "91511902MX000222K"}, {8, "915119029251190MK"}, {13, "92511902925119MAK"}};
    for (const auto& [i, uscc] : others) {
        Business& b = all_[i];
        b.uscc = uscc;
        b.version += 1;
        auto updated = businesses().Update(b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }
    // Without an address the USCC is the search text's second field and the licence number
    // its third (BuildSearchText skips empty fields), tagged n and u; without a USCC too, the
    // licence number is the second.
    for (size_t i : {121, 122}) {  // beyond the hints' sample (the first 100)
        Business& b = all_[i];
        b.address.clear();
        if (i == 122) b.uscc.clear();
        b.version += 1;
        auto updated = businesses().Update(b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }
    if (conn_->dialect() == Dialect::kPostgres) {
        ASSERT_TRUE(IsOk(conn_->ExecuteScript("ANALYZE business")));
    }
    // The path under test is taken: jy and the licence numbers' gram 1511 are in every
    // business, the number grams of a later business's serial in none of the sample
    // (PostgreSQL: not among the most common). A licence number's grams are tagged l on both
    // engines (NumberGramTag; PostgreSQL since migration 19, SQLite since 20).
    const std::string number_tag = "l";
    for (const std::string& universal : {std::string("jy"), number_tag + "1511"}) {
        auto share = hints.GramShare(*conn_, universal);
        ASSERT_TRUE(share.has_value()) << universal;
        EXPECT_GE(*share, 0.99) << universal;
    }
    if (conn_->dialect() == Dialect::kSqlite) {  // a sample larger than the table tells nothing
        SearchHints larger(std::chrono::steady_clock::now, /*sample_rows=*/1000);
        EXPECT_FALSE(larger.GramShare(*conn_, "jy").has_value());
    }
    const Business& later = all_[200];
    const std::string tail = later.licence_no.substr(9);
    auto rare = hints.GramShare(*conn_, number_tag + tail.substr(3, 4));
    ASSERT_TRUE(rare.has_value());
    EXPECT_LE(*rare, 0.005);
    const std::string words[] = {
        later.licence_no, later.licence_no.substr(0, 13), later.licence_no.substr(4), all_[17].licence_no,
        "JY151", tail, "1190", "路12号", "人民路3", "火锅城", "jy1511902000",
        later.uscc, later.uscc.substr(0, 9), later.uscc.substr(0, 10), later.uscc.substr(8), later.uscc.substr(9, 5),
        later.uscc.substr(12), "92511902M", "2MA", "A0", "92511902MA", "92511902MX0", "9151190", "9251190M",
        "0292511", "902925119MA", "925119", "92511902925119MAK", "91511902MA000111K", "91511902MA000111KX",
        all_[121].uscc, all_[121].uscc.substr(0, 10), all_[121].uscc.substr(1, 9), all_[121].licence_no.substr(0, 12),
        all_[122].licence_no, all_[122].licence_no.substr(0, 11),
    };
    for (const std::string& word : words) {
        for (const char* place : {"", kDongcheng, kBeimen}) {
            for (const char* kind : {"", "catering"}) {
                for (BusinessSort sort : {BusinessSort::kIdDesc, BusinessSort::kUpdatedDesc}) {
                    BusinessFilter f;
                    f.scope.all = true;
                    f.q = word;
                    if (*place) f.region_path = PathOf(place);
                    f.kind = kind;
                    f.sort = sort;
                    f.total_limit = 50;
                    auto expected = Expected([&f](const Business& b) { return Matches(b, f); }, sort);
                    int64_t total = -1;
                    EXPECT_EQ(Pages(f, &total), expected) << word << " " << place << " " << kind;
                    EXPECT_EQ(total, std::min<int64_t>(static_cast<int64_t>(expected.size()), 50))
                        << word << " " << place << " " << kind;
                }
            }
        }
    }
    // PostgreSQL reads the USCCs a query starts from the USCC's btree with the filters, the
    // scope and the sort key beside each (UsccStartKeys, migration 22): a township's scope, a
    // grade and a status filter, sorted by grade.
    const std::string uscc_words[] = {"92511902M", "92511902MA", "9151190", later.uscc.substr(0, 10),
                                      "92511902925119MAK", all_[121].uscc.substr(0, 10)};
    for (const std::string& word : uscc_words) {
        for (const char* grade : {"", "B"}) {
            for (const char* status : {"", "营业"}) {
                BusinessFilter f;
                f.scope.subtree_paths = {PathOf(kDongcheng)};
                f.q = word;
                f.risk_grade = grade;
                f.status = status;
                f.sort = BusinessSort::kGradeDesc;
                f.total_limit = 50;
                auto expected = Expected(
                    [&f](const Business& b) { return Matches(b, f) && InDongcheng(b); }, f.sort);
                int64_t total = -1;
                EXPECT_EQ(Pages(f, &total), expected) << word << " " << grade << " " << status;
                EXPECT_EQ(total, std::min<int64_t>(static_cast<int64_t>(expected.size()), 50)) << word;
            }
        }
    }
    store_.reset();  // before the hints it uses
}

TEST_F(BusinessListTest, APlaceListCountsWithItsPage) {
    InsertMany(60);
    struct Case {
        const char* name;
        std::vector<std::string> scope;  // empty: everything
        const char* region;
        bool (*keep)(const Business&);
    };
    auto in_caoba = [](const Business& b) { return b.region_code == kCaoba; };
    auto in_xicheng = [](const Business& b) { return b.region_path.rfind(PathOf(kXicheng), 0) == 0; };
    auto beimen_or_caoba = [](const Business& b) { return b.region_code == kBeimen || b.region_code == kCaoba; };
    const Case cases[] = {
        {"all", {}, nullptr, Everything},
        {"county filter", {}, "511902", Everything},
        {"township filter", {}, kDongcheng, InDongcheng},
        {"village filter", {}, kBeimen, InBeimen},
        {"township scope", {kDongcheng}, nullptr, InDongcheng},
        {"village scope", {kBeimen}, nullptr, InBeimen},
        {"county scope", {"511902"}, nullptr, Everything},
        {"township scope, its village", {kDongcheng}, kBeimen, InBeimen},
        {"village scope, its township", {kBeimen}, kDongcheng, InBeimen},
        {"township scope, another township", {kDongcheng}, kXicheng, Nothing},
        {"village scope, another village", {kBeimen}, kCaoba, Nothing},
        {"two villages", {kBeimen, kCaoba}, nullptr, beimen_or_caoba},
        {"two villages, one township", {kBeimen, kCaoba}, kXicheng, in_caoba},
        {"township scope, a village elsewhere", {kXicheng}, kBeimen, Nothing},
        {"another township", {}, kXicheng, in_xicheng},
    };
    auto check = [&](const char* when) {
        for (const Case& c : cases) {
            for (BusinessSort sort : {BusinessSort::kUpdatedDesc, BusinessSort::kUpdatedAsc}) {
                BusinessFilter f;
                f.scope.all = c.scope.empty();
                for (const auto& code : c.scope) f.scope.subtree_paths.push_back(PathOf(code));
                if (c.region) f.region_path = PathOf(c.region);
                f.sort = sort;
                f.total_limit = 10'000;
                auto expected = Expected(c.keep, sort);
                int64_t total = -1;
                bool exact = false;
                EXPECT_EQ(Pages(f, &total, &exact), expected) << when << ": " << c.name << " sort " << static_cast<int>(sort);
                EXPECT_EQ(total, static_cast<int64_t>(expected.size())) << when << ": " << c.name;
                EXPECT_TRUE(exact) << when << ": " << c.name;
                f.page_size = 7;
                f.page = 1000;  // past the end: no rows, the count all the same
                auto past = businesses().List(f, true);
                ASSERT_TRUE(past.ok()) << past.error().message;
                EXPECT_TRUE(past->items.empty()) << when << ": " << c.name;
                EXPECT_EQ(past->total, static_cast<int64_t>(expected.size())) << when << ": " << c.name << " past the end";
            }
        }
    };
    check("as inserted");
    for (auto& b : all_) {  // every business of 草坝 moves to 北门 (西城 → 东城)
        if (b.region_code == kCaoba) MoveTo(&b, kBeimen);
    }
    check("after moves");
}

// A search for one house number (路12号) in id order: PostgreSQL reads its page and count from
// business_house_number's entries with the place beside each (HouseNumberPage, migration 23),
// which the repository keeps beside the row. The pages and counts must be the definition's for
// every scope and place filter (county, township, village, two villages, places that do not
// nest), in both id orders and in update order (which reads through GIN), with a count limit
// below and above the matches, past the last page — after addresses change, businesses move
// within and between townships, and a row is deleted by SQL.
TEST_F(BusinessListTest, HouseNumberSearchesFollowEditsMovesAndDeletes) {
    InsertMany(120);
    for (size_t i = 0; i < all_.size(); ++i) {  // 路0号 … 路5号, some with a second number
        Business& b = all_[i];
        b.address = "巴州区回风路" + std::to_string(i % 6) + "号" + (i % 4 == 0 ? "3栋" : "");
        if (i % 9 == 0) b.name += "路1号店";  // a house number in the name too
        b.version += 1;
        auto updated = businesses().Update(b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }
    struct Case {
        const char* name;
        std::vector<std::string> scope;  // empty: everything
        const char* region;
    };
    const Case cases[] = {
        {"all", {}, nullptr},
        {"county filter", {}, "511902"},
        {"township filter", {}, kDongcheng},
        {"village filter", {}, kBeimen},
        {"county scope", {"511902"}, nullptr},
        {"township scope", {kDongcheng}, nullptr},
        {"village scope", {kBeimen}, nullptr},
        {"township scope, its village", {kDongcheng}, kBeimen},
        {"village scope, its township", {kBeimen}, kDongcheng},
        {"township scope, another township", {kDongcheng}, kXicheng},
        {"two villages", {kBeimen, kCaoba}, nullptr},
        {"two villages, one township", {kBeimen, kCaoba}, kXicheng},
    };
    auto in_scope = [](const Business& b, const std::vector<std::string>& scope) {
        if (scope.empty()) return true;
        return std::any_of(scope.begin(), scope.end(),
                           [&](const std::string& code) { return b.region_path.starts_with(PathOf(code)); });
    };
    auto check = [&](const char* when) {
        for (const char* q : {"路1号", "路4号", "号3栋", "路9号", "路１号"}) {
            for (const Case& c : cases) {
                for (BusinessSort sort : {BusinessSort::kIdDesc, BusinessSort::kIdAsc, BusinessSort::kUpdatedDesc}) {
                    for (int64_t limit : {int64_t{5}, int64_t{1000}}) {
                        BusinessFilter f;
                        f.scope.all = c.scope.empty();
                        for (const auto& code : c.scope) f.scope.subtree_paths.push_back(PathOf(code));
                        if (c.region) f.region_path = PathOf(c.region);
                        f.q = q;
                        f.sort = sort;
                        f.total_limit = limit;
                        auto expected = Expected(
                            [&](const Business& b) { return Matches(b, f) && in_scope(b, c.scope); }, sort);
                        const std::string where = std::string(when) + ": " + q + " " + c.name + " sort " +
                                                  std::to_string(static_cast<int>(sort)) + " limit " +
                                                  std::to_string(limit);
                        int64_t total = -1;
                        bool exact = false;
                        EXPECT_EQ(Pages(f, &total, &exact), expected) << where;
                        const auto n = static_cast<int64_t>(expected.size());
                        EXPECT_EQ(total, std::min(n, limit)) << where;
                        EXPECT_EQ(exact, n <= limit) << where;
                        f.page_size = 7;
                        f.page = 1000;  // past the end: no rows, the count all the same
                        auto past = businesses().List(f, true);
                        ASSERT_TRUE(past.ok()) << past.error().message;
                        EXPECT_TRUE(past->items.empty()) << where;
                        EXPECT_EQ(past->total, std::min(n, limit)) << where << " past the end";
                    }
                }
            }
        }
    };
    check("as written");
    for (size_t i = 0; i < all_.size(); i += 5) {  // new numbers; some lose theirs
        Business& b = all_[i];
        b.address = i % 10 == 0 ? "巴州区回风路" : "巴州区回风路" + std::to_string((i + 1) % 6) + "号";
        b.updated_at += 1;
        b.version += 1;
        auto updated = businesses().Update(b);
        ASSERT_TRUE(updated.ok()) << updated.error().message;
    }
    for (auto& b : all_) {  // 草坝 → 北门 (西城 → 东城), 东城's own → 北门 (within 东城)
        if (b.region_code == kCaoba || b.region_code == kDongcheng) MoveTo(&b, kBeimen);
    }
    check("after edits and moves");
    const int64_t gone = all_[1].id;  // 路1号, in 北门
    ASSERT_TRUE(IsOk(conn_->Execute("DELETE FROM business WHERE id = $1", {gone})));
    std::erase_if(all_, [gone](const Business& b) { return b.id == gone; });
    check("after a delete");
    if (conn_->dialect() == Dialect::kPostgres) {
        auto left = conn_->Query("SELECT count(*) FROM business_house_number WHERE business_id = $1", {gone});
        ASSERT_TRUE(IsOk(left));
        EXPECT_EQ(left->Int(0, 0), 0);
        // Each business's entries are its house number terms, plain and joined to its township.
        auto rows = conn_->Query("SELECT count(*) FROM business b WHERE (SELECT array_agg(term ORDER BY term) FROM "
                                 "business_house_number h WHERE h.business_id = b.id AND h.region_path = "
                                 "b.region_path) IS DISTINCT FROM (SELECT array_agg(t ORDER BY t COLLATE \"C\") FROM "
                                 "unnest(b.search_grams) t WHERE t ~ '^(w[0-9]{9})?[\\u3400-\\u9FFF][0-9]{1,3}[\\u3400-\\u9FFF]$')",
                                 {});
        ASSERT_TRUE(IsOk(rows));
        EXPECT_EQ(rows->Int(0, 0), 0);
    }
}

}  // namespace
}  // namespace shian::storage
