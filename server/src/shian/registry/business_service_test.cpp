// Tests of BusinessService: validation, data scope, optimistic locking, status/grade history,
// audit, and import/export, on a temporary database (SQLite unless SHIAN_TEST_DB says
// otherwise) prepared by app::PrepareDatabase, with a FakeClock.
//
// Principals are real users created through UserService and resolved by
// AuthService::ResolvePrincipal: a county 食安办 (office at 巴州区), township inspectors of
// 东城街道 and 大茅坪镇, and a business account.
#include "shian/registry/business_service.hpp"
#include "shian/registry/place_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "shian/access/auth_service.hpp"
#include "shian/access/user_service.hpp"
#include "shian/app/setup.hpp"
#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"
#include "shian/core/identifiers.hpp"
#include "shian/io/csv.hpp"
#include "shian/io/read_table.hpp"
#include "shian/io/table.hpp"
#include "shian/storage/connection_pool.hpp"
#include "shian/storage/sql_store.hpp"
#include "shian/storage/test_database.hpp"

namespace shian::registry {
namespace {

using access::Principal;

template <typename R>
::testing::AssertionResult IsOk(const R& result) {
    if (result.ok()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << ErrorCodeName(result.error().code) << ": " << result.error().message << " ["
           << result.error().field << "]";
}

template <typename R>
::testing::AssertionResult FailsWith(const R& result, ErrorCode code, const std::string& field) {
    if (result.ok()) return ::testing::AssertionFailure() << "succeeded unexpectedly";
    const Error& e = result.error();
    if (e.code != code || e.field != field) {
        return ::testing::AssertionFailure()
               << "expected " << ErrorCodeName(code) << " [" << field << "], got "
               << ErrorCodeName(e.code) << " [" << e.field << "]: " << e.message;
    }
    if (e.message.empty()) return ::testing::AssertionFailure() << "empty message";
    return ::testing::AssertionSuccess();
}

constexpr TimeMs kT0 = 1'764'000'000'000;  // 2025-11-24
constexpr const char* kPassword = "Shian@2026";
constexpr const char* kCounty = "511902";
constexpr const char* kDongcheng = "511902001";    // 东城街道
constexpr const char* kBeimen = "511902001001";    // 北门社区居民委员会 (东城)
constexpr const char* kDamaoping = "511902100";    // 大茅坪镇
constexpr const char* kMingxing = "511902100001";  // 明星居民委员会 (大茅坪)

// A valid USCC (GB 32100-2015) numbered n.
std::string Uscc(int n) {
    char digits[8];
    std::snprintf(digits, sizeof digits, "%07d", n);
    std::string first17 = std::string("92511902MA") + digits;
    return first17 + UsccCheckCharacter(first17);
}

// A valid 18-digit ID number (GB 11643-1999).
std::string IdNumber(int n) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "51190219800101%03d", n);
    return std::string(first17) + IdNumberCheckCharacter(first17);
}

BusinessInput Input(const std::string& name, const std::string& region, const std::string& uscc) {
    BusinessInput in;
    in.name = name;
    in.uscc = uscc;
    in.kind = "餐饮服务";  // by label; codes work too
    in.region_code = region;
    in.address = "巴州区某路1号";
    return in;
}

class BusinessServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = storage::OpenTestDatabase();
        ASSERT_TRUE(IsOk(db));
        pool_ = std::make_unique<storage::ConnectionPool>(std::move(db).value(), 4);
        {
            auto lease = pool_->Acquire();
            ASSERT_TRUE(IsOk(lease));
            ASSERT_TRUE(IsOk(app::PrepareDatabase(**lease, app::SetupOptions{}, nullptr)));
        }
        stores_ = std::make_unique<storage::SqlStoreProvider>(pool_.get());
        users_ = std::make_unique<access::UserService>(stores_.get(), &clock_);
        service_ = std::make_unique<BusinessService>(stores_.get(), &clock_);
        office_ = MakePrincipal("county.office", "office", kCounty);
        dongcheng_ = MakePrincipal("dc.inspector", "inspector", kDongcheng);
        damaoping_ = MakePrincipal("dmp.inspector", "inspector", kDamaoping);
    }

    Principal MakePrincipal(const std::string& username, const std::string& role,
                            const std::string& region,
                            std::optional<int64_t> business_id = std::nullopt) {
        access::UserInput in;
        in.username = username;
        in.password = kPassword;
        in.role = role;
        in.region_code = region;
        if (business_id) in.business_id = business_id;
        auto view = users_->Create(access::SystemPrincipal(), in);
        EXPECT_TRUE(IsOk(view)) << username;
        if (!view.ok()) return {};
        auto store = stores_->Open();
        EXPECT_TRUE(IsOk(store));
        auto principal = access::AuthService::ResolvePrincipal(**store, view->user);
        EXPECT_TRUE(IsOk(principal)) << username;
        return principal.ok() ? *principal : Principal{};
    }

    int64_t Create(const Principal& who, const BusinessInput& in) {
        auto created = service_->Create(who, in);
        EXPECT_TRUE(IsOk(created)) << in.name.value_or("");
        return created.ok() ? created->business.id : 0;
    }

    std::unique_ptr<storage::Store> Store() {
        auto store = stores_->Open();
        EXPECT_TRUE(IsOk(store));
        return store.ok() ? std::move(store).value() : nullptr;
    }

    int64_t StoredCount() {
        BusinessFilter all;
        all.scope.all = true;
        auto page = Store()->businesses().List(all, true);
        EXPECT_TRUE(IsOk(page));
        return page.ok() ? page->total : -1;
    }

    std::optional<Business> ByUscc(const std::string& uscc) {
        auto found = Store()->businesses().FindByUscc(uscc);
        EXPECT_TRUE(IsOk(found));
        return found.ok() ? *found : std::nullopt;
    }

    // Audit entries about one business, newest first.
    std::vector<access::AuditEntry> AuditOf(int64_t id) {
        access::AuditQuery q;
        q.entity = "business";
        q.entity_id = std::to_string(id);
        q.page_size = 100;
        auto page = Store()->audit().List(q);
        EXPECT_TRUE(IsOk(page));
        return page.ok() ? page->first : std::vector<access::AuditEntry>{};
    }

    // An export written as CSV and read back.
    Result<io::Table> ExportTable(const Principal& who, const BusinessQuery& q, size_t max_rows) {
        auto writer = io::MakeCsvWriter(true);
        auto rows = service_->Export(who, q, max_rows, writer.get());
        if (!rows.ok()) return rows.error();
        SHIAN_ASSIGN_OR_RETURN(std::string bytes, writer->Finish());
        SHIAN_ASSIGN_OR_RETURN(io::Table table, io::ReadTable(bytes, "export.csv", 1000));
        EXPECT_EQ(table.rows.size(), *rows);
        return table;
    }

    FakeClock clock_{kT0};
    std::unique_ptr<storage::ConnectionPool> pool_;
    std::unique_ptr<storage::SqlStoreProvider> stores_;
    std::unique_ptr<access::UserService> users_;
    std::unique_ptr<BusinessService> service_;
    Principal office_, dongcheng_, damaoping_;
};

std::string Field(const std::optional<access::FieldList>& fields, const std::string& name) {
    if (!fields) return "<none>";
    for (const auto& [k, v] : *fields) {
        if (k == name) return v;
    }
    return "<missing>";
}

