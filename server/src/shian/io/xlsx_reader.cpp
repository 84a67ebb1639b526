// Implements xlsx_reader.hpp with libzip (reading from memory) and pugixml for the small
// parts (relationships, workbook, styles); worksheets and shared strings, which can be
// large, go through the streaming XmlPullParser.
#include "shian/io/xlsx_reader.hpp"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <utility>
#include <vector>

#include "shian/io/table_builder.hpp"
#include "shian/io/text_encoding.hpp"
#include "shian/io/xlsx_values.hpp"
#include "shian/io/xml_pull.hpp"

namespace shian::io {
namespace {

constexpr size_t kMaxSmallPartBytes = 16 * 1024 * 1024;  // rels, workbook, styles
constexpr size_t kMaxExcelRows = 1'048'576;
constexpr size_t kSheetSliceBytes = 1024 * 1024;  // a worksheet is parsed about this much at a time
// The shared strings are parsed whole, and a row must fit in a slice: these bound memory,
// where the budget (kMaxXlsxUncompressedBytes) bounds time.
constexpr size_t kMaxSharedStringsBytes = 128 * 1024 * 1024;
constexpr size_t kMaxSheetRowBytes = 32 * 1024 * 1024;

Error NotXlsx() { return {ErrorCode::kUnsupportedMedia, "不是有效的 XLSX 文件", "file"}; }

Error NotXlsx(std::string_view detail) {
    return {ErrorCode::kUnsupportedMedia, "不是有效的 XLSX 文件：" + std::string(detail), "file"};
}

Error TooLargeUncompressed() {
    return {ErrorCode::kTooLarge,
            "XLSX 文件解压后超过 " + std::to_string(kMaxXlsxUncompressedBytes / (1024 * 1024)) +
                " MB，请拆分后导入",
            "file"};
}

// A read-only zip archive over caller-owned memory with a shared decompression budget.
class ZipArchive {
public:
    static Result<std::unique_ptr<ZipArchive>> Open(std::string_view bytes) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (source == nullptr) {
            zip_error_fini(&error);
            return NotXlsx();
        }
        zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
        zip_error_fini(&error);
        if (archive == nullptr) {
            zip_source_free(source);
            return NotXlsx();
        }
        auto result = std::unique_ptr<ZipArchive>(new ZipArchive(archive));
        const zip_int64_t entries = zip_get_num_entries(archive, 0);
        if (entries < 0) return NotXlsx();
        if (static_cast<uint64_t>(entries) > kMaxXlsxEntries) {
            return Error{ErrorCode::kTooLarge, "XLSX 文件内部条目过多，拒绝处理", "file"};
        }
        return result;
    }

    ~ZipArchive() { zip_discard(archive_); }
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    bool Has(const std::string& name) const {
        return zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE) >= 0;
    }

    // Inflates the entry a piece at a time into `sink`; false when absent. `limit` caps this
    // entry on top of the budget. An error from `sink` stops the reading and is returned.
    Result<bool> ReadInPieces(const std::string& name, size_t limit,
                              const std::function<Status(std::string_view)>& sink) {
        const zip_int64_t index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
        if (index < 0) return false;
        const auto uindex = static_cast<zip_uint64_t>(index);
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(archive_, uindex, 0, &stat) != 0) return NotXlsx();
        const size_t cap = std::min(limit, budget_);
        if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > cap) return TooLarge(name, limit);
        zip_file_t* file = zip_fopen_index(archive_, uindex, 0);
        if (file == nullptr) {
            if (zip_error_code_zip(zip_get_error(archive_)) == ZIP_ER_NOPASSWD) {
                return NotXlsx("文件已加密，请取消密码后再上传");
            }
            return NotXlsx();
        }
        size_t total = 0;
        char buffer[64 * 1024];
        for (;;) {
            const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
            if (n < 0) {
                zip_fclose(file);
                return NotXlsx();
            }
            if (n == 0) break;
            total += static_cast<size_t>(n);
            if (total > cap) {
                zip_fclose(file);
                return TooLarge(name, limit);
            }
            if (Status st = sink(std::string_view(buffer, static_cast<size_t>(n))); !st.ok()) {
                zip_fclose(file);
                return st.error();
            }
        }
        if (zip_fclose(file) != 0) return NotXlsx();
        budget_ -= total;
        return true;
    }

    // The inflated entry, nullopt when absent.
    Result<std::optional<std::string>> Read(const std::string& name, size_t limit) {
        std::string data;
        SHIAN_ASSIGN_OR_RETURN(bool found, ReadInPieces(name, limit, [&](std::string_view piece) -> Status {
                                   data.append(piece);
                                   return Ok();
                               }));
        if (!found) return std::optional<std::string>();
        return std::optional<std::string>(std::move(data));
    }

