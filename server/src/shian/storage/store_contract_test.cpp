// Contract tests of the repositories behind storage::Store (sql_store.cpp): regions, access
// (users, roles, departments, sessions), audit, businesses and settings, plus Store
// transactions and the pooled SqlStoreProvider.
//
// The same suite runs on SQLite and PostgreSQL (SHIAN_TEST_DB, see test_database.hpp); the
// expectations never depend on the engine. Each test gets a fresh database prepared by
// app::PrepareDatabase: migrations, built-in roles and kinds, and the bundled 巴州区 extract
// (data/regions/511902.csv: 1 county, 25 townships, 326 villages).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "shian/core/result_matchers.hpp"
#include "shian/access/audit.hpp"
#include "shian/access/user.hpp"
#include "shian/app/setup.hpp"
#include "shian/core/error.hpp"
#include "shian/core/identifiers.hpp"
#include "shian/places/region.hpp"
#include "shian/registry/business.hpp"
#include "shian/storage/connection.hpp"
#include "shian/storage/connection_pool.hpp"
#include "shian/storage/migrations/migrations.hpp"
#include "shian/storage/sql_store.hpp"
#include "shian/storage/store.hpp"
#include "shian/storage/search_terms.hpp"
#include "shian/storage/store_test_fixture.hpp"
#include "shian/storage/test_database.hpp"

namespace shian::storage {
namespace {

using access::AuditEntry;
using access::AuditQuery;
using access::FieldList;
using registry::Business;
using registry::BusinessFilter;
using registry::BusinessSort;
using registry::StatsDimension;

// Places of the bundled extract used below.
constexpr const char* kCounty = "511902";          // 巴州区
constexpr const char* kDongcheng = "511902001";    // 东城街道
constexpr const char* kBeimen = "511902001001";    // 北门社区居民委员会 (东城)
constexpr const char* kXicheng = "511902002";      // 西城街道
constexpr const char* kCaoba = "511902002001";     // 草坝社区居民委员会 (西城)
constexpr const char* kDamaoping = "511902100";    // 大茅坪镇 (5 villages)
constexpr const char* kMingxing = "511902100001";  // 明星居民委员会 (大茅坪)
constexpr const char* kBaiyun = "511902100200";    // 白云村民委员会 (大茅坪)

constexpr TimeMs kT0 = 1'764'000'000'000;  // 2025-11-24

// A valid USCC (GB 32100-2015) numbered n.
std::string Uscc(int n) {
    std::string digits = std::to_string(n);  // seven digits, zero-padded (n < 10,000,000)
    digits.insert(0, 7 - std::min<size_t>(7, digits.size()), '0');
    std::string first17 = "91511902MA" + digits;
    return first17 + UsccCheckCharacter(first17);
}

Business MakeBusiness(const std::string& name, const std::string& region_code,
                      const std::string& kind = "catering") {
    Business b;
    b.version = 1;
    b.name = name;
    b.kind = kind;
    b.region_code = region_code;
    b.region_path = PathOf(region_code);
    b.status = "营业";
    b.created_at = b.updated_at = kT0;
    return b;
}

std::vector<std::string> Names(const std::vector<Business>& items) {
    std::vector<std::string> out;
    for (const auto& b : items) out.push_back(b.name);
    return out;
}

std::set<std::string> NameSet(const std::vector<Business>& items) {
    auto names = Names(items);
    return {names.begin(), names.end()};
}

class StoreContractTest : public StoreTest {
protected:
    places::RegionRepository& regions() { return store_->regions(); }
    access::AccessRepository& access() { return store_->access(); }
    access::AuditRepository& audit() { return store_->audit(); }

    int64_t Insert(const Business& b) {
        auto id = businesses().Insert(b);
        EXPECT_TRUE(IsOk(id)) << b.name;
        return id.ok() ? *id : 0;
    }

    Business Load(int64_t id) {
        auto found = businesses().Find(id);
        EXPECT_TRUE(IsOk(found));
        EXPECT_TRUE(found.ok() && found->has_value()) << "business " << id;
        return found.ok() && found->has_value() ? **found : Business{};
    }

    std::vector<Business> ListAll(BusinessFilter f) {
        f.scope.all =
            f.scope.all || (f.scope.subtree_paths.empty() && f.scope.exact_paths.empty() &&
                            !f.scope.business_id && !f.scope.nothing);
        f.page_size = 1000;
        auto page = businesses().List(f, true);
        EXPECT_TRUE(IsOk(page));
        if (!page.ok()) return {};
        EXPECT_EQ(page->total, static_cast<int64_t>(page->items.size()));
        return page->items;
    }

    // SQLite: how many segments its search index is in (each search reads every one).
    int64_t SearchIndexSegments() {
        auto rows = conn_->Query("SELECT count(DISTINCT segid) FROM business_fts_idx", {});
        EXPECT_TRUE(IsOk(rows));
        return rows.ok() ? rows->Int(0, 0) : -1;
    }

    std::vector<std::string> Search(const std::string& q) {
        BusinessFilter f;
        f.q = q;
        f.sort = BusinessSort::kNameAsc;
        return Names(ListAll(f));
    }

    access::User MakeUser(const std::string& username, const std::string& display_name,
                          const std::string& role = "inspector",
                          const std::string& region = kDongcheng) {
        access::User u;
        u.username = username;
        u.display_name = display_name;
        u.password_hash = "$argon2id$test";
        u.role = role;
        u.region_code = region;
        u.created_at = u.updated_at = kT0;
        return u;
    }

    int64_t InsertUser(const access::User& u) {
        auto id = access().InsertUser(u);
        EXPECT_TRUE(IsOk(id)) << u.username;
        return id.ok() ? *id : 0;
    }
};

// ---------------------------------------------------------------------------------------------
// Regions

TEST_F(StoreContractTest, RegionFindReadsEveryField) {
    auto county = regions().Find(kCounty);
    ASSERT_TRUE(IsOk(county));
    ASSERT_TRUE(county->has_value());
    EXPECT_EQ((*county)->name, "巴州区");
    EXPECT_EQ((*county)->level, places::RegionLevel::kCounty);
    EXPECT_EQ((*county)->parent_code, "");
    EXPECT_EQ((*county)->path, "/511902/");
    EXPECT_TRUE((*county)->active);
    EXPECT_TRUE((*county)->has_children);

    auto village = regions().Find(kBeimen);
    ASSERT_TRUE(IsOk(village));
    ASSERT_TRUE(village->has_value());
    EXPECT_EQ((*village)->name, "北门社区居民委员会");
    EXPECT_EQ((*village)->level, places::RegionLevel::kVillage);
    EXPECT_EQ((*village)->parent_code, kDongcheng);
    EXPECT_EQ((*village)->path, "/511902/511902001/511902001001/");
    EXPECT_FALSE((*village)->has_children);

    auto missing = regions().Find("511902999");
    ASSERT_TRUE(IsOk(missing));
    EXPECT_FALSE(missing->has_value());

    auto count = regions().Count();
    ASSERT_TRUE(IsOk(count));
    EXPECT_EQ(*count, 352);
}

TEST_F(StoreContractTest, RegionRootsAndChildrenInCodeOrder) {
    auto roots = regions().Roots();
    ASSERT_TRUE(IsOk(roots));
    ASSERT_EQ(roots->size(), 1u);
    EXPECT_EQ(roots->front().code, kCounty);
    EXPECT_TRUE(roots->front().has_children);

    auto townships = regions().Children(kCounty);
    ASSERT_TRUE(IsOk(townships));
    ASSERT_EQ(townships->size(), 25u);
    EXPECT_EQ(townships->front().code, kDongcheng);
    EXPECT_EQ(townships->front().name, "东城街道");
    EXPECT_EQ(townships->back().code, "511902204");
    EXPECT_EQ(townships->back().name, "白庙乡");
    for (size_t i = 0; i < townships->size(); ++i) {
        const auto& t = (*townships)[i];
        EXPECT_EQ(t.level, places::RegionLevel::kTownship) << t.code;
        EXPECT_EQ(t.parent_code, kCounty) << t.code;
        EXPECT_TRUE(t.has_children) << t.code;
        if (i > 0) {
            EXPECT_LT((*townships)[i - 1].code, t.code);
        }
    }

    auto villages = regions().Children(kDamaoping);
    ASSERT_TRUE(IsOk(villages));
    ASSERT_EQ(villages->size(), 5u);
    EXPECT_EQ(villages->front().code, kMingxing);
    EXPECT_EQ(villages->front().name, "明星居民委员会");
    for (const auto& v : *villages) EXPECT_FALSE(v.has_children) << v.code;

    auto none = regions().Children(kBeimen);
    ASSERT_TRUE(IsOk(none));
    EXPECT_TRUE(none->empty());
    auto unknown = regions().Children("999999");
    ASSERT_TRUE(IsOk(unknown));
    EXPECT_TRUE(unknown->empty());
}

TEST_F(StoreContractTest, RegionPathsFormSubtrees) {
    // Every path is the parent's path plus the code, and a township's subtree range holds
    // exactly its own villages.
    auto townships = regions().Children(kCounty);
    ASSERT_TRUE(IsOk(townships));
    size_t villages_seen = 0;
    for (const auto& t : *townships) {
        EXPECT_EQ(t.path, places::ChildPath("/511902/", t.code));
        auto range = places::SubtreeRange(t.path);
        auto villages = regions().Children(t.code);
        ASSERT_TRUE(IsOk(villages));
        for (const auto& v : *villages) {
            EXPECT_EQ(v.path, places::ChildPath(t.path, v.code));
            EXPECT_TRUE(range.begin <= v.path && v.path < range.end) << v.path;
            for (const auto& other : *townships) {
                if (other.code == t.code) continue;
                auto r = places::SubtreeRange(other.path);
                EXPECT_FALSE(r.begin <= v.path && v.path < r.end) << v.path << " in " << other.path;
            }
            ++villages_seen;
        }
    }
    EXPECT_EQ(villages_seen, 326u);
}

TEST_F(StoreContractTest, RegionUpsertInsertsUpdatesAndDeactivates) {
    auto village = [](const std::string& code, const std::string& name, bool active) {
        return places::Region{code,   name, places::RegionLevel::kVillage, kDongcheng, PathOf(code),
                              active, false, 0, ""};
    };
    ASSERT_TRUE(IsOk(regions().Upsert({village(kBeimen, "北门社区", true),
                                       village("511902001999", "新设社区", true),
                                       village("511902001002", "鼓楼社区居民委员会", false)})));

    auto found = regions().Find(kBeimen);
    ASSERT_TRUE(IsOk(found));
    EXPECT_EQ((*found)->name, "北门社区");
    auto inactive = regions().Find("511902001002");
    ASSERT_TRUE(IsOk(inactive));
    ASSERT_TRUE(inactive->has_value());
    EXPECT_FALSE((*inactive)->active);

    auto children = regions().Children(kDongcheng);
    ASSERT_TRUE(IsOk(children));
    std::vector<std::string> codes;
    for (const auto& c : *children) codes.push_back(c.code);
    EXPECT_EQ(codes.size(), 11u);  // 11 − 1 inactive + 1 new
    EXPECT_EQ(codes.back(), "511902001999");
    EXPECT_EQ(std::count(codes.begin(), codes.end(), "511902001002"), 0);
    auto count = regions().Count();
    ASSERT_TRUE(IsOk(count));
    EXPECT_EQ(*count, 353);
}

// ---------------------------------------------------------------------------------------------
// Access: users, roles, departments, sessions

TEST_F(StoreContractTest, UserInsertFindUpdateRoundTrip) {
    auto dept =
        access().InsertDepartment({0, "东城市场监管所", std::nullopt, kDongcheng, "监管所"});
    ASSERT_TRUE(IsOk(dept));
    int64_t business_id = Insert(MakeBusiness("东城餐馆", kBeimen));

    access::User u = MakeUser("zhang.san", "张三“老张”");
    u.department_id = *dept;
    int64_t id = InsertUser(u);
    EXPECT_GT(id, 0);

    auto by_name = access().FindUserByName("zhang.san");
    ASSERT_TRUE(IsOk(by_name));
    ASSERT_TRUE(by_name->has_value());
    const access::User& got = **by_name;
    EXPECT_EQ(got.id, id);
    EXPECT_EQ(got.display_name, "张三“老张”");
    EXPECT_EQ(got.password_hash, "$argon2id$test");
    EXPECT_EQ(got.role, "inspector");
    EXPECT_EQ(got.region_code, kDongcheng);
    EXPECT_EQ(got.department_id, *dept);
    EXPECT_EQ(got.business_id, std::nullopt);
    EXPECT_FALSE(got.disabled);
    EXPECT_EQ(got.failed_logins, 0);
    EXPECT_EQ(got.locked_until, 0);
    EXPECT_EQ(got.last_login_at, 0);
    EXPECT_EQ(got.created_at, kT0);
    EXPECT_EQ(got.updated_at, kT0);

    access::User changed = got;
    changed.display_name = "张三";
    changed.role = "business";
    changed.region_code = kBeimen;
    changed.department_id = std::nullopt;
    changed.business_id = business_id;
    changed.disabled = true;
    changed.failed_logins = 2;
    changed.locked_until = kT0 + 5;
    changed.updated_at = kT0 + 10;
    ASSERT_TRUE(IsOk(access().UpdateUser(changed)));

    auto by_id = access().FindUser(id);
    ASSERT_TRUE(IsOk(by_id));
    ASSERT_TRUE(by_id->has_value());
    EXPECT_EQ((*by_id)->username, "zhang.san");
    EXPECT_EQ((*by_id)->display_name, "张三");
    EXPECT_EQ((*by_id)->role, "business");
    EXPECT_EQ((*by_id)->region_code, kBeimen);
    EXPECT_EQ((*by_id)->department_id, std::nullopt);
    EXPECT_EQ((*by_id)->business_id, business_id);
    EXPECT_TRUE((*by_id)->disabled);
    EXPECT_EQ((*by_id)->failed_logins, 2);
    EXPECT_EQ((*by_id)->locked_until, kT0 + 5);
    EXPECT_EQ((*by_id)->created_at, kT0);
    EXPECT_EQ((*by_id)->updated_at, kT0 + 10);

    auto missing = access().FindUserByName("nobody");
    ASSERT_TRUE(IsOk(missing));
    EXPECT_FALSE(missing->has_value());
    auto missing_id = access().FindUser(id + 1000);
    ASSERT_TRUE(IsOk(missing_id));
    EXPECT_FALSE(missing_id->has_value());
}

TEST_F(StoreContractTest, UserConstraints) {
    InsertUser(MakeUser("dup", "甲"));
    EXPECT_TRUE(FailsWith(access().InsertUser(MakeUser("dup", "乙")), ErrorCode::kConflict));
    EXPECT_TRUE(FailsWith(access().InsertUser(MakeUser("norole", "丙", "nosuchrole")),
                          ErrorCode::kInvalidArgument));
    EXPECT_TRUE(FailsWith(access().InsertUser(MakeUser("noregion", "丁", "inspector", "999999")),
                          ErrorCode::kInvalidArgument));
    auto page = access().ListUsers({});
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->second, 1);
}

TEST_F(StoreContractTest, ListUsersPagesAndSearches) {
    for (int i = 1; i <= 25; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "user%02d", i);
        InsertUser(MakeUser(name, i == 7 ? "王小明" : "检查员" + std::to_string(i)));
    }
    InsertUser(MakeUser("a_b", "下划线"));
    InsertUser(MakeUser("axb", "不是下划线"));
    InsertUser(MakeUser("Admin.Li", "李管理"));