// ---------------------------------------------------------------------------------------------
// Create, read, update

TEST_F(BusinessServiceTest, CreateStoresAValidBusiness) {
    BusinessInput in = Input("  巴州老火锅  ", kBeimen, Uscc(1));
    in.licence_no = "JY25119020000012";
    in.lng = 106.7683;
    in.lat = 31.8581;
    in.risk_grade = "B";
    in.people = std::vector<Person>{{"法定代表人", "王大锤", IdNumber(1), "13800000000"}};
    in.tags = std::vector<std::string>{"重点"};
    auto created = service_->Create(dongcheng_, in);
    ASSERT_TRUE(IsOk(created));
    const Business& b = created->business;
    EXPECT_GT(b.id, 0);
    EXPECT_EQ(b.version, 1);
    EXPECT_EQ(b.name, "巴州老火锅");
    EXPECT_EQ(b.kind, "catering");
    EXPECT_EQ(b.status, "营业");
    EXPECT_EQ(b.region_path, "/511902/511902001/511902001001/");
    EXPECT_EQ(b.region_name, "北门社区居民委员会");
    EXPECT_EQ(b.created_at, kT0);
    EXPECT_EQ(b.updated_at, kT0);
    ASSERT_EQ(b.people.size(), 1u);
    EXPECT_EQ(b.people[0].id_number, IdNumber(1));

    auto got = service_->Get(dongcheng_, b.id);
    ASSERT_TRUE(IsOk(got));
    EXPECT_EQ(got->business.name, "巴州老火锅");
    EXPECT_EQ(got->business.lng, 106.7683);
    ASSERT_EQ(got->business.people.size(), 1u);
    EXPECT_EQ(got->business.people[0].id_number, IdNumber(1)) << "the detail shows it whole";
    EXPECT_EQ(got->business.people[0].phone, "13800000000");
    EXPECT_EQ(got->business.region_name, "北门社区居民委员会");
    EXPECT_EQ(got->business.kind_label, "餐饮服务");

    // GB/T 35273-2020 §6.2: a list shows the person's numbers de-identified.
    auto listed = service_->List(dongcheng_, BusinessQuery{});
    ASSERT_TRUE(IsOk(listed));
    ASSERT_EQ(listed->items.size(), 1u);
    ASSERT_EQ(listed->items[0].people.size(), 1u);
    EXPECT_EQ(listed->items[0].people[0].id_number, MaskIdNumber(IdNumber(1)));
    EXPECT_EQ(listed->items[0].people[0].id_number.substr(4, 10), std::string(10, '*'));
    EXPECT_EQ(listed->items[0].people[0].phone, "138****0000");
    EXPECT_EQ(listed->items[0].people[0].name, "王大锤");
    EXPECT_EQ(listed->items[0].region_name, "北门社区居民委员会");
    EXPECT_EQ(listed->items[0].kind_label, "餐饮服务");

    // The USCC is unique.
    EXPECT_TRUE(FailsWith(service_->Create(office_, Input("冒名店", kMingxing, Uscc(1))),
                          ErrorCode::kConflict, "uscc"));
    EXPECT_EQ(StoredCount(), 1);
}

TEST_F(BusinessServiceTest, CreateRejectsInvalidFieldsByName) {
    std::string bad_check = Uscc(1);
    bad_check.back() = bad_check.back() == '0' ? '1' : '0';
    struct Case {
        const char* why;
        void (*edit)(BusinessInput&);
        std::string field;
    };
    // Captureless edits; the USCC with a wrong check character is patched in below.
    const std::vector<Case> cases = {
        {"USCC check character", [](BusinessInput& in) { in.uscc = "BAD_CHECK"; }, "uscc"},
        {"USCC length", [](BusinessInput& in) { in.uscc = "91511902MA"; }, "uscc"},
        {"USCC with I/O/Z/S/V", [](BusinessInput& in) { in.uscc = "91511902MA0000000I"; }, "uscc"},
        {"no USCC and no licence", [](BusinessInput& in) { in.uscc = ""; }, "uscc"},
        {"name missing", [](BusinessInput& in) { in.name.reset(); }, "name"},
        {"name blank", [](BusinessInput& in) { in.name = "   "; }, "name"},
        {"unknown kind", [](BusinessInput& in) { in.kind = "火星餐饮"; }, "kind"},
        {"licence format", [](BusinessInput& in) { in.licence_no = "JY123"; }, "licence_no"},
        {"longitude without latitude", [](BusinessInput& in) { in.lng = 106.7; }, "lat"},
        {"latitude outside China",
         [](BusinessInput& in) {
             in.lng = 106.7;
             in.lat = 80.0;
         },
         "lat"},
        {"status", [](BusinessInput& in) { in.status = "歇业"; }, "status"},
        {"risk grade", [](BusinessInput& in) { in.risk_grade = "E"; }, "risk_grade"},
        {"person ID number",
         [](BusinessInput& in) {
             in.people = std::vector<Person>{{"法定代表人", "张三", "511902198001010010", ""}};
         },
         "people[0].id_number"},
        {"person role",
         [](BusinessInput& in) {
             in.people = std::vector<Person>{{"股东", "张三", "", ""}};
         },
         "people[0].role"},
        {"unknown place", [](BusinessInput& in) { in.region_code = "511902999999"; },
         "region_code"},
        {"county is too coarse", [](BusinessInput& in) { in.region_code = "511902"; },
         "region_code"},
        {"no place", [](BusinessInput& in) { in.region_code = ""; }, "region_code"},
    };
    for (const auto& c : cases) {
        BusinessInput in = Input("测试店", kBeimen, Uscc(2));
        c.edit(in);
        if (in.uscc == "BAD_CHECK") in.uscc = bad_check;
        EXPECT_TRUE(FailsWith(service_->Create(office_, in), ErrorCode::kInvalidArgument, c.field))
            << c.why;
    }
    EXPECT_EQ(StoredCount(), 0);

    // 三小 may register without USCC or licence.
    BusinessInput stall = Input("路边摊", kBeimen, "");
    stall.kind = "food_vendor";
    EXPECT_TRUE(IsOk(service_->Create(office_, stall)));
}

TEST_F(BusinessServiceTest, CreateOutsideTheUsersPlacesIsDenied) {
    auto denied = service_->Create(dongcheng_, Input("越界店", kMingxing, Uscc(3)));
    EXPECT_TRUE(FailsWith(denied, ErrorCode::kPermissionDenied, "region_code"));
    EXPECT_EQ(StoredCount(), 0);
    // The same place is fine for its own township and for the county.
    EXPECT_TRUE(IsOk(service_->Create(damaoping_, Input("本镇店", kMingxing, Uscc(3)))));
    EXPECT_TRUE(IsOk(service_->Create(office_, Input("县级登记", kDongcheng, Uscc(4)))));
}

