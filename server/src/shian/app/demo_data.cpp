#include "shian/app/demo_data.hpp"

#include <chrono>
#include <ostream>

#include "shian/access/user_service.hpp"
#include "shian/core/identifiers.hpp"
#include "shian/registry/business_rules.hpp"
#include "shian/storage/sql_store.hpp"

namespace shian::app {
namespace {

const std::vector<std::string> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                            "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                            "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
                                            "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
                                            "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎",
                                            "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜"};
const std::vector<std::string> kGiven = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                         "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
                                         "刚", "桂英", "建华", "文", "华", "玉兰", "红", "志强", "海燕", "德明",
                                         "春梅", "国庆", "小红", "建国", "淑芬", "晓东", "雪", "琳", "斌", "宇"};
const std::vector<std::string> kShopWords = {"兴隆", "福满", "顺发", "聚源", "金源", "鑫旺", "永丰", "和美",
                                             "佳乐", "宏达", "巴山", "恩阳", "光雾", "南龛", "云顶", "川北",
                                             "合家", "惠民", "好又多", "红星", "百家", "万利", "新华", "天和"};
const std::vector<std::string> kDishes = {"火锅", "串串香", "面馆", "冒菜", "烧烤", "米粉", "豆花饭",
                                          "中餐馆", "小吃店", "家常菜", "羊肉汤锅", "凉粉", "烤鱼", "饺子馆",
                                          "快餐店", "酸菜鱼", "麻辣烫", "包子铺", "火锅城", "鱼庄"};
const std::vector<std::string> kStreets = {"江北大道", "回风路", "人民路", "新华街", "西城路", "东城路",
                                           "望王路", "兴文大道", "巴州大道", "宕梁路", "玉堂路", "时新街",
                                           "滨河路", "将军路", "北环路", "南池路", "解放路", "建设路"};
const std::vector<std::string> kProducts = {"食品", "酒业", "茶业", "粮油", "调味品", "面业", "肉制品",
                                            "豆制品", "饮品", "糕点", "腊味", "蜂业"};

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<T>& v) {
    return v[rng() % v.size()];
}

std::string Digits(std::mt19937_64& rng, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
    return s;
}

// Kinds and their share of a county's businesses (roughly as in county registries: most are
// shops and small restaurants).
struct KindShare {
    const char* code;
    int weight;
};
const std::vector<KindShare> kKindShares = {
    {"food_retail", 30}, {"catering", 18}, {"small_catering", 14}, {"food_vendor", 8},
    {"small_workshop", 5}, {"food_producer", 3}, {"unit_canteen", 3}, {"school_canteen", 4},
    {"kindergarten_canteen", 3}, {"elderly_canteen", 1}, {"meal_distribution", 1},
    {"central_kitchen", 1}, {"farmers_market", 2}, {"online_catering", 5}, {"special_food_retail", 2}};

}  // namespace

BusinessGenerator::BusinessGenerator(uint64_t seed, std::vector<places::Region> places)
    : rng_(seed), places_(std::move(places)) {
    for (const auto& p : places_) {
        if (p.level == places::RegionLevel::kTownship) townships_.push_back(p);
    }
}

std::string BusinessGenerator::PersonName() { return Pick(rng_, kSurnames) + Pick(rng_, kGiven); }

std::string BusinessGenerator::IdNumber() {
    int year = 1955 + static_cast<int>(rng_() % 45);
    int month = 1 + static_cast<int>(rng_() % 12);
    int day = 1 + static_cast<int>(rng_() % 28);
    char date[16];
    std::snprintf(date, sizeof date, "%04d%02d%02d", year, month, day);
    std::string first17 = "511902" + std::string(date) + Digits(rng_, 3);
    return first17 + IdNumberCheckCharacter(first17);
}

std::string BusinessGenerator::Phone() {
    static const char* kPrefixes[] = {"138", "139", "135", "136", "150", "151", "158", "177", "180", "189"};
    return std::string(kPrefixes[rng_() % 10]) + Digits(rng_, 8);
}