    struct Case {
        std::string q;
        int page;
        int page_size;
        int64_t total;
        std::vector<std::string> usernames;
    };
    const std::vector<Case> cases = {
        {"",
         1,
         10,
         28,
         {"user01", "user02", "user03", "user04", "user05", "user06", "user07", "user08", "user09",
          "user10"}},
        {"",
         3,
         10,
         28,
         {"user21", "user22", "user23", "user24", "user25", "a_b", "axb", "Admin.Li"}},
        {"", 4, 10, 28, {}},
        {"user2", 1, 20, 6, {"user20", "user21", "user22", "user23", "user24", "user25"}},
        {"user2", 2, 4, 6, {"user24", "user25"}},
        {"王小", 1, 20, 1, {"user07"}},
        {"检查员1", 1, 3, 11, {"user01", "user10", "user11"}},
        // ASCII letters match either case, on both engines.
        {"USER0", 1, 3, 9, {"user01", "user02", "user03"}},
        {"admin", 1, 20, 1, {"Admin.Li"}},
        {"ADMIN.li", 1, 20, 1, {"Admin.Li"}},
        // LIKE wildcards in the query are plain characters.
        {"a_b", 1, 20, 1, {"a_b"}},
        {"%", 1, 20, 0, {}},
        {"下划线", 1, 20, 2, {"a_b", "axb"}},
    };
    for (const auto& c : cases) {
        access::UserQuery q;
        q.q = c.q;
        q.page = c.page;
        q.page_size = c.page_size;
        auto page = access().ListUsers(q);
        ASSERT_TRUE(IsOk(page)) << c.q;
        std::vector<std::string> got;
        for (const auto& u : page->first) got.push_back(u.username);
        EXPECT_EQ(got, c.usernames) << "q=" << c.q << " page=" << c.page;
        EXPECT_EQ(page->second, c.total) << "q=" << c.q;
    }
}

