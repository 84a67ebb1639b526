// Tests for csv.hpp: RFC 4180 parsing, row numbers, errors, writing and round trips.
#include "shian/io/csv.hpp"

#include <errno.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include <string>
#include <vector>

namespace shian::io {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using Strings = std::vector<std::string>;

Table MustRead(std::string_view bytes) {
    auto table = ReadCsv(bytes);
    EXPECT_TRUE(table.ok()) << (table.ok() ? "" : table.error().message);
    return table.ok() ? std::move(table).value() : Table{};
}

TEST(ReadCsvTest, ParsesHeaderAndRows) {
    const Table table =
        MustRead("名称 , 地址,电话\n张三小吃,文三路1号,0571-88888888\n李四超市,,\n");
    EXPECT_EQ(table.header, (Strings{"名称", "地址", "电话"}));
    EXPECT_EQ(table.rows, (Rows{{"张三小吃", "文三路1号", "0571-88888888"}, {"李四超市", "", ""}}));
    EXPECT_EQ(table.row_numbers, (std::vector<size_t>{2, 3}));
}

TEST(ReadCsvTest, TrimsHeaderNamesButNotCells) {
    const Table table = MustRead("\t名称\xE3\x80\x80, 代码 \n 张三 ,  007\n");
    EXPECT_EQ(table.header, (Strings{"名称", "代码"}));
    EXPECT_EQ(table.rows, (Rows{{" 张三 ", "  007"}}));
}

TEST(ReadCsvTest, HandlesQuotedFields) {
    const Table table = MustRead(
        "a,b,c\r\n"
        "\"x,y\",\"say \"\"hi\"\"\",\"\"\r\n"
        "\"line1\r\nline2\",\"l1\nl2\nl3\",plain\r\n"
        "after,\"\",end\r\n");
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(table.rows[0], (Strings{"x,y", "say \"hi\"", ""}));
    EXPECT_EQ(table.rows[1], (Strings{"line1\r\nline2", "l1\nl2\nl3", "plain"}));
    EXPECT_EQ(table.rows[2], (Strings{"after", "", "end"}));
    // A multi-line cell is still one spreadsheet row.
    EXPECT_EQ(table.row_numbers, (std::vector<size_t>{2, 3, 4}));
}

TEST(ReadCsvTest, AcceptsLfCrlfAndCrLineEnds) {
    for (const char* eol : {"\n", "\r\n", "\r"}) {
        const std::string csv = std::string("h1,h2") + eol + "1,2" + eol + "3,4" + eol;
        const Table table = MustRead(csv);
        EXPECT_EQ(table.header, (Strings{"h1", "h2"})) << "eol " << static_cast<int>(eol[0]);
        EXPECT_EQ(table.rows, (Rows{{"1", "2"}, {"3", "4"}}));
    }
}

TEST(ReadCsvTest, SkipsBlankLinesButCountsThem) {
    const Table table = MustRead("\n名称,代码\n\n甲,1\n,\n   \n乙,2\n\n\n");
    EXPECT_EQ(table.header, (Strings{"名称", "代码"}));
    EXPECT_EQ(table.rows, (Rows{{"甲", "1"}, {"乙", "2"}}));
    // Row numbers are what Excel shows: blank lines occupy rows too.
    EXPECT_EQ(table.row_numbers, (std::vector<size_t>{4, 7}));
}

TEST(ReadCsvTest, LastLineWithoutNewline) {
    const Table table = MustRead("a,b\n1,2");
    EXPECT_EQ(table.rows, (Rows{{"1", "2"}}));
    const Table trailing_comma = MustRead("a,b\n1,");
    EXPECT_EQ(trailing_comma.rows, (Rows{{"1", ""}}));
}

TEST(ReadCsvTest, PadsShortRowsAndDropsEmptyExtraCells) {
    const Table table = MustRead("a,b,c,\n1\n1,2,3,,,\n");
    EXPECT_EQ(table.header, (Strings{"a", "b", "c"}));  // trailing empty name dropped
    EXPECT_EQ(table.rows, (Rows{{"1", "", ""}, {"1", "2", "3"}}));
}

TEST(ReadCsvTest, RejectsCellWithoutHeader) {
    auto table = ReadCsv("a,b\n1,2\n1,2,3\n");
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(table.error().message.find("第3行第3列"), std::string::npos) << table.error().message;
}

TEST(ReadCsvTest, ReportsUnterminatedQuoteWithRow) {
    auto table = ReadCsv("a,b\n1,2\n3,\"unterminated\n4,5\n");
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(table.error().message.find("第3行"), std::string::npos) << table.error().message;
    EXPECT_NE(table.error().message.find("引号"), std::string::npos);
}

TEST(ReadCsvTest, QuotesInsideUnquotedFieldsAreLiteral) {
    const Table table = MustRead("a,b\n5\"3,\"x\"y\n");
    EXPECT_EQ(table.rows, (Rows{{"5\"3", "xy"}}));
}

TEST(ReadCsvTest, EmptyAndBlankFilesHaveNoHeader) {
    for (const char* bytes : {"", "\xEF\xBB\xBF", "\n\n", " , \n,,\n"}) {
        auto table = ReadCsv(bytes);
        ASSERT_FALSE(table.ok()) << bytes;
        EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
        EXPECT_NE(table.error().message.find("表头"), std::string::npos);
    }
}

TEST(ReadCsvTest, HeaderOnlyFile) {
    const Table table = MustRead("名称,代码\r\n");
    EXPECT_EQ(table.header, (Strings{"名称", "代码"}));
    EXPECT_TRUE(table.rows.empty());
    EXPECT_TRUE(table.row_numbers.empty());
}

TEST(ReadCsvTest, BomAndChinese) {
    const Table table =
        MustRead("\xEF\xBB\xBF经营者名称,许可证编号\r\n老王面馆,JY13301020000001\r\n");
    EXPECT_EQ(table.header, (Strings{"经营者名称", "许可证编号"}));
    EXPECT_EQ(table.rows, (Rows{{"老王面馆", "JY13301020000001"}}));
}

TEST(ReadCsvTest, DecodesGb18030) {
    const std::string utf8 = "经营者名称,地址\r\n\"老王面馆，总店\",西湖区文三路\r\n";
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
    std::string gb(utf8.size() * 2, '\0');
    char* in_ptr = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size();
    char* out_ptr = gb.data();
    size_t out_left = gb.size();
    ASSERT_NE(iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left), static_cast<size_t>(-1));
    iconv_close(cd);
    gb.resize(gb.size() - out_left);

