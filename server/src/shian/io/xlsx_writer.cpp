// Implements xlsx_writer.hpp. libxlsxwriter 1.1 can only write to a file, so each call
// creates a private directory with mkdtemp (also used as libxlsxwriter's tmpdir), writes
// the workbook there, reads the bytes back and removes the directory.
#include "shian/io/xlsx_writer.hpp"

#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>
#include <vector>

#include "shian/io/text_encoding.hpp"
#include "shian/io/xlsx_values.hpp"

namespace shian::io {
namespace {

constexpr size_t kMaxExcelRows = 1'048'576;
constexpr size_t kMaxCellChars = 32'767;
constexpr size_t kMaxSheetNameChars = 31;
constexpr double kMinColumnWidth = 8;
constexpr double kMaxColumnWidth = 60;
constexpr size_t kWidthSampleRows = 10'000;

// Removes the directory tree when it goes out of scope.
class TempDir {
public:
    TempDir() {
        std::error_code ec;
        std::filesystem::path base = std::filesystem::temp_directory_path(ec);
        if (ec) base = "/tmp";
        std::string pattern = (base / "shian-xlsx-XXXXXX").string();
        if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    }
    ~TempDir() {
        if (!path_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(path_, ec);
        }
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    bool ok() const { return !path_.empty(); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Closes (and so writes) the workbook if the function returns early.
struct WorkbookCloser {
    lxw_workbook* workbook;
    ~WorkbookCloser() {
        if (workbook != nullptr) workbook_close(workbook);
    }
};

Error WriteFailed() { return Error::Internal("生成 XLSX 文件失败"); }

// Decodes the code point at text[*pos] (valid UTF-8) and advances *pos.
char32_t NextCodePoint(std::string_view text, size_t* pos) {
    const auto c = static_cast<unsigned char>(text[*pos]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    len = std::min(len, text.size() - *pos);
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < len; ++i) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[*pos + i]) & 0x3F);
    }
    *pos += len;
    return cp;
}

bool IsWide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

// Display width of the longest line (CJK counts 2) and the number of code points.
void Measure(std::string_view text, size_t* width, size_t* code_points) {
    size_t pos = 0;
    size_t line = 0;
    *width = 0;
    *code_points = 0;
    while (pos < text.size()) {
        const char32_t cp = NextCodePoint(text, &pos);
        ++*code_points;
        if (cp == '\n') {
            line = 0;
            continue;
        }
        line += IsWide(cp) ? 2 : 1;
        *width = std::max(*width, line);
    }
}

std::string ValidSheetName(const std::string& requested) {
    const std::string name = SanitizeUtf8(requested);
    std::string out;
    size_t pos = 0;
    size_t count = 0;
    while (pos < name.size() && count < kMaxSheetNameChars) {
        const size_t start = pos;
        const char32_t cp = NextCodePoint(name, &pos);
        if (cp < 0x20 || std::u32string_view(U"[]:*?/\\").find(cp) != std::u32string_view::npos) {
            out.push_back('_');
        } else {
            out.append(name, start, pos - start);
        }
        ++count;
    }
    while (!out.empty() && out.front() == '\'') out.erase(0, 1);
    while (!out.empty() && out.back() == '\'') out.pop_back();
    return out.empty() ? std::string("Sheet1") : out;
}

Error CellTooLong(size_t row_number, size_t column) {
    return Error{ErrorCode::kTooLarge,
                 "第" + std::to_string(row_number) + "行第" + std::to_string(column + 1) +
                     "列内容超过 Excel 单元格上限（32767 个字符）",
                 "file"};
}

// Rows are held until kWidthSampleRows of them (after the header) have come, which decide
// the column widths (libxlsxwriter's constant-memory mode needs them before the first row);
// then each row goes straight to the sheet's temporary file.
class XlsxWriter final : public TableWriter {
public:
    explicit XlsxWriter(const std::string& sheet_name) : sheet_name_(ValidSheetName(sheet_name)) {}

    Status AddRow(const std::vector<std::string>& cells) override {
        if (rows_ + 1 > kMaxExcelRows) {
            return Error{ErrorCode::kTooLarge,
                         "数据超过 Excel 的行数上限（1048576 行），请缩小范围后导出", "file"};
        }
        if (cells.size() > kMaxTableColumns) {
            return Error{ErrorCode::kTooLarge, "数据超过 Excel 的列数上限（16384 列）", "file"};
        }
        ++rows_;
        if (sheet_ != nullptr) return Write(cells, rows_ - 1);
        sample_.push_back(cells);
        if (sample_.size() > kWidthSampleRows) return Open();
        return Ok();
    }

