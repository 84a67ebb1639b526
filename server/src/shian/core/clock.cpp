#include "shian/core/clock.hpp"

#include <chrono>

namespace shian {

std::string FormatIsoUtc(TimeMs ms) {
    // The calendar arithmetic of <chrono>: gmtime_r and strftime (which consults the locale)
    // were ~1 % of a list page's CPU, two timestamps a business (perf, session 12).
    using namespace std::chrono;
    if (ms == 0) return {};
    const sys_seconds at = floor<seconds>(sys_time<milliseconds>(milliseconds(ms)));
    const sys_days day = floor<days>(at);
    const year_month_day date(day);
    const hh_mm_ss time(at - day);
    const int y = static_cast<int>(date.year());
    if (y < 0 || y > 9999) return {};  // not a time this system stores
    char buf[] = "0000-00-00T00:00:00Z";
    auto put = [&buf](size_t pos, size_t width, unsigned value) {
        for (size_t i = pos + width; i > pos; value /= 10) buf[--i] = static_cast<char>('0' + value % 10);
    };
    put(0, 4, static_cast<unsigned>(y));
    put(5, 2, static_cast<unsigned>(date.month()));
    put(8, 2, static_cast<unsigned>(date.day()));
    put(11, 2, static_cast<unsigned>(time.hours().count()));
    put(14, 2, static_cast<unsigned>(time.minutes().count()));
    put(17, 2, static_cast<unsigned>(time.seconds().count()));
    return std::string(buf, sizeof buf - 1);
}

namespace {

// The number in text[pos, pos + len), all digits, or -1.
int Digits(std::string_view text, size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

}  // namespace

bool ParseIsoUtc(std::string_view text, TimeMs* out) {
    // YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional Z.
    bool date_only = text.size() == 10;
    bool full = text.size() == 19 || (text.size() == 20 && text.back() == 'Z');
    if (!date_only && !full) return false;
    if (text[4] != '-' || text[7] != '-') return false;
    if (full && (text[10] != 'T' || text[13] != ':' || text[16] != ':')) return false;
    int y = Digits(text, 0, 4), mo = Digits(text, 5, 2), d = Digits(text, 8, 2);
    int h = full ? Digits(text, 11, 2) : 0, mi = full ? Digits(text, 14, 2) : 0, s = full ? Digits(text, 17, 2) : 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
        return false;
    }
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return false;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    *out = static_cast<TimeMs>(timegm(&tm)) * 1000;
    return true;
}

}  // namespace shian