private:
    explicit ZipArchive(zip_t* archive) : archive_(archive) {}

    // The error for an entry over `limit` or over the remaining budget, whichever bound.
    Error TooLarge(const std::string& name, size_t limit) const {
        if (limit < budget_) {
            return {ErrorCode::kTooLarge, "XLSX 文件中的 " + name + " 过大，拒绝处理", "file"};
        }
        return TooLargeUncompressed();
    }

    zip_t* archive_;
    size_t budget_ = kMaxXlsxUncompressedBytes;
};

// --- OPC part names and relationships -------------------------------------------------

std::string DirectoryOf(const std::string& part) {
    const size_t slash = part.rfind('/');
    return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

std::string RelsPathOf(const std::string& part) {
    const size_t slash = part.rfind('/');
    const size_t name_start = slash == std::string::npos ? 0 : slash + 1;
    return part.substr(0, name_start) + "_rels/" + part.substr(name_start) + ".rels";
}

// Resolves a relationship target against the directory of its source part.
std::string ResolveTarget(const std::string& base_dir, std::string_view target) {
    std::string joined =
        target.starts_with('/') ? std::string(target.substr(1)) : base_dir + std::string(target);
    std::vector<std::string> segments;
    size_t start = 0;
    while (start <= joined.size()) {
        size_t slash = joined.find('/', start);
        if (slash == std::string::npos) slash = joined.size();
        const std::string segment = joined.substr(start, slash - start);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = slash + 1;
    }
    std::string out;
    for (const std::string& segment : segments) {
        if (!out.empty()) out.push_back('/');
        out.append(segment);
    }
    return out;
}

std::string_view LocalName(const char* qualified) {
    const std::string_view name(qualified);
    const size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node parent, std::string_view local_name) {
    for (pugi::xml_node child : parent.children()) {
        if (child.type() == pugi::node_element && LocalName(child.name()) == local_name) {
            return child;
        }
    }
    return {};
}

std::string_view Attr(pugi::xml_node node, std::string_view local_name) {
    for (pugi::xml_attribute attribute : node.attributes()) {
        const std::string_view name(attribute.name());
        if (name.starts_with("xmlns")) continue;
        if (LocalName(attribute.name()) == local_name) return attribute.value();
    }
    return {};
}

pugi::xml_node DocumentElement(const pugi::xml_document& doc) {
    for (pugi::xml_node child : doc.children()) {
        if (child.type() == pugi::node_element) return child;
    }
    return {};
}

Result<bool> ParseSmallXml(const std::string& xml, pugi::xml_document* doc) {
    const pugi::xml_parse_result parsed = doc->load_buffer(
        xml.data(), xml.size(), pugi::parse_default & ~pugi::parse_doctype, pugi::encoding_utf8);
    if (!parsed) return NotXlsx("XML 结构损坏");
    return true;
}

struct Relationship {
    std::string type;    // e.g. ".../worksheet"
    std::string target;  // resolved part name
};

// Relationships of `part`, keyed by id; empty when the part has no .rels file.
Result<std::vector<std::pair<std::string, Relationship>>> ReadRelationships(
    ZipArchive& zip, const std::string& part) {
    std::vector<std::pair<std::string, Relationship>> out;
    SHIAN_ASSIGN_OR_RETURN(auto xml, zip.Read(RelsPathOf(part), kMaxSmallPartBytes));
    if (!xml) return out;
    pugi::xml_document doc;
    SHIAN_TRY(ParseSmallXml(*xml, &doc));
    const std::string base_dir = DirectoryOf(part);
    for (pugi::xml_node rel : DocumentElement(doc).children()) {
        if (rel.type() != pugi::node_element || LocalName(rel.name()) != "Relationship") continue;
        if (Attr(rel, "TargetMode") == "External") continue;
        out.push_back(
            {std::string(Attr(rel, "Id")),
             {std::string(Attr(rel, "Type")), ResolveTarget(base_dir, Attr(rel, "Target"))}});
    }
    return out;
}

std::optional<std::string> FindTargetByType(
    const std::vector<std::pair<std::string, Relationship>>& rels, std::string_view type_suffix) {
    for (const auto& [id, rel] : rels) {
        if (rel.type.ends_with(type_suffix)) return rel.target;
    }
    return std::nullopt;
}

// --- Workbook ---------------------------------------------------------------------------

struct WorkbookInfo {
    std::string sheet_part;
    std::optional<std::string> shared_strings_part;
    std::optional<std::string> styles_part;
    bool date1904 = false;
};

Result<WorkbookInfo> ReadWorkbookInfo(ZipArchive& zip) {
    SHIAN_ASSIGN_OR_RETURN(auto root_rels, ReadRelationships(zip, ""));
    std::string workbook_part =
        FindTargetByType(root_rels, "/officeDocument").value_or("xl/workbook.xml");
    SHIAN_ASSIGN_OR_RETURN(auto workbook_xml, zip.Read(workbook_part, kMaxSmallPartBytes));
    if (!workbook_xml) {
        if (zip.Has("word/document.xml")) return NotXlsx("这是 Word 文档，不是 Excel 表格");
        if (zip.Has("content.xml")) return NotXlsx("这是 OpenDocument 文件，请另存为 .xlsx");
        return NotXlsx("压缩包中没有工作簿");
    }
    pugi::xml_document doc;
    SHIAN_TRY(ParseSmallXml(*workbook_xml, &doc));
    const pugi::xml_node workbook = DocumentElement(doc);
    if (LocalName(workbook.name()) != "workbook") return NotXlsx("压缩包中没有工作簿");

    WorkbookInfo info;
    const std::string_view date1904 = Attr(Child(workbook, "workbookPr"), "date1904");
    info.date1904 = date1904 == "1" || date1904 == "true";

    SHIAN_ASSIGN_OR_RETURN(auto rels, ReadRelationships(zip, workbook_part));
    for (pugi::xml_node sheet : Child(workbook, "sheets").children()) {
        if (sheet.type() != pugi::node_element || LocalName(sheet.name()) != "sheet") continue;
        const std::string_view rel_id = Attr(sheet, "id");
        for (const auto& [id, rel] : rels) {
            if (id == rel_id && rel.type.ends_with("/worksheet")) {
                info.sheet_part = rel.target;
                break;
            }
        }
        if (!info.sheet_part.empty()) break;
    }
    if (info.sheet_part.empty()) {
        const std::string fallback = DirectoryOf(workbook_part) + "worksheets/sheet1.xml";
        if (!zip.Has(fallback)) return NotXlsx("工作簿中没有工作表");
        info.sheet_part = fallback;
    }
    info.shared_strings_part = FindTargetByType(rels, "/sharedStrings");
    if (!info.shared_strings_part && rels.empty()) {
        info.shared_strings_part = DirectoryOf(workbook_part) + "sharedStrings.xml";
    }
    info.styles_part = FindTargetByType(rels, "/styles");
    if (!info.styles_part && rels.empty()) {
        info.styles_part = DirectoryOf(workbook_part) + "styles.xml";
    }
    return info;
}

// --- Styles: which cell formats are dates -----------------------------------------------

template <typename Int>
bool ParseUnsigned(std::string_view text, Int* value) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
    return ec == std::errc() && end == text.data() + text.size();
}

