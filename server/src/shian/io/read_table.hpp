// ReadTable: reads an uploaded spreadsheet (CSV or XLSX), checking that the file's content
// matches its extension, plus the content sniffing it relies on.
// Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <string_view>

#include "shian/core/error.hpp"
#include "shian/io/table.hpp"

namespace shian::io {

enum class FileKind { kCsv, kXlsx, kUnknown };

// Guesses the kind from content alone: a zip signature (PK\x03\x04 or an empty zip) is an
// XLSX candidate, non-empty bytes that look like text are CSV, anything else (empty,
// images, PDF, legacy .xls, ...) is kUnknown.
FileKind SniffFileKind(std::string_view bytes);

// Reads a table from an upload named `filename` (only its extension is used, case-
// insensitively: .csv or .xlsx). Both the extension and the content must agree; a mismatch
// (an .xlsx that is text, a .csv that is a zip or an image, a renamed .xls) gives
// kUnsupportedMedia with a Chinese message saying what was expected. An empty file gives
// kInvalidArgument. Otherwise see ReadCsv / ReadXlsx.
Result<Table> ReadTable(std::string_view bytes, std::string_view filename,
                        size_t max_rows = 2'000'000);

}  // namespace shian::io
