#include "shian/core/identifiers.hpp"

#include <cctype>
#include <cstring>
#include <ctime>

#include "shian/core/text.hpp"

namespace shian {
namespace {

// GB 32100-2015 Table 1: the 31 code characters; the index is the character's value.
constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int UsccValue(char c) {
    auto pos = kUsccAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool IsDigits(std::string_view s) {
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return !s.empty();
}

}  // namespace

char UsccCheckCharacter(std::string_view first17) {
    if (first17.size() != 17) return '\0';
    int sum = 0;
    int weight = 1;  // 3^0 mod 31
    for (char c : first17) {
        int v = UsccValue(c);
        if (v < 0) return '\0';
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    int check = 31 - sum % 31;
    if (check == 31) check = 0;
    return kUsccAlphabet[check];
}

Status CheckUscc(std::string_view uscc, std::string_view field) {
    std::string f(field);
    if (uscc.size() != 18) return Error::Invalid(f, "统一社会信用代码应为18位");
    for (size_t i = 0; i < uscc.size(); ++i) {
        if (UsccValue(uscc[i]) < 0) {
            return Error::Invalid(
                f, "统一社会信用代码第" + std::to_string(i + 1) +
                       "位字符无效（只能是数字和除 I、O、Z、S、V 以外的大写字母）");
        }
    }
    // Digits 3–8 are the administrative division code of the registering authority.
    if (!IsDigits(uscc.substr(2, 6))) {
        return Error::Invalid(f, "统一社会信用代码第3至8位应为行政区划代码（数字）");
    }
    char expected = UsccCheckCharacter(uscc.substr(0, 17));
    if (uscc[17] != expected) {
        return Error::Invalid(f, "统一社会信用代码校验位错误（第18位应为 " +
                                     std::string(1, expected) + "）");
    }
    return Ok();
}

char IdNumberCheckCharacter(std::string_view first17) {
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char kChecks[] = "10X98765432";
    if (first17.size() != 17 || !IsDigits(first17)) return '\0';
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return kChecks[sum % 11];
}

Status CheckIdNumber(std::string_view id, std::string_view field) {
    std::string f(field);
    if (id.size() != 18) return Error::Invalid(f, "身份证号应为18位");
    if (!IsDigits(id.substr(0, 17))) return Error::Invalid(f, "身份证号前17位应为数字");
    int year = std::stoi(std::string(id.substr(6, 4)));
    int month = std::stoi(std::string(id.substr(10, 2)));
    int day = std::stoi(std::string(id.substr(12, 2)));
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 ||
        day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) {
        return Error::Invalid(f, "身份证号中的出生日期无效");
    }
    char check = id[17] == 'x' ? 'X' : id[17];
    char expected = IdNumberCheckCharacter(id.substr(0, 17));
    if (check != expected) {
        return Error::Invalid(f, "身份证号校验位错误（第18位应为 " + std::string(1, expected) + "）");
    }
    return Ok();
}

Result<LicenceKind> CheckLicenceNo(std::string_view licence, bool allow_registration,
                                   std::string_view field) {
    std::string f(field);
    if (licence.empty()) return LicenceKind::kNone;
    if (licence.size() == 16 && (licence.substr(0, 2) == "JY" || licence.substr(0, 2) == "SC")) {
        if (!IsDigits(licence.substr(2))) {
            return Error::Invalid(f, "许可证编号应为 JY 或 SC 加14位数字");
        }
        return licence[0] == 'J' ? LicenceKind::kOperation : LicenceKind::kProduction;
    }
    if (licence.substr(0, 2) == "JY" || licence.substr(0, 2) == "SC") {
        return Error::Invalid(f, "许可证编号应为 JY 或 SC 加14位数字");
    }
    if (allow_registration) {
        if (!IsValidUtf8(licence)) return Error::Invalid(f, "登记证/备案编号包含无效字符");
        size_t chars = Utf8Length(licence);
        bool ok = chars >= 4 && chars <= 30;
        for (unsigned char c : licence) {
            if (c < 0x80 && !std::isalnum(c) && c != '-') ok = false;
        }
        if (ok) return LicenceKind::kRegistration;
        return Error::Invalid(f, "登记证/备案编号应为4至30位字母、数字、汉字或连字符");
    }
    return Error::Invalid(f, "许可证编号应为 JY 或 SC 加14位数字");
}

Status CheckPhone(std::string_view phone, std::string_view field) {
    std::string f(field);
    if (phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && IsDigits(phone)) return Ok();
    // Landline: 0 + 2–3 digit area code, optional '-', 7–8 digits, optional '-' extension.
    if (!phone.empty() && phone[0] == '0') {
        std::string digits;
        int dashes = 0;
        for (char c : phone) {
            if (c == '-') {
                ++dashes;
            } else if (c >= '0' && c <= '9') {
                digits.push_back(c);
            } else {
                digits.clear();
                break;
            }
        }
        if (dashes <= 2 && digits.size() >= 10 && digits.size() <= 16) return Ok();
    }
    return Error::Invalid(f, "联系电话格式不正确（手机号11位，座机请带区号）");
}

namespace {

// Stars every digit or letter between the first `front` and the last `back` of them.
std::string MaskBetween(std::string_view value, size_t front, size_t back) {
    size_t chars = 0;
    for (char c : value) {
        if (static_cast<unsigned char>(c) >= 0x80) return std::string(6, '*');
        if (c != '-') ++chars;
    }
    if (chars <= front + back) return std::string(value.empty() ? 0 : 6, '*');
    std::string out(value);
    size_t seen = 0;
    for (char& c : out) {
        if (c == '-') continue;
        if (seen >= front && seen < chars - back) c = '*';
        ++seen;
    }
    return out;
}

}  // namespace

std::string MaskIdNumber(std::string_view id) { return MaskBetween(id, 4, 4); }

std::string MaskPhone(std::string_view phone) {
    if (!phone.empty() && phone[0] == '0') {
        // A landline keeps its area code: up to its dash, else 0 + three digits.
        size_t dash = phone.find('-');
        size_t area = dash != std::string_view::npos && dash <= 4 ? dash : 4;
        return MaskBetween(phone, area, 4);
    }
    return MaskBetween(phone, 3, 4);
}

}  // namespace shian