    Result<std::string> Finish() override {
        if (sheet_ == nullptr) SHIAN_TRY(Open());
        lxw_workbook* workbook = closer_.workbook;
        closer_.workbook = nullptr;
        if (workbook_close(workbook) != LXW_NO_ERROR) return WriteFailed();
        std::ifstream in(file_path_, std::ios::binary);
        if (!in) return WriteFailed();
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad() || bytes.empty()) return WriteFailed();
        return bytes;
    }

private:
    // Creates the workbook, sizes the columns from the rows held, and writes them.
    Status Open() {
        dir_.emplace();
        if (!dir_->ok()) return WriteFailed();
        file_path_ = dir_->path() + "/export.xlsx";
        lxw_workbook_options options = {};
        options.constant_memory = LXW_TRUE;
        options.tmpdir = const_cast<char*>(dir_->path().c_str());
        closer_.workbook = workbook_new_opt(file_path_.c_str(), &options);
        lxw_workbook* workbook = closer_.workbook;
        if (workbook == nullptr) return WriteFailed();
        sheet_ = workbook_add_worksheet(workbook, sheet_name_.c_str());
        if (sheet_ == nullptr) return WriteFailed();

        text_format_ = workbook_add_format(workbook);
        format_set_num_format(text_format_, "@");
        wrap_format_ = workbook_add_format(workbook);  // multi-line cells
        format_set_num_format(wrap_format_, "@");
        format_set_text_wrap(wrap_format_);
        header_format_ = workbook_add_format(workbook);
        format_set_num_format(header_format_, "@");
        format_set_bold(header_format_);

        size_t columns = 0;
        for (const auto& row : sample_) columns = std::max(columns, row.size());
        std::vector<size_t> widths(columns, 0);
        size_t width;
        size_t code_points;
        for (const auto& row : sample_) {
            for (size_t c = 0; c < row.size(); ++c) {
                Measure(row[c], &width, &code_points);
                widths[c] = std::max(widths[c], width);
            }
        }
        for (size_t c = 0; c < columns; ++c) {
            const double chars =
                std::clamp(static_cast<double>(widths[c]) + 2, kMinColumnWidth, kMaxColumnWidth);
            worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), chars,
                                 text_format_);
        }
        worksheet_freeze_panes(sheet_, 1, 0);
        std::vector<std::vector<std::string>> held = std::move(sample_);
        sample_.clear();
        for (size_t r = 0; r < held.size(); ++r) SHIAN_TRY(Write(held[r], r));
        return Ok();
    }

    // Row `index` of the sheet (0: the header).
    Status Write(const std::vector<std::string>& cells, size_t index) {
        lxw_format* format = index == 0 ? header_format_ : text_format_;
        size_t width;
        size_t code_points;
        for (size_t c = 0; c < cells.size(); ++c) {
            if (cells[c].empty()) continue;
            Measure(cells[c], &width, &code_points);
            if (code_points > kMaxCellChars) return CellTooLong(index + 1, c);
            const std::string text = EscapeOoxmlLiteral(SanitizeUtf8(cells[c]));
            lxw_format* cell_format =
                format == text_format_ && text.find('\n') != std::string::npos ? wrap_format_ : format;
            const lxw_error rc = worksheet_write_string(sheet_, static_cast<lxw_row_t>(index),
                                                        static_cast<lxw_col_t>(c), text.c_str(), cell_format);
            if (rc != LXW_NO_ERROR) return WriteFailed();
        }
        return Ok();
    }

    const std::string sheet_name_;
    std::optional<TempDir> dir_;  // from Open; declared before closer_: the workbook closes first
    WorkbookCloser closer_{nullptr};
    std::string file_path_;
    lxw_worksheet* sheet_ = nullptr;
    lxw_format* text_format_ = nullptr;
    lxw_format* wrap_format_ = nullptr;
    lxw_format* header_format_ = nullptr;
    size_t rows_ = 0;  // rows added, the header included
    std::vector<std::vector<std::string>> sample_;
};

}  // namespace

std::unique_ptr<TableWriter> MakeXlsxWriter(const std::string& sheet_name) {
    return std::make_unique<XlsxWriter>(sheet_name);
}

Result<std::string> WriteXlsx(const Table& table, const std::string& sheet_name) {
    XlsxWriter writer(sheet_name);
    SHIAN_TRY(writer.AddRow(table.header));
    for (const auto& row : table.rows) SHIAN_TRY(writer.AddRow(row));
    return writer.Finish();
}

}  // namespace shian::io