TEST_F(StoreContractTest, RecordLoginResultKeepsLastLoginUnlessGiven) {
    int64_t id = InsertUser(MakeUser("li.si", "李四"));
    ASSERT_TRUE(IsOk(access().RecordLoginResult(id, 3, kT0 + 900'000, 0)));
    auto u = access().FindUser(id);
    ASSERT_TRUE(IsOk(u));
    EXPECT_EQ((*u)->failed_logins, 3);
    EXPECT_EQ((*u)->locked_until, kT0 + 900'000);
    EXPECT_EQ((*u)->last_login_at, 0);

    ASSERT_TRUE(IsOk(access().RecordLoginResult(id, 0, 0, kT0 + 1000)));
    u = access().FindUser(id);
    ASSERT_TRUE(IsOk(u));
    EXPECT_EQ((*u)->failed_logins, 0);
    EXPECT_EQ((*u)->locked_until, 0);
    EXPECT_EQ((*u)->last_login_at, kT0 + 1000);

    ASSERT_TRUE(IsOk(access().RecordLoginResult(id, 1, 0, 0)));
    u = access().FindUser(id);
    ASSERT_TRUE(IsOk(u));
    EXPECT_EQ((*u)->failed_logins, 1);
    EXPECT_EQ((*u)->last_login_at, kT0 + 1000);
}

TEST_F(StoreContractTest, RolesSeededListedAndUpserted) {
    auto roles = access().ListRoles();
    ASSERT_TRUE(IsOk(roles));
    std::vector<std::string> codes;
    for (const auto& r : *roles) codes.push_back(r.code);
    EXPECT_EQ(codes, (std::vector<std::string>{"admin", "business", "cadre", "inspector", "office",
                                               "public"}));
    auto office = access().FindRole("office");
    ASSERT_TRUE(IsOk(office));
    ASSERT_TRUE(office->has_value());
    EXPECT_EQ((*office)->label, "食安办");
    EXPECT_EQ((*office)->data_scope, access::DataScope::kRegionAndBelow);
    EXPECT_TRUE((*office)->builtin);
    EXPECT_FALSE((*office)->permissions.empty());

    // A custom role lists after the built-in ones; permissions keep their order.
    access::Role custom{"auditor",
                        "审计员",
                        access::DataScope::kRegion,
                        {"system:audit:view", "registry:business:list"},
                        false,
                        {}};
    ASSERT_TRUE(IsOk(access().UpsertRole(custom)));
    access::Role aaa{"aaa", "甲角色", access::DataScope::kSelf, {}, false, {}};
    ASSERT_TRUE(IsOk(access().UpsertRole(aaa)));
    roles = access().ListRoles();
    ASSERT_TRUE(IsOk(roles));
    ASSERT_EQ(roles->size(), 8u);
    EXPECT_EQ((*roles)[6].code, "aaa");
    EXPECT_EQ((*roles)[7].code, "auditor");
    EXPECT_EQ((*roles)[7].permissions, custom.permissions);
    EXPECT_EQ((*roles)[7].data_scope, access::DataScope::kRegion);
    EXPECT_FALSE((*roles)[7].builtin);
    EXPECT_TRUE((*roles)[6].permissions.empty());

    // Upserting an existing code updates label, scope and permissions, never `builtin`.
    access::Role changed{
        "office", "县食安办", access::DataScope::kAll, {"stats:business:view"}, false, {}};
    ASSERT_TRUE(IsOk(access().UpsertRole(changed)));
    office = access().FindRole("office");
    ASSERT_TRUE(IsOk(office));
    EXPECT_EQ((*office)->label, "县食安办");
    EXPECT_EQ((*office)->data_scope, access::DataScope::kAll);
    EXPECT_EQ((*office)->permissions, std::vector<std::string>{"stats:business:view"});
    EXPECT_TRUE((*office)->builtin);

    auto missing = access().FindRole("nope");
    ASSERT_TRUE(IsOk(missing));
    EXPECT_FALSE(missing->has_value());

    // A custom scope's places are stored with the role, read back in code order with their
    // names and paths, and replaced as a whole by the next upsert.
    access::Role district{"district", "片区督查组", access::DataScope::kCustom, {"registry:business:list"}, false,
                          {{"511902002", "", ""}, {"511902001", "", ""}}};
    ASSERT_TRUE(IsOk(access().UpsertRole(district)));
    auto read = access().FindRole("district");
    ASSERT_TRUE(IsOk(read));
    ASSERT_TRUE(read->has_value());
    ASSERT_EQ((*read)->places.size(), 2u);
    EXPECT_EQ((*read)->places[0].code, "511902001");
    EXPECT_EQ((*read)->places[0].name, "东城街道");
    EXPECT_EQ((*read)->places[0].path, "/511902/511902001/");
    EXPECT_EQ((*read)->places[1].code, "511902002");
    roles = access().ListRoles();
    ASSERT_TRUE(IsOk(roles));
    for (const auto& r : *roles) EXPECT_EQ(r.places.size(), r.code == "district" ? 2u : 0u) << r.code;
    district.places = {{"511902001001", "", ""}};
    ASSERT_TRUE(IsOk(access().UpsertRole(district)));
    read = access().FindRole("district");
    ASSERT_TRUE(IsOk(read));
    ASSERT_EQ((*read)->places.size(), 1u);
    EXPECT_EQ((*read)->places[0].path, "/511902/511902001/511902001001/");
    district.places = {{"999999999", "", ""}};
    EXPECT_FALSE(IsOk(access().UpsertRole(district))) << "an unknown place breaks the foreign key";
}

TEST_F(StoreContractTest, DepartmentsInsertAndList) {
    auto empty = access().ListDepartments();
    ASSERT_TRUE(IsOk(empty));
    EXPECT_TRUE(empty->empty());

    auto office = access().InsertDepartment({0, "巴州区食安办", std::nullopt, kCounty, "食安办"});
    ASSERT_TRUE(IsOk(office));
    auto station = access().InsertDepartment({0, "东城所", *office, kDongcheng, "监管所"});
    ASSERT_TRUE(IsOk(station));
    EXPECT_LT(*office, *station);
    EXPECT_TRUE(FailsWith(access().InsertDepartment({0, "无区划", std::nullopt, "999", "乡镇"}),
                          ErrorCode::kInvalidArgument));
    EXPECT_TRUE(FailsWith(access().InsertDepartment({0, "无上级", *station + 100, kCounty, "乡镇"}),
                          ErrorCode::kInvalidArgument));

    auto all = access().ListDepartments();
    ASSERT_TRUE(IsOk(all));
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].id, *office);
    EXPECT_EQ((*all)[0].name, "巴州区食安办");
    EXPECT_EQ((*all)[0].parent_id, std::nullopt);
    EXPECT_EQ((*all)[0].region_code, kCounty);
    EXPECT_EQ((*all)[0].kind, "食安办");
    EXPECT_EQ((*all)[1].parent_id, *office);
    EXPECT_EQ((*all)[1].kind, "监管所");
}

TEST_F(StoreContractTest, SessionsLifecycle) {
    int64_t alice = InsertUser(MakeUser("alice", "爱丽丝"));
    int64_t bob = InsertUser(MakeUser("bob", "鲍勃"));
    ASSERT_TRUE(IsOk(access().InsertSession({"h1", alice, kT0, kT0})));
    ASSERT_TRUE(IsOk(access().InsertSession({"h2", alice, kT0, kT0 + 100})));
    ASSERT_TRUE(IsOk(access().InsertSession({"h3", bob, kT0, kT0 + 200})));
    EXPECT_TRUE(FailsWith(access().InsertSession({"h1", bob, kT0, kT0}), ErrorCode::kConflict));

    auto found = access().FindSession("h1");
    ASSERT_TRUE(IsOk(found));
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->token_hash, "h1");
    EXPECT_EQ((*found)->user_id, alice);
    EXPECT_EQ((*found)->created_at, kT0);
    EXPECT_EQ((*found)->last_seen_at, kT0);

    ASSERT_TRUE(IsOk(access().TouchSession("h1", kT0 + 500)));
    found = access().FindSession("h1");
    ASSERT_TRUE(IsOk(found));
    EXPECT_EQ((*found)->last_seen_at, kT0 + 500);
    EXPECT_EQ((*found)->created_at, kT0);

    // Idle cleanup removes sessions last seen strictly before the cut-off.
    ASSERT_TRUE(IsOk(access().DeleteSessionsIdleSince(kT0 + 200)));
    auto h2 = access().FindSession("h2");
    ASSERT_TRUE(IsOk(h2));
    EXPECT_FALSE(h2->has_value());
    auto h3 = access().FindSession("h3");
    ASSERT_TRUE(IsOk(h3));
    EXPECT_TRUE(h3->has_value());
    found = access().FindSession("h1");
    ASSERT_TRUE(IsOk(found));
    EXPECT_TRUE(found->has_value());

    ASSERT_TRUE(IsOk(access().DeleteSession("h1")));
    found = access().FindSession("h1");
    ASSERT_TRUE(IsOk(found));
    EXPECT_FALSE(found->has_value());
    ASSERT_TRUE(IsOk(access().DeleteSession("never-existed")));

    ASSERT_TRUE(IsOk(access().InsertSession({"h4", bob, kT0, kT0})));
    ASSERT_TRUE(IsOk(access().DeleteSessionsOfUser(bob)));
    for (const char* h : {"h3", "h4"}) {
        auto s = access().FindSession(h);
        ASSERT_TRUE(IsOk(s));
        EXPECT_FALSE(s->has_value()) << h;
    }
}

TEST_F(StoreContractTest, FindSessionUserJoinsUserRoleAndPlace) {
    access::User u = MakeUser("chen.jiu", "陈九", "office", kDongcheng);
    u.disabled = true;
    int64_t id = InsertUser(u);
    ASSERT_TRUE(IsOk(access().InsertSession({"hash-1", id, kT0, kT0 + 7})));

    auto found = access().FindSessionUser("hash-1");
    ASSERT_TRUE(IsOk(found));
    ASSERT_TRUE(found->has_value());
    const access::SessionUser& su = **found;
    EXPECT_EQ(su.session.token_hash, "hash-1");
    EXPECT_EQ(su.session.user_id, id);
    EXPECT_EQ(su.session.created_at, kT0);
    EXPECT_EQ(su.session.last_seen_at, kT0 + 7);
    ASSERT_TRUE(su.user.has_value());
    EXPECT_EQ(su.user->id, id);
    EXPECT_EQ(su.user->username, "chen.jiu");
    EXPECT_EQ(su.user->display_name, "陈九");
    EXPECT_TRUE(su.user->disabled);
    EXPECT_EQ(su.user->department_id, std::nullopt);
    ASSERT_TRUE(su.role.has_value());
    EXPECT_EQ(su.role->code, "office");
    EXPECT_EQ(su.role->label, "食安办");
    EXPECT_EQ(su.role->data_scope, access::DataScope::kRegionAndBelow);
    auto office = access().FindRole("office");
    ASSERT_TRUE(IsOk(office));
    EXPECT_EQ(su.role->permissions, (*office)->permissions);
    EXPECT_TRUE(su.role->builtin);
    EXPECT_EQ(su.region_name, "东城街道");
    EXPECT_EQ(su.region_path, "/511902/511902001/");

    auto missing = access().FindSessionUser("hash-2");
    ASSERT_TRUE(IsOk(missing));
    EXPECT_FALSE(missing->has_value());
}

// ---------------------------------------------------------------------------------------------
// Audit

TEST_F(StoreContractTest, AuditFieldListsRoundTripInOrder) {
    const FieldList before = {{"name", "老王“火锅”店"},
                              {"address", "江北大道\"1\"号\\后门"},
                              {"empty", ""},
                              {"note", "第一行\n第二行\t🍜"},
                              {"kind", "餐饮服务"}};
    FieldList after = before;
    after[0].second = "老王火锅（总店）";
    ASSERT_TRUE(IsOk(audit().Append(
        {0, kT0, 7, "王五", "update", "business", "12", "修改主体：老王", before, after, "/511902/"})));
    ASSERT_TRUE(IsOk(audit().Append(
        {0, kT0 + 1, 7, "王五", "create", "business", "13", "新增", std::nullopt, FieldList{}, ""})));

    auto page = audit().List({});
    ASSERT_TRUE(IsOk(page));
    ASSERT_EQ(page->second, 2);
    ASSERT_EQ(page->first.size(), 2u);
    const AuditEntry& created = page->first[0];
    EXPECT_EQ(created.entity_id, "13");
    EXPECT_EQ(created.before, std::nullopt);
    ASSERT_TRUE(created.after.has_value());
    EXPECT_TRUE(created.after->empty());

    const AuditEntry& updated = page->first[1];
    EXPECT_GT(updated.id, 0);
    EXPECT_LT(updated.id, created.id);
    EXPECT_EQ(updated.at, kT0);
    EXPECT_EQ(updated.user_id, 7);
    EXPECT_EQ(updated.username, "王五");
    EXPECT_EQ(updated.action, "update");
    EXPECT_EQ(updated.entity, "business");
    EXPECT_EQ(updated.entity_id, "12");
    EXPECT_EQ(updated.summary, "修改主体：老王");
    EXPECT_EQ(updated.before, before);
    EXPECT_EQ(updated.after, after);
    EXPECT_EQ(updated.place_path, "/511902/");
}

TEST_F(StoreContractTest, AuditListFiltersAndPagesNewestFirst) {
    struct Row {
        TimeMs at;
        const char* user;
        const char* action;
        const char* entity;
        const char* entity_id;
        const char* place;
    };
    const char* beimen = "/511902/511902001/511902001001/";
    const char* dongcheng = "/511902/511902001/";
    const char* xicheng = "/511902/511902002/";
    const std::vector<Row> rows = {
        {kT0 + 0, "admin", "create", "business", "1", beimen},
        {kT0 + 10, "admin", "update", "business", "1", beimen},
        {kT0 + 20, "zhang", "update", "business", "2", xicheng},
        {kT0 + 30, "zhang", "login", "session", "5", dongcheng},
        {kT0 + 40, "admin", "create", "user", "5", dongcheng},
        {kT0 + 50, "zhang", "update", "business", "1", beimen},
        {kT0 + 60, "admin", "create", "role", "district", ""},
    };
    for (size_t i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        ASSERT_TRUE(
            IsOk(audit().Append({0, r.at, 1, r.user, r.action, r.entity, r.entity_id,
                                 "第" + std::to_string(i) + "条", std::nullopt, std::nullopt, r.place})));
    }
    // Expected: indexes into `rows`, newest first.
    struct Case {
        const char* label;
        AuditQuery q;
        int64_t total;
        std::vector<int> expected;
    };
    auto q = [](std::string entity, std::string id, std::string user, std::string action,
                TimeMs from, TimeMs to, int page = 1, int page_size = 20) {
        return AuditQuery{entity, id, user, action, from, to, page, page_size, access::ScopeFilter::Everything()};
    };
    auto scoped = [&](access::ScopeFilter scope) {
        AuditQuery out = q("", "", "", "", 0, 0);
        out.scope = std::move(scope);
        return out;
    };
    access::ScopeFilter township;
    township.subtree_paths = {dongcheng};
    access::ScopeFilter two_townships;
    two_townships.subtree_paths = {dongcheng, xicheng};
    access::ScopeFilter own_place;
    own_place.exact_paths = {dongcheng};
    access::ScopeFilter one_business;
    one_business.business_id = 2;
    access::ScopeFilter nothing;
    nothing.nothing = true;
    const std::vector<Case> cases = {
        {"all", q("", "", "", "", 0, 0), 7, {6, 5, 4, 3, 2, 1, 0}},
        {"entity", q("business", "", "", "", 0, 0), 4, {5, 2, 1, 0}},
        {"entity+id", q("business", "1", "", "", 0, 0), 3, {5, 1, 0}},
        {"id alone", q("", "5", "", "", 0, 0), 2, {4, 3}},
        {"user", q("", "", "zhang", "", 0, 0), 3, {5, 3, 2}},
        {"action", q("", "", "", "update", 0, 0), 3, {5, 2, 1}},
        {"from inclusive", q("", "", "", "", kT0 + 40, 0), 3, {6, 5, 4}},
        {"to exclusive", q("", "", "", "", 0, kT0 + 20), 2, {1, 0}},
        {"window", q("business", "", "", "", kT0 + 10, kT0 + 60), 3, {5, 2, 1}},
        {"scope: a township's subtree", scoped(township), 5, {5, 4, 3, 1, 0}},
        {"scope: two townships", scoped(two_townships), 6, {5, 4, 3, 2, 1, 0}},
        {"scope: a place without its subtree", scoped(own_place), 2, {4, 3}},
        {"scope: one business", scoped(one_business), 1, {2}},
        {"scope: nothing", scoped(nothing), 0, {}},
        {"combined", q("business", "1", "admin", "update", 0, 0), 1, {1}},
        {"no match", q("kind", "", "", "", 0, 0), 0, {}},
        {"page 1", q("", "", "", "", 0, 0, 1, 3), 7, {6, 5, 4}},
        {"page 3", q("", "", "", "", 0, 0, 3, 3), 7, {0}},
        {"past the end", q("", "", "", "", 0, 0, 4, 3), 7, {}},
    };
    for (const auto& c : cases) {
        auto page = audit().List(c.q);
        ASSERT_TRUE(IsOk(page)) << c.label;
        EXPECT_EQ(page->second, c.total) << c.label;
        std::vector<int> got;
        for (const auto& e : page->first) got.push_back(std::stoi(e.summary.substr(3)));
        EXPECT_EQ(got, c.expected) << c.label;
    }
}

// ---------------------------------------------------------------------------------------------
// Businesses: records

TEST_F(StoreContractTest, BusinessInsertFindRoundTrip) {
    Business b = MakeBusiness("巴州老火锅（江北店）", kBeimen);
    b.uscc = Uscc(1);
    b.licence_no = "JY25119020000012";
    b.address = "江北大道\"88\"号";
    b.lng = 106.7683915;
    b.lat = 31.8581234;
    b.risk_grade = "B";
    b.people = {{"法定代表人", "王“大”锤", "511902198001010011", "13800000000"},
                {"食品安全员", "李四", "", ""}};
    b.tags = {"重点", "学校周边"};
    b.created_at = kT0;
    b.updated_at = kT0 + 5;
    int64_t id = Insert(b);
    ASSERT_GT(id, 0);

    Business got = Load(id);
    EXPECT_EQ(got.id, id);
    EXPECT_EQ(got.version, 1);
    EXPECT_EQ(got.name, b.name);
    EXPECT_EQ(got.uscc, b.uscc);
    EXPECT_EQ(got.licence_no, b.licence_no);
    EXPECT_EQ(got.kind, "catering");
    EXPECT_EQ(got.region_code, kBeimen);
    EXPECT_EQ(got.region_path, "/511902/511902001/511902001001/");
    EXPECT_EQ(got.address, b.address);
    EXPECT_EQ(got.lng, b.lng);
    EXPECT_EQ(got.lat, b.lat);
    EXPECT_EQ(got.status, "营业");
    EXPECT_EQ(got.risk_grade, "B");
    ASSERT_EQ(got.people.size(), 2u);
    EXPECT_EQ(got.people[0].role, "法定代表人");
    EXPECT_EQ(got.people[0].name, "王“大”锤");
    EXPECT_EQ(got.people[0].id_number, "511902198001010011");
    EXPECT_EQ(got.people[0].phone, "13800000000");
    EXPECT_EQ(got.people[1].name, "李四");
    EXPECT_EQ(got.people[1].phone, "");
    EXPECT_EQ(got.tags, (std::vector<std::string>{"重点", "学校周边"}));
    EXPECT_EQ(got.created_at, kT0);
    EXPECT_EQ(got.updated_at, kT0 + 5);

    // No coordinates, no USCC, no people, no tags.
    Business bare = MakeBusiness("无证小摊", kMingxing, "food_vendor");
    int64_t bare_id = Insert(bare);
    Business bare_got = Load(bare_id);
    EXPECT_EQ(bare_got.uscc, "");
    EXPECT_EQ(bare_got.lng, std::nullopt);
    EXPECT_EQ(bare_got.lat, std::nullopt);
    EXPECT_TRUE(bare_got.people.empty());
    EXPECT_TRUE(bare_got.tags.empty());
    EXPECT_EQ(bare_got.risk_grade, "");
    EXPECT_EQ(bare_got.region_path, "/511902/511902100/511902100001/");

    auto missing = businesses().Find(bare_id + 100);
    ASSERT_TRUE(IsOk(missing));
    EXPECT_FALSE(missing->has_value());
}

TEST_F(StoreContractTest, BusinessFindByUsccAndUniqueness) {
    Business a = MakeBusiness("甲店", kBeimen);
    a.uscc = Uscc(1);
    int64_t a_id = Insert(a);
    Business b = MakeBusiness("乙店", kCaoba);
    b.uscc = Uscc(2);
    int64_t b_id = Insert(b);
    // Any number of businesses may have no USCC.
    Insert(MakeBusiness("摊位一", kCaoba, "food_vendor"));
    Insert(MakeBusiness("摊位二", kCaoba, "food_vendor"));

    auto found = businesses().FindByUscc(Uscc(2));
    ASSERT_TRUE(IsOk(found));
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->id, b_id);
    EXPECT_EQ((*found)->name, "乙店");
    for (const std::string& u : {Uscc(3), std::string()}) {
        auto none = businesses().FindByUscc(u);
        ASSERT_TRUE(IsOk(none));
        EXPECT_FALSE(none->has_value()) << u;
    }

    auto many = businesses().FindManyByUscc({Uscc(2), Uscc(3), Uscc(1), Uscc(2)});
    ASSERT_TRUE(IsOk(many));
    ASSERT_EQ(many->size(), 2u) << "unknown left out, a repeat answered once";
    EXPECT_EQ((*many)[0].id, b_id);
    EXPECT_EQ((*many)[0].name, "乙店");
    EXPECT_EQ((*many)[0].uscc, Uscc(2));
    EXPECT_EQ((*many)[1].id, a_id);
    EXPECT_EQ((*many)[1].version, Load(a_id).version);
    EXPECT_TRUE(IsOk(businesses().FindManyByUscc({})));
    auto stored = businesses().StoredUsccs({Uscc(3), Uscc(2), "", Uscc(1), Uscc(2)});
    ASSERT_TRUE(IsOk(stored));
    std::sort(stored->begin(), stored->end());
    EXPECT_EQ(*stored, (std::vector<std::string>{Uscc(1), Uscc(2)}));
    auto none_stored = businesses().StoredUsccs({});
    ASSERT_TRUE(IsOk(none_stored));
    EXPECT_TRUE(none_stored->empty());

    // A second record with a stored USCC is a conflict and leaves nothing behind.
    Business dup = MakeBusiness("丙店", kMingxing);
    dup.uscc = Uscc(1);
    dup.tags = {"重复"};
    EXPECT_TRUE(FailsWith(businesses().Insert(dup), ErrorCode::kConflict));
    BusinessFilter f;
    EXPECT_EQ(ListAll(f).size(), 4u);
    // Taking another record's USCC by update is a conflict too.
    Business b2 = Load(b_id);
    b2.uscc = Uscc(1);
    b2.version = 2;
    EXPECT_TRUE(FailsWith(businesses().Update(b2), ErrorCode::kConflict));
    EXPECT_EQ(Load(b_id).uscc, Uscc(2));
    EXPECT_EQ(Load(b_id).version, 1);
}

