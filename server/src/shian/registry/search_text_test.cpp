// Tests of search normalisation and bigrams (registry/search_text).
#include "shian/registry/search_text.hpp"

#include <gtest/gtest.h>

namespace shian::registry {
namespace {

TEST(SearchTextTest, NormalisesCaseWidthAndPunctuation) {
    EXPECT_EQ(NormalizeForSearch("老王·火锅（东城店）"), "老王火锅东城店");
    EXPECT_EQ(NormalizeForSearch("ＡＢＣ１２３ abc"), "abc123abc");
    EXPECT_EQ(NormalizeForSearch("  JY2511902  "), "jy2511902");
    EXPECT_EQ(NormalizeForSearch("\xff\xfe"), "");  // invalid UTF-8 yields nothing searchable
}

TEST(SearchTextTest, BigramSequenceKeepsEveryPosition) {
    EXPECT_EQ(BigramSequence("火锅火锅"), (std::vector<std::string>{"火锅", "锅火", "火锅"}));
    EXPECT_EQ(BigramSequence("哈哈哈"), (std::vector<std::string>{"哈哈", "哈哈"}));
    EXPECT_TRUE(BigramSequence("火").empty());
    EXPECT_TRUE(BigramSequence("").empty());
}

TEST(SearchTextTest, BigramsAreDistinctAndOrdered) {
    EXPECT_EQ(Bigrams("火锅火锅"), (std::vector<std::string>{"火锅", "锅火"}));
    EXPECT_TRUE(Bigrams("火").empty());
    EXPECT_EQ(Bigrams("ab1"), (std::vector<std::string>{"ab", "b1"}));
}

TEST(SearchTextTest, DocumentKeepsFieldsApart) {
    SearchDocument doc = BuildSearchDocument({"老王火锅", "人民路"});
    EXPECT_EQ(doc.text, "老王火锅\x1f人民路");
    // No bigram spans the two fields ("锅人").
    for (const auto& g : doc.grams) EXPECT_NE(g, "锅人");
    EXPECT_EQ(doc.grams.size(), 5u);
}

TEST(SearchTextTest, TextAloneIsTheDocumentsText) {
    const std::vector<std::vector<std::string_view>> cases = {
        {"老王火锅", "人民路"}, {"", "巴州区 回风街道", "91511902MA62X1234Y", ""}, {"", ""}, {"ＡＢ 火锅", "JY15119020000001"}};
    for (const auto& fields : cases) EXPECT_EQ(BuildSearchText(fields), BuildSearchDocument(fields).text);
}

}  // namespace
}  // namespace shian::registry