registry::Business BusinessGenerator::Next(int64_t n, TimeMs now) {
    registry::Business b;
    int total = 0;
    for (const auto& k : kKindShares) total += k.weight;
    int r = static_cast<int>(rng_() % total);
    for (const auto& k : kKindShares) {
        if (r < k.weight) {
            b.kind = k.code;
            break;
        }
        r -= k.weight;
    }
    const places::Region& place = places_[rng_() % places_.size()];
    b.region_code = place.code;
    b.region_path = place.path;
    b.region_name = place.name;
    std::string town;
    for (const auto& t : townships_) {
        if (place.path.rfind(t.path, 0) == 0) town = t.name;
    }
    std::string owner = PersonName();
    std::string word = Pick(rng_, kShopWords);
    const std::string& kind = b.kind;
    bool individual = true;
    if (kind == "food_retail") {
        static const std::vector<std::string> kSuffix = {"超市", "便利店", "副食店", "食品店", "生鲜超市", "粮油店"};
        b.name = word + Pick(rng_, kSuffix);
    } else if (kind == "catering" || kind == "small_catering" || kind == "online_catering") {
        b.name = (rng_() % 2 ? owner.substr(0, 3) + "记" : "老" + owner.substr(0, 3) + "家") + Pick(rng_, kDishes);
    } else if (kind == "food_vendor") {
        static const std::vector<std::string> kStalls = {"卤菜摊", "水果摊", "烧饼摊", "凉面摊", "豆腐摊", "早餐摊"};
        b.name = owner + Pick(rng_, kStalls);
    } else if (kind == "small_workshop") {
        static const std::vector<std::string> kWork = {"面条加工坊", "豆腐坊", "腊肉加工坊", "米粉加工坊", "菜籽油坊", "糕点坊"};
        b.name = town + owner.substr(0, 3) + "氏" + Pick(rng_, kWork);
    } else if (kind == "food_producer") {
        b.name = "巴中市" + word + Pick(rng_, kProducts) + "有限公司";
        individual = false;
    } else if (kind == "unit_canteen") {
        static const std::vector<std::string> kUnits = {"人民医院", "中医院", "卫生院", "供电公司", "建筑工地", "工业园区企业"};
        b.name = town + Pick(rng_, kUnits) + "职工食堂";
        individual = false;
    } else if (kind == "school_canteen") {
        static const std::vector<std::string> kSchools = {"中心小学", "初级中学", "第一小学", "第二小学", "实验学校", "高级中学"};
        b.name = town + Pick(rng_, kSchools) + "食堂";
        individual = false;
    } else if (kind == "kindergarten_canteen") {
        b.name = town + (rng_() % 2 ? "中心幼儿园" : word + "幼儿园") + "食堂";
        individual = false;
    } else if (kind == "elderly_canteen") {
        b.name = town + (rng_() % 2 ? "敬老院" : "养老服务中心") + "食堂";
        individual = false;
    } else if (kind == "meal_distribution") {
        b.name = "巴中" + word + "餐饮配送有限公司";
        individual = false;
    } else if (kind == "central_kitchen") {
        b.name = "巴中" + word + "中央厨房有限公司";
        individual = false;
    } else if (kind == "farmers_market") {
        b.name = town + (rng_() % 2 ? "农贸市场" : word + "农贸市场");
        individual = false;
    } else {
        b.name = word + "保健食品专营店";
    }
    b.name += n % 7 == 0 ? "（" + town.substr(0, 6) + "店）" : "";
    b.address = "四川省巴中市巴州区" + town + Pick(rng_, kStreets) + std::to_string(1 + rng_() % 300) + "号";

    std::string body = (individual ? "92" : "91") + std::string("511902");
    // Nine-character organisation code part: unique per n, from the USCC alphabet.
    static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    uint64_t v = static_cast<uint64_t>(n) * 2654435761ull + 12345;
    std::string org;
    for (int i = 0; i < 9; ++i) {
        org.push_back(kAlphabet[v % 31]);
        v /= 31;
    }
    if (!individual) org[0] = 'M';
    std::string first17 = body + org;
    b.uscc = first17 + UsccCheckCharacter(first17);
    if (kind == "food_producer") {
        b.licence_no = "SC" + Digits(rng_, 3) + "511902" + Digits(rng_, 5);
    } else if (registry::KindAllowsRegistrationNumber(kind)) {
        b.licence_no = rng_() % 3 == 0 ? "" : "巴州登记" + Digits(rng_, 6);
    } else {
        char cat = kind.find("canteen") != std::string::npos ? '3' : kind == "food_retail" || kind == "special_food_retail" ? '1' : '2';
        b.licence_no = std::string("JY") + cat + "511902" + Digits(rng_, 7);
    }
    // Bazhou lies around 106.77°E, 31.86°N; spread businesses over ~40 km.
    // Five decimals (about 1 m), as a GPS reading would be recorded.
    b.lng = static_cast<double>(10655000 + rng_() % 45000) / 100000.0;
    b.lat = static_cast<double>(3165000 + rng_() % 40000) / 100000.0;
    int s = static_cast<int>(rng_() % 100);
    b.status = s < 90 ? "营业" : s < 96 ? "停业" : "注销";
    int g = static_cast<int>(rng_() % 100);
    b.risk_grade = g < 35 ? "A" : g < 75 ? "B" : g < 92 ? "C" : g < 96 ? "D" : "";
    b.people.push_back({"法定代表人", owner, IdNumber(), Phone()});
    if (!individual) b.people.push_back({"主要负责人", PersonName(), IdNumber(), Phone()});
    if (!individual && rng_() % 2) b.people.push_back({"食品安全总监", PersonName(), IdNumber(), Phone()});
    b.people.push_back({"食品安全员", PersonName(), IdNumber(), Phone()});
    if (kind == "online_catering" || (kind == "catering" && rng_() % 3 == 0)) b.tags.push_back("入网餐饮");
    if (kind.find("canteen") != std::string::npos || rng_() % 4 == 0) b.tags.push_back("明厨亮灶");
    if (kind == "school_canteen" || kind == "kindergarten_canteen") b.tags.push_back("校园食品安全");
    b.version = 1;
    b.created_at = b.updated_at = now - static_cast<TimeMs>(rng_() % (365ull * 24 * 3600 * 1000));
    return b;
}

