// Implements xlsx_values.hpp.
#include "shian/io/xlsx_values.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "shian/io/xml_pull.hpp"

namespace shian::io {
namespace {

constexpr size_t kExcelPrecision = 15;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char ToLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Parses "_xHHHH_" at text[pos]; -1 when there is none.
int32_t ParseEscape(std::string_view text, size_t pos) {
    if (pos + 7 > text.size() || text[pos] != '_' || text[pos + 1] != 'x' || text[pos + 6] != '_') {
        return -1;
    }
    int32_t value = 0;
    for (size_t i = pos + 2; i < pos + 6; ++i) {
        const int digit = HexValue(text[i]);
        if (digit < 0) return -1;
        value = value * 16 + digit;
    }
    return value;
}

}  // namespace

std::string FormatXlsxNumber(std::string_view raw) {
    size_t i = 0;
    bool negative = false;
    if (i < raw.size() && (raw[i] == '-' || raw[i] == '+')) {
        negative = raw[i] == '-';
        ++i;
    }
    std::string digits;
    while (i < raw.size() && IsDigit(raw[i])) digits.push_back(raw[i++]);
    int64_t point = static_cast<int64_t>(digits.size());
    if (i < raw.size() && raw[i] == '.') {
        ++i;
        while (i < raw.size() && IsDigit(raw[i])) digits.push_back(raw[i++]);
    }
    if (digits.empty()) return std::string(raw);
    if (i < raw.size() && (raw[i] == 'e' || raw[i] == 'E')) {
        ++i;
        bool exponent_negative = false;
        if (i < raw.size() && (raw[i] == '-' || raw[i] == '+')) {
            exponent_negative = raw[i] == '-';
            ++i;
        }
        const size_t exponent_start = i;
        int64_t exponent = 0;
        while (i < raw.size() && IsDigit(raw[i]) && i - exponent_start < 6) {
            exponent = exponent * 10 + (raw[i++] - '0');
        }
        if (i == exponent_start) return std::string(raw);
        point += exponent_negative ? -exponent : exponent;
    }
    if (i != raw.size()) return std::string(raw);

    // value = 0.<digits> * 10^point
    const size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return "0";
    digits.erase(0, first);
    point -= static_cast<int64_t>(first);
    if (digits.size() > kExcelPrecision) {
        const bool round_up = digits[kExcelPrecision] >= '5';
        digits.resize(kExcelPrecision);
        if (round_up) {
            size_t j = kExcelPrecision;
            while (j > 0 && digits[j - 1] == '9') digits[--j] = '0';
            if (j == 0) {
                digits.insert(digits.begin(), '1');
                ++point;
            } else {
                ++digits[j - 1];
            }
        }
    }
    digits.erase(digits.find_last_not_of('0') + 1);
    if (point > 21 || point < -20) return std::string(raw);

    std::string out;
    if (negative) out.push_back('-');
    const auto count = static_cast<int64_t>(digits.size());
    if (point <= 0) {
        out.append("0.");
        out.append(static_cast<size_t>(-point), '0');
        out.append(digits);
    } else if (point >= count) {
        out.append(digits);
        out.append(static_cast<size_t>(point - count), '0');
    } else {
        out.append(digits, 0, static_cast<size_t>(point));
        out.push_back('.');
        out.append(digits, static_cast<size_t>(point), std::string::npos);
    }
    return out;
}

std::optional<std::string> FormatExcelSerialDate(double serial, bool date1904) {
    // 2958466 is 10000-01-01 in the 1900 system, past Excel's last date.
    if (!std::isfinite(serial) || serial < 0 || serial >= 2958466) return std::nullopt;
    auto days = static_cast<int64_t>(std::floor(serial));
    auto seconds = static_cast<int64_t>(std::llround((serial - static_cast<double>(days)) * 86400));
    if (seconds >= 86400) {
        ++days;
        seconds -= 86400;
    }
    char time_text[16];
    std::snprintf(time_text, sizeof time_text, "%02d:%02d:%02d", static_cast<int>(seconds / 3600),
                  static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
    if (!date1904 && days == 0) return std::string(time_text);

    int64_t year;
    unsigned month;
    unsigned day;
    if (date1904) {
        CivilFromDays(DaysFromCivil(1904, 1, 1) + days, &year, &month, &day);
    } else if (days == 60) {
        // Excel keeps Lotus 1-2-3's nonexistent 1900-02-29.
        year = 1900;
        month = 2;
        day = 29;
    } else {
        const int64_t epoch = days < 60 ? DaysFromCivil(1899, 12, 31) : DaysFromCivil(1899, 12, 30);
        CivilFromDays(epoch + days, &year, &month, &day);
    }
    char date_text[32];
    std::snprintf(date_text, sizeof date_text, "%04d-%02u-%02u", static_cast<int>(year), month,
                  day);
    std::string out(date_text);
    if (seconds != 0) {
        out.push_back(' ');
        out.append(time_text);
    }
    return out;
}

bool IsDateFormatCode(std::string_view code) {
    for (size_t i = 0; i < code.size(); ++i) {
        const char c = ToLower(code[i]);
        if (c == '"') {
            const size_t close = code.find('"', i + 1);
            if (close == std::string_view::npos) return false;
            i = close;
        } else if (c == '\\' || c == '_' || c == '*') {
            ++i;
        } else if (c == '[') {
            const size_t close = code.find(']', i + 1);
            if (close == std::string_view::npos) return false;
            const std::string_view inside = code.substr(i + 1, close - i - 1);
            if (!inside.empty()) {
                const char first = ToLower(inside.front());
                bool elapsed = first == 'h' || first == 'm' || first == 's';
                for (char ch : inside) elapsed = elapsed && ToLower(ch) == first;
                if (elapsed) return true;
            }
            i = close;
        } else if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's') {
            return true;
        }
    }
    return false;
}

bool IsBuiltinDateFormat(int id) {
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

std::string UnescapeOoxml(std::string_view text) {
    if (text.find("_x") == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        const int32_t unit = ParseEscape(text, pos);
        if (unit < 0) {
            out.push_back(text[pos++]);
            continue;
        }
        pos += 7;
        auto code_point = static_cast<char32_t>(unit);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            const int32_t low = ParseEscape(text, pos);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                code_point = 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) +
                             (static_cast<char32_t>(low) - 0xDC00);
                pos += 7;
            }
        }
        if (code_point == 0 || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
            code_point = 0xFFFD;
        }
        AppendUtf8(code_point, &out);
    }
    return out;
}

std::string EscapeOoxmlLiteral(std::string_view text) {
    if (text.find("_x") == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    for (size_t pos = 0; pos < text.size(); ++pos) {
        if (ParseEscape(text, pos) >= 0) out.append("_x005F");
        out.push_back(text[pos]);
    }
    return out;
}

}  // namespace shian::io