TEST_F(StoreContractTest, BusinessUpdateChecksVersion) {
    Business b = MakeBusiness("老店", kBeimen);
    b.tags = {"旧标签"};
    b.people = {{"法定代表人", "张三", "", ""}};
    int64_t id = Insert(b);

    Business edit = Load(id);
    edit.version = 2;
    edit.name = "新店";
    edit.region_code = kMingxing;
    edit.region_path = PathOf(kMingxing);
    edit.status = "停业";
    edit.risk_grade = "C";
    edit.lng = 106.5;
    edit.lat = 31.5;
    edit.tags = {"新标签", "重点"};
    edit.people = {{"食品安全总监", "赵六", "", "13900000000"}};
    edit.updated_at = kT0 + 100;
    ASSERT_TRUE(IsOk(businesses().Update(edit)));

    Business got = Load(id);
    EXPECT_EQ(got.version, 2);
    EXPECT_EQ(got.name, "新店");
    EXPECT_EQ(got.region_code, kMingxing);
    EXPECT_EQ(got.status, "停业");
    EXPECT_EQ(got.risk_grade, "C");
    EXPECT_EQ(got.lng, 106.5);
    EXPECT_EQ(got.tags, (std::vector<std::string>{"新标签", "重点"}));
    ASSERT_EQ(got.people.size(), 1u);
    EXPECT_EQ(got.people[0].name, "赵六");
    EXPECT_EQ(got.created_at, kT0);
    EXPECT_EQ(got.updated_at, kT0 + 100);

    // A writer that read version 1 is stale now: kConflict, and nothing changes.
    Business stale = edit;
    stale.name = "覆盖者";
    stale.tags = {"覆盖"};
    stale.lng = std::nullopt;
    stale.lat = std::nullopt;
    stale.updated_at = kT0 + 200;
    EXPECT_TRUE(FailsWith(businesses().Update(stale), ErrorCode::kConflict));
    got = Load(id);
    EXPECT_EQ(got.version, 2);
    EXPECT_EQ(got.name, "新店");
    EXPECT_EQ(got.tags, (std::vector<std::string>{"新标签", "重点"}));
    EXPECT_EQ(got.lng, 106.5);
    EXPECT_EQ(got.updated_at, kT0 + 100);
    BusinessFilter by_tag;
    by_tag.tag = "覆盖";
    EXPECT_TRUE(ListAll(by_tag).empty());
    by_tag.tag = "旧标签";
    EXPECT_TRUE(ListAll(by_tag).empty()) << "replaced tags no longer match";
    by_tag.tag = "重点";
    EXPECT_EQ(Names(ListAll(by_tag)), std::vector<std::string>{"新店"});

    // A version that skips ahead is stale too, and so is an unknown id.
    Business ahead = edit;
    ahead.version = 4;
    EXPECT_TRUE(FailsWith(businesses().Update(ahead), ErrorCode::kConflict));
    Business ghost = edit;
    ghost.id = id + 100;
    ghost.version = 3;
    EXPECT_TRUE(FailsWith(businesses().Update(ghost), ErrorCode::kConflict));

    // Clearing coordinates with a fresh version works.
    Business clear = Load(id);
    clear.version = 3;
    clear.lng = std::nullopt;
    clear.lat = std::nullopt;
    ASSERT_TRUE(IsOk(businesses().Update(clear)));
    EXPECT_EQ(Load(id).lng, std::nullopt);
    EXPECT_EQ(Load(id).version, 3);
}

