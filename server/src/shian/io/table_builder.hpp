// TableBuilder: shared finishing rules for the CSV and XLSX readers (internal to shian::io).
//
// Rows are fed in source order with their spreadsheet row numbers. The first row with a
// non-blank cell becomes the header (names trimmed, trailing empty names dropped); later
// blank rows are skipped; data rows are padded to the header width, and a non-blank cell
// to the right of the last header column is an error. Enforces max_rows and
// kMaxTableCells. Thread-safety: one builder per thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shian/core/error.hpp"
#include "shian/io/table.hpp"

namespace shian::io {

// Trims ASCII whitespace, U+00A0, U+3000 (全角空格) and U+FEFF from both ends.
std::string_view TrimCell(std::string_view text);

class TableBuilder {
public:
    explicit TableBuilder(size_t max_rows) : max_rows_(max_rows) {}

    // Takes a source row; `cells` may be reused by the caller afterwards (it is left empty).
    Status AddRow(std::vector<std::string>& cells, size_t row_number);

    // Capacity hint for the data rows.
    void ReserveRows(size_t rows) {
        table_.rows.reserve(rows);
        table_.row_numbers.reserve(rows);
    }

    // The table, or kInvalidArgument when no header row was seen.
    Result<Table> Finish() &&;

    bool has_header() const { return has_header_; }
    size_t header_width() const { return table_.header.size(); }

private:
    Table table_;
    size_t max_rows_;
    size_t total_cells_ = 0;
    bool has_header_ = false;
};

}  // namespace shian::io
