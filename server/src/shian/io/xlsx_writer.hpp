// XLSX writing (exports) with libxlsxwriter.
// Thread-safety: reentrant (each call uses its own private temporary directory).
#pragma once

#include <memory>
#include <string>

#include "shian/core/error.hpp"
#include "shian/io/table.hpp"
#include "shian/io/table_writer.hpp"

namespace shian::io {

// Writes `table` as a one-sheet .xlsx file and returns its bytes. The header row is bold
// and frozen; column widths follow the content (CJK characters count double) and
// multi-line cells wrap. Every cell is written as text with the "@" format, so codes such
// as 统一社会信用代码 or ID numbers keep leading zeros and are never turned into floats,
// and nothing is evaluated as a formula. `sheet_name` is made valid for Excel (forbidden
// characters become '_', at most 31 characters; empty becomes "Sheet1"). Ill-formed UTF-8
// is replaced with U+FFFD.
// Errors: kTooLarge past Excel's 1,048,576 rows / 16,384 columns or a cell over 32,767
// characters (the message names the row); kInternal when the temporary file fails.
Result<std::string> WriteXlsx(const Table& table, const std::string& sheet_name);

// The same, row by row (the header first): memory holds the first 10,000 rows, which decide
// the column widths, and libxlsxwriter's buffers; AddRow fails with kTooLarge as above.
std::unique_ptr<TableWriter> MakeXlsxWriter(const std::string& sheet_name);

}  // namespace shian::io