    const Table table = MustRead(gb);
    EXPECT_EQ(table.header, (Strings{"经营者名称", "地址"}));
    EXPECT_EQ(table.rows, (Rows{{"老王面馆，总店", "西湖区文三路"}}));
}

TEST(ReadCsvTest, RefusesBinaryContent) {
    auto zip = ReadCsv(std::string("PK\x03\x04\x14\x00\x08\x00rest", 12));
    ASSERT_FALSE(zip.ok());
    EXPECT_EQ(zip.error().code, ErrorCode::kUnsupportedMedia);
    auto png = ReadCsv(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16));
    ASSERT_FALSE(png.ok());
    EXPECT_EQ(png.error().code, ErrorCode::kUnsupportedMedia);
}

TEST(ReadCsvTest, SkipsExcelSeparatorHint) {
    const Table table = MustRead("sep=,\r\na,b\r\n1,2\r\n");
    EXPECT_EQ(table.header, (Strings{"a", "b"}));
    EXPECT_EQ(table.row_numbers, (std::vector<size_t>{2}));
}

TEST(ReadCsvTest, EnforcesMaxRows) {
    EXPECT_TRUE(ReadCsv("a\n1\n2\n3\n", 3).ok());
    auto table = ReadCsv("a\n1\n2\n3\n4\n", 3);
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kTooLarge);
}

TEST(ReadCsvTest, RejectsTooManyColumns) {
    const std::string wide(kMaxTableColumns + 1, ',');
    auto table = ReadCsv("a" + wide + "\n");
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(table.error().message.find("第1行"), std::string::npos);
}

