#include "shian/core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace shian {

std::string FormatIsoUtc(TimeMs ms) {
    if (ms == 0) return {};
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool ParseIsoUtc(std::string_view text, TimeMs* out) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    std::string t(text);
    int n = std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
    bool date_only = n == 3 && t.size() == 10;
    bool full = n == 6 && (t.size() == 19 || (t.size() == 20 && t.back() == 'Z'));
    if (!date_only && !full) return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970) return false;
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