TEST_F(StoreContractTest, BusinessHistoryAppendsInOrder) {
    int64_t id = Insert(MakeBusiness("历史店", kBeimen));
    int64_t other = Insert(MakeBusiness("别家", kBeimen));
    ASSERT_TRUE(IsOk(businesses().AppendStatusHistory(id, {"营业", "新登记", kT0, "admin"})));
    ASSERT_TRUE(IsOk(businesses().AppendGradeHistory(id, {"B", "年度评定", kT0 + 1, "zhang"})));
    ASSERT_TRUE(IsOk(businesses().AppendStatusHistory(id, {"停业", "整改“停业”", kT0 + 2, "li"})));
    ASSERT_TRUE(IsOk(businesses().AppendStatusHistory(other, {"注销", "别家", kT0, "x"})));
    ASSERT_TRUE(IsOk(businesses().AppendGradeHistory(id, {"", "取消评级", kT0 + 3, "zhang"})));
    // Even with an earlier time, an entry appended later lists later.
    ASSERT_TRUE(IsOk(businesses().AppendStatusHistory(id, {"营业", "恢复", kT0 - 5, "li"})));

    auto history = businesses().FindDetail(id);
    ASSERT_TRUE(IsOk(history) && history->has_value());
    const auto& status = (*history)->status_history;
    ASSERT_EQ(status.size(), 3u);
    EXPECT_EQ(status[0].value, "营业");
    EXPECT_EQ(status[0].reason, "新登记");
    EXPECT_EQ(status[0].at, kT0);
    EXPECT_EQ(status[0].by, "admin");
    EXPECT_EQ(status[1].value, "停业");
    EXPECT_EQ(status[1].reason, "整改“停业”");
    EXPECT_EQ(status[2].reason, "恢复");
    EXPECT_EQ(status[2].at, kT0 - 5);

    const auto& grades = (*history)->grade_history;
    ASSERT_EQ(grades.size(), 2u);
    EXPECT_EQ(grades[0].value, "B");
    EXPECT_EQ(grades[0].by, "zhang");
    EXPECT_EQ(grades[1].value, "");
    EXPECT_EQ(grades[1].reason, "取消评级");

    auto other_history = businesses().FindDetail(other);
    ASSERT_TRUE(IsOk(other_history) && other_history->has_value());
    EXPECT_EQ((*other_history)->status_history.size(), 1u) << "only its own entries";
    EXPECT_TRUE((*other_history)->grade_history.empty());
    EXPECT_TRUE(FailsWith(businesses().AppendStatusHistory(other + 100, {"营业", "", kT0, "x"}),
                          ErrorCode::kInvalidArgument))
        << "history of an unknown business";

    // FindDetail's business is Find's; a place-history entry is in neither list.
    ASSERT_TRUE(IsOk(businesses().AppendRegionHistory(id, {"511902001001", "迁入", kT0 + 4, "li"})));
    auto detail = businesses().FindDetail(id);
    ASSERT_TRUE(IsOk(detail) && detail->has_value());
    EXPECT_EQ((*detail)->status_history.size(), 3u);
    EXPECT_EQ((*detail)->grade_history.size(), 2u);
    auto found = businesses().Find(id);
    ASSERT_TRUE(IsOk(found) && found->has_value());
    EXPECT_EQ((*detail)->business.name, (*found)->name);
    EXPECT_EQ((*detail)->business.version, (*found)->version);
    EXPECT_EQ((*detail)->business.region_path, (*found)->region_path);
    EXPECT_EQ((*detail)->business.people, (*found)->people);
    int64_t bare = Insert(MakeBusiness("无历史", kBeimen));
    auto bare_detail = businesses().FindDetail(bare);
    ASSERT_TRUE(IsOk(bare_detail) && bare_detail->has_value()) << "a business without history";
    EXPECT_EQ((*bare_detail)->business.name, "无历史");
    EXPECT_TRUE((*bare_detail)->status_history.empty() && (*bare_detail)->grade_history.empty());
    auto none = businesses().FindDetail(bare + 1000);
    ASSERT_TRUE(IsOk(none));
    EXPECT_FALSE(none->has_value());
}

// An import's batch: more rows than one multi-row statement holds (256), new and stored
// businesses mixed; every business gets its own id, tags and search terms, and the batch
// history/audit writers keep each entry with its business, in order.
TEST_F(StoreContractTest, SaveBatchesManyBusinessesWithTheirHistoryAndAudit) {
    int64_t stored = Insert(MakeBusiness("老店存量", kBeimen));
    std::vector<Business> batch;
    for (int i = 0; i < 600; ++i) {
        Business b = MakeBusiness("批量店" + std::to_string(i) + (i % 2 ? "火锅" : "面馆"),
                                  i % 3 ? kBeimen : kMingxing);
        b.uscc = Uscc(5000 + i);
        b.address = "人民路" + std::to_string(i) + "号";
        if (i % 5 == 0) b.tags = {"明厨亮灶", "tag" + std::to_string(i)};
        b.people = {{"法定代表人", "法人" + std::to_string(i), "", ""}};
        batch.push_back(b);
        if (i == 300) {
            Business update = Load(stored);
            update.name = "老店改名";
            update.version += 1;
            batch.push_back(update);
        }
    }
    ASSERT_TRUE(IsOk(businesses().Save(&batch)));
    std::set<int64_t> ids;
    for (const auto& b : batch) {
        ASSERT_GT(b.id, 0);
        ids.insert(b.id);
        Business read = Load(b.id);
        EXPECT_EQ(read.name, b.name) << "id " << b.id << " belongs to its own row";
        EXPECT_EQ(read.uscc, b.uscc);
        EXPECT_EQ(read.tags, b.tags);
        EXPECT_EQ(read.people.size(), b.people.size());
    }
    EXPECT_EQ(ids.size(), batch.size());
    EXPECT_EQ(batch[301].id, stored);
    EXPECT_EQ(Load(stored).version, 2);

    // Search finds the new rows (their index entries were written with the batch) and the
    // renamed one under its new name only.
    EXPECT_EQ(Search("批量店599火锅"), std::vector<std::string>{"批量店599火锅"});
    EXPECT_EQ(Search("面馆").size(), 300u);
    EXPECT_EQ(Search("人民路42号"), std::vector<std::string>{"批量店42面馆"});
    EXPECT_EQ(Search("老店改名"), std::vector<std::string>{"老店改名"});
    EXPECT_TRUE(Search("老店存量").empty());
    BusinessFilter tagged;
    tagged.tag = "tag595";
    EXPECT_EQ(Names(ListAll(tagged)), std::vector<std::string>{"批量店595火锅"});
    BusinessFilter place;
    place.scope.subtree_paths = {PathOf(kMingxing)};
    EXPECT_EQ(ListAll(place).size(), 200u);

    std::vector<registry::HistoryRecord> history;
    std::vector<AuditEntry> entries;
    for (size_t i = 0; i < batch.size(); ++i) {
        const Business& b = batch[i];
        history.push_back({b.id, registry::HistoryField::kStatus, {"营业", "批量导入", kT0, "importer"}});
        if (i % 2) history.push_back({b.id, registry::HistoryField::kRiskGrade, {"C", "批量导入", kT0, "importer"}});
        entries.push_back({0, kT0 + static_cast<TimeMs>(i), 1, "importer", "import", "business", std::to_string(b.id),
                           "导入新增主体：" + b.name, std::nullopt, FieldList{{"名称", b.name}}, b.region_path});
    }
    ASSERT_TRUE(IsOk(businesses().AppendHistory(history)));
    ASSERT_TRUE(IsOk(audit().AppendAll(entries)));
    for (size_t i : {size_t{0}, size_t{255}, size_t{256}, size_t{301}, batch.size() - 1}) {
        auto h = businesses().FindDetail(batch[i].id);
        ASSERT_TRUE(IsOk(h) && h->has_value());
        ASSERT_EQ((*h)->status_history.size(), 1u) << i;
        EXPECT_EQ((*h)->status_history[0].reason, "批量导入");
        EXPECT_EQ((*h)->grade_history.size(), i % 2 ? 1u : 0u) << i;

        AuditQuery q;
        q.entity = "business";
        q.entity_id = std::to_string(batch[i].id);
        auto log = audit().List(q);
        ASSERT_TRUE(IsOk(log));
        ASSERT_EQ(log->second, 1) << i;
        EXPECT_EQ(log->first[0].summary, "导入新增主体：" + batch[i].name);
        EXPECT_EQ(log->first[0].at, kT0 + static_cast<TimeMs>(i));
        ASSERT_TRUE(log->first[0].after.has_value());
        EXPECT_EQ(log->first[0].after->at(0).second, batch[i].name);
    }
    // A stale version anywhere in a batch: kConflict before anything is written.
    Business first = Load(batch[0].id), second = Load(batch[1].id);
    first.name = "不该写入甲";
    first.version += 1;
    second.name = "不该写入乙";  // version not raised: stale
    std::vector<Business> stale = {first, second};
    EXPECT_TRUE(FailsWith(businesses().Save(&stale), ErrorCode::kConflict));
    EXPECT_EQ(Load(batch[0].id).name, batch[0].name);
    EXPECT_EQ(Load(batch[0].id).version, 1);
    EXPECT_EQ(Search(batch[0].name), std::vector<std::string>{batch[0].name});
    EXPECT_TRUE(Search("不该写入").empty());

    // Nothing is written for an empty batch.
    std::vector<Business> none;
    EXPECT_TRUE(IsOk(businesses().Save(&none)));
    EXPECT_TRUE(IsOk(businesses().AppendHistory({})));
    EXPECT_TRUE(IsOk(audit().AppendAll({})));
}

// A running server merges the search index a bounded step at a time (SearchIndexUpkeep): on
// SQLite each step merges some pages of the segments that writes in transactions of their own
// left, until one remains, and searches find the same rows throughout. PostgreSQL: nothing to
// do.
TEST_F(StoreContractTest, SearchIndexStepsEndInOneSegment) {
    const bool pg = conn_->dialect() == Dialect::kPostgres;
    for (int i = 0; i < 12; ++i) {  // twelve transactions of 30 rows: several segments
        std::vector<Business> batch;
        for (int k = 0; k < 30; ++k) {
            Business b = MakeBusiness("合并店" + std::to_string(i * 30 + k) + (k % 2 ? "火锅" : "面馆"),
                                      k % 3 ? kBeimen : kMingxing);
            b.uscc = Uscc(8000 + i * 30 + k);
            batch.push_back(b);
        }
        ASSERT_TRUE(IsOk(businesses().Save(&batch)));
    }
    if (!pg) {
        ASSERT_GE(SearchIndexSegments(), 3);
    }
    int steps = 0;
    for (;; ++steps) {
        auto more = businesses().CompactSearchIndexStep(/*pages=*/2);
        ASSERT_TRUE(more.ok()) << more.error().message;
        EXPECT_EQ(Search("合并店").size(), 360u) << "after step " << steps;
        if (!*more) break;
        ASSERT_LT(steps, 1000) << "the steps never end";
    }
    if (pg) {
        EXPECT_EQ(steps, 0);
        return;
    }
    EXPECT_GE(steps, 1) << "two pages a step: more than one step for twelve segments";
    EXPECT_EQ(SearchIndexSegments(), 1);
    auto again = businesses().CompactSearchIndexStep(2);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(*again);
    EXPECT_EQ(SearchIndexSegments(), 1);
    EXPECT_EQ(Search("合并店17火锅"), std::vector<std::string>{"合并店17火锅"});
    EXPECT_TRUE(IsOk(conn_->Execute("INSERT INTO business_fts (business_fts) VALUES ('integrity-check')", {})));
}

