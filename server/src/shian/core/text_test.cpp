// SplitNonEmpty: how place paths ("/511902/511902001/") and stored tag lists ("a|b") are read.
#include "shian/core/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shian {
namespace {

TEST(TextTest, SplitNonEmptySkipsEmptyPieces) {
    struct Case {
        const char* text;
        char separator;
        std::vector<std::string> pieces;
    };
    const Case cases[] = {
        {"/511902/511902001/", '/', {"511902", "511902001"}},
        {"/a//b", '/', {"a", "b"}},
        {"", '/', {}},
        {"///", '/', {}},
        {"入网餐饮|明厨亮灶", '|', {"入网餐饮", "明厨亮灶"}},
        {"单个", '|', {"单个"}},
    };
    for (const Case& c : cases) EXPECT_EQ(SplitNonEmpty(c.text, c.separator), c.pieces) << c.text;
}

}  // namespace
}  // namespace shian
