// TableWriter: a spreadsheet file (CSV or XLSX) written a row at a time, so that an export
// of any size never holds its rows. Made by MakeCsvWriter (csv.hpp) and MakeXlsxWriter
// (xlsx_writer.hpp).
// Thread-safety: one writer per thread.
#pragma once

#include <string>
#include <vector>

#include "shian/core/error.hpp"

namespace shian::io {

class TableWriter {
public:
    virtual ~TableWriter() = default;
    // Adds the next row; the first is the header.
    virtual Status AddRow(const std::vector<std::string>& cells) = 0;
    // The file's bytes. Call once, after the last row.
    virtual Result<std::string> Finish() = 0;
};

}  // namespace shian::io