Result<std::vector<bool>> ReadDateStyles(ZipArchive& zip, const std::optional<std::string>& part) {
    std::vector<bool> date_styles;
    if (!part) return date_styles;
    SHIAN_ASSIGN_OR_RETURN(auto xml, zip.Read(*part, kMaxSmallPartBytes));
    if (!xml) return date_styles;
    pugi::xml_document doc;
    SHIAN_TRY(ParseSmallXml(*xml, &doc));
    const pugi::xml_node style_sheet = DocumentElement(doc);
    std::vector<std::pair<int, bool>> custom;  // numFmtId -> is date
    for (pugi::xml_node fmt : Child(style_sheet, "numFmts").children()) {
        int id;
        if (fmt.type() != pugi::node_element || !ParseUnsigned(Attr(fmt, "numFmtId"), &id)) {
            continue;
        }
        custom.push_back({id, IsDateFormatCode(Attr(fmt, "formatCode"))});
    }
    for (pugi::xml_node xf : Child(style_sheet, "cellXfs").children()) {
        if (xf.type() != pugi::node_element || LocalName(xf.name()) != "xf") continue;
        int id = 0;
        bool is_date = false;
        if (ParseUnsigned(Attr(xf, "numFmtId"), &id)) {
            is_date = IsBuiltinDateFormat(id);
            for (const auto& [custom_id, custom_is_date] : custom) {
                if (custom_id == id) is_date = custom_is_date;
            }
        }
        date_styles.push_back(is_date);
    }
    return date_styles;
}