TEST_F(BusinessServiceTest, TownshipsCannotSeeEachOthersBusinesses) {
    int64_t theirs = Create(office_, Input("大茅坪食堂", kMingxing, Uscc(5)));
    int64_t ours = Create(office_, Input("东城饭店", kBeimen, Uscc(6)));

    // Another township's record does not exist as far as 东城 is concerned.
    EXPECT_TRUE(FailsWith(service_->Get(dongcheng_, theirs), ErrorCode::kNotFound, ""));
    BusinessInput edit;
    edit.name = "改名";
    edit.version = 1;
    EXPECT_TRUE(FailsWith(service_->Update(dongcheng_, theirs, edit), ErrorCode::kNotFound, ""));
    EXPECT_TRUE(FailsWith(service_->Get(dongcheng_, theirs + 100), ErrorCode::kNotFound, ""));
    auto list = service_->List(dongcheng_, BusinessQuery{});
    ASSERT_TRUE(IsOk(list));
    EXPECT_EQ(list->total, 1);
    ASSERT_EQ(list->items.size(), 1u);
    EXPECT_EQ(list->items[0].id, ours);
    BusinessQuery there;
    there.region_code = kDamaoping;
    list = service_->List(dongcheng_, there);
    ASSERT_TRUE(IsOk(list));
    EXPECT_EQ(list->total, 0);

    // Its own township and the county see it.
    EXPECT_TRUE(IsOk(service_->Get(damaoping_, theirs)));
    EXPECT_TRUE(IsOk(service_->Get(office_, theirs)));
    EXPECT_EQ(Store()->businesses().Find(theirs)->value().name, "大茅坪食堂");

    // Moving its own business out of its places is denied, and changes nothing.
    BusinessInput move;
    move.region_code = kMingxing;
    move.version = 1;
    EXPECT_TRUE(FailsWith(service_->Update(dongcheng_, ours, move), ErrorCode::kPermissionDenied,
                          "region_code"));
    EXPECT_EQ(Store()->businesses().Find(ours)->value().region_code, kBeimen);

    // A business account sees its own business only.
    Principal shop = MakePrincipal("shop.owner", "business", kBeimen, ours);
    EXPECT_TRUE(IsOk(service_->Get(shop, ours)));
    EXPECT_TRUE(FailsWith(service_->Get(shop, theirs), ErrorCode::kNotFound, ""));
    EXPECT_TRUE(FailsWith(service_->Update(shop, ours, edit), ErrorCode::kPermissionDenied, ""));
}

TEST_F(BusinessServiceTest, StaleVersionIsAConflict) {
    int64_t id = Create(dongcheng_, Input("版本店", kBeimen, Uscc(7)));
    BusinessInput first;
    first.name = "第一次修改";
    first.version = 1;
    auto updated = service_->Update(dongcheng_, id, first);
    ASSERT_TRUE(IsOk(updated));
    EXPECT_EQ(updated->business.version, 2);

    // A second editor who also loaded version 1.
    BusinessInput second;
    second.name = "第二次修改";
    second.version = 1;
    EXPECT_TRUE(FailsWith(service_->Update(office_, id, second), ErrorCode::kConflict, "version"));
    BusinessInput no_version;
    no_version.name = "无版本";
    EXPECT_TRUE(FailsWith(service_->Update(office_, id, no_version), ErrorCode::kInvalidArgument,
                          "version"));
    auto got = service_->Get(office_, id);
    ASSERT_TRUE(IsOk(got));
    EXPECT_EQ(got->business.name, "第一次修改");
    EXPECT_EQ(got->business.version, 2);

    second.version = 2;
    auto retried = service_->Update(office_, id, second);
    ASSERT_TRUE(IsOk(retried));
    EXPECT_EQ(retried->business.version, 3);
    EXPECT_EQ(retried->business.name, "第二次修改");

    // Taking another record's USCC is a conflict on the field.
    Create(dongcheng_, Input("另一家", kBeimen, Uscc(8)));
    BusinessInput steal;
    steal.uscc = Uscc(8);
    steal.version = 3;
    EXPECT_TRUE(FailsWith(service_->Update(office_, id, steal), ErrorCode::kConflict, "uscc"));
}

TEST_F(BusinessServiceTest, StatusAndGradeChangesAppendHistoryWithReasons) {
    BusinessInput in = Input("历史店", kBeimen, Uscc(9));
    in.risk_grade = "B";
    in.grade_reason = "首次评定";
    auto created = service_->Create(dongcheng_, in);
    ASSERT_TRUE(IsOk(created));
    int64_t id = created->business.id;
    ASSERT_EQ(created->status_history.size(), 1u);
    EXPECT_EQ(created->status_history[0].value, "营业");
    EXPECT_EQ(created->status_history[0].reason, "新登记");
    EXPECT_EQ(created->status_history[0].by, "dc.inspector");
    EXPECT_EQ(created->status_history[0].at, kT0);
    ASSERT_EQ(created->grade_history.size(), 1u);
    EXPECT_EQ(created->grade_history[0].value, "B");
    EXPECT_EQ(created->grade_history[0].reason, "首次评定");

    struct Step {
        std::optional<std::string> status, grade, name;
        std::string status_reason, grade_reason;
    };
    // Expected histories after all steps, oldest first.
    const std::vector<Step> steps = {
        {"停业", "C", std::nullopt, "停业整改", "抽检不合格"},
        {std::nullopt, std::nullopt, "改名不改状态", "", ""},  // no history
        {"营业", std::nullopt, std::nullopt, "", ""},          // default reason
        {"营业", "", std::nullopt, "无变化", "取消评级"},      // status unchanged
    };
    int64_t version = 1;
    for (const auto& step : steps) {
        clock_.Advance(kMinuteMs);
        BusinessInput edit;
        edit.status = step.status;
        edit.risk_grade = step.grade;
        edit.name = step.name;
        edit.status_reason = step.status_reason;
        edit.grade_reason = step.grade_reason;
        edit.version = version;
        auto updated = service_->Update(office_, id, edit);
        ASSERT_TRUE(IsOk(updated));
        version = updated->business.version;
    }
    auto detail = service_->Get(office_, id);
    ASSERT_TRUE(IsOk(detail));
    using Entry = std::tuple<std::string, std::string, TimeMs, std::string>;
    auto entries = [](const std::vector<HistoryEntry>& h) {
        std::vector<Entry> out;
        for (const auto& e : h) out.emplace_back(e.value, e.reason, e.at, e.by);
        return out;
    };
    EXPECT_EQ(entries(detail->status_history),
              (std::vector<Entry>{{"营业", "新登记", kT0, "dc.inspector"},
                                  {"停业", "停业整改", kT0 + kMinuteMs, "county.office"},
                                  {"营业", "状态变更", kT0 + 3 * kMinuteMs, "county.office"}}));
    EXPECT_EQ(entries(detail->grade_history),
              (std::vector<Entry>{{"B", "首次评定", kT0, "dc.inspector"},
                                  {"C", "抽检不合格", kT0 + kMinuteMs, "county.office"},
                                  {"", "取消评级", kT0 + 4 * kMinuteMs, "county.office"}}));
    EXPECT_EQ(detail->business.version, 5);
    EXPECT_EQ(detail->business.updated_at, kT0 + 4 * kMinuteMs);
    EXPECT_EQ(detail->business.created_at, kT0);
}