// ExpectInserts is a hint: whatever the store does with it (SQLite drops its list indexes and
// builds them again at commit when the new rows are many against the table), the indexes after
// the transaction are those before it, the rows are listed through them as usual, and a
// rollback leaves the table and its indexes as they were. PostgreSQL ignores it.
TEST_F(StoreContractTest, ExpectInsertsKeepsTheIndexesWhateverTheOutcome) {
    bool pg = conn_->dialect() == Dialect::kPostgres;
    const std::string index_sql =
        pg ? "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'business' ORDER BY 1"
           : "SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'business' "
             "AND sql IS NOT NULL ORDER BY 1";
    auto indexes = [&]() {
        std::vector<std::string> out;
        auto rows = conn_->Query(index_sql, {});
        EXPECT_TRUE(IsOk(rows));
        if (!rows.ok()) return out;
        for (size_t i = 0; i < rows->size(); ++i) out.push_back(rows->Text(i, 0));
        return out;
    };
    const auto before = indexes();
    ASSERT_GE(before.size(), 8u);
    auto batch_of = [&](int first, int n) {
        std::vector<Business> batch;
        for (int i = first; i < first + n; ++i) {
            Business b = MakeBusiness("预告店" + std::to_string(i) + (i % 2 ? "火锅" : "面馆"), i % 3 ? kBeimen : kMingxing);
            b.uscc = Uscc(7000 + i);
            batch.push_back(b);
        }
        return batch;
    };

    // Rolled back: nothing stored, the indexes as before.
    ASSERT_TRUE(IsOk(store_->BeginBulk()));
    ASSERT_TRUE(IsOk(businesses().ExpectInserts(100'000)));
    if (!pg) {
        EXPECT_LT(indexes().size(), before.size()) << "SQLite drops its list indexes for a large load";
    }
    auto dropped = batch_of(0, 50);
    ASSERT_TRUE(IsOk(businesses().Save(&dropped)));
    ASSERT_TRUE(IsOk(store_->Rollback()));
    EXPECT_EQ(indexes(), before);
    EXPECT_TRUE(Search("预告店").empty());

    // Committed: the rows stored, the indexes as before, and lists that walk them (a place's
    // own update order, see ListPlaceInUpdateOrder) see the new rows. One of them is renamed
    // within the same transaction, and more rows follow; the search index ends up exact, and
    // on SQLite in one segment though rows written before in transactions of their own had
    // left one each.
    for (int i = 0; i < 3; ++i) {
        auto one = batch_of(90 + i, 1);
        ASSERT_TRUE(IsOk(businesses().Save(&one)));
    }
    if (!pg) {
        EXPECT_GE(SearchIndexSegments(), 2);
    }
    ASSERT_TRUE(IsOk(store_->BeginBulk()));
    ASSERT_TRUE(IsOk(businesses().ExpectInserts(100'000)));
    auto kept = batch_of(100, 40);
    ASSERT_TRUE(IsOk(businesses().Save(&kept)));
    std::vector<Business> renamed = {kept[7]};
    renamed[0].name = "改名店";
    renamed[0].version += 1;
    ASSERT_TRUE(IsOk(businesses().Save(&renamed)));
    auto more = batch_of(140, 20);
    ASSERT_TRUE(IsOk(businesses().Save(&more)));
    ASSERT_TRUE(IsOk(store_->Commit()));
    EXPECT_EQ(indexes(), before);
    if (!pg) {
        EXPECT_EQ(SearchIndexSegments(), 1);
    }
    EXPECT_EQ(Search("预告店").size(), 62u);
    EXPECT_EQ(Search("改名店"), std::vector<std::string>{"改名店"});
    EXPECT_EQ(Search("预告店159火锅"), std::vector<std::string>{"预告店159火锅"});
    if (!pg) {
        EXPECT_TRUE(IsOk(conn_->Execute("INSERT INTO business_fts (business_fts) VALUES ('integrity-check')", {})))
            << "the search index holds exactly the rows' terms";
    }
    BusinessFilter township;
    township.scope.subtree_paths = {PathOf("511902100")};  // 大茅坪, kMingxing's township
    BusinessFilter village;
    village.scope.subtree_paths = {PathOf(kBeimen)};
    EXPECT_EQ(ListAll(village).size(), 42u);  // 40 of the load, 2 of the rows before it
    EXPECT_EQ(ListAll(township).size(), 21u);

    // A hint of few rows, or of fewer than half the table, changes nothing even within the
    // transaction.
    ASSERT_TRUE(IsOk(store_->BeginBulk()));
    ASSERT_TRUE(IsOk(businesses().ExpectInserts(10)));
    EXPECT_EQ(indexes(), before);
    ASSERT_TRUE(IsOk(store_->Commit()));
}

// Nothing in shian deletes a business (a closed one is 注销), but a row deleted by SQL must
// not leave its search terms behind: on SQLite the delete trigger recomputes the document of
// the contentless index with the connection's shian_fts_document (migration 14).
TEST_F(StoreContractTest, ADeletedBusinessLeavesNoSearchTerms) {
    std::vector<int64_t> ids;
    for (int i = 0; i < 3; ++i) {
        Business b = MakeBusiness("删除测试火锅" + std::to_string(i), i % 2 ? kBeimen : kMingxing);
        auto id = businesses().Insert(b);
        ASSERT_TRUE(IsOk(id));
        ids.push_back(*id);
    }
    ASSERT_EQ(Search("删除测试").size(), 3u);
    ASSERT_TRUE(IsOk(conn_->Execute("DELETE FROM business WHERE id = $1", {ids[1]})));
    EXPECT_EQ(Search("删除测试"), (std::vector<std::string>{"删除测试火锅0", "删除测试火锅2"}));
    if (conn_->dialect() == Dialect::kSqlite) {
        // The index alone: no document of the deleted row answers any of its terms.
        auto left = conn_->Query("SELECT count(*) FROM business_fts WHERE business_fts MATCH $1 AND rowid = $2",
                                 {std::string("\"删除 除测\" OR \"火锅\" OR \"") +
                                      TownshipGramPrefix(PathOf(kBeimen)) + "火锅\"",
                                  ids[1]});
        ASSERT_TRUE(IsOk(left));
        EXPECT_EQ(left->Int(0, 0), 0);
        EXPECT_TRUE(IsOk(conn_->Execute("INSERT INTO business_fts (business_fts) VALUES ('integrity-check')", {})));
    }
}

TEST_F(StoreContractTest, KindsListedBySortAndUpserted) {
    auto kinds = businesses().ListKinds();
    ASSERT_TRUE(IsOk(kinds));
    ASSERT_EQ(kinds->size(), 15u);
    EXPECT_EQ(kinds->front().code, "food_producer");
    EXPECT_EQ(kinds->front().label, "食品生产企业");
    EXPECT_TRUE(kinds->front().builtin);
    EXPECT_EQ(kinds->back().code, "food_vendor");
    for (size_t i = 1; i < kinds->size(); ++i) EXPECT_LT((*kinds)[i - 1].sort, (*kinds)[i].sort);

    ASSERT_TRUE(IsOk(businesses().UpsertKind({"k_tea", "茶馆", false, 100})));
    ASSERT_TRUE(IsOk(businesses().UpsertKind({"k_bar", "酒吧", false, 100})));
    kinds = businesses().ListKinds();
    ASSERT_TRUE(IsOk(kinds));
    ASSERT_EQ(kinds->size(), 17u);
    EXPECT_EQ((*kinds)[15].code, "k_bar");  // same sort: by code
    EXPECT_EQ((*kinds)[16].code, "k_tea");
    EXPECT_FALSE((*kinds)[16].builtin);

    ASSERT_TRUE(IsOk(businesses().UpsertKind({"k_tea", "茶楼", false, 0})));
    kinds = businesses().ListKinds();
    ASSERT_TRUE(IsOk(kinds));
    EXPECT_EQ((*kinds)[0].code, "k_tea");
    EXPECT_EQ((*kinds)[0].label, "茶楼");
    // Labels are unique too.
    EXPECT_TRUE(FailsWith(businesses().UpsertKind({"k_other", "餐饮服务", false, 1}),
                          ErrorCode::kConflict));
    // A business needs a known kind.
    EXPECT_TRUE(FailsWith(businesses().Insert(MakeBusiness("怪店", kBeimen, "no_such_kind")),
                          ErrorCode::kInvalidArgument));
}

// ---------------------------------------------------------------------------------------------
// Businesses: search

class BusinessSearchTest : public StoreContractTest {
protected:
    void SetUp() override {
        StoreContractTest::SetUp();
        if (HasFatalFailure()) return;
        Seed("巴州老火锅", "江北大道1号", Uscc(1), "JY25119020000012");
        Seed("川北凉粉", "回风路火锅巷2号", Uscc(2), "");
        Seed("旺旺红火", "锅盔街8号", "", "");  // 火 | 锅 only across fields
        Seed("KFC肯德基（巴州店）", "兴文大道", Uscc(3), "");
        Seed("好又多超市", "人民路", "", "SC10651190200015");
        Seed("★★大排档", "滨河路", "", "");
        Seed("🍜面馆", "将军路", "", "");
        Seed("老火锅城", "", "", "");
    }

    void Seed(const std::string& name, const std::string& address, const std::string& uscc,
              const std::string& licence) {
        Business b = MakeBusiness(name, kBeimen);
        b.address = address;
        b.uscc = uscc;
        b.licence_no = licence;
        Insert(b);
    }
};

TEST_F(BusinessSearchTest, FindsSubstringsOfEverySearchableField) {
    using V = std::vector<std::string>;
    struct Case {
        std::string q;
        V expected;
    };
    const std::vector<Case> cases = {
        // Two-character Chinese words are the common case (no trigram index can serve them).
        {"火锅", {"川北凉粉", "巴州老火锅", "老火锅城"}},
        {"老火锅", {"巴州老火锅", "老火锅城"}},
        {"巴州老火锅", {"巴州老火锅"}},
        {"火锅巷", {"川北凉粉"}},
        {"锅城", {"老火锅城"}},
        // One character scans.
        {"凉", {"川北凉粉"}},
        {"锅", {"川北凉粉", "巴州老火锅", "旺旺红火", "老火锅城"}},
        // No match across fields: 旺旺红火 / 锅盔街 does not contain 火锅.
        {"红火锅", {}},
        {"火锅盔", {}},
        // USCC and licence substrings, letters in any case.
        {Uscc(2).substr(8, 9), {"川北凉粉"}},
        {"ma0000003", {"KFC肯德基（巴州店）"}},
        {"91511902ma", {"KFC肯德基（巴州店）", "川北凉粉", "巴州老火锅"}},
        {"jy2511902", {"巴州老火锅"}},
        {"Sc106511902", {"好又多超市"}},
        // ASCII case-insensitive, full-width letters folded.
        {"kfc", {"KFC肯德基（巴州店）"}},
        {"Kfc肯", {"KFC肯德基（巴州店）"}},
        {"ＫＦＣ", {"KFC肯德基（巴州店）"}},
        // Punctuation and spaces are ignored on both sides.
        {"肯德基(巴州", {"KFC肯德基（巴州店）"}},
        {" 肯德基 巴州店）", {"KFC肯德基（巴州店）"}},
        {"江北大道1号", {"巴州老火锅"}},
        {"江北大道 1 号", {"巴州老火锅"}},
        // Symbols that are not punctuation are searchable like letters.
        {"★★", {"★★大排档"}},
        {"★大排", {"★★大排档"}},
        {"🍜面", {"🍜面馆"}},
        {"🍜", {"🍜面馆"}},
        // Nothing.
        {"麻辣烫", {}},
        {"火锅x", {}},
    };
    for (const auto& c : cases) {
        V expected = c.expected;
        std::sort(expected.begin(), expected.end());  // Search() lists by name
        EXPECT_EQ(Search(c.q), expected) << "q=" << c.q;
    }
}

TEST_F(BusinessSearchTest, SearchCombinesWithFiltersAndCounts) {
    BusinessFilter f;
    f.q = "火锅";
    f.scope.subtree_paths = {PathOf(kDongcheng)};
    f.page_size = 2;
    f.sort = BusinessSort::kNameAsc;
    auto page = businesses().List(f, true);
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->total, 3);
    EXPECT_EQ(Names(page->items), (std::vector<std::string>{"川北凉粉", "巴州老火锅"}));

    auto counts = businesses().Count(f, StatsDimension::kKind, 2);
    ASSERT_TRUE(IsOk(counts));
    ASSERT_EQ(counts->size(), 1u);
    EXPECT_EQ((*counts)[0].key, "catering");
    EXPECT_EQ((*counts)[0].count, 3);

    f.scope.subtree_paths = {PathOf(kXicheng)};
    page = businesses().List(f, true);
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->total, 0);
    EXPECT_TRUE(page->items.empty());
}

// ---------------------------------------------------------------------------------------------
// Businesses: filters, scopes, sorting, paging, streaming and counting

class BusinessFilterTest : public StoreContractTest {
protected:
    struct Seeded {
        const char* name;
        const char* region;
        const char* kind;
        const char* status;
        const char* grade;
        std::vector<std::string> tags;
    };

    void SetUp() override {
        StoreContractTest::SetUp();
        if (HasFatalFailure()) return;
        // updated_at grows with the index; names are not in insertion order.
        const std::vector<Seeded> seeds = {
            {"东城火锅", kBeimen, "catering", "营业", "A", {"重点"}},
            {"东城超市", kDongcheng, "food_retail", "营业", "B", {}},
            {"西城面馆", kCaoba, "catering", "停业", "", {"学校周边"}},
            {"大茅坪食堂", kMingxing, "unit_canteen", "注销", "C", {"重点", "学校周边"}},
            {"大茅坪小吃", kBaiyun, "small_catering", "营业", "", {}},
            {"北门烧烤", kBeimen, "catering", "营业", "A", {}},
        };
        for (size_t i = 0; i < seeds.size(); ++i) {
            const Seeded& s = seeds[i];
            Business b = MakeBusiness(s.name, s.region, s.kind);
            b.status = s.status;
            b.risk_grade = s.grade;
            b.tags = s.tags;
            b.updated_at = kT0 + static_cast<TimeMs>(i) * 1000;
            ids_[s.name] = Insert(b);
        }
    }

    std::map<std::string, int64_t> ids_;
};

TEST_F(BusinessFilterTest, FiltersByFieldPlaceAndScope) {
    using S = std::set<std::string>;
    auto filter = [](auto&& edit) {
        BusinessFilter f;
        edit(f);
        return f;
    };
    struct Case {
        const char* label;
        BusinessFilter f;
        S expected;
    };
    const std::vector<Case> cases = {
        {"everything",
         filter([](BusinessFilter&) {}),
         {"东城火锅", "东城超市", "西城面馆", "大茅坪食堂", "大茅坪小吃", "北门烧烤"}},
        {"kind",
         filter([](BusinessFilter& f) { f.kind = "catering"; }),
         {"东城火锅", "西城面馆", "北门烧烤"}},
        {"grade A",
         filter([](BusinessFilter& f) { f.risk_grade = "A"; }),
         {"东城火锅", "北门烧烤"}},
        {"grade none",
         filter([](BusinessFilter& f) { f.risk_grade = "none"; }),
         {"西城面馆", "大茅坪小吃"}},
        {"grade D", filter([](BusinessFilter& f) { f.risk_grade = "D"; }), {}},
        {"status", filter([](BusinessFilter& f) { f.status = "停业"; }), {"西城面馆"}},
        {"tag", filter([](BusinessFilter& f) { f.tag = "重点"; }), {"东城火锅", "大茅坪食堂"}},
        {"unknown tag", filter([](BusinessFilter& f) { f.tag = "无"; }), {}},
        {"region: township subtree incl. itself",
         filter([](BusinessFilter& f) { f.region_path = PathOf(kDongcheng); }),
         {"东城火锅", "东城超市", "北门烧烤"}},
        {"region: village",
         filter([](BusinessFilter& f) { f.region_path = PathOf(kBaiyun); }),
         {"大茅坪小吃"}},
        {"region: county",
         filter([](BusinessFilter& f) { f.region_path = PathOf(kCounty); }),
         {"东城火锅", "东城超市", "西城面馆", "大茅坪食堂", "大茅坪小吃", "北门烧烤"}},
        {"combined",
         filter([](BusinessFilter& f) {
             f.region_path = PathOf(kDongcheng);
             f.kind = "catering";
             f.risk_grade = "A";
             f.status = "营业";
             f.tag = "重点";
         }),
         {"东城火锅"}},
        {"scope: subtree",
         filter([](BusinessFilter& f) { f.scope.subtree_paths = {PathOf(kDamaoping)}; }),
         {"大茅坪食堂", "大茅坪小吃"}},
        {"scope: two subtrees",
         filter([](BusinessFilter& f) {
             f.scope.subtree_paths = {PathOf(kDamaoping), PathOf(kXicheng)};
         }),
         {"大茅坪食堂", "大茅坪小吃", "西城面馆"}},
        {"scope: exact place only",
         filter([](BusinessFilter& f) { f.scope.exact_paths = {PathOf(kDongcheng)}; }),
         {"东城超市"}},
        {"scope: subtree or exact",
         filter([](BusinessFilter& f) {
             f.scope.subtree_paths = {PathOf(kXicheng)};
             f.scope.exact_paths = {PathOf(kBeimen)};
         }),
         {"西城面馆", "东城火锅", "北门烧烤"}},
        {"scope and region filter intersect",
         filter([](BusinessFilter& f) {
             f.scope.subtree_paths = {PathOf(kDongcheng)};
             f.region_path = PathOf(kDamaoping);
         }),
         {}},
        {"scope: nothing", filter([](BusinessFilter& f) { f.scope.nothing = true; }), {}},
        {"scope: no places at all",
         filter([](BusinessFilter& f) {
             f.scope.all = false;
             f.scope.subtree_paths = {};
             f.scope.nothing = false;
             f.scope.business_id = std::nullopt;
             f.scope.exact_paths = {"/none/"};
         }),
         {}},
    };
    for (const auto& c : cases) {
        auto items = ListAll(c.f);
        EXPECT_EQ(NameSet(items), c.expected) << c.label;
    }

    // kSelf: one business only, whatever else the filter says.
    BusinessFilter self;
    self.scope.business_id = ids_["大茅坪食堂"];
    EXPECT_EQ(Names(ListAll(self)), std::vector<std::string>{"大茅坪食堂"});
    self.kind = "catering";
    EXPECT_TRUE(ListAll(self).empty());

    // A scope with no paths sees nothing (never everything).
    BusinessFilter empty_scope;
    empty_scope.scope.all = false;
    empty_scope.page_size = 100;
    auto page = businesses().List(empty_scope, true);
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->total, 0);
    EXPECT_TRUE(page->items.empty());
}

TEST_F(BusinessFilterTest, SortOrdersAndPaging) {
    // Names in byte (code point) order, the same on both engines.
    std::vector<std::string> by_name = {"东城火锅",   "东城超市",   "西城面馆",
                                        "大茅坪食堂", "大茅坪小吃", "北门烧烤"};
    std::sort(by_name.begin(), by_name.end());
    std::vector<std::string> by_name_desc(by_name.rbegin(), by_name.rend());
    const std::vector<std::string> inserted = {"东城火锅",   "东城超市",   "西城面馆",
                                               "大茅坪食堂", "大茅坪小吃", "北门烧烤"};
    struct Case {
        BusinessSort sort;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {BusinessSort::kUpdatedDesc, {inserted.rbegin(), inserted.rend()}},
        {BusinessSort::kUpdatedAsc, inserted},
        {BusinessSort::kNameAsc, by_name},
        {BusinessSort::kNameDesc, by_name_desc},
        // Ungraded ('') first; equal grades by place, then id.
        {BusinessSort::kGradeAsc,
         {"西城面馆", "大茅坪小吃", "东城火锅", "北门烧烤", "东城超市", "大茅坪食堂"}},
        {BusinessSort::kGradeDesc,
         {"大茅坪食堂", "东城超市", "北门烧烤", "东城火锅", "大茅坪小吃", "西城面馆"}},
    };
    for (const auto& c : cases) {
        BusinessFilter f;
        f.scope.all = true;
        f.sort = c.sort;
        EXPECT_EQ(Names(ListAll(f)), c.expected) << static_cast<int>(c.sort);

        // The same order, four at a time.
        std::vector<std::string> paged;
        for (int p = 1; p <= 3; ++p) {
            f.page = p;
            f.page_size = 4;
            auto page = businesses().List(f, true);
            ASSERT_TRUE(IsOk(page));
            EXPECT_EQ(page->total, 6);
            EXPECT_EQ(page->items.size(), p == 1 ? 4u : p == 2 ? 2u : 0u);
            for (const auto& b : page->items) paged.push_back(b.name);
        }
        EXPECT_EQ(paged, c.expected) << static_cast<int>(c.sort);
    }

    // Without the total, only the page is read.
    BusinessFilter f;
    f.scope.all = true;
    f.page_size = 2;
    auto page = businesses().List(f, false);
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->total, 0);
    EXPECT_EQ(page->items.size(), 2u);

    // Totals of place, kind, grade and status filters come from the maintained counts
    // (business_tally.hpp) and are exact whatever the limit.
    f.total_limit = 4;
    page = businesses().List(f, true);
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->total, 6);
    EXPECT_TRUE(page->total_exact);

    // Other filters (here places seen without their subtree) are counted, up to the limit; a
    // capped count says so when more rows match than it counted.
    f.scope = access::ScopeFilter{};
    for (const char* code : {kBeimen, kDongcheng, kCaoba, kMingxing, kBaiyun}) {
        f.scope.exact_paths.push_back(PathOf(code));
    }
    struct Cap {
        int64_t limit;
        int64_t total;
        bool exact;
    };
    for (const Cap& cap : {Cap{0, 6, true}, Cap{4, 4, false}, Cap{6, 6, true}, Cap{10, 6, true}}) {
        f.total_limit = cap.limit;
        page = businesses().List(f, true);
        ASSERT_TRUE(IsOk(page));
        EXPECT_EQ(page->total, cap.total) << "limit " << cap.limit;
        EXPECT_EQ(page->total_exact, cap.exact) << "limit " << cap.limit;
        EXPECT_EQ(page->items.size(), 2u);
    }
}

TEST_F(BusinessFilterTest, CountsByEveryDimension) {
    BusinessFilter all;
    all.scope.all = true;
    using Rows = std::vector<std::pair<std::string, int64_t>>;
    auto count = [&](const BusinessFilter& f, StatsDimension by, int depth) {
        auto rows = businesses().Count(f, by, depth);
        EXPECT_TRUE(IsOk(rows));
        Rows out;
        if (rows.ok()) {
            for (const auto& r : *rows) out.emplace_back(r.key, r.count);
        }
        return out;
    };
    EXPECT_EQ(
        count(all, StatsDimension::kKind, 2),
        (Rows{{"catering", 3}, {"food_retail", 1}, {"small_catering", 1}, {"unit_canteen", 1}}));
    EXPECT_EQ(count(all, StatsDimension::kRiskGrade, 2),
              (Rows{{"", 2}, {"A", 2}, {"B", 1}, {"C", 1}}));
    // Keys ascend in byte (code point) order: 停 U+505C < 注 U+6CE8 < 营 U+8425.
    EXPECT_EQ(count(all, StatsDimension::kStatus, 2),
              (Rows{{"停业", 1}, {"注销", 1}, {"营业", 4}}));

    EXPECT_EQ(count(all, StatsDimension::kRegion, 1), (Rows{{kCounty, 6}}));
    EXPECT_EQ(count(all, StatsDimension::kRegion, 2),
              (Rows{{kDongcheng, 3}, {kXicheng, 1}, {kDamaoping, 2}}));
    // Depth 3: businesses registered on a township itself have no village (key "").
    EXPECT_EQ(count(all, StatsDimension::kRegion, 3),
              (Rows{{"", 1}, {kBeimen, 2}, {kCaoba, 1}, {kMingxing, 1}, {kBaiyun, 1}}));

    // Counting applies the filter and the scope.
    BusinessFilter dongcheng;
    dongcheng.scope.subtree_paths = {PathOf(kDongcheng)};
    EXPECT_EQ(count(dongcheng, StatsDimension::kRegion, 3), (Rows{{"", 1}, {kBeimen, 2}}));
    dongcheng.kind = "catering";
    EXPECT_EQ(count(dongcheng, StatsDimension::kRiskGrade, 3), (Rows{{"A", 2}}));
    BusinessFilter nothing;
    nothing.scope.nothing = true;
    EXPECT_TRUE(count(nothing, StatsDimension::kKind, 2).empty());
}

TEST_F(StoreContractTest, ForEachStreamsEveryMatchInIdOrder) {
    constexpr int kRows = 1234;  // more than one keyset page of 1,000
    ASSERT_TRUE(IsOk(store_->Begin()));
    std::vector<int64_t> ids;
    for (int i = 0; i < kRows; ++i) {
        // Names and update times run against id order, so any other ordering would show.
        char name[32];
        std::snprintf(name, sizeof name, "主体%05d", kRows - i);
        Business b = MakeBusiness(name, i % 3 == 0 ? kBeimen : kCaoba,
                                  i % 2 == 0 ? "catering" : "food_retail");
        b.updated_at = kT0 - i;
        auto id = businesses().Insert(b);
        ASSERT_TRUE(IsOk(id));
        ids.push_back(*id);
    }
    ASSERT_TRUE(IsOk(store_->Commit()));

    BusinessFilter all;
    all.scope.all = true;
    all.sort = BusinessSort::kNameAsc;
    std::vector<int64_t> seen;
    ASSERT_TRUE(IsOk(businesses().ForEach(all, [&](const Business& b) -> Status {
        seen.push_back(b.id);
        return Ok();
    })));
    EXPECT_EQ(seen, ids);

    // With a filter: still every match, in id order.
    BusinessFilter some;
    some.scope.subtree_paths = {PathOf(kDongcheng)};
    some.kind = "catering";
    std::vector<int64_t> expected;
    for (int i = 0; i < kRows; ++i) {
        if (i % 3 == 0 && i % 2 == 0) expected.push_back(ids[i]);
    }
    seen.clear();
    ASSERT_TRUE(IsOk(businesses().ForEach(some, [&](const Business& b) -> Status {
        EXPECT_EQ(b.region_code, kBeimen);
        seen.push_back(b.id);
        return Ok();
    })));
    EXPECT_EQ(seen, expected);

    // An error from the callback stops the stream and comes back unchanged.
    int calls = 0;
    Status stopped = businesses().ForEach(all, [&](const Business&) -> Status {
        if (++calls == 1001) return Error{ErrorCode::kTooLarge, "够了", {}};
        return Ok();
    });
    EXPECT_TRUE(FailsWith(stopped, ErrorCode::kTooLarge));
    EXPECT_EQ(calls, 1001);

    // Nothing matches: fn is never called.
    BusinessFilter none;
    none.scope.nothing = true;
    ASSERT_TRUE(IsOk(businesses().ForEach(none, [&](const Business&) -> Status {
        ADD_FAILURE() << "called for a filter that matches nothing";
        return Ok();
    })));
}

// ---------------------------------------------------------------------------------------------
// Settings, transactions and the pooled provider

TEST_F(StoreContractTest, SettingsGetAndSet) {
    auto county = store_->GetSetting("county_code");
    ASSERT_TRUE(IsOk(county));
    EXPECT_EQ(*county, "511902");  // written by PrepareDatabase

    auto missing = store_->GetSetting("no.such.key");
    ASSERT_TRUE(IsOk(missing));
    EXPECT_EQ(*missing, "");

    ASSERT_TRUE(IsOk(store_->SetSetting("title", "巴州区“食安”平台")));
    ASSERT_TRUE(IsOk(store_->SetSetting("empty", "")));
    auto title = store_->GetSetting("title");
    ASSERT_TRUE(IsOk(title));
    EXPECT_EQ(*title, "巴州区“食安”平台");
    ASSERT_TRUE(IsOk(store_->SetSetting("title", "新标题")));
    title = store_->GetSetting("title");
    ASSERT_TRUE(IsOk(title));
    EXPECT_EQ(*title, "新标题");
    auto empty = store_->GetSetting("empty");
    ASSERT_TRUE(IsOk(empty));
    EXPECT_EQ(*empty, "");
}

// Migration 7 gives the entries written before it the place of their business or user.
TEST_F(StoreContractTest, MigrationPlacesExistingAuditEntries) {
    auto id = businesses().Insert(MakeBusiness("迁移前的店", kBeimen));
    ASSERT_TRUE(IsOk(id));
    ASSERT_TRUE(IsOk(conn_->ExecuteScript("DROP INDEX audit_place; ALTER TABLE audit_log DROP COLUMN place_path; "
                                          "DELETE FROM schema_migrations WHERE version = 7")));
    ASSERT_TRUE(IsOk(conn_->Execute(
        "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary) VALUES "
        "(1, 1, 'a', 'create', 'business', $1, 'x'), (2, 1, 'a', 'create', 'role', 'district', 'y'), "
        "(3, 1, 'a', 'update', 'business', '999999', 'z')", {std::to_string(*id)})));
    auto applied = Migrate(*conn_);
    ASSERT_TRUE(IsOk(applied));
    EXPECT_EQ(*applied, 1);
    auto page = audit().List({});
    ASSERT_TRUE(IsOk(page));
    ASSERT_EQ(page->first.size(), 3u);
    EXPECT_EQ(page->first[2].place_path, PathOf(kBeimen));
    EXPECT_EQ(page->first[1].place_path, "") << "a role has no place";
    EXPECT_EQ(page->first[0].place_path, "") << "a business no longer stored";
}

// A database that a newer shian migrated is refused by every command (app::PrepareDatabase):
// this one would write without what the newer migrations derive from each row (e.g. the house
// number entries of migration 23), and nothing is changed on the way out.
TEST_F(StoreContractTest, ADatabaseMigratedByANewerShianIsRefused) {
    ASSERT_TRUE(IsOk(app::PrepareDatabase(*conn_, app::SetupOptions{}, nullptr)));  // up to date: fine
    int latest = 0;
    for (const Migration& m : AllMigrations()) latest = std::max(latest, m.version);
    ASSERT_TRUE(IsOk(conn_->Execute("INSERT INTO schema_migrations VALUES ($1, 'from a newer shian', 'x')",
                                    {int64_t{latest + 1}})));
    Status refused = app::PrepareDatabase(*conn_, app::SetupOptions{}, nullptr);
    ASSERT_TRUE(FailsWith(refused, ErrorCode::kConflict));
    EXPECT_NE(refused.error().message.find("第 " + std::to_string(latest + 1) + " 版"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("第 " + std::to_string(latest) + " 版"), std::string::npos)
        << refused.error().message;
    auto rows = conn_->Query("SELECT count(*) FROM schema_migrations");
    ASSERT_TRUE(IsOk(rows));
    EXPECT_EQ(rows->Int(0, 0), static_cast<int64_t>(AllMigrations().size()) + 1);
    ASSERT_TRUE(IsOk(conn_->Execute("DELETE FROM schema_migrations WHERE version = $1", {int64_t{latest + 1}})));
    EXPECT_TRUE(IsOk(app::PrepareDatabase(*conn_, app::SetupOptions{}, nullptr)));
}

TEST_F(StoreContractTest, TransactCommitsOrRollsBackEveryRepository) {
    Status failed = InTransaction(*store_, [&]() -> Status {
        SHIAN_TRY(businesses().Insert(MakeBusiness("回滚店", kBeimen)));
        SHIAN_TRY(store_->SetSetting("k", "v"));
        SHIAN_TRY(audit().Append(
            {0, kT0, 0, "system", "create", "business", "1", "x", std::nullopt, std::nullopt, ""}));
        return Error::Invalid("name", "模拟失败");
    });
    EXPECT_TRUE(FailsWith(failed, ErrorCode::kInvalidArgument));
    BusinessFilter all;
    all.scope.all = true;
    EXPECT_TRUE(ListAll(all).empty());
    EXPECT_EQ(*store_->GetSetting("k"), "");
    EXPECT_EQ(audit().List({})->second, 0);

    Result<int64_t> id = InTransaction(*store_, [&]() -> Result<int64_t> {
        SHIAN_ASSIGN_OR_RETURN(int64_t new_id,
                               businesses().Insert(MakeBusiness("提交店", kBeimen)));
        SHIAN_TRY(businesses().AppendStatusHistory(new_id, {"营业", "新登记", kT0, "system"}));
        return new_id;
    });
    ASSERT_TRUE(IsOk(id));
    // Visible from another connection.
    auto other_conn = db_->Connect();
    ASSERT_TRUE(IsOk(other_conn));
    auto other = MakeSqlStore(other_conn->get());
    auto found = other->businesses().Find(*id);
    ASSERT_TRUE(IsOk(found));
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->name, "提交店");
    EXPECT_EQ((*other->businesses().FindDetail(*id))->status_history.size(), 1u);
}

TEST_F(StoreContractTest, ProviderReusesCleanConnectionsAndDropsOpenTransactions) {
    auto pool_db = OpenTestDatabase();  // the pool owns its Database; give it a second one
    ASSERT_TRUE(IsOk(pool_db));
    ConnectionPool pool(std::move(pool_db).value(), 4);
    {
        auto lease = pool.Acquire();
        ASSERT_TRUE(IsOk(lease));
        ASSERT_TRUE(IsOk(app::PrepareDatabase(**lease, app::SetupOptions{}, nullptr)));
    }
    EXPECT_EQ(pool.IdleCount(), 1u);
    SqlStoreProvider provider(&pool);
    {
        auto store = provider.Open();
        ASSERT_TRUE(IsOk(store));
        ASSERT_TRUE(IsOk((*store)->SetSetting("a", "1")));
        EXPECT_EQ(pool.IdleCount(), 0u);
    }
    EXPECT_EQ(pool.IdleCount(), 1u) << "a clean connection goes back to the pool";
    {
        auto store = provider.Open();
        ASSERT_TRUE(IsOk(store));
        ASSERT_TRUE(IsOk((*store)->Begin()));
        ASSERT_TRUE(IsOk((*store)->SetSetting("b", "2")));
        // Destroyed mid-transaction (an early return that forgot to roll back).
    }
    EXPECT_EQ(pool.IdleCount(), 0u) << "a connection with an open transaction is dropped";
    auto store = provider.Open();
    ASSERT_TRUE(IsOk(store));
    EXPECT_EQ(*(*store)->GetSetting("a"), "1");
    EXPECT_EQ(*(*store)->GetSetting("b"), "") << "the abandoned transaction rolled back";
    ASSERT_TRUE(IsOk((*store)->Begin())) << "the new connection has no transaction open";
    ASSERT_TRUE(IsOk((*store)->Rollback()));
}

}  // namespace
}  // namespace shian::storage