// --- Shared strings ---------------------------------------------------------------------

// All shared strings in one buffer: entry i is data[ends[i-1], ends[i]).
struct SharedStrings {
    std::string data;
    std::vector<size_t> ends;

    std::optional<std::string_view> Get(size_t index) const {
        if (index >= ends.size()) return std::nullopt;
        const size_t begin = index == 0 ? 0 : ends[index - 1];
        return std::string_view(data).substr(begin, ends[index] - begin);
    }
};

Result<SharedStrings> ReadSharedStrings(ZipArchive& zip, const std::optional<std::string>& part) {
    SharedStrings strings;
    if (!part) return strings;
    SHIAN_ASSIGN_OR_RETURN(auto xml, zip.Read(*part, kMaxSharedStringsBytes));
    if (!xml) return strings;
    if (!IsValidUtf8(*xml)) return NotXlsx("共享字符串表不是 UTF-8 编码");
    XmlPullParser parser(*xml);
    std::string current;
    bool in_item = false;
    bool in_text = false;
    int phonetic_depth = 0;
    for (;;) {
        switch (parser.Next()) {
            case XmlPullParser::Event::kStartElement:
                if (parser.name() == "si") {
                    in_item = true;
                    current.clear();
                } else if (parser.name() == "t") {
                    in_text = in_item && phonetic_depth == 0;
                } else if (parser.name() == "rPh") {
                    ++phonetic_depth;
                }
                break;
            case XmlPullParser::Event::kEndElement:
                if (parser.name() == "si" && in_item) {
                    strings.data.append(UnescapeOoxml(current));
                    strings.ends.push_back(strings.data.size());
                    in_item = false;
                    in_text = false;
                    phonetic_depth = 0;
                } else if (parser.name() == "t") {
                    in_text = false;
                } else if (parser.name() == "rPh" && phonetic_depth > 0) {
                    --phonetic_depth;
                }
                break;
            case XmlPullParser::Event::kText:
                if (in_text) current.append(parser.text());
                break;
            case XmlPullParser::Event::kEnd:
                return strings;
            case XmlPullParser::Event::kError:
                return NotXlsx("共享字符串表损坏");
        }
    }
}

// --- Worksheet --------------------------------------------------------------------------

