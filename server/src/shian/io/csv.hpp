// CSV reading and writing (RFC 4180, comma-separated) for imports and exports.
// Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "shian/core/error.hpp"
#include "shian/io/table.hpp"
#include "shian/io/table_writer.hpp"

namespace shian::io {

// Parses an uploaded CSV file. The bytes are decoded with DecodeText (UTF-8 with or without
// BOM, or GB18030); binary content gives kUnsupportedMedia. Quoted fields may contain
// commas, doubled quotes and line breaks; records end with CRLF, LF or CR. The first
// non-blank record is the header; an Excel "sep=," first line is skipped. Row numbers count
// records as Excel shows them (blank lines included, a quoted multi-line cell is one row).
// Errors: kInvalidArgument for an unterminated quote (naming the row where it starts), an
// empty file, a cell under no header, more than kMaxTableColumns columns; kTooLarge past
// max_rows data rows.
Result<Table> ReadCsv(std::string_view bytes, size_t max_rows = 2'000'000);

// Parses already-decoded UTF-8 text (no decoding or binary check); same rules as ReadCsv.
Result<Table> ParseCsvText(std::string_view text, size_t max_rows = 2'000'000);

// Writes `table` as CSV: optional UTF-8 BOM (so Excel detects the encoding), CRLF record
// ends, and quotes around cells containing a comma, quote, CR or LF.
//
// CSV formula injection guard (export only): a cell starting with '=', '+', '-', '@', TAB or
// CR is prefixed with a single quote (') so spreadsheet programs show it as text instead of
// evaluating it. Plain numbers such as "-12.5" or "+86" are left alone since they cannot be
// formulas. Reading never strips the quote: a file written and read back keeps the prefix.
std::string WriteCsv(const Table& table, bool with_bom = true);
// The same, row by row (the header first).
std::unique_ptr<TableWriter> MakeCsvWriter(bool with_bom = true);

}  // namespace shian::io