namespace {

Result<std::vector<places::Region>> LoadPlaces(storage::Store& store) {
    SHIAN_ASSIGN_OR_RETURN(auto roots, store.regions().Roots());
    if (roots.empty()) return Error::NotFound("数据库中没有区划，请先运行 shian migrate");
    std::vector<places::Region> all;
    std::vector<places::Region> frontier = roots;
    while (!frontier.empty()) {
        std::vector<places::Region> next;
        for (const auto& r : frontier) {
            SHIAN_ASSIGN_OR_RETURN(auto kids, store.regions().Children(r.code));
            for (auto& k : kids) {
                all.push_back(k);
                next.push_back(std::move(k));
            }
        }
        frontier = std::move(next);
    }
    return all;
}

Status InsertGenerated(storage::Store& store, BusinessGenerator& gen, int64_t first, int64_t count, TimeMs now) {
    return storage::InTransaction(store, [&]() -> Status {
        std::vector<registry::Business> batch;
        batch.reserve(static_cast<size_t>(count));
        for (int64_t i = 0; i < count; ++i) batch.push_back(gen.Next(first + i, now));
        SHIAN_TRY(store.businesses().Save(&batch));
        std::vector<registry::HistoryRecord> history;
        history.reserve(batch.size() * 2);
        for (const auto& b : batch) {
            history.push_back({b.id, registry::HistoryField::kStatus, {b.status, "新登记", b.created_at, "demo"}});
            if (!b.risk_grade.empty()) {
                history.push_back(
                    {b.id, registry::HistoryField::kRiskGrade, {b.risk_grade, "年度风险分级评定", b.created_at, "demo"}});
            }
        }
        return store.businesses().AppendHistory(history);
    });
}

}  // namespace