TEST_F(BusinessServiceTest, EveryWriteIsAuditedWithBeforeAndAfter) {
    int64_t id = Create(dongcheng_, Input("审计店", kBeimen, Uscc(10)));
    clock_.Advance(kMinuteMs);
    BusinessInput edit;
    edit.name = "审计店（新）";
    edit.status = "停业";
    edit.version = 1;
    ASSERT_TRUE(IsOk(service_->Update(office_, id, edit)));

    auto log = AuditOf(id);
    ASSERT_EQ(log.size(), 2u);
    const access::AuditEntry& update = log[0];
    const access::AuditEntry& create = log[1];

    EXPECT_EQ(create.action, "create");
    EXPECT_EQ(create.username, "dc.inspector");
    EXPECT_EQ(create.user_id, dongcheng_.user.id);
    EXPECT_EQ(create.at, kT0);
    EXPECT_FALSE(create.before.has_value());
    EXPECT_EQ(Field(create.after, "name"), "审计店");
    EXPECT_EQ(Field(create.after, "uscc"), Uscc(10));
    EXPECT_EQ(Field(create.after, "kind"), "餐饮服务");
    EXPECT_EQ(Field(create.after, "version"), "1");
    EXPECT_NE(create.summary.find("审计店"), std::string::npos);

    EXPECT_EQ(update.action, "update");
    EXPECT_EQ(update.username, "county.office");
    EXPECT_EQ(update.at, kT0 + kMinuteMs);
    EXPECT_EQ(Field(update.before, "name"), "审计店");
    EXPECT_EQ(Field(update.after, "name"), "审计店（新）");
    EXPECT_EQ(Field(update.before, "status"), "营业");
    EXPECT_EQ(Field(update.after, "status"), "停业");
    EXPECT_EQ(Field(update.before, "version"), "1");
    EXPECT_EQ(Field(update.after, "version"), "2");
    EXPECT_EQ(Field(update.after, "address"), Field(update.before, "address"));
    ASSERT_TRUE(update.before.has_value() && update.after.has_value());
    EXPECT_EQ(update.before->front().first, "name") << "fields keep their order";

    // Failed writes leave no trace.
    BusinessInput stale = edit;
    EXPECT_FALSE(service_->Update(office_, id, stale).ok());
    EXPECT_FALSE(service_->Create(dongcheng_, Input("越界", kMingxing, Uscc(11))).ok());
    EXPECT_EQ(AuditOf(id).size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Import and export

const std::vector<std::string> kImportHeader = {"主体名称",     "统一社会信用代码", "主体业态",
                                                "所属区划代码", "经营地址",         "风险等级",
                                                "法定代表人",   "联系电话"};

io::Table MakeTable(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
    io::Table t;
    t.header = std::move(header);
    t.rows = std::move(rows);
    for (size_t i = 0; i < t.rows.size(); ++i) t.row_numbers.push_back(i + 2);
    return t;
}

using Issue = std::pair<size_t, std::string>;  // (row, Chinese column)

std::vector<Issue> Issues(const ImportReport& report) {
    std::vector<Issue> out;
    for (const auto& i : report.rejected) out.emplace_back(i.row, i.column);
    return out;
}

TEST_F(BusinessServiceTest, ImportIsAllOrNothingAndReportsEveryBadRow) {
    std::string bad_uscc = Uscc(22);
    bad_uscc.back() = bad_uscc.back() == '0' ? '1' : '0';
    io::Table table = MakeTable(
        kImportHeader,
        {
            {"甲店", Uscc(21), "餐饮服务", kBeimen, "东城路1号", "A", "张三", "13800000001"},
            {"乙店", bad_uscc, "餐饮服务", kBeimen, "东城路2号", "", "", ""},
            {"丙店", Uscc(23), "catering", kMingxing, "", "B级", "", ""},
            {"丁店", Uscc(24), "火星菜", "511902999999", "", "", "", ""},
            {"戊店", Uscc(25), "餐饮服务", kBeimen, "", "E级", "李四", "12345"},
            {"", Uscc(26), "餐饮服务", kBeimen, "", "", "", ""},
        });
    table.row_numbers = {2, 3, 4, 6, 7, 9};  // blank spreadsheet rows 5 and 8 were dropped
    auto report = service_->Import(office_, table, /*dry_run=*/false);
    ASSERT_TRUE(IsOk(report));
    EXPECT_EQ(Issues(*report), (std::vector<Issue>{{3, "统一社会信用代码"},
                                                   {6, "主体业态"},
                                                   {6, "所属区划代码"},
                                                   {7, "风险等级"},
                                                   {7, "联系电话"},
                                                   {9, "主体名称"}}));
    for (const auto& issue : report->rejected) EXPECT_FALSE(issue.message.empty());
    EXPECT_EQ(report->inserted, 0);
    EXPECT_EQ(report->updated, 0);
    EXPECT_EQ(StoredCount(), 0) << "nothing is stored while any row is bad";
    EXPECT_FALSE(ByUscc(Uscc(21)).has_value());

    // The good rows alone go in.
    io::Table good = MakeTable(kImportHeader, {table.rows[0], table.rows[2]});
    report = service_->Import(office_, good, false);
    ASSERT_TRUE(IsOk(report));
    EXPECT_TRUE(report->rejected.empty());
    EXPECT_EQ(report->inserted, 2);
    EXPECT_EQ(StoredCount(), 2);
    auto c = ByUscc(Uscc(23));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->risk_grade, "B") << "“B级” is read as B";
    EXPECT_EQ(c->kind, "catering");
    auto a = ByUscc(Uscc(21));
    ASSERT_TRUE(a.has_value());
    ASSERT_EQ(a->people.size(), 1u);
    EXPECT_EQ(a->people[0].role, "法定代表人");
    EXPECT_EQ(a->people[0].name, "张三");
    EXPECT_EQ(a->people[0].phone, "13800000001");
}

TEST_F(BusinessServiceTest, ImportRejectsDuplicateUsccWithinTheFile) {
    io::Table table =
        MakeTable(kImportHeader, {
                                     {"甲店", Uscc(31), "餐饮服务", kBeimen, "", "", "", ""},
                                     {"乙店", Uscc(32), "餐饮服务", kBeimen, "", "", "", ""},
                                     {"甲店分店", Uscc(31), "餐饮服务", kBeimen, "", "", "", ""},
                                 });
    auto report = service_->Import(office_, table, false);
    ASSERT_TRUE(IsOk(report));
    ASSERT_EQ(Issues(*report), (std::vector<Issue>{{4, "统一社会信用代码"}}));
    EXPECT_NE(report->rejected[0].message.find("第2行"), std::string::npos)
        << report->rejected[0].message;
    EXPECT_EQ(StoredCount(), 0);
}

TEST_F(BusinessServiceTest, ImportUpdatesBusinessesAlreadyStoredByUscc) {
    BusinessInput existing = Input("旧名称", kBeimen, Uscc(41));
    existing.people =
        std::vector<Person>{{"食品安全员", "赵六", "", ""}, {"法定代表人", "钱七", "", ""}};
    int64_t id = Create(office_, existing);
    clock_.Advance(kMinuteMs);

    io::Table table = MakeTable(
        kImportHeader,
        {
            {"新名称", Uscc(41), "餐饮服务", kBeimen, "新地址", "B", "孙八", "13900000000"},
            {"新店", Uscc(42), "小餐饮", kMingxing, "", "", "", ""},
        });
    auto dry = service_->Import(office_, table, /*dry_run=*/true);
    ASSERT_TRUE(IsOk(dry));
    EXPECT_TRUE(dry->rejected.empty());
    EXPECT_EQ(dry->inserted, 1);
    EXPECT_EQ(dry->updated, 1);
    EXPECT_EQ(StoredCount(), 1) << "a dry run stores nothing";
    EXPECT_EQ(ByUscc(Uscc(41))->name, "旧名称");
    EXPECT_EQ(AuditOf(id).size(), 1u);

    auto report = service_->Import(office_, table, false);
    ASSERT_TRUE(IsOk(report));
    EXPECT_TRUE(report->rejected.empty());
    EXPECT_EQ(report->inserted, 1);
    EXPECT_EQ(report->updated, 1);
    EXPECT_EQ(StoredCount(), 2);

    auto updated = service_->Get(office_, id);
    ASSERT_TRUE(IsOk(updated));
    const Business& b = updated->business;
    EXPECT_EQ(b.name, "新名称");
    EXPECT_EQ(b.address, "新地址");
    EXPECT_EQ(b.version, 2);
    EXPECT_EQ(b.risk_grade, "B");
    EXPECT_EQ(b.updated_at, kT0 + kMinuteMs);
    // The file's 法定代表人 replaces the stored one; the 食品安全员 it does not mention stays.
    ASSERT_EQ(b.people.size(), 2u);
    EXPECT_EQ(b.people[0].role, "食品安全员");
    EXPECT_EQ(b.people[0].name, "赵六");
    EXPECT_EQ(b.people[1].role, "法定代表人");
    EXPECT_EQ(b.people[1].name, "孙八");
    ASSERT_EQ(updated->grade_history.size(), 1u);
    EXPECT_EQ(updated->grade_history[0].value, "B");
    EXPECT_EQ(updated->grade_history[0].reason, "批量导入");
    auto log = AuditOf(id);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "import");
    EXPECT_EQ(Field(log[0].before, "name"), "旧名称");
    EXPECT_EQ(Field(log[0].after, "name"), "新名称");

    auto added = ByUscc(Uscc(42));
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->kind, "small_catering");
    EXPECT_EQ(added->version, 1);
    EXPECT_EQ(added->created_at, kT0 + kMinuteMs);
    auto added_detail = service_->Get(office_, added->id);
    ASSERT_TRUE(IsOk(added_detail));
    ASSERT_EQ(added_detail->status_history.size(), 1u);
    EXPECT_EQ(added_detail->status_history[0].reason, "批量导入");
    ASSERT_EQ(AuditOf(added->id).size(), 1u);
    EXPECT_FALSE(AuditOf(added->id)[0].before.has_value());

    // The same file again: both rows are stored and equal to it, so nothing is written.
    clock_.Advance(kMinuteMs);
    auto again = service_->Import(office_, table, false);
    ASSERT_TRUE(IsOk(again));
    EXPECT_EQ(again->inserted, 0);
    EXPECT_EQ(again->updated, 2);
    EXPECT_EQ(again->unchanged, 2);
    EXPECT_EQ(ByUscc(Uscc(41))->version, 2);
    EXPECT_EQ(ByUscc(Uscc(41))->updated_at, kT0 + kMinuteMs);
    EXPECT_EQ(AuditOf(id).size(), 2u);
    EXPECT_EQ(AuditOf(added->id).size(), 1u);
    // One changed cell: that row alone is written.
    table.rows[1][4] = "新店地址";
    auto one = service_->Import(office_, table, false);
    ASSERT_TRUE(IsOk(one));
    EXPECT_EQ(one->updated, 2);
    EXPECT_EQ(one->unchanged, 1);
    EXPECT_EQ(ByUscc(Uscc(41))->version, 2);
    EXPECT_EQ(ByUscc(Uscc(42))->version, 2);
    EXPECT_EQ(ByUscc(Uscc(42))->address, "新店地址");
    EXPECT_EQ(AuditOf(added->id).size(), 2u);
}

