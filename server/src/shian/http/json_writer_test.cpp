// JsonWriter: what it writes reads back with nlohmann as the same values, escaped as Dump does.
#include "shian/http/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "shian/core/text.hpp"
#include "shian/http/views.hpp"

namespace shian::http {
namespace {

TEST(JsonWriterTest, NestedDocumentReadsBack) {
    JsonWriter w;
    w.BeginObject();
    w.Key("n").Int(-9007199254740993);
    w.Key("d").Double(106.7474);
    w.Key("whole").Double(3.0);
    w.Key("t").Bool(true).Key("f").Bool(false).Key("z").Null();
    w.Key("empty").BeginArray().EndArray();
    w.Key("obj").BeginObject().EndObject();
    w.Key("list").BeginArray().Int(1).String("二").BeginObject().Key("k").StringOrNull("").EndObject().EndArray();
    w.EndObject();
    std::string text = w.Take();
    auto doc = nlohmann::json::parse(text);
    EXPECT_EQ(doc["n"].get<int64_t>(), -9007199254740993);
    EXPECT_DOUBLE_EQ(doc["d"].get<double>(), 106.7474);
    EXPECT_DOUBLE_EQ(doc["whole"].get<double>(), 3.0);
    EXPECT_TRUE(doc["t"].get<bool>());
    EXPECT_FALSE(doc["f"].get<bool>());
    EXPECT_TRUE(doc["z"].is_null());
    EXPECT_TRUE(doc["empty"].is_array() && doc["empty"].empty());
    EXPECT_TRUE(doc["obj"].is_object() && doc["obj"].empty());
    EXPECT_EQ(doc["list"].dump(), R"([1,"二",{"k":null}])");
}

TEST(JsonWriterTest, StringsEscapedAsDumpDoes) {
    const std::string cases[] = {
        "", "plain", "引号\"与\\反斜杠", "换行\n回车\r制表\t退格\b换页\f", std::string("nul\0x", 5), "\x01\x1f\x7f",
        "emoji 🍲 and ☆", "'; DROP TABLE business; --", "</script>",
    };
    for (const auto& s : cases) {
        JsonWriter w;
        w.String(s);
        std::string text = w.Take();
        EXPECT_EQ(text, Dump(Json(s))) << s;
        EXPECT_EQ(nlohmann::json::parse(text).get<std::string>(), s);
    }
}

TEST(JsonWriterTest, EveryEscapeIsFoundWhereverItStands) {
    // Quoted skips eight bytes at a time: each character that needs an escape, at every offset
    // within and across those words, among ASCII and three-byte characters.
    const std::string escaped[] = {"\"", "\\", "\n", "\x01", "\x1f", std::string("\0", 1)};
    const std::string fillers[] = {"abcdefghijklmnopq", "食品安全监管所巴州区"};
    for (const auto& filler : fillers) {
        for (const auto& e : escaped) {
            for (size_t at = 0; at <= filler.size(); ++at) {
                std::string s = filler.substr(0, at) + e + filler.substr(at);
                if (!IsValidUtf8(s)) continue;  // `at` split a character
                JsonWriter w;
                w.String(s);
                EXPECT_EQ(w.Take(), Dump(Json(s))) << at;
            }
        }
    }
    // Bytes that only look like them once a borrow runs across the word: 0x20, 0x21, 0x23, 0x5b.
    for (const char* s : {"        ", " !#[ !#[ !#[", "\x20\x21\x22\x23\x5b\x5c\x5d\x7f"}) {
        JsonWriter w;
        w.String(s);
        EXPECT_EQ(w.Take(), Dump(Json(std::string(s)))) << s;
    }
}

TEST(JsonWriterTest, InvalidUtf8IsReplacedNotPassedOn) {
    const std::string bad[] = {"\xff", "ab\xc3", "\xe7\x81", "x\xed\xa0\x80y"};
    for (const auto& s : bad) {
        JsonWriter w;
        w.String(s);
        std::string text = w.Take();
        EXPECT_EQ(text, Dump(Json(s)));
        EXPECT_TRUE(nlohmann::json::accept(text));
    }
}

TEST(JsonWriterTest, NonFiniteNumbersAreNull) {
    JsonWriter w;
    w.BeginArray()
        .Double(std::numeric_limits<double>::infinity())
        .Double(std::nan(""))
        .DoubleOrNull(std::nullopt)
        .DoubleOrNull(1.5)
        .EndArray();
    EXPECT_EQ(w.Take(), "[null,null,null,1.5]");
}

TEST(JsonWriterTest, BusinessDocumentsCarryEveryApiField) {
    registry::BusinessDetail d;
    registry::Business& b = d.business;
    b.id = 7;
    b.version = 3;
    b.name = "老王\"火锅\"";
    b.kind = "catering";
    b.kind_label = "餐饮服务";
    b.region_code = "511902001001";
    b.region_name = "北门社区";
    b.lng = 106.75;
    b.status = "营业";
    b.people = {{"法定代表人", "王某", "", "13800000000"}};
    b.tags = {"明厨亮灶"};
    d.status_history = {{"营业", "新登记", 0, "admin"}};
    d.grade_history = {{"", "取消评级", 0, "admin"}};
    auto doc = nlohmann::ordered_json::parse(BusinessDetailDocument(d));
    std::vector<std::string> keys;
    for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "version", "name", "uscc", "licence_no", "kind", "kind_code",
                                              "kind_label", "region_code", "region_name", "address", "lng", "lat",
                                              "status", "risk_grade", "people", "tags", "created_at", "updated_at",
                                              "status_history", "grade_history"}));
    EXPECT_EQ(doc["name"], "老王\"火锅\"");
    EXPECT_EQ(doc["kind"], "餐饮服务");
    EXPECT_EQ(doc["kind_code"], "catering");
    EXPECT_TRUE(doc["lat"].is_null());
    EXPECT_TRUE(doc["risk_grade"].is_null());
    EXPECT_EQ(doc["people"][0]["phone"], "13800000000");
    EXPECT_EQ(doc["tags"][0], "明厨亮灶");
    EXPECT_EQ(doc["created_at"], "");  // time 0: not set
    EXPECT_TRUE(doc["grade_history"][0]["grade"].is_null());
    EXPECT_EQ(doc["status_history"][0]["by"], "admin");

    registry::BusinessPage page;
    page.items = {b, b};
    page.total = 2001;
    page.total_exact = false;
    auto list = nlohmann::json::parse(BusinessPageDocument(page, 3, 20));
    EXPECT_EQ(list["items"].size(), 2u);
    EXPECT_EQ(list["items"][1]["id"], 7);
    EXPECT_EQ(list["total"], 2001);
    EXPECT_EQ(list["total_exact"], false);
    EXPECT_EQ(list["page"], 3);
    EXPECT_EQ(list["page_size"], 20);
}

}  // namespace
}  // namespace shian::http
