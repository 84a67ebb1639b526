// Table: the in-memory form of an imported or exported spreadsheet (CSV or XLSX).
//
// All cells are UTF-8 strings; interpretation (numbers, dates, codes) is the caller's job.
// Readers guarantee: header names are trimmed and have no trailing empty names, every row
// has exactly header.size() cells, rows whose cells are all blank are dropped, and
// row_numbers[i] is the spreadsheet row of rows[i] as a clerk sees it in Excel (the header
// is normally row 1), for messages such as "第N行".
// Thread-safety: plain value.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace shian::io {

struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<size_t> row_numbers;  // parallel to rows; 1-based spreadsheet row numbers
};

// Upper bound on the cells a reader materialises (including the empty cells that pad short
// rows), which bounds memory for hostile inputs such as sparse XLSX sheets.
inline constexpr size_t kMaxTableCells = 10'000'000;

// Excel's column limit (XFD); readers refuse wider tables.
inline constexpr size_t kMaxTableColumns = 16'384;

}  // namespace shian::io