TEST_F(BusinessServiceTest, AnImportOfManyChunksIsStillAllOrNothing) {
    // Two rows per chunk: each chunk is written as soon as it is checked, so a bad row in the
    // last chunk must roll back what the chunks before it wrote.
    BusinessService chunked(stores_.get(), &clock_, BusinessServiceOptions{.import_chunk_rows = 2});
    int64_t id = Create(office_, Input("旧名称", kBeimen, Uscc(61)));
    clock_.Advance(kMinuteMs);
    auto audit_count = [&] {
        auto page = Store()->audit().List(access::AuditQuery{});
        EXPECT_TRUE(IsOk(page));
        return page.ok() ? page->second : -1;
    };
    int64_t audit_before = audit_count();
    io::Table table = MakeTable(kImportHeader,
                                {
                                    {"甲店", Uscc(62), "餐饮服务", kBeimen, "", "A", "", ""},
                                    {"新名称", Uscc(61), "餐饮服务", kBeimen, "", "", "", ""},
                                    {"乙店", Uscc(63), "餐饮服务", kMingxing, "", "", "", ""},
                                    {"丙店", Uscc(64), "小餐饮", kMingxing, "", "", "", ""},
                                    {"甲店分店", Uscc(62), "餐饮服务", kBeimen, "", "", "", ""},
                                });
    auto report = chunked.Import(office_, table, false);
    ASSERT_TRUE(IsOk(report));
    ASSERT_EQ(Issues(*report), (std::vector<Issue>{{6, "统一社会信用代码"}}))
        << "a USCC repeated from an earlier chunk is found";
    EXPECT_EQ(report->inserted, 0);
    EXPECT_EQ(report->updated, 0);
    EXPECT_EQ(StoredCount(), 1) << "the first two chunks' rows were rolled back";
    EXPECT_FALSE(ByUscc(Uscc(62)).has_value());
    EXPECT_EQ(ByUscc(Uscc(61))->name, "旧名称");
    EXPECT_EQ(ByUscc(Uscc(61))->version, 1);
    EXPECT_EQ(audit_count(), audit_before) << "no audit entry outlives the rollback";

    auto dry = chunked.Import(office_, table, true);
    ASSERT_TRUE(IsOk(dry));
    EXPECT_EQ(dry->rejected.size(), 1u);

    table.rows.pop_back();
    dry = chunked.Import(office_, table, true);
    ASSERT_TRUE(IsOk(dry));
    EXPECT_TRUE(dry->rejected.empty());
    EXPECT_EQ(dry->inserted, 3);
    EXPECT_EQ(dry->updated, 1);
    EXPECT_EQ(StoredCount(), 1);

    report = chunked.Import(office_, table, false);
    ASSERT_TRUE(IsOk(report));
    EXPECT_TRUE(report->rejected.empty());
    EXPECT_EQ(report->inserted, 3);
    EXPECT_EQ(report->updated, 1);
    EXPECT_EQ(StoredCount(), 4);
    EXPECT_EQ(ByUscc(Uscc(61))->name, "新名称");
    EXPECT_EQ(ByUscc(Uscc(61))->version, 2);
    EXPECT_EQ(ByUscc(Uscc(64))->kind, "small_catering");
    EXPECT_EQ(AuditOf(id).size(), 2u);
    EXPECT_EQ(audit_count(), audit_before + 4);

    // Again: every row equals its business, in every chunk.
    auto again = chunked.Import(office_, table, false);
    ASSERT_TRUE(IsOk(again));
    EXPECT_EQ(again->updated, 4);
    EXPECT_EQ(again->unchanged, 4);
    EXPECT_EQ(audit_count(), audit_before + 4);
}

