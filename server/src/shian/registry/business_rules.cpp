#include "shian/registry/business_rules.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "shian/core/identifiers.hpp"
#include "shian/core/text.hpp"

namespace shian::registry {

const std::vector<std::string>& BusinessStatuses() {
    static const std::vector<std::string> k = {"营业", "停业", "注销"};
    return k;
}

const std::vector<std::string>& RiskGrades() {
    static const std::vector<std::string> k = {"A", "B", "C", "D"};
    return k;
}

const std::vector<std::string>& PersonRoles() {
    static const std::vector<std::string> k = {"法定代表人", "主要负责人", "食品安全总监", "食品安全员"};
    return k;
}

const std::vector<Kind>& BuiltinKinds() {
    static const std::vector<Kind> k = {
        {"food_producer", "食品生产企业", true, 1},
        {"small_workshop", "食品生产小作坊", true, 2},
        {"food_retail", "食品销售", true, 3},
        {"catering", "餐饮服务", true, 4},
        {"small_catering", "小餐饮", true, 5},
        {"unit_canteen", "单位食堂", true, 6},
        {"school_canteen", "学校食堂", true, 7},
        {"kindergarten_canteen", "托幼机构食堂", true, 8},
        {"elderly_canteen", "养老机构食堂", true, 9},
        {"meal_distribution", "集体用餐配送", true, 10},
        {"central_kitchen", "中央厨房", true, 11},
        {"farmers_market", "农贸市场", true, 12},
        {"online_catering", "网络餐饮", true, 13},
        {"special_food_retail", "特殊食品销售", true, 14},
        {"food_vendor", "食品摊贩", true, 15},
    };
    return k;
}

bool KindAllowsRegistrationNumber(std::string_view kind) {
    // "三小": 小作坊, 小餐饮, 小摊贩 register with local 登记证/备案 (domain.md §3); farmers'
    // markets are registered as market operators and carry no food licence.
    return kind == "small_workshop" || kind == "small_catering" || kind == "food_vendor" ||
           kind == "farmers_market";
}

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

std::vector<Error> BusinessErrors(const Business& b, const std::vector<Kind>& kinds) {
    std::vector<Error> errors;
    auto add = [&](const Status& st) {
        if (!st.ok()) errors.push_back(st.error());
    };
    add(CheckLine(b.name, "name", "主体名称", kMaxNameChars, true));
    if (!b.uscc.empty()) add(CheckUscc(b.uscc, "uscc"));
    bool kind_known = std::any_of(kinds.begin(), kinds.end(),
                                  [&](const Kind& k) { return k.code == b.kind; });
    if (b.kind.empty()) {
        errors.push_back(Error::Invalid("kind", "主体业态不能为空"));
    } else if (!kind_known) {
        errors.push_back(Error::Invalid("kind", "未知的主体业态：" + b.kind));
    }
    Status licence = CheckLine(b.licence_no, "licence_no", "许可证编号", 30, false);
    if (licence.ok()) {
        auto kind = CheckLicenceNo(b.licence_no, KindAllowsRegistrationNumber(b.kind), "licence_no");
        if (!kind.ok()) licence = kind.error();
    }
    add(licence);
    if (b.uscc.empty() && b.licence_no.empty() && !KindAllowsRegistrationNumber(b.kind)) {
        errors.push_back(Error::Invalid("uscc", "统一社会信用代码和许可证编号不能都为空"));
    }
    add(CheckLine(b.address, "address", "经营地址", kMaxAddressChars, false));
    if (b.lng.has_value() != b.lat.has_value()) {
        errors.push_back(Error::Invalid(b.lng ? "lat" : "lng", "经度和纬度须同时填写"));
    }
    // China's extent: longitude 73°–136° E, latitude 3°–54° N.
    if (b.lng && (!std::isfinite(*b.lng) || *b.lng < 73 || *b.lng > 136)) {
        errors.push_back(Error::Invalid("lng", "经度应在73至136之间（中国境内）"));
    }
    if (b.lat && (!std::isfinite(*b.lat) || *b.lat < 3 || *b.lat > 54)) {
        errors.push_back(Error::Invalid("lat", "纬度应在3至54之间（中国境内）"));
    }
    if (!Contains(BusinessStatuses(), b.status)) {
        errors.push_back(Error::Invalid("status", "经营状态应为 营业、停业 或 注销"));
    }
    if (!b.risk_grade.empty() && !Contains(RiskGrades(), b.risk_grade)) {
        errors.push_back(Error::Invalid("risk_grade", "风险等级应为 A、B、C、D 之一"));
    }
    if (b.people.size() > kMaxPeople) errors.push_back(Error::Invalid("people", "人员不能超过20人"));
    for (size_t i = 0; i < b.people.size() && i < kMaxPeople; ++i) {
        const Person& p = b.people[i];
        std::string prefix = "people[" + std::to_string(i) + "].";
        if (!Contains(PersonRoles(), p.role)) {
            errors.push_back(Error::Invalid(
                prefix + "role", "人员角色应为 法定代表人、主要负责人、食品安全总监 或 食品安全员"));
        }
        add(CheckLine(p.name, prefix + "name", (Contains(PersonRoles(), p.role) ? p.role : "人员") + "姓名",
                      30, true));
        if (!p.id_number.empty()) add(CheckIdNumber(p.id_number, prefix + "id_number"));
        if (!p.phone.empty()) add(CheckPhone(p.phone, prefix + "phone"));
    }
    if (b.tags.size() > kMaxTags) errors.push_back(Error::Invalid("tags", "标签不能超过20个"));
    std::set<std::string> seen;
    for (const auto& t : b.tags) {
        Status st = CheckLine(t, "tags", "标签", kMaxTagChars, true);
        if (st.ok() && t.find('|') != std::string::npos) st = Error::Invalid("tags", "标签不能包含 | 字符");
        if (st.ok() && !seen.insert(t).second) st = Error::Invalid("tags", "标签重复：" + t);
        if (!st.ok()) {
            errors.push_back(st.error());
            break;
        }
    }
    return errors;
}

Status ValidateBusiness(const Business& b, const std::vector<Kind>& kinds) {
    auto errors = BusinessErrors(b, kinds);
    if (errors.empty()) return Ok();
    return errors.front();
}

bool SameContent(const Business& a, const Business& b) {
    return a.name == b.name && a.uscc == b.uscc && a.licence_no == b.licence_no && a.kind == b.kind &&
           a.region_code == b.region_code && a.region_path == b.region_path && a.address == b.address &&
           a.lng == b.lng && a.lat == b.lat && a.status == b.status && a.risk_grade == b.risk_grade &&
           a.people == b.people && a.tags == b.tags;
}

std::string KindCodeForLabel(std::string_view label) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a 64
    for (unsigned char c : label) {
        h ^= c;
        h *= 1099511628211ull;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string code = "k";
    for (int i = 0; i < 10; ++i) code.push_back(kHex[(h >> (i * 4)) & 15]);
    return code;
}

void DeidentifyPeople(Business* b) {
    for (Person& p : b->people) {
        p.id_number = MaskIdNumber(p.id_number);
        p.phone = MaskPhone(p.phone);
    }
}

}  // namespace shian::registry
