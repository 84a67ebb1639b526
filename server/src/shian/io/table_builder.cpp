// Implements table_builder.hpp.
#include "shian/io/table_builder.hpp"

#include <utility>

namespace shian::io {
namespace {

bool IsBlankRow(const std::vector<std::string>& cells) {
    for (const std::string& cell : cells) {
        if (!TrimCell(cell).empty()) return false;
    }
    return true;
}

}  // namespace

std::string_view TrimCell(std::string_view text) {
    static constexpr std::string_view kWideSpaces[] = {"\xC2\xA0", "\xE3\x80\x80", "\xEF\xBB\xBF"};
    bool changed = true;
    while (changed && !text.empty()) {
        changed = false;
        const char front = text.front();
        const char back = text.back();
        if (front == ' ' || front == '\t' || front == '\r' || front == '\n' || front == '\f' ||
            front == '\v') {
            text.remove_prefix(1);
            changed = true;
            continue;
        }
        if (back == ' ' || back == '\t' || back == '\r' || back == '\n' || back == '\f' ||
            back == '\v') {
            text.remove_suffix(1);
            changed = true;
            continue;
        }
        for (std::string_view space : kWideSpaces) {
            if (text.starts_with(space)) {
                text.remove_prefix(space.size());
                changed = true;
            } else if (text.ends_with(space)) {
                text.remove_suffix(space.size());
                changed = true;
            }
        }
    }
    return text;
}

Status TableBuilder::AddRow(std::vector<std::string>& cells, size_t row_number) {
    if (IsBlankRow(cells)) {
        cells.clear();
        return Ok();
    }
    if (!has_header_) {
        has_header_ = true;
        for (std::string& cell : cells) {
            const std::string_view trimmed = TrimCell(cell);
            if (trimmed.size() != cell.size()) cell = std::string(trimmed);
        }
        while (!cells.empty() && cells.back().empty()) cells.pop_back();
        total_cells_ = cells.size();
        table_.header = std::move(cells);
        cells.clear();
        return Ok();
    }
    const size_t width = table_.header.size();
    if (cells.size() > width) {
        for (size_t i = width; i < cells.size(); ++i) {
            if (!TrimCell(cells[i]).empty()) {
                return Error{ErrorCode::kInvalidArgument,
                             "第" + std::to_string(row_number) + "行第" + std::to_string(i + 1) +
                                 "列有内容，但该列没有表头（表头共" + std::to_string(width) +
                                 "列）",
                             "file"};
            }
        }
        cells.resize(width);
    }
    if (table_.rows.size() >= max_rows_) {
        return Error{
            ErrorCode::kTooLarge,
            "文件数据行数超过上限（最多 " + std::to_string(max_rows_) + " 行），请拆分后导入",
            "file"};
    }
    total_cells_ += width;
    if (total_cells_ > kMaxTableCells) {
        return Error{ErrorCode::kTooLarge, "表格单元格总数超过上限，请拆分后导入", "file"};
    }
    cells.resize(width);
    table_.rows.push_back(std::move(cells));
    table_.row_numbers.push_back(row_number);
    cells.clear();
    return Ok();
}

Result<Table> TableBuilder::Finish() && {
    if (!has_header_) {
        return Error{ErrorCode::kInvalidArgument, "文件为空：没有找到表头行", "file"};
    }
    return std::move(table_);
}

}  // namespace shian::io
