// Tests for xlsx_reader.hpp, xlsx_writer.hpp and xlsx_values.hpp: round trips, hand-made
// workbooks exercising every cell type, and hostile or broken files.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "shian/io/xlsx_reader.hpp"
#include "shian/io/xlsx_values.hpp"
#include "shian/io/xlsx_writer.hpp"
#include "shian/io/zip_test_util.hpp"

namespace shian::io {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using Strings = std::vector<std::string>;
using test_util::MakeZip;
using test_util::MinimalXlsxParts;
using test_util::SheetXml;

Table MustRead(const std::string& bytes) {
    auto table = ReadXlsx(bytes);
    EXPECT_TRUE(table.ok()) << (table.ok() ? "" : table.error().message);
    return table.ok() ? std::move(table).value() : Table{};
}

Table SampleTable() {
    Table table;
    table.header = {"经营者名称", "统一社会信用代码", "身份证号", "地址", "备注"};
    table.rows = {
        {"杭州市西湖区老王面馆", "0091330106MA2H0000", "330106199001011234", "文三路1号", "=1+1"},
        {"李四超市", "92330106MA2H00001X", "33010619900101123X", "", "第一行\n第二行"},
        {"", "", "", "", "控制符\x01与_x0041_字面量"},
        {"张三", "007", "", "116.75", "3"},
    };
    table.row_numbers = {2, 3, 4, 5};
    return table;
}

TEST(XlsxRoundTripTest, WriteThenReadKeepsEveryCellAsText) {
    const Table table = SampleTable();
    auto bytes = WriteXlsx(table, "经营者");
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    ASSERT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
    const Table back = MustRead(*bytes);
    EXPECT_EQ(back.header, table.header);
    EXPECT_EQ(back.rows, table.rows);
    EXPECT_EQ(back.row_numbers, table.row_numbers);
}

TEST(XlsxRoundTripTest, HeaderOnly) {
    Table table;
    table.header = {"名称", "代码"};
    auto bytes = WriteXlsx(table, "Sheet1");
    ASSERT_TRUE(bytes.ok());
    const Table back = MustRead(*bytes);
    EXPECT_EQ(back.header, table.header);
    EXPECT_TRUE(back.rows.empty());
}

TEST(XlsxWriterTest, AcceptsAnySheetNameAndInvalidUtf8) {
    Table table;
    table.header = {"a"};
    table.rows = {{"bad\xFFutf8"}};
    for (const std::string name :
         {"", "a/b:c[d]*?\\", "'quoted'",
          "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"}) {
        auto bytes = WriteXlsx(table, name);
        ASSERT_TRUE(bytes.ok()) << name;
        const Table back = MustRead(*bytes);
        EXPECT_EQ(back.rows, (Rows{{"bad\xEF\xBF\xBDutf8"}}));
    }
}

TEST(XlsxWriterTest, RejectsOverlongCell) {
    Table table;
    table.header = {"a"};
    table.rows = {{"ok"}, {std::string(32'768, 'x')}};
    auto bytes = WriteXlsx(table, "s");
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.error().code, ErrorCode::kTooLarge);
    EXPECT_NE(bytes.error().message.find("第3行"), std::string::npos);
}

TEST(XlsxWriterTest, WritesLargeTable) {
    Table table;
    table.header = {"序号", "名称"};
    for (int i = 0; i < 20'000; ++i) {
        table.rows.push_back({std::to_string(i), "食品经营者" + std::to_string(i)});
    }
    auto bytes = WriteXlsx(table, "大表");
    ASSERT_TRUE(bytes.ok());
    const Table back = MustRead(*bytes);
    ASSERT_EQ(back.rows.size(), 20'000u);
    EXPECT_EQ(back.rows[19'999], (Strings{"19999", "食品经营者19999"}));
    EXPECT_EQ(back.row_numbers[19'999], 20'001u);
}

TEST(XlsxWriterTest, RowByRowChecksRowsPastTheWidthSample) {
    // The first 10,000 rows are held to size the columns; later ones go straight out and are
    // checked just the same.
    auto writer = MakeXlsxWriter("导出");
    ASSERT_TRUE(writer->AddRow({"序号", "名称"}).ok());
    for (int i = 1; i < 10'500; ++i) {
        ASSERT_TRUE(writer->AddRow({std::to_string(i), "经营者"}).ok());
    }
    auto too_long = writer->AddRow({"10500", std::string(32'768, 'x')});
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.error().code, ErrorCode::kTooLarge);
    EXPECT_NE(too_long.error().message.find("第10501行"), std::string::npos) << too_long.error().message;

    auto small = MakeXlsxWriter("s");
    ASSERT_TRUE(small->AddRow({"a", "b"}).ok());
    ASSERT_TRUE(small->AddRow({"1", "二"}).ok());
    auto bytes = small->Finish();
    ASSERT_TRUE(bytes.ok());
    const Table back = MustRead(*bytes);
    EXPECT_EQ(back.header, (Strings{"a", "b"}));
    ASSERT_EQ(back.rows.size(), 1u);
    EXPECT_EQ(back.rows[0], (Strings{"1", "二"}));
}

constexpr const char* kSharedStrings =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5">)"
    R"(<si><t>名称</t></si>)"
    R"(<si><t xml:space="preserve"> 数量 </t></si>)"
    R"(<si><r><rPr><b/></rPr><t>富</t></r><r><t>文本</t></r><rPh><t>ふり</t></rPh></si>)"
    R"(<si><t>a &amp; b &lt;c&gt; &#x4E2D;</t></si>)"
    R"(<si><t>日期</t></si>)"
    R"(</sst>)";

constexpr const char* kStyles =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<numFmts count="2"><numFmt numFmtId="164" )"
    R"(formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>)"
    R"(<numFmt numFmtId="165" formatCode="0.00&quot;元&quot;"/></numFmts>)"
    R"(<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>)"
    R"(<xf numFmtId="165"/><xf numFmtId="22"/></cellXfs></styleSheet>)";

TEST(XlsxReaderTest, ReadsEveryCellType) {
    const std::string sheet =
        SheetXml(R"(<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c>)"
                 R"(<c r="D3" t="s"><v>4</v></c></row>)"
                 R"(<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4"><v>3</v></c>)"
                 R"(<c r="C4" t="inlineStr"><is><r><t>内</t></r><r><t>联</t></r></is></c>)"
                 R"(<c r="D4" s="1"><v>45413</v></c></row>)"
                 R"(<row r="6"><c r="A6" t="s"><v>3</v></c><c r="B6"><v>116.75</v></c>)"
                 R"(<c r="C6" t="str"><f>A6&amp;"x"</f><v>公式结果</v></c>)"
                 R"(<c r="D6" s="2"><v>45413</v></c></row>)"
                 R"(<row r="7"><c r="A7" t="b"><v>1</v></c><c r="B7"><v>3.0</v></c>)"
                 R"(<c r="C7" t="e"><v>#N/A</v></c><c r="D7" s="4"><v>45413.5</v></c></row>)"
                 R"(<row r="8"><c r="A8" t="b"><v>0</v></c><c r="B8"><v>1.2E+3</v></c>)"
                 R"(<c r="C8" s="3"><v>0.30000000000000004</v></c></row>)"
                 R"(<row r="9"><c r="A9" t="s"><v>1</v></c>)"
                 R"(<c r="B9"><v>1.10101199001011E+17</v></c><c r="C9" t="s"/><c r="D9" s="1"/></row>)");
    const Table table = MustRead(MakeZip(MinimalXlsxParts(sheet, kSharedStrings, kStyles)));
    EXPECT_EQ(table.header, (Strings{"名称", "数量", "", "日期"}));
    EXPECT_EQ(table.rows, (Rows{
                              {"富文本", "3", "内联", "2024-05-01"},
                              {"a & b <c> 中", "116.75", "公式结果", "2024-05-01"},
                              {"TRUE", "3", "#N/A", "2024-05-01 12:00:00"},
                              {"FALSE", "1200", "0.3", ""},
                              {" 数量 ", "110101199001011000", "", ""},
                          }));
    EXPECT_EQ(table.row_numbers, (std::vector<size_t>{4, 6, 7, 8, 9}));
}

TEST(XlsxReaderTest, CellsWithoutReferencesAreSequential) {
    const std::string sheet = SheetXml(
        R"(<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>)"
        R"(<row><c><v>1</v></c><c r="B2"><v>2</v></c></row>)");
    const Table table = MustRead(MakeZip(MinimalXlsxParts(sheet)));
    EXPECT_EQ(table.header, (Strings{"a", "b"}));
    EXPECT_EQ(table.rows, (Rows{{"1", "2"}}));
    EXPECT_EQ(table.row_numbers, (std::vector<size_t>{2}));
}

TEST(XlsxReaderTest, HandlesNamespacePrefixesAndCustomPaths) {
    auto parts = MinimalXlsxParts("");
    parts.pop_back();  // the default sheet part
    for (auto& [name, content] : parts) {
        if (name == "xl/_rels/workbook.xml.rels") {
            content = test_util::RelationshipsXml(
                test_util::RelationshipXml("rId7", "worksheet", "/xl/worksheets/data.xml") +
                test_util::RelationshipXml("rId8", "worksheet",
                                           "worksheets/../worksheets/second.xml"));
        } else if (name == "xl/workbook.xml") {
            content = std::string("<x:workbook xmlns:x=\"") + test_util::kMainNs +
                      "\" xmlns:rel=\"" + test_util::kOfficeRelNs + "\"><x:sheets>" +
                      R"(<x:sheet name="一" sheetId="2" rel:id="rId7"/>)"
                      R"(<x:sheet name="二" sheetId="1" rel:id="rId8"/>)"
                      "</x:sheets></x:workbook>";
        }
    }
    parts.emplace_back(
        "xl/worksheets/data.xml",
        std::string("<x:worksheet xmlns:x=\"") + test_util::kMainNs + "\"><x:sheetData>" +
            R"(<x:row x:r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>第一张</x:t></x:is></x:c>)"
            R"(</x:row><x:row r="2"><x:c r="A2"><x:v>42</x:v></x:c></x:row>)"
            "</x:sheetData></x:worksheet>");
    parts.emplace_back(
        "xl/worksheets/second.xml",
        SheetXml(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>第二张</t></is></c></row>)"));
    const Table table = MustRead(MakeZip(parts));
    EXPECT_EQ(table.header, (Strings{"第一张"}));
    EXPECT_EQ(table.rows, (Rows{{"42"}}));
}

TEST(XlsxReaderTest, ReadsALargeSheetSliceBySlice) {
    // Over 1 MB of sheet XML is parsed in slices cut after row end tags, prefixed or not;
    // rows spanning a slice boundary, shared strings and a multi-line cell survive.
    for (const std::string prefix : {"", "x:"}) {
        std::string rows = "<" + prefix + "row r=\"1\"><" + prefix + "c r=\"A1\" t=\"s\"><" + prefix +
                           "v>0</" + prefix + "v></" + prefix + "c><" + prefix + "c r=\"B1\" t=\"inlineStr\"><" +
                           prefix + "is><" + prefix + "t>说明</" + prefix + "t></" + prefix + "is></" + prefix +
                           "c></" + prefix + "row>";
        for (int r = 2; r <= 30'001; ++r) {
            const std::string n = std::to_string(r);
            rows += "<" + prefix + "row r=\"" + n + "\"><" + prefix + "c r=\"A" + n + "\"><" + prefix + "v>" + n +
                    "</" + prefix + "v></" + prefix + "c><" + prefix + "c r=\"B" + n + "\" t=\"inlineStr\"><" +
                    prefix + "is><" + prefix + "t>第" + n + "行&#10;备注</" + prefix + "t></" + prefix + "is></" +
                    prefix + "c></" + prefix + "row>";
        }
        std::string sheet = std::string(test_util::kXmlDecl) + "<" + prefix + "worksheet xmlns" +
                            (prefix.empty() ? "" : ":x") + "=\"" + test_util::kMainNs + "\"><" + prefix +
                            "sheetData>" + rows + "</" + prefix + "sheetData></" + prefix + "worksheet>";
        ASSERT_GT(sheet.size(), 2u * 1024 * 1024);
        const std::string shared = std::string(test_util::kXmlDecl) + "<sst xmlns=\"" + test_util::kMainNs +
                                   "\" count=\"1\"><si><t>序号</t></si></sst>";
        const Table table = MustRead(MakeZip(MinimalXlsxParts(sheet, shared)));
        EXPECT_EQ(table.header, (Strings{"序号", "说明"})) << prefix;
        ASSERT_EQ(table.rows.size(), 30'000u) << prefix;
        for (size_t i : {size_t{0}, size_t{12'345}, size_t{29'999}}) {
            const std::string n = std::to_string(i + 2);
            EXPECT_EQ(table.rows[i], (Strings{n, "第" + n + "行\n备注"})) << prefix << " row " << n;
            EXPECT_EQ(table.row_numbers[i], i + 2);
        }
    }
}

TEST(XlsxReaderTest, EmptySheetHasNoHeader) {
    auto table = ReadXlsx(MakeZip(MinimalXlsxParts(SheetXml(R"(<row r="1"><c r="A1"/></row>)"))));
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
}

TEST(XlsxReaderTest, RejectsCellWithoutHeader) {
    const std::string sheet =
        SheetXml(R"(<row r="1"><c r="A1"><v>1</v></c></row>)"
                 R"(<row r="5"><c r="A5"><v>1</v></c><c r="C5"><v>2</v></c></row>)");
    auto table = ReadXlsx(MakeZip(MinimalXlsxParts(sheet)));
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(table.error().message.find("第5行第3列"), std::string::npos) << table.error().message;
}

TEST(XlsxReaderTest, EnforcesMaxRows) {
    const std::string sheet =
        SheetXml(R"(<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>)"
                 R"(<row r="3"><c r="A3"><v>1</v></c></row>)");
    const std::string bytes = MakeZip(MinimalXlsxParts(sheet));
    EXPECT_TRUE(ReadXlsx(bytes, 2).ok());
    auto table = ReadXlsx(bytes, 1);
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kTooLarge);
}

void ExpectNotXlsx(const std::string& bytes, const char* what) {
    auto table = ReadXlsx(bytes);
    ASSERT_FALSE(table.ok()) << what;
    EXPECT_EQ(table.error().code, ErrorCode::kUnsupportedMedia) << what;
    EXPECT_EQ(table.error().message.rfind("不是有效的 XLSX 文件", 0), 0u)
        << what << ": " << table.error().message;
}

TEST(XlsxReaderTest, RejectsBrokenFiles) {
    auto good = WriteXlsx(SampleTable(), "s");
    ASSERT_TRUE(good.ok());
    ExpectNotXlsx(good->substr(0, good->size() / 2), "truncated");
    ExpectNotXlsx(good->substr(0, good->size() - 30), "cut central directory");
    ExpectNotXlsx("", "empty");
    ExpectNotXlsx("名称,代码\n甲,1\n", "csv text");

    std::mt19937 rng(12345);
    for (int round = 0; round < 50; ++round) {
        std::string noise(1 + rng() % 4096, '\0');
        for (char& c : noise) c = static_cast<char>(rng());
        if (round % 2 == 0) noise.replace(0, 4, std::string("PK\x03\x04", 4));
        ExpectNotXlsx(noise, "random bytes");
    }
    // Flipped bytes inside the compressed data: CRC or inflate errors, never a crash.
    for (size_t offset = 40; offset < good->size(); offset += good->size() / 37) {
        std::string corrupt = *good;
        corrupt[offset] = static_cast<char>(corrupt[offset] ^ 0x5A);
        auto table = ReadXlsx(corrupt);
        if (!table.ok()) {
            EXPECT_NE(table.error().code, ErrorCode::kInternal);
        }
    }
}

TEST(XlsxReaderTest, RejectsZipsThatAreNotWorkbooks) {
    ExpectNotXlsx(MakeZip({{"hello.txt", "你好"}}), "plain zip");
    auto docx = ReadXlsx(MakeZip({{"word/document.xml", "<w:document/>"}}));
    ASSERT_FALSE(docx.ok());
    EXPECT_NE(docx.error().message.find("Word"), std::string::npos);
    ExpectNotXlsx(MakeZip({{"xl/workbook.xml", "<workbook><sheets>"}}), "broken workbook xml");
    auto parts = MinimalXlsxParts(SheetXml(R"(<row r="1"><c r="A1" t="s"><v>9</v></c></row>)"),
                                  kSharedStrings);
    ExpectNotXlsx(MakeZip(parts), "shared string index out of range");
    ExpectNotXlsx(MakeZip(MinimalXlsxParts("<worksheet><sheetData><row><c")), "broken sheet");
    ExpectNotXlsx(MakeZip(MinimalXlsxParts(
                      R"(<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>)")),
                  "doctype");
    ExpectNotXlsx(MakeZip(MinimalXlsxParts(SheetXml(R"(<row r="0"><c r="A1"><v>1</v></c></row>)"))),
                  "row zero");
    ExpectNotXlsx(
        MakeZip(MinimalXlsxParts(SheetXml(R"(<row r="1"><c r="XFE1"><v>1</v></c></row>)"))),
        "column past XFD");
}

TEST(XlsxReaderTest, RefusesZipBombs) {
    // 210 MB of spaces compresses to a few hundred KB (the shared strings may inflate to 128 MB).
    auto parts = MinimalXlsxParts(SheetXml(R"(<row r="1"><c r="A1"><v>1</v></c></row>)"));
    parts.emplace_back("xl/sharedStrings.xml", std::string(210 * 1024 * 1024, ' '));
    for (auto& [name, content] : parts) {
        if (name == "xl/_rels/workbook.xml.rels") {
            content.insert(
                content.find("</Relationships>"),
                test_util::RelationshipXml("rId9", "sharedStrings", "sharedStrings.xml"));
        }
    }
    const std::string bomb = MakeZip(parts);
    ASSERT_LT(bomb.size(), 2u * 1024 * 1024);
    auto table = ReadXlsx(bomb);
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kTooLarge);

    // The sheet is parsed a slice at a time, each ending after a row: a "row" of 100 MB of
    // spaces is refused once 32 MB of it are held.
    auto sheet_bomb = MinimalXlsxParts(
        SheetXml(R"(<row r="1"><c r="A1"><v>1</v></c></row><row r="2">)" + std::string(100 * 1024 * 1024, ' ') +
                 "</row>"));
    auto row_bomb = ReadXlsx(MakeZip(sheet_bomb));
    ASSERT_FALSE(row_bomb.ok());
    EXPECT_EQ(row_bomb.error().code, ErrorCode::kTooLarge);
    EXPECT_NE(row_bomb.error().message.find("一行"), std::string::npos) << row_bomb.error().message;

    std::vector<std::pair<std::string, std::string>> many;
    for (size_t i = 0; i <= kMaxXlsxEntries; ++i) many.emplace_back(std::to_string(i), "");
    auto crowded = ReadXlsx(MakeZip(many));
    ASSERT_FALSE(crowded.ok());
    EXPECT_EQ(crowded.error().code, ErrorCode::kTooLarge);
}

TEST(XlsxReaderTest, SparseCellsAreBoundedByCellBudget) {
    // A wide header, then many rows with one far-right cell each: every row pads to 16384.
    std::string rows = R"(<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>)";
    for (int r = 2; r < 2000; ++r) {
        rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"XFD" + std::to_string(r) +
                "\"><v>1</v></c></row>";
    }
    auto table = ReadXlsx(MakeZip(MinimalXlsxParts(SheetXml(rows))));
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.error().code, ErrorCode::kTooLarge);
}

TEST(FormatXlsxNumberTest, WritesNumbersWithoutFloatNoise) {
    EXPECT_EQ(FormatXlsxNumber("3"), "3");
    EXPECT_EQ(FormatXlsxNumber("3.0"), "3");
    EXPECT_EQ(FormatXlsxNumber("-3.50"), "-3.5");
    EXPECT_EQ(FormatXlsxNumber("116.75"), "116.75");
    EXPECT_EQ(FormatXlsxNumber("0"), "0");
    EXPECT_EQ(FormatXlsxNumber("-0"), "0");
    EXPECT_EQ(FormatXlsxNumber("0.5"), "0.5");
    EXPECT_EQ(FormatXlsxNumber("1.2E+3"), "1200");
    EXPECT_EQ(FormatXlsxNumber("1.5E-2"), "0.015");
    EXPECT_EQ(FormatXlsxNumber("0.30000000000000004"), "0.3");
    EXPECT_EQ(FormatXlsxNumber("0.99999999999999989"), "1");
    EXPECT_EQ(FormatXlsxNumber("1.10101199001011E+17"), "110101199001011000");
    EXPECT_EQ(FormatXlsxNumber("123456789012345678"), "123456789012346000");
    EXPECT_EQ(FormatXlsxNumber("1E+300"), "1E+300");
    EXPECT_EQ(FormatXlsxNumber("abc"), "abc");
    EXPECT_EQ(FormatXlsxNumber("1.2.3"), "1.2.3");
    EXPECT_EQ(FormatXlsxNumber("1E+9999999"), "1E+9999999");
}

TEST(FormatExcelSerialDateTest, ConvertsSerials) {
    EXPECT_EQ(FormatExcelSerialDate(1, false), "1900-01-01");
    EXPECT_EQ(FormatExcelSerialDate(59, false), "1900-02-28");
    EXPECT_EQ(FormatExcelSerialDate(60, false), "1900-02-29");  // Excel's phantom day
    EXPECT_EQ(FormatExcelSerialDate(61, false), "1900-03-01");
    EXPECT_EQ(FormatExcelSerialDate(45413, false), "2024-05-01");
    EXPECT_EQ(FormatExcelSerialDate(45413.75, false), "2024-05-01 18:00:00");
    EXPECT_EQ(FormatExcelSerialDate(0.5, false), "12:00:00");
    EXPECT_EQ(FormatExcelSerialDate(0, true), "1904-01-01");
    EXPECT_EQ(FormatExcelSerialDate(2958465, false), "9999-12-31");
    EXPECT_EQ(FormatExcelSerialDate(-1, false), std::nullopt);
    EXPECT_EQ(FormatExcelSerialDate(3e6, false), std::nullopt);
}

TEST(IsDateFormatCodeTest, RecognisesDatesOnly) {
    EXPECT_TRUE(IsDateFormatCode("yyyy-mm-dd"));
    EXPECT_TRUE(IsDateFormatCode("yyyy\"年\"m\"月\"d\"日\""));
    EXPECT_TRUE(IsDateFormatCode("[$-804]aaaa;@hh:mm"));
    EXPECT_TRUE(IsDateFormatCode("[h]:mm:ss"));
    EXPECT_FALSE(IsDateFormatCode("General"));
    EXPECT_FALSE(IsDateFormatCode("0.00\"元\""));
    EXPECT_FALSE(IsDateFormatCode("[Red]#,##0;[Blue]-#,##0"));
    EXPECT_FALSE(IsDateFormatCode("@"));
    EXPECT_TRUE(IsBuiltinDateFormat(14));
    EXPECT_TRUE(IsBuiltinDateFormat(57));
    EXPECT_FALSE(IsBuiltinDateFormat(49));
}

TEST(OoxmlEscapeTest, RoundTripsLiteralsAndDecodesEscapes) {
    EXPECT_EQ(UnescapeOoxml("a_x000D_b"), "a\rb");
    EXPECT_EQ(UnescapeOoxml("_x005F_x0041_"), "_x0041_");
    EXPECT_EQ(UnescapeOoxml("_xD83D__xDE00_"), "\xF0\x9F\x98\x80");
    EXPECT_EQ(UnescapeOoxml("_xD83D_"), "\xEF\xBF\xBD");
    EXPECT_EQ(UnescapeOoxml("_x12_ _xZZZZ_"), "_x12_ _xZZZZ_");
    for (const char* text : {"_x0041_", "a_x_b", "__x0041__x0042_", "plain"}) {
        EXPECT_EQ(UnescapeOoxml(EscapeOoxmlLiteral(text)), text);
    }
}

}  // namespace
}  // namespace shian::io