TEST_F(BusinessServiceTest, ImportRespectsPermissionAndScope) {
    io::Table table =
        MakeTable(kImportHeader, {{"甲店", Uscc(51), "餐饮服务", kBeimen, "", "", "", ""}});
    EXPECT_TRUE(
        FailsWith(service_->Import(dongcheng_, table, false), ErrorCode::kPermissionDenied, ""))
        << "inspectors may not import";

    // A township 食安办 imports within its township only, and cannot overwrite others' records.
    Principal township_office = MakePrincipal("dc.office", "office", kDongcheng);
    int64_t theirs = Create(office_, Input("大茅坪店", kMingxing, Uscc(52)));
    io::Table mixed =
        MakeTable(kImportHeader, {
                                     {"本镇店", Uscc(53), "餐饮服务", kBeimen, "", "", "", ""},
                                     {"外镇店", Uscc(54), "餐饮服务", kMingxing, "", "", "", ""},
                                     {"改外镇", Uscc(52), "餐饮服务", kBeimen, "", "", "", ""},
                                 });
    auto report = service_->Import(township_office, mixed, false);
    ASSERT_TRUE(IsOk(report));
    EXPECT_EQ(Issues(*report), (std::vector<Issue>{{3, "所属区划代码"}, {4, "统一社会信用代码"}}));
    EXPECT_EQ(StoredCount(), 1);
    EXPECT_EQ(Store()->businesses().Find(theirs)->value().name, "大茅坪店");
}

TEST_F(BusinessServiceTest, ImportChecksTheHeaderFirst) {
    const std::vector<std::string> row = {"甲店", Uscc(61), "餐饮服务", kBeimen};
    struct Case {
        const char* why;
        std::vector<std::string> header;
        std::vector<Issue> issues;
    };
    const std::vector<Case> cases = {
        {"unknown column",
         {"主体名称", "统一社会信用代码", "主体业态", "所属区划代码", "备注"},
         {{1, "备注"}}},
        {"duplicate column",
         {"主体名称", "统一社会信用代码", "主体业态", "主体名称"},
         {{1, "主体名称"}, {1, "所属区划代码"}}},
        {"required column missing",
         {"主体名称", "统一社会信用代码", "主体业态"},
         {{1, "所属区划代码"}}},
    };
    for (const auto& c : cases) {
        std::vector<std::string> cells(c.header.size(), "");
        for (size_t i = 0; i < cells.size() && i < row.size(); ++i) cells[i] = row[i];
        auto report = service_->Import(office_, MakeTable(c.header, {cells}), false);
        ASSERT_TRUE(IsOk(report)) << c.why;
        EXPECT_EQ(Issues(*report), c.issues) << c.why;
        EXPECT_EQ(report->inserted, 0) << c.why;
    }
    auto empty = service_->Import(office_, MakeTable(kImportHeader, {}), false);
    ASSERT_TRUE(IsOk(empty));
    EXPECT_EQ(Issues(*empty), (std::vector<Issue>{{1, ""}})) << "no data rows";
    EXPECT_EQ(StoredCount(), 0);
}

TEST_F(BusinessServiceTest, ExportWritesTheTemplateColumnsWithinScope) {
    BusinessInput in = Input("东城火锅", kBeimen, Uscc(71));
    in.licence_no = "JY25119020000071";
    in.lng = 106.75;
    in.lat = 31.85;
    in.risk_grade = "A";
    in.people = std::vector<Person>{{"主要负责人", "郑经理", "", "13800000009"},
                                    {"法定代表人", "王大锤", IdNumber(7), "13800000007"},
                                    {"食品安全总监", "周总监", "", ""},
                                    {"食品安全员", "吴安全", IdNumber(8), "13800000008"}};
    Create(dongcheng_, in);
    Create(damaoping_, Input("大茅坪小馆", kMingxing, Uscc(72)));

    auto county = ExportTable(office_, BusinessQuery{}, 100);
    ASSERT_TRUE(IsOk(county));
    EXPECT_EQ(county->header, BusinessColumns());
    EXPECT_EQ(county->header,
              (std::vector<std::string>{"主体名称", "统一社会信用代码", "许可证编号", "主体业态",
                                        "所属区划代码", "经营地址", "经度", "纬度", "经营状态",
                                        "风险等级", "法定代表人", "法定代表人身份证号", "联系电话",
                                        "食品安全总监", "食品安全员"}));
    ASSERT_EQ(county->rows.size(), 2u);
    EXPECT_EQ(county->row_numbers, (std::vector<size_t>{2, 3}));
    EXPECT_EQ(county->rows[0],
              (std::vector<std::string>{"东城火锅", Uscc(71), "JY25119020000071", "餐饮服务",
                                        kBeimen, "巴州区某路1号", "106.75", "31.85", "营业", "A",
                                        "王大锤", IdNumber(7), "13800000007", "周总监", "吴安全"}));
    EXPECT_EQ(county->rows[1][0], "大茅坪小馆");
    EXPECT_EQ(county->rows[1][6], "") << "no coordinates";

    // A township exports its own places only; filters apply.
    auto township = ExportTable(dongcheng_, BusinessQuery{}, 100);
    ASSERT_TRUE(IsOk(township));
    ASSERT_EQ(township->rows.size(), 1u);
    EXPECT_EQ(township->rows[0][0], "东城火锅");
    BusinessQuery q;
    q.q = "小馆";
    auto filtered = ExportTable(office_, q, 100);
    ASSERT_TRUE(IsOk(filtered));
    ASSERT_EQ(filtered->rows.size(), 1u);
    EXPECT_EQ(filtered->rows[0][0], "大茅坪小馆");

    EXPECT_TRUE(FailsWith(ExportTable(office_, BusinessQuery{}, 1), ErrorCode::kTooLarge, ""));

    // What is exported imports back unchanged: every row matches its record and none is
    // written.
    auto report = service_->Import(office_, *county, false);
    ASSERT_TRUE(IsOk(report));
    EXPECT_TRUE(report->rejected.empty());
    EXPECT_EQ(report->inserted, 0);
    EXPECT_EQ(report->updated, 2);
    EXPECT_EQ(report->unchanged, 2);
    EXPECT_EQ(ByUscc(Uscc(71))->version, 1);
    // The template has no ID/phone columns for the 食品安全员: a file naming the same person
    // keeps them, and the people keep their order.
    EXPECT_EQ(ByUscc(Uscc(71))->people, *in.people);
    auto again = ExportTable(office_, BusinessQuery{}, 100);
    ASSERT_TRUE(IsOk(again));
    EXPECT_EQ(again->rows, county->rows);
    county->rows[0][14] = "冯新员";
    report = service_->Import(office_, *county, false);
    ASSERT_TRUE(IsOk(report));
    EXPECT_EQ(report->unchanged, 1);
    auto people = ByUscc(Uscc(71))->people;
    ASSERT_EQ(people.size(), 4u);
    EXPECT_EQ(people[3], (Person{"食品安全员", "冯新员", "", ""}));
    EXPECT_EQ(people[1], (*in.people)[1]);
}

// ---------------------------------------------------------------------------------------------
// 区划撤并 (domain.md §2): a merged place's records move with their history.