// Many rows, quoted commas and row numbering at scale. Speed is measured in bench/, not here:
// tests must not fail on a slow machine.
TEST(ReadCsvTest, ParsesManyRows) {
    constexpr size_t kRows = 100'000;
    std::string csv = "名称,统一社会信用代码,地址,电话,类别\r\n";
    for (size_t i = 0; i < kRows; ++i) {
        csv += "杭州市西湖区餐饮店" + std::to_string(i) + ",92330106MA2H00000X,\"文三路" +
               std::to_string(i) + "号, 2楼\",0571-88888888,餐饮服务\r\n";
    }
    auto table = ReadCsv(csv, kRows);
    ASSERT_TRUE(table.ok());
    ASSERT_EQ(table->rows.size(), kRows);
    EXPECT_EQ(table->rows[kRows - 1][2], "文三路99999号, 2楼");
    EXPECT_EQ(table->row_numbers[kRows - 1], kRows + 1);
}

TEST(WriteCsvTest, WritesBomCrlfAndQuotes) {
    Table table;
    table.header = {"名称", "备注"};
    table.rows = {{"甲,乙", "say \"hi\""}, {"多行\n文本", "plain"}};
    EXPECT_EQ(WriteCsv(table),
              "\xEF\xBB\xBF名称,备注\r\n\"甲,乙\",\"say \"\"hi\"\"\"\r\n\"多行\n文本\",plain\r\n");
    EXPECT_EQ(WriteCsv(table, false).substr(0, 6), "名称");
}

TEST(WriteCsvTest, GuardsAgainstFormulaInjection) {
    Table table;
    table.header = {"v"};
    table.rows = {{"=HYPERLINK(\"http://x\",\"y\")"},
                  {"+1+cmd"},
                  {"-2+3"},
                  {"@SUM(A1)"},
                  {"\tx"},
                  {"-12.5"},
                  {"+86"},
                  {"1e5"},
                  {"a=b"}};
    const Table back = MustRead(WriteCsv(table));
    ASSERT_EQ(back.rows.size(), table.rows.size());
    EXPECT_EQ(back.rows[0][0], "'=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_EQ(back.rows[1][0], "'+1+cmd");
    EXPECT_EQ(back.rows[2][0], "'-2+3");
    EXPECT_EQ(back.rows[3][0], "'@SUM(A1)");
    EXPECT_EQ(back.rows[4][0], "'\tx");
    EXPECT_EQ(back.rows[5][0], "-12.5");  // plain numbers cannot be formulas
    EXPECT_EQ(back.rows[6][0], "+86");
    EXPECT_EQ(back.rows[7][0], "1e5");
    EXPECT_EQ(back.rows[8][0], "a=b");
}

TEST(WriteCsvTest, RowByRowWritesWhatWriteCsvWrites) {
    Table table{{"名称", "备注"}, {{"甲店", "=1+1"}, {"乙,店", "多\n行"}}, {}};
    for (bool bom : {true, false}) {
        auto writer = MakeCsvWriter(bom);
        ASSERT_TRUE(writer->AddRow(table.header).ok());
        for (const auto& row : table.rows) ASSERT_TRUE(writer->AddRow(row).ok());
        auto bytes = writer->Finish();
        ASSERT_TRUE(bytes.ok());
        EXPECT_EQ(*bytes, WriteCsv(table, bom));
    }
}

TEST(WriteCsvTest, RoundTrip) {
    Table table;
    table.header = {"经营者名称", "统一社会信用代码", "地址", "备注"};
    table.rows = {
        {"老王面馆", "0091330106MA2H0000", "文三路1号，2楼", "含\"引号\"和,逗号"},
        {"李四超市", "92330106MA2H00001X", "", "第一行\r\n第二行"},
        {"  前后空格  ", "007", "𠀀€", ""},
    };
    table.row_numbers = {2, 3, 4};
    const Table back = MustRead(WriteCsv(table));
    EXPECT_EQ(back.header, table.header);
    EXPECT_EQ(back.rows, table.rows);
    EXPECT_EQ(back.row_numbers, table.row_numbers);
}

}  // namespace
}  // namespace shian::io