// Column index (0-based) from a cell reference such as "C7"; false when malformed.
bool ParseCellColumn(std::string_view ref, size_t* column) {
    size_t value = 0;
    size_t i = 0;
    while (i < ref.size() && i < 4) {
        char c = ref[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') break;
        value = value * 26 + static_cast<size_t>(c - 'A' + 1);
        ++i;
    }
    if (i == 0 || value > kMaxTableColumns) return false;
    size_t row = 0;
    if (i < ref.size() && !ParseUnsigned(ref.substr(i), &row)) return false;
    *column = value - 1;
    return true;
}

struct CellState {
    size_t column = 0;
    std::string type;
    size_t style = 0;
    std::string value;        // <v>
    std::string inline_text;  // <is><t>
    bool in_value = false;
    bool in_inline = false;
    bool in_text = false;
    int phonetic_depth = 0;
};

struct SheetContext {
    const SharedStrings& strings;
    const std::vector<bool>& date_styles;
    bool date1904;
};

Result<std::string> CellText(const CellState& cell, const SheetContext& context) {
    const std::string& type = cell.type;
    if (type == "inlineStr") return UnescapeOoxml(cell.inline_text);
    if (cell.value.empty()) return std::string();
    if (type == "s") {
        size_t index;
        std::optional<std::string_view> text;
        if (ParseUnsigned(cell.value, &index)) text = context.strings.Get(index);
        if (!text) return NotXlsx("单元格引用了不存在的共享字符串");
        return std::string(*text);
    }
    if (type == "str") return UnescapeOoxml(cell.value);
    if (type == "b") {
        if (cell.value == "1") return std::string("TRUE");
        if (cell.value == "0") return std::string("FALSE");
        return cell.value;
    }
    if (type == "e" || type == "d") return cell.value;
    if (cell.style < context.date_styles.size() && context.date_styles[cell.style]) {
        double serial;
        const char* begin = cell.value.data();
        const char* end = begin + cell.value.size();
        const auto [parsed_end, ec] = std::from_chars(begin, end, serial);
        if (ec == std::errc() && parsed_end == end) {
            if (auto date = FormatExcelSerialDate(serial, context.date1904)) return *date;
        }
    }
    return FormatXlsxNumber(cell.value);
}

// Reads a worksheet's XML in slices that each end just after a row's end tag (see
// EndOfLastRow): between rows the only state is "inside sheetData", so each slice is parsed by
// a fresh XmlPullParser and memory holds a slice, not the inflated sheet (196 MB for a
// 200,000-row export of shian's).
class SheetReader {
public:
    SheetReader(const SheetContext& context, size_t max_rows) : context_(context), builder_(max_rows) {}

    Status Feed(std::string_view xml) {
        if (finished_) return Ok();
        if (!IsValidUtf8(xml)) return NotXlsx("工作表不是 UTF-8 编码");
        XmlPullParser parser(xml);
        for (;;) {
            const XmlPullParser::Event event = parser.Next();
            if (event == XmlPullParser::Event::kError) return NotXlsx("工作表 XML 损坏");
            if (event == XmlPullParser::Event::kEnd) return Ok();
            const std::string_view name = parser.name();
            if (event == XmlPullParser::Event::kText) {
                if (cell_.in_value) cell_.value.append(parser.text());
                if (cell_.in_text) cell_.inline_text.append(parser.text());
                continue;
            }
            if (event == XmlPullParser::Event::kStartElement) {
                SHIAN_TRY(Start(parser, name));
                continue;
            }
            // kEndElement
            if (name == "sheetData") {
                finished_ = true;
                return Ok();
            }
            SHIAN_TRY(End(name));
        }
    }

    Result<Table> Finish() && { return std::move(builder_).Finish(); }

private:
    Status Start(const XmlPullParser& parser, std::string_view name) {
        if (name == "sheetData") {
            in_sheet_data_ = true;
        } else if (name == "row" && in_sheet_data_) {
            in_row_ = true;
            ++row_number_;
            if (parser.Attribute("r", &attribute_)) {
                if (!ParseUnsigned(attribute_, &row_number_) || row_number_ == 0 || row_number_ > kMaxExcelRows) {
                    return NotXlsx("行号无效");
                }
            }
            row_.clear();
            next_column_ = 0;
        } else if (name == "c" && in_row_) {
            in_cell_ = true;
            cell_ = CellState();
            cell_.column = next_column_;
            if (parser.Attribute("r", &attribute_) && !ParseCellColumn(attribute_, &cell_.column)) {
                return NotXlsx("单元格位置无效");
            }
            if (cell_.column >= kMaxTableColumns) return NotXlsx("列数超过 Excel 上限");
            if (!parser.Attribute("t", &cell_.type)) cell_.type = "n";
            if (parser.Attribute("s", &attribute_) && !ParseUnsigned(attribute_, &cell_.style)) {
                cell_.style = 0;
            }
        } else if (in_cell_) {
            if (name == "v") {
                cell_.in_value = true;
            } else if (name == "is") {
                cell_.in_inline = true;
            } else if (name == "rPh") {
                ++cell_.phonetic_depth;
            } else if (name == "t") {
                cell_.in_text = cell_.in_inline && cell_.phonetic_depth == 0;
            }
        }
        return Ok();
    }

    Status End(std::string_view name) {
        if (name == "row" && in_row_) {
            in_row_ = false;
            in_cell_ = false;
            return builder_.AddRow(row_, row_number_);
        }
        if (!in_cell_) return Ok();
        if (name == "v") {
            cell_.in_value = false;
        } else if (name == "is") {
            cell_.in_inline = false;
        } else if (name == "rPh" && cell_.phonetic_depth > 0) {
            --cell_.phonetic_depth;
        } else if (name == "t") {
            cell_.in_text = false;
        } else if (name == "c") {
            in_cell_ = false;
            SHIAN_ASSIGN_OR_RETURN(std::string text, CellText(cell_, context_));
            if (!text.empty()) {
                if (cell_.column >= row_.size()) row_.resize(cell_.column + 1);
                row_[cell_.column] = std::move(text);
            }
            next_column_ = cell_.column + 1;
        }
        return Ok();
    }

    const SheetContext& context_;
    TableBuilder builder_;
    std::vector<std::string> row_;
    std::string attribute_;
    CellState cell_;
    bool in_sheet_data_ = false;
    bool in_row_ = false;
    bool in_cell_ = false;
    bool finished_ = false;  // </sheetData> seen: the rest is ignored
    size_t row_number_ = 0;
    size_t next_column_ = 0;
};

bool IsXmlNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Where the last row end tag (</row> or </prefix:row>) in `xml` whose "row>" starts at or
// after `from` ends; 0 when there is none. (A "</row>" inside a CDATA section would be taken
// for one and the file refused as broken; spreadsheet programs do not write CDATA in sheets.)
size_t EndOfLastRow(std::string_view xml, size_t from) {
    const std::string_view window = xml.substr(std::min(from, xml.size()));
    size_t in_window = window.size();
    while (in_window > 0) {
        in_window = window.rfind("row>", in_window - 1);
        if (in_window == std::string_view::npos) return 0;
        const size_t at = from + in_window;
        size_t name = at;
        if (name >= 1 && xml[name - 1] == ':') {  // a prefix (of at most 64 bytes here)
            name -= 1;
            const size_t stop = name > 64 ? name - 64 : 0;
            while (name > stop && IsXmlNameChar(xml[name - 1])) --name;
        }
        if (name >= 2 && xml[name - 1] == '/' && xml[name - 2] == '<') return at + 4;
    }
    return 0;
}

}  // namespace

