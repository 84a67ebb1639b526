// business.people is a stored format: what EncodePeople wrote — by this version or an older one —
// must read back whole, and anything else must read as no people rather than as half of them.
#include "shian/storage/people_codec.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace shian::storage {
namespace {

using registry::Person;
using People = std::vector<Person>;

TEST(PeopleCodecTest, WhatIsEncodedReadsBackWhole) {
    const People cases[] = {
        {},
        {{"法定代表人", "王大锤", "511902198001010016", "13800000000"}},
        {{"法定代表人", "王“大”锤", "", ""}, {"食品安全员", "李四", "51190219900307002X", "0827-5261234"}},
        // What JSON escapes: quotes, backslashes, control characters; and what it need not.
        {{"role \"quoted\"", "back\\slash / slash", "tab\tnew\nline\rcr", "\b\f\x01\x1f"}},
        {{"食品安全总监", "𠮷野家 😀", "é", ""}},
        {{"", "", "", ""}},
    };
    for (const auto& people : cases) {
        std::string stored = EncodePeople(people);
        EXPECT_EQ(DecodePeople(stored), people) << stored;
    }
}

TEST(PeopleCodecTest, ReadsAnyJsonOfTheSameShape) {
    struct Case {
        const char* text;
        People people;
    };
    const Case cases[] = {
        {" [ { \"name\" : \"张三\" , \"role\" : \"法定代表人\" } ] ", {{"法定代表人", "张三", "", ""}}},
        {"[{\"phone\":\"1\",\"extra\":\"ignored\"},{}]", {{"", "", "", "1"}, {}}},
        // \u escapes, a surrogate pair among them, in either case of hex digits.
        {"[{\"name\":\"\\u5F20\\u4e09\\ud842\\udfb7\\/\"}]", {{"", "张三𠮷/", "", ""}}},
        {"[]", {}},
    };
    for (const auto& c : cases) EXPECT_EQ(DecodePeople(c.text), c.people) << c.text;
}

TEST(PeopleCodecTest, AnythingElseIsNoPeople) {
    const char* cases[] = {
        "",
        "null",
        "{}",
        "[",
        "[{]",
        "[{\"name\":\"张三\"}",
        "[{\"name\":\"张三\"}] trailing",
        "[{\"name\":\"张三\"},]",
        "[{\"name\":1}]",
        "[{\"name\":null}]",
        "[{\"name\":\"unterminated}]",
        "[{\"name\":\"bad escape \\x\"}]",
        "[{\"name\":\"\\u12\"}]",
        "[{\"name\":\"\\ud842 lone high surrogate\"}]",
        "[{\"name\":\"\\udfb7 lone low surrogate\"}]",
        "[[\"nested\"]]",
        "[\"not an object\"]",
        "[{\"name\":\"a\"}][]",
    };
    for (const char* text : cases) EXPECT_EQ(DecodePeople(text), People{}) << text;
}

TEST(PeopleCodecTest, ReadsAsTheJsonLibraryDoes) {
    // The escapes the library writes for every control character and a few others.
    std::string all;
    for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
    People people = {{all, "名", all, "电话"}};
    nlohmann::json arr = nlohmann::json::array(
        {{{"role", all}, {"name", "名"}, {"id_number", all}, {"phone", "电话"}}});
    EXPECT_EQ(DecodePeople(arr.dump()), people);
    EXPECT_EQ(DecodePeople(arr.dump(2)), people);  // indented
    EXPECT_EQ(DecodePeople(arr.dump(-1, ' ', true)), people);  // every non-ASCII character as \u
}

}  // namespace
}  // namespace shian::storage
