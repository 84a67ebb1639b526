// Implements csv.hpp: a single-pass, allocation-light RFC 4180 parser and a writer.
#include "shian/io/csv.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "shian/io/table_builder.hpp"
#include "shian/io/text_encoding.hpp"

namespace shian::io {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Bytes that end an unquoted field.
constexpr std::array<bool, 256> MakeFieldEndTable() {
    std::array<bool, 256> table{};
    table[static_cast<unsigned char>(',')] = true;
    table[static_cast<unsigned char>('\n')] = true;
    table[static_cast<unsigned char>('\r')] = true;
    return table;
}
constexpr std::array<bool, 256> kFieldEnd = MakeFieldEndTable();

const char* FindFieldEnd(const char* p, const char* end) {
    while (end - p >= 4) {
        if (kFieldEnd[static_cast<unsigned char>(p[0])]) return p;
        if (kFieldEnd[static_cast<unsigned char>(p[1])]) return p + 1;
        if (kFieldEnd[static_cast<unsigned char>(p[2])]) return p + 2;
        if (kFieldEnd[static_cast<unsigned char>(p[3])]) return p + 3;
        p += 4;
    }
    while (p < end && !kFieldEnd[static_cast<unsigned char>(*p)]) ++p;
    return p;
}

// Number of LF-terminated lines: an upper bound on the records, for reserving.
size_t CountLines(std::string_view text) {
    if (text.empty()) return 0;
    size_t count = 0;
    const char* p = text.data();
    const char* const end = p + text.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) !=
           nullptr) {
        ++count;
        ++p;
    }
    return count;
}

// Skips an Excel "sep=," hint line at the very start.
std::string_view SkipSeparatorHint(std::string_view text) {
    for (std::string_view hint : {std::string_view("sep=,\r\n"), std::string_view("sep=,\n")}) {
        if (text.starts_with(hint)) return text.substr(hint.size());
    }
    return text;
}

// True for a plain decimal number such as "-12", "+3.5" or "-.5e3": cannot be a formula.
bool IsPlainNumber(std::string_view cell) {
    size_t i = 0;
    if (i < cell.size() && (cell[i] == '+' || cell[i] == '-')) ++i;
    size_t digits = 0;
    while (i < cell.size() && cell[i] >= '0' && cell[i] <= '9') ++i, ++digits;
    if (i < cell.size() && cell[i] == '.') {
        ++i;
        while (i < cell.size() && cell[i] >= '0' && cell[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < cell.size() && (cell[i] == 'e' || cell[i] == 'E')) {
        ++i;
        if (i < cell.size() && (cell[i] == '+' || cell[i] == '-')) ++i;
        size_t exponent_digits = 0;
        while (i < cell.size() && cell[i] >= '0' && cell[i] <= '9') ++i, ++exponent_digits;
        if (exponent_digits == 0) return false;
    }
    return i == cell.size();
}

bool NeedsFormulaGuard(std::string_view cell) {
    if (cell.empty()) return false;
    const char c = cell.front();
    if (c == '\t' || c == '\r' || c == '=' || c == '@') return true;
    return (c == '+' || c == '-') && !IsPlainNumber(cell);
}

bool NeedsQuotes(std::string_view cell) {
    return cell.find_first_of(",\"\r\n") != std::string_view::npos;
}

void AppendCell(std::string_view cell, std::string* out) {
    const bool guard = NeedsFormulaGuard(cell);
    if (!NeedsQuotes(cell)) {
        if (guard) out->push_back('\'');
        out->append(cell);
        return;
    }
    out->push_back('"');
    if (guard) out->push_back('\'');
    for (char c : cell) {
        if (c == '"') out->push_back('"');
        out->push_back(c);
    }
    out->push_back('"');
}

void AppendRecord(const std::vector<std::string>& cells, std::string* out) {
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendCell(cells[i], out);
    }
    out->append("\r\n");
}

Error TooManyColumns(size_t row_number) {
    return Error{ErrorCode::kInvalidArgument,
                 "第" + std::to_string(row_number) + "行的列数超过上限（最多 " +
                     std::to_string(kMaxTableColumns) + " 列）",
                 "file"};
}

}  // namespace

Result<Table> ParseCsvText(std::string_view text, size_t max_rows) {
    text = SkipSeparatorHint(text);
    TableBuilder builder(max_rows);
    builder.ReserveRows(std::min(CountLines(text), max_rows));
    const char* p = text.data();
    const char* const end = p + text.size();
    std::vector<std::string> cells;
    size_t row_number = 0;
    size_t width_hint = 0;
    while (p < end) {
        ++row_number;
        cells.reserve(width_hint);
        for (;;) {
            if (p < end && *p == '"') {
                std::string cell;
                ++p;
                for (;;) {
                    const auto* quote =
                        static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
                    if (quote == nullptr) {
                        return Error{ErrorCode::kInvalidArgument,
                                     "第" + std::to_string(row_number) +
                                         "行：引号未闭合（以双引号开头的单元格缺少结束的双引号）",
                                     "file"};
                    }
                    cell.append(p, quote);
                    p = quote + 1;
                    if (p < end && *p == '"') {
                        cell.push_back('"');
                        ++p;
                        continue;
                    }
                    break;
                }
                // Lenient like Excel: text after the closing quote belongs to the cell.
                const char* field_end = FindFieldEnd(p, end);
                cell.append(p, field_end);
                p = field_end;
                cells.push_back(std::move(cell));
            } else {
                const char* field_end = FindFieldEnd(p, end);
                cells.emplace_back(p, field_end);
                p = field_end;
            }
            if (cells.size() > kMaxTableColumns) return TooManyColumns(row_number);
            if (p < end && *p == ',') {
                ++p;
                continue;
            }
            if (p < end) {
                if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
                ++p;
            }
            break;
        }
        if (!builder.has_header()) width_hint = cells.size();
        SHIAN_TRY(builder.AddRow(cells, row_number));
        if (builder.has_header()) width_hint = builder.header_width();
    }
    return std::move(builder).Finish();
}

Result<Table> ReadCsv(std::string_view bytes, size_t max_rows) {
    std::string storage;
    SHIAN_ASSIGN_OR_RETURN(std::string_view text, DecodeTextView(bytes, &storage));
    return ParseCsvText(text, max_rows);
}

namespace {

class CsvWriter final : public TableWriter {
public:
    explicit CsvWriter(bool with_bom) {
        if (with_bom) out_.append(kUtf8Bom);
    }
    Status AddRow(const std::vector<std::string>& cells) override {
        AppendRecord(cells, &out_);
        return Ok();
    }
    Result<std::string> Finish() override { return std::move(out_); }

private:
    std::string out_;
};

}  // namespace

std::unique_ptr<TableWriter> MakeCsvWriter(bool with_bom) { return std::make_unique<CsvWriter>(with_bom); }

std::string WriteCsv(const Table& table, bool with_bom) {
    size_t estimate = kUtf8Bom.size() + 2;
    for (const std::string& name : table.header) estimate += name.size() + 1;
    for (const auto& row : table.rows) {
        estimate += 2;
        for (const std::string& cell : row) estimate += cell.size() + 1;
    }
    std::string out;
    out.reserve(estimate + estimate / 16);
    if (with_bom) out.append(kUtf8Bom);
    AppendRecord(table.header, &out);
    for (const auto& row : table.rows) AppendRecord(row, &out);
    return out;
}

}  // namespace shian::io
