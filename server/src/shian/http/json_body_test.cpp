// Tests of strict JSON body reading: shape, unknown keys, types, nesting, encoding.
#include "shian/http/json_body.hpp"

#include <gtest/gtest.h>

namespace shian::http {
namespace {

TEST(JsonBodyTest, RejectsWhatIsNotAnObject) {
    for (const char* text : {"", "[]", "1", "\"x\"", "{", "{\"a\":}", "null"}) {
        auto r = JsonBody::Parse(text, {"a"});
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << text;
    }
}

TEST(JsonBodyTest, UnknownKeyIsNamed) {
    auto r = JsonBody::Parse(R"({"name":"x","password":"y"})", {"name"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "password");
}

TEST(JsonBodyTest, DeepNestingIsRefusedBeforeParsing) {
    std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    auto r = JsonBody::Parse(deep, {"a"});
    ASSERT_FALSE(r.ok());
    // Brackets inside strings do not count.
    auto ok = JsonBody::Parse("{\"a\":\"" + std::string(1000, '[') + "\"}", {"a"});
    EXPECT_TRUE(ok.ok());
}

TEST(JsonBodyTest, InvalidUtf8IsRefused) {
    EXPECT_FALSE(JsonBody::Parse("{\"a\":\"\xff\"}", {"a"}).ok());
}

TEST(JsonBodyTest, TypedGettersNameTheField) {
    auto body = JsonBody::Parse(R"({"s":1,"n":"1.5","i":1.5,"b":"true","arr":[1],"nul":null})",
                                {"s", "n", "i", "b", "arr", "nul"});
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(body->String("s", "名称").error().field, "s");
    EXPECT_EQ(body->NullableNumber("n", "经度").error().field, "n");
    EXPECT_EQ(body->Integer("i", "版本").error().field, "i");
    EXPECT_EQ(body->Bool("b", "停用").error().field, "b");
    EXPECT_EQ(body->StringArray("arr", "标签", 10).error().field, "arr");
    auto nul = body->NullableNumber("nul", "经度");
    ASSERT_TRUE(nul.ok());
    ASSERT_TRUE(nul->has_value());
    EXPECT_FALSE(nul->value().has_value());  // present and null: clears the value
    auto absent = body->String("missing", "x");
    ASSERT_TRUE(absent.ok());
    EXPECT_FALSE(absent->has_value());
}

TEST(JsonBodyTest, ArrayLimit) {
    auto body = JsonBody::Parse(R"({"tags":["a","b","c"]})", {"tags"});
    ASSERT_TRUE(body.ok());
    EXPECT_FALSE(body->StringArray("tags", "标签", 2).ok());
    EXPECT_EQ(body->StringArray("tags", "标签", 3)->value().size(), 3u);
}

}  // namespace
}  // namespace shian::http