Status CreateDemo(storage::Connection& conn, const Clock& clock, const DemoOptions& options, std::ostream& log) {
    auto store = storage::MakeSqlStore(&conn);
    registry::BusinessFilter all;
    all.scope.all = true;
    SHIAN_ASSIGN_OR_RETURN(auto existing, store->businesses().List(all, true));
    if (existing.total > 0) return Error::Conflict("数据库中已有主体，演示数据只能写入新数据库");
    SHIAN_ASSIGN_OR_RETURN(auto places, LoadPlaces(*store));
    BusinessGenerator gen(options.seed, places);
    TimeMs now = clock.NowMs();
    SHIAN_TRY(InsertGenerated(*store, gen, 1, options.businesses, now));

    // One user per role; the township ones in 东城街道 and 西城街道.
    struct DemoUser {
        const char* username;
        const char* display_name;
        const char* role;
        const char* region;
    };
    SHIAN_ASSIGN_OR_RETURN(auto roots, store->regions().Roots());
    std::string county = roots.front().code;
    std::string town1 = county + "001", town2 = county + "002";
    const DemoUser users[] = {
        {"admin", "系统管理员", "admin", ""},        {"office", "区食安办 陈敏", "office", ""},
        {"inspector", "东城所 李强", "inspector", "1"}, {"inspector2", "西城所 王芳", "inspector", "2"},
        {"cadre", "东城街道 包保干部 刘洋", "cadre", "1"}, {"business", "企业账号", "business", "1"},
        {"public", "公众用户", "public", ""}};
    // Business account: the first business of 东城街道.
    registry::BusinessFilter town_filter;
    town_filter.scope.all = true;
    SHIAN_ASSIGN_OR_RETURN(auto town_region, store->regions().Find(town1));
    if (!town_region) return Error::NotFound("演示县缺少乡镇 " + town1);
    town_filter.region_path = town_region->path;
    town_filter.sort = registry::BusinessSort::kNameAsc;
    town_filter.page_size = 1;
    SHIAN_ASSIGN_OR_RETURN(auto first, store->businesses().List(town_filter, false));

    class OneStore final : public storage::StoreProvider {
    public:
        explicit OneStore(storage::Connection* c) : c_(c) {}
        Result<std::unique_ptr<storage::Store>> Open() override { return storage::MakeSqlStore(c_); }

    private:
        storage::Connection* c_;
    } provider(&conn);
    access::UserService users_service(&provider, &clock);
    access::Principal system = access::SystemPrincipal();
    for (const DemoUser& u : users) {
        access::UserInput in;
        in.username = u.username;
        in.password = options.password;
        in.display_name = u.display_name;
        in.role = u.role;
        in.region_code = std::string(u.region) == "1" ? town1 : std::string(u.region) == "2" ? town2 : county;
        if (std::string(u.role) == "business" && !first.items.empty()) {
            in.business_id = std::optional<int64_t>(first.items.front().id);
        }
        SHIAN_TRY(users_service.Create(system, in));
    }
    log << "demo county " << roots.front().name << " (" << county << "): " << options.businesses
        << " businesses in " << places.size() << " places\n"
        << "logins (password " << options.password << "):\n"
        << "  admin       系统管理员 (全区)\n"
        << "  office      食安办 (全区)\n"
        << "  inspector   监管所检查员 (东城街道)\n"
        << "  inspector2  监管所检查员 (西城街道)\n"
        << "  cadre       包保干部 (东城街道)\n"
        << "  business    企业账号 (" << (first.items.empty() ? "" : first.items.front().name) << ")\n"
        << "  public      公众\n";
    return Ok();
}

Status CreateBenchData(storage::Connection& conn, const Clock& clock, uint64_t seed, int64_t count,
                       std::ostream& log) {
    auto store = storage::MakeSqlStore(&conn);
    SHIAN_ASSIGN_OR_RETURN(auto places, LoadPlaces(*store));
    registry::BusinessFilter all;
    all.scope.all = true;
    SHIAN_ASSIGN_OR_RETURN(auto existing, store->businesses().List(all, true));
    BusinessGenerator gen(seed, places);
    TimeMs now = clock.NowMs();
    auto start = std::chrono::steady_clock::now();
    constexpr int64_t kBatch = 20'000;
    for (int64_t done = 0; done < count; done += kBatch) {
        int64_t n = std::min(kBatch, count - done);
        SHIAN_TRY(InsertGenerated(*store, gen, existing.total + done + 1'000'000, n, now));
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        log << "  " << done + n << " businesses, " << static_cast<int64_t>((done + n) / secs) << " rows/s\n";
    }
    // As after a county's first import (BusinessRepository::ExpectInserts): one search index
    // segment, not one per batch's merge level.
    return store->businesses().CompactSearchIndex();
}

}  // namespace shian::app
