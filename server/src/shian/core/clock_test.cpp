#include "shian/core/clock.hpp"

#include <gtest/gtest.h>

namespace shian {
namespace {

TEST(ParseIsoUtc, AcceptsDatesAndUtcTimes) {
    struct Case {
        const char* text;
        TimeMs expected;
    };
    const Case cases[] = {
        {"1970-01-01", 0},
        {"2026-11-25", 1'795'564'800'000},
        {"2026-11-25T08:30:00", 1'795'595'400'000},
        {"2026-11-25T08:30:00Z", 1'795'595'400'000},
        {"2024-02-29", 1'709'164'800'000},  // leap year
        {"2000-02-29", 951'782'400'000},    // divisible by 400: leap
    };
    for (const Case& c : cases) {
        TimeMs got = -1;
        EXPECT_TRUE(ParseIsoUtc(c.text, &got)) << c.text;
        EXPECT_EQ(got, c.expected) << c.text;
        if (c.expected != 0) {
            EXPECT_EQ(FormatIsoUtc(got).substr(0, 10), std::string(c.text).substr(0, 10));
        }
    }
}

TEST(FormatIsoUtc, WritesUtcToTheSecond) {
    struct Case {
        TimeMs ms;
        const char* text;
    };
    const Case cases[] = {
        {0, ""},  // no time
        {1'000, "1970-01-01T00:00:01Z"},
        {999, "1970-01-01T00:00:00Z"},          // milliseconds are dropped
        {-1'000, "1969-12-31T23:59:59Z"},
        {1'795'595'400'000, "2026-11-25T08:30:00Z"},
        {1'709'164'800'000 + 86'399'999, "2024-02-29T23:59:59Z"},  // leap day, its last second
        {4'107'542'400'000, "2100-03-01T00:00:00Z"},               // 2100 is not a leap year
        {253'402'300'799'000, "9999-12-31T23:59:59Z"},
        {253'402'300'800'000, ""},  // year 10000
    };
    for (const Case& c : cases) EXPECT_EQ(FormatIsoUtc(c.ms), c.text) << c.ms;
}

TEST(ParseIsoUtc, RejectsWhatIsNotADayOrTime) {
    for (const char* text : {"", "2026-02-30", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01",
                             "2026-00-10", "2026-11-00", "2026-11-25T24:00:00", "2026-11-25T23:60:00",
                             "2026-11-25T23:59:60", "2026-11-25 08:30:00", "2026-1-25", "2026-+1-25",
                             "2026- 1-25", "1969-12-31", "2026-11-25T08:30:00+08:00", "2026-11-25T08:30",
                             "20261125", "2026-11-25x"}) {
        TimeMs got = 0;
        EXPECT_FALSE(ParseIsoUtc(text, &got)) << text;
    }
}

}  // namespace
}  // namespace shian