Result<Table> ReadXlsx(std::string_view bytes, size_t max_rows) {
    SHIAN_ASSIGN_OR_RETURN(auto zip, ZipArchive::Open(bytes));
    SHIAN_ASSIGN_OR_RETURN(WorkbookInfo info, ReadWorkbookInfo(*zip));
    SHIAN_ASSIGN_OR_RETURN(std::vector<bool> date_styles, ReadDateStyles(*zip, info.styles_part));
    SHIAN_ASSIGN_OR_RETURN(SharedStrings strings,
                           ReadSharedStrings(*zip, info.shared_strings_part));
    const SheetContext context{strings, date_styles, info.date1904};
    SheetReader reader(context, max_rows);
    std::string pending;  // inflated, not yet parsed: after the last complete row
    size_t row_end = 0;   // the end of the last complete row in `pending`, 0 when none
    auto take = [&](std::string_view piece) -> Status {
        size_t from = pending.size() >= 3 ? pending.size() - 3 : 0;  // "row>" may straddle pieces
        pending.append(piece);
        if (size_t end = EndOfLastRow(pending, from); end != 0) row_end = end;
        if (pending.size() < kSheetSliceBytes) return Ok();
        if (row_end == 0) {
            if (pending.size() <= kMaxSheetRowBytes) return Ok();
            return Error{ErrorCode::kTooLarge, "XLSX 工作表中有一行超过 32 MB，拒绝处理", "file"};
        }
        SHIAN_TRY(reader.Feed(std::string_view(pending).substr(0, row_end)));
        pending.erase(0, row_end);
        row_end = 0;
        return Ok();
    };
    SHIAN_ASSIGN_OR_RETURN(bool found, zip->ReadInPieces(info.sheet_part, kMaxXlsxUncompressedBytes, take));
    if (!found) return NotXlsx("找不到工作表 " + info.sheet_part);
    SHIAN_TRY(reader.Feed(pending));
    return std::move(reader).Finish();
}

}  // namespace shian::io
