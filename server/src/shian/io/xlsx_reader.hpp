// XLSX reading: the first worksheet of an uploaded .xlsx workbook as a Table.
// Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <string_view>

#include "shian/core/error.hpp"
#include "shian/io/table.hpp"

namespace shian::io {

// Total uncompressed bytes ReadXlsx will inflate (zip bomb guard: inflating and parsing it
// takes seconds, not memory — the worksheet is parsed a slice at a time) and its entry limit.
// A 200,000-row export of shian's (inline strings) inflates to ~200 MB.
inline constexpr size_t kMaxXlsxUncompressedBytes = 512 * 1024 * 1024;
inline constexpr size_t kMaxXlsxEntries = 10'000;

// Reads the first worksheet of an .xlsx file held in memory; memory holds the table, the
// shared strings and about 1 MB of the inflated sheet. The header is the first row
// with a non-blank cell; row numbers come from the sheet's row numbers ("r" attributes).
// Cell values: shared and inline strings (rich-text runs joined, phonetic runs dropped),
// formula results as cached in the file, booleans as TRUE/FALSE, numbers as written but
// without float noise (see FormatXlsxNumber: "3" not "3.0"), and numbers with a date/time
// format as "YYYY-MM-DD" / "YYYY-MM-DD HH:MM:SS". Gaps between cells are empty strings.
// Errors: kUnsupportedMedia "不是有效的 XLSX 文件…" for anything that is not a readable
// workbook (not a zip, truncated, encrypted, no worksheet, malformed XML); kTooLarge past
// kMaxXlsxUncompressedBytes / kMaxXlsxEntries / max_rows / kMaxTableCells; kInvalidArgument
// for an empty sheet or a cell under no header.
Result<Table> ReadXlsx(std::string_view bytes, size_t max_rows = 2'000'000);

}  // namespace shian::io