BusinessQuery InPlace(const std::string& code) {
    BusinessQuery q;
    q.region_code = code;
    return q;
}

BusinessQuery Search(const std::string& text) {
    BusinessQuery q;
    q.q = text;
    return q;
}

TEST_F(BusinessServiceTest, MergingATownshipMovesItsPlacesBusinessesUsersAndRoles) {
    PlaceService places(stores_.get(), &clock_);
    Principal admin = MakePrincipal("admin1", "admin", kCounty);
    int64_t town = Create(office_, Input("大茅坪镇食堂", kDamaoping, Uscc(801)));
    int64_t village = Create(office_, Input("明星村酸菜鱼馆", kMingxing, Uscc(802)));
    int64_t dongcheng = Create(office_, Input("东城面馆", kBeimen, Uscc(803)));
    auto before = service_->List(office_, InPlace(kDongcheng));
    ASSERT_TRUE(IsOk(before));
    access::Role district{"district", "片区", access::DataScope::kCustom, {"registry:business:list"}, false,
                          {{kDamaoping, "", ""}}};
    ASSERT_TRUE(IsOk(Store()->access().UpsertRole(district)));

    clock_.Advance(kMinuteMs);
    auto report = places.Merge(admin, kDamaoping, kDongcheng);
    ASSERT_TRUE(IsOk(report));
    EXPECT_GE(report->places, 1) << "大茅坪镇's villages";
    EXPECT_EQ(report->businesses, 2);
    EXPECT_EQ(report->users, 1) << "dmp.inspector";
    EXPECT_EQ(report->roles, 1);
    EXPECT_FALSE(report->from.active);
    EXPECT_EQ(report->from.successor_code, kDongcheng);

    auto store = Store();
    auto moved_village = store->regions().Find(kMingxing);
    ASSERT_TRUE(IsOk(moved_village));
    EXPECT_EQ((*moved_village)->parent_code, kDongcheng);
    EXPECT_EQ((*moved_village)->path, "/511902/511902001/511902100001/");
    auto kids = store->regions().Children(kCounty);
    ASSERT_TRUE(IsOk(kids));
    EXPECT_TRUE(std::none_of(kids->begin(), kids->end(), [](const auto& r) { return r.code == kDamaoping; }))
        << "a retired place leaves the tree";

    auto b = service_->Get(office_, town);
    ASSERT_TRUE(IsOk(b));
    EXPECT_EQ(b->business.region_code, kDongcheng);
    EXPECT_EQ(b->business.region_path, "/511902/511902001/");
    EXPECT_EQ(b->business.version, 2);
    b = service_->Get(office_, village);
    ASSERT_TRUE(IsOk(b));
    EXPECT_EQ(b->business.region_code, kMingxing);
    EXPECT_EQ(b->business.region_path, "/511902/511902001/511902100001/");
    auto audit = AuditOf(village);
    ASSERT_FALSE(audit.empty());
    EXPECT_NE(audit.front().summary.find("并入"), std::string::npos) << audit.front().summary;
    EXPECT_EQ(Field(audit.front().before, "region_code"), kMingxing);

    // The 东城 inspector now sees them, by list, count and search (the search index's place
    // terms moved too); the old township has nothing left.
    auto after = service_->List(dongcheng_, InPlace(kDongcheng));
    ASSERT_TRUE(IsOk(after));
    EXPECT_EQ(after->total, before->total + 2);
    auto found = service_->List(dongcheng_, Search("酸菜鱼馆"));
    ASSERT_TRUE(IsOk(found));
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].id, village);
    auto old = service_->List(office_, InPlace(kDamaoping));
    ASSERT_TRUE(IsOk(old));
    EXPECT_EQ(old->total, 0);
    auto stats = service_->Stats(office_, StatsDimension::kRegion, "");
    ASSERT_TRUE(IsOk(stats));
    EXPECT_EQ(stats->total, StoredCount());
    (void)dongcheng;

    auto inspector = store->access().FindUserByName("dmp.inspector");
    ASSERT_TRUE(IsOk(inspector));
    EXPECT_EQ((*inspector)->region_code, kDongcheng);
    auto role = store->access().FindRole("district");
    ASSERT_TRUE(IsOk(role));
    ASSERT_EQ((*role)->places.size(), 1u);
    EXPECT_EQ((*role)->places[0].code, kDongcheng);
}

// List filters read the places and kinds they name through the process's LookupCache (and
// statistics the places they name): this process's own changes are seen at once (a merge, a
// new kind), another process's once the entry is older than its ttl.
TEST_F(BusinessServiceTest, FiltersSeeOtherProcessesPlaceAndKindChangesAfterTheTtl) {
    constexpr TimeMs kTtl = 2000;
    constexpr const char* kXicheng = "511902002";  // 西城街道
    LookupCache cache(kTtl);
    BusinessService cached(stores_.get(), &clock_, {}, &cache);
    PlaceService own(stores_.get(), &clock_, nullptr, &cache);
    PlaceService other(stores_.get(), &clock_);  // another process: does not clear it
    Principal admin = MakePrincipal("admin1", "admin", kCounty);
    int64_t id = Create(office_, Input("明星村酸菜鱼馆", kMingxing, Uscc(811)));
    auto total_in = [&](const char* code) {
        BusinessQuery q;
        q.region_code = code;
        auto page = cached.List(office_, q);
        EXPECT_TRUE(IsOk(page)) << code;
        return page.ok() ? page->total : -1;
    };
    ASSERT_EQ(total_in(kMingxing), 1);
    // Statistics by township name the county's townships from the cache, and count now.
    auto township_row = [&](const char* code) {
        auto stats = cached.Stats(office_, StatsDimension::kRegion, "");
        EXPECT_TRUE(IsOk(stats));
        StatsResult::Row found{code, "", 0};
        if (!stats.ok()) return found;
        for (const auto& row : stats->rows) {
            if (row.key == code) found = row;
        }
        return found;
    };
    ASSERT_EQ(township_row(kDamaoping).count, 1);

    // This process merges 大茅坪 into 东城: 明星村's new path is read at once.
    auto merged = own.Merge(admin, kDamaoping, kDongcheng);
    ASSERT_TRUE(IsOk(merged));
    EXPECT_EQ(total_in(kMingxing), 1);
    // Another process merges 东城 into 西城: until the ttl runs out the cached path is the
    // old one, under which nothing lies any more.
    ASSERT_TRUE(IsOk(other.Merge(admin, kDongcheng, kXicheng)));
    EXPECT_EQ(total_in(kMingxing), 0);
    StatsResult::Row xicheng = township_row(kXicheng);
    EXPECT_EQ(xicheng.count, 1) << "counted from the data, not the cache";
    EXPECT_EQ(xicheng.label, "西城街道");
    EXPECT_EQ(township_row(kDongcheng).count, 0);
    clock_.Advance(kTtl);
    EXPECT_EQ(total_in(kMingxing), 1);
    auto stored = service_->Get(office_, id);
    ASSERT_TRUE(IsOk(stored));
    EXPECT_EQ(stored->business.region_path, "/511902/511902002/511902100001/");

    // Kinds: one added by another process is refused as a filter until the ttl runs out; one
    // added by this process is accepted at once.
    BusinessQuery by_kind;
    by_kind.kind = "catering";
    ASSERT_TRUE(IsOk(cached.List(office_, by_kind)));  // the dictionary is now cached
    ASSERT_TRUE(IsOk(Store()->businesses().UpsertKind({"cold_chain", "冷链食品", false, 200})));
    by_kind.kind = "冷链食品";
    auto refused = cached.List(office_, by_kind);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().field, "kind");
    clock_.Advance(kTtl);
    EXPECT_TRUE(IsOk(cached.List(office_, by_kind)));
    auto added = cached.AddKind(admin, "食用农产品");
    ASSERT_TRUE(IsOk(added));
    by_kind.kind = "食用农产品";
    EXPECT_TRUE(IsOk(cached.List(office_, by_kind)));

    // A write is checked against the database, not the cache: 东城 is retired (merged) and a
    // business cannot be registered there, cached or not.
    auto refused_write = cached.Create(office_, Input("东城新店", kDongcheng, Uscc(812)));
    EXPECT_FALSE(refused_write.ok());
}

