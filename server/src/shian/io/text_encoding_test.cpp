// Tests for text_encoding.hpp: UTF-8 validation, BOM, GB18030 fallback, binary refusal.
#include "shian/io/text_encoding.hpp"

#include <errno.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include <string>

namespace shian::io {
namespace {

using namespace std::string_literals;

// Converts UTF-8 test text to GB18030 with iconv, the way Excel on Chinese Windows saves.
std::string ToGb18030(const std::string& utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
    std::string out(utf8.size() * 4 + 8, '\0');
    char* in_ptr = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size();
    char* out_ptr = out.data();
    size_t out_left = out.size();
    EXPECT_NE(iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left), static_cast<size_t>(-1));
    iconv_close(cd);
    out.resize(out.size() - out_left);
    return out;
}

TEST(IsValidUtf8Test, AcceptsAsciiAndChinese) {
    EXPECT_TRUE(IsValidUtf8(""));
    EXPECT_TRUE(IsValidUtf8("plain ascii text that is longer than eight bytes"));
    EXPECT_TRUE(IsValidUtf8("食品经营许可证 JY13301020000000"));
    EXPECT_TRUE(IsValidUtf8("\xF0\xA0\x80\x80"));  // U+20000, CJK extension B
}

TEST(IsValidUtf8Test, RejectsIllFormedSequences) {
    EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong NUL
    EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/'
    EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
    EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(IsValidUtf8("\xE9\xA3"));  // truncated
    EXPECT_FALSE(IsValidUtf8("\x80"));      // lone continuation byte
    // An invalid byte after the eight-byte ASCII fast path.
    EXPECT_FALSE(IsValidUtf8("abcdefghijklm\xFFnop"));
}

TEST(DecodeTextTest, StripsUtf8Bom) {
    auto text = DecodeText("\xEF\xBB\xBF名称,地址\n");
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, "名称,地址\n");
}

TEST(DecodeTextTest, PassesUtf8Through) {
    auto text = DecodeText("经营者名称,统一社会信用代码\r\n张三餐饮店,92330102MA2H0000X1\r\n");
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, "经营者名称,统一社会信用代码\r\n张三餐饮店,92330102MA2H0000X1\r\n");
}

TEST(DecodeTextTest, ConvertsGb18030) {
    const std::string original =
        "经营者名称,地址,备注\r\n杭州市西湖区某某小吃店,文三路１号,€𠀀\r\n";
    const std::string gb = ToGb18030(original);
    ASSERT_FALSE(IsValidUtf8(gb));  // really a different encoding
    auto text = DecodeText(gb);
    ASSERT_TRUE(text.ok()) << text.error().message;
    EXPECT_EQ(*text, original);
}

TEST(DecodeTextTest, RejectsUndecodableBytes) {
    // 0xFF is neither UTF-8 nor GB18030.
    auto text = DecodeText("name\n\xFF\xFF\xFF\n");
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.error().code, ErrorCode::kUnsupportedMedia);
    EXPECT_EQ(text.error().message, "文件编码无法识别（请使用 UTF-8 或 GB18030）");
    // A truncated GB18030 sequence at the end.
    auto truncated = DecodeText(ToGb18030("名称") + "\x81");
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().code, ErrorCode::kUnsupportedMedia);
}

TEST(DecodeTextTest, RejectsBinaryContent) {
    const std::string with_nul("a,b\n1,\0\n", 8);
    const std::string zip("PK\x03\x04\x14\x00\x00\x00", 8);
    const std::string png("\x89PNG\r\n\x1A\n", 8);
    const std::string jpeg("\xFF\xD8\xFF\xE0", 4);
    const std::string xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    const std::string pdf = "%PDF-1.7\n%\xE2\xE3\n1 0 obj\n<</Length 2>>stream\n\0\0"s;
    for (const std::string& bytes : {with_nul, zip, png, jpeg, xls, pdf}) {
        auto text = DecodeText(bytes);
        ASSERT_FALSE(text.ok());
        EXPECT_EQ(text.error().code, ErrorCode::kUnsupportedMedia);
        EXPECT_NE(text.error().message.find("不是文本"), std::string::npos);
    }
}

TEST(DecodeTextTest, AllowsControlCharactersInText) {
    EXPECT_FALSE(LooksBinary("a,b\n1,\x1F\x01\x02\x03\x04\x05\n"));
    EXPECT_FALSE(LooksBinary("GIF89a,%PDF-1.7\n"));  // text that merely starts like a format
    auto text = DecodeText("a,b\n1,\x01\n");
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, "a,b\n1,\x01\n");
}

TEST(DecodeTextTest, RejectsUtf16) {
    auto text = DecodeText("\xFF\xFE\x61\0,\0\x62\0"s);
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.error().code, ErrorCode::kUnsupportedMedia);
    EXPECT_NE(text.error().message.find("编码"), std::string::npos);
}

TEST(DecodeTextTest, EmptyInputIsEmptyText) {
    auto text = DecodeText("");
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, "");
    auto bom_only = DecodeText("\xEF\xBB\xBF");
    ASSERT_TRUE(bom_only.ok());
    EXPECT_EQ(*bom_only, "");
}

TEST(SanitizeUtf8Test, ReplacesIllFormedBytes) {
    EXPECT_EQ(SanitizeUtf8("食品"), "食品");
    EXPECT_EQ(SanitizeUtf8("a\xFF,"), "a\xEF\xBF\xBD,");
    EXPECT_EQ(SanitizeUtf8("\xE9\xA3"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace shian::io
