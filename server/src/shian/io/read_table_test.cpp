// Tests for read_table.hpp: content sniffing and extension/content agreement.
#include "shian/io/read_table.hpp"

#include <gtest/gtest.h>

#include <string>

#include "shian/io/csv.hpp"
#include "shian/io/xlsx_writer.hpp"
#include "shian/io/zip_test_util.hpp"

namespace shian::io {
namespace {

std::string SampleXlsx() {
    Table table;
    table.header = {"名称"};
    table.rows = {{"老王面馆"}};
    auto bytes = WriteXlsx(table, "s");
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : std::string();
}

void ExpectUnsupported(std::string_view bytes, std::string_view filename,
                       std::string_view message_part) {
    auto table = ReadTable(bytes, filename);
    ASSERT_FALSE(table.ok()) << filename;
    EXPECT_EQ(table.error().code, ErrorCode::kUnsupportedMedia) << filename;
    EXPECT_NE(table.error().message.find(message_part), std::string::npos)
        << filename << ": " << table.error().message;
}

TEST(SniffFileKindTest, RecognisesZipTextAndBinary) {
    EXPECT_EQ(SniffFileKind(SampleXlsx()), FileKind::kXlsx);
    EXPECT_EQ(SniffFileKind(std::string("PK\x05\x06", 4)), FileKind::kXlsx);
    EXPECT_EQ(SniffFileKind("名称,代码\n"), FileKind::kCsv);
    EXPECT_EQ(SniffFileKind("\xEF\xBB\xBF名称\n"), FileKind::kCsv);
    EXPECT_EQ(SniffFileKind(""), FileKind::kUnknown);
    EXPECT_EQ(SniffFileKind(std::string("\x89PNG\r\n\x1A\n\0\0", 10)), FileKind::kUnknown);
    EXPECT_EQ(SniffFileKind(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)),
              FileKind::kUnknown);
}

TEST(ReadTableTest, ReadsByExtensionCaseInsensitively) {
    auto csv = ReadTable("名称\n老王面馆\n", "导入/经营者.CSV");
    ASSERT_TRUE(csv.ok()) << csv.error().message;
    EXPECT_EQ(csv->rows[0][0], "老王面馆");
    auto xlsx = ReadTable(SampleXlsx(), "经营者.Xlsx");
    ASSERT_TRUE(xlsx.ok()) << xlsx.error().message;
    EXPECT_EQ(xlsx->rows[0][0], "老王面馆");
}

TEST(ReadTableTest, RefusesContentThatDoesNotMatchTheExtension) {
    ExpectUnsupported("名称,代码\n甲,1\n", "x.xlsx", "内容是文本");
    ExpectUnsupported(SampleXlsx(), "x.csv", "内容是压缩包");
    ExpectUnsupported(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16), "x.csv", "不是文本");
    ExpectUnsupported(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16), "x.xlsx", "不是 XLSX");
    ExpectUnsupported(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10), "x.xlsx",
                      "旧版 .xls");
    ExpectUnsupported(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10), "x.csv", ".xls");
}

TEST(ReadTableTest, RefusesOtherExtensions) {
    ExpectUnsupported("a\n1\n", "x.xls", ".xls");
    ExpectUnsupported("a\n1\n", "x.txt", ".xlsx 或 .csv");
    ExpectUnsupported("a\n1\n", "no_extension", ".xlsx 或 .csv");
    ExpectUnsupported("a\n1\n", "dir.csv/file", ".xlsx 或 .csv");
}

TEST(ReadTableTest, EmptyFileIsInvalid) {
    for (const char* name : {"x.csv", "x.xlsx"}) {
        auto table = ReadTable("", name);
        ASSERT_FALSE(table.ok());
        EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
    }
}

TEST(ReadTableTest, ZipThatIsNotAWorkbook) {
    ExpectUnsupported(test_util::MakeZip({{"readme.txt", "hello"}}), "x.xlsx",
                      "不是有效的 XLSX 文件");
}

TEST(ReadTableTest, TruncatedXlsx) {
    const std::string bytes = SampleXlsx();
    ExpectUnsupported(std::string_view(bytes).substr(0, bytes.size() / 2), "x.xlsx",
                      "不是有效的 XLSX 文件");
}

TEST(ReadTableTest, PassesMaxRows) {
    auto table = ReadTable(WriteCsv(Table{{"a"}, {{"1"}, {"2"}}, {}}), "x.csv", 1);
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace shian::io