// The tree as a user may see it: inside the scope and on the way down to it; another
// township's places are not found, whoever asks for them by code.
TEST_F(BusinessServiceTest, PlaceTreeShowsWhatTheScopeReaches) {
    LookupCache cache(2000);
    PlaceService places(stores_.get(), &clock_, nullptr, &cache);
    auto codes = [](const std::vector<places::Region>& regions) {
        std::vector<std::string> out;
        for (const auto& r : regions) out.push_back(r.code);
        return out;
    };

    auto top = places.Children(office_, "");
    ASSERT_TRUE(IsOk(top));
    EXPECT_EQ(codes(*top), std::vector<std::string>{kCounty});
    auto townships = places.Children(office_, kCounty);
    ASSERT_TRUE(IsOk(townships));
    EXPECT_EQ(townships->size(), 25u) << "巴州区's townships and streets";

    auto own = places.Children(damaoping_, "");
    ASSERT_TRUE(IsOk(own));
    ASSERT_EQ(codes(*own), std::vector<std::string>{kDamaoping});
    EXPECT_TRUE((*own)[0].has_children);
    auto way_down = places.Children(damaoping_, kCounty);
    ASSERT_TRUE(IsOk(way_down));
    EXPECT_EQ(codes(*way_down), std::vector<std::string>{kDamaoping}) << "not the other townships";
    auto villages = places.Children(damaoping_, kDamaoping);
    ASSERT_TRUE(IsOk(villages));
    EXPECT_FALSE(villages->empty());
    EXPECT_TRUE(FailsWith(places.Children(damaoping_, kDongcheng), ErrorCode::kNotFound, ""));
    EXPECT_TRUE(FailsWith(places.Children(damaoping_, "511902999"), ErrorCode::kNotFound, ""));
    EXPECT_TRUE(FailsWith(places.Children(office_, "5119020010011"), ErrorCode::kInvalidArgument, "parent"));

    auto mingxing = places.Get(damaoping_, kMingxing);
    ASSERT_TRUE(IsOk(mingxing));
    EXPECT_EQ(codes(mingxing->path), (std::vector<std::string>{kCounty, kDamaoping, kMingxing}));
    EXPECT_EQ(mingxing->place.name, mingxing->path.back().name);
    EXPECT_TRUE(IsOk(places.Get(damaoping_, kCounty))) << "on the way down";
    EXPECT_TRUE(FailsWith(places.Get(damaoping_, kBeimen), ErrorCode::kNotFound, ""));
    EXPECT_TRUE(FailsWith(places.Get(damaoping_, kDongcheng), ErrorCode::kNotFound, ""));
    EXPECT_TRUE(IsOk(places.Get(office_, kBeimen)));

    // A retirement by this process is seen at once, though the tree was read through the cache.
    Principal admin = MakePrincipal("admin1", "admin", kCounty);
    auto before = places.Children(office_, kDamaoping);
    ASSERT_TRUE(IsOk(before));
    ASSERT_TRUE(IsOk(places.Retire(admin, kMingxing)));
    auto after = places.Children(office_, kDamaoping);
    ASSERT_TRUE(IsOk(after));
    EXPECT_EQ(after->size() + 1, before->size());
    auto retired = places.Get(office_, kMingxing);
    ASSERT_TRUE(IsOk(retired));
    EXPECT_FALSE(retired->place.active);
}

TEST_F(BusinessServiceTest, PlaceChangesRefuseWhatCannotBeDone) {
    PlaceService places(stores_.get(), &clock_);
    Principal admin = MakePrincipal("admin1", "admin", kCounty);
    Create(office_, Input("北门小吃", kBeimen, Uscc(811)));
    EXPECT_TRUE(FailsWith(places.Merge(office_, kBeimen, kMingxing), ErrorCode::kPermissionDenied, ""));
    EXPECT_TRUE(FailsWith(places.Merge(admin, kBeimen, kBeimen), ErrorCode::kInvalidArgument, "into"));
    EXPECT_TRUE(FailsWith(places.Merge(admin, kBeimen, kDongcheng), ErrorCode::kInvalidArgument, "into"))
        << "a village into a township";
    EXPECT_TRUE(FailsWith(places.Merge(admin, kCounty, kDongcheng), ErrorCode::kInvalidArgument, "code"));
    EXPECT_TRUE(FailsWith(places.Merge(admin, "511902999", kDongcheng), ErrorCode::kInvalidArgument, "code"));
    EXPECT_TRUE(FailsWith(places.Merge(admin, kDongcheng, "x"), ErrorCode::kInvalidArgument, "into"));
    EXPECT_TRUE(FailsWith(places.Retire(admin, kBeimen), ErrorCode::kConflict, "code")) << "a business is there";
    EXPECT_TRUE(FailsWith(places.Retire(admin, kDamaoping), ErrorCode::kConflict, "code")) << "villages below";
    EXPECT_TRUE(FailsWith(places.Retire(admin, kCounty), ErrorCode::kInvalidArgument, "code"));
    EXPECT_EQ(StoredCount(), 1) << "nothing changed";

    auto retired = places.Retire(admin, kMingxing);
    ASSERT_TRUE(IsOk(retired));
    EXPECT_FALSE(retired->active);
    EXPECT_TRUE(FailsWith(places.Merge(admin, kBeimen, kMingxing), ErrorCode::kInvalidArgument, "into"))
        << "into a retired place";
    EXPECT_TRUE(FailsWith(places.Retire(admin, kMingxing), ErrorCode::kInvalidArgument, "code"));
    access::AuditQuery q;
    q.entity = "region";
    auto audit = Store()->audit().List(q);
    ASSERT_TRUE(IsOk(audit));
    ASSERT_EQ(audit->first.size(), 1u);
    EXPECT_EQ(audit->first[0].action, "retire");
}

TEST(DefaultSortTest, SearchesListTheMostRecentlyEnteredFirst) {
    EXPECT_EQ(DefaultSort(""), BusinessSort::kUpdatedDesc);
    EXPECT_EQ(DefaultSort(" ，。 "), BusinessSort::kUpdatedDesc) << "nothing left to search for";
    EXPECT_EQ(DefaultSort("火锅"), BusinessSort::kIdDesc);
    EXPECT_EQ(DefaultSort("J"), BusinessSort::kIdDesc);
}

}  // namespace
}  // namespace shian::registry
