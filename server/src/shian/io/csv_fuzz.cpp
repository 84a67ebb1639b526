// libFuzzer target for the CSV reader (ReadCsv, ReadTable) and the WriteCsv round trip.
// Built by scripts/run-fuzz.sh, not by the main CMake build.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "shian/io/csv.hpp"
#include "shian/io/read_table.hpp"
#include "shian/io/text_encoding.hpp"

namespace {

void Check(bool condition) {
    if (!condition) std::abort();
}

bool StartsWithFormulaTrigger(const std::string& cell) {
    return !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                             cell[0] == '\t' || cell[0] == '\r');
}

void CheckTable(const shian::io::Table& table) {
    Check(!table.header.empty() && !table.header.back().empty());
    Check(table.rows.size() == table.row_numbers.size());
    for (const std::string& name : table.header) Check(shian::io::IsValidUtf8(name));
    for (size_t i = 0; i < table.rows.size(); ++i) {
        Check(table.rows[i].size() == table.header.size());
        Check(i == 0 || table.row_numbers[i] > table.row_numbers[i - 1]);
        for (const std::string& cell : table.rows[i]) Check(shian::io::IsValidUtf8(cell));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto table = shian::io::ReadCsv(bytes, 100'000);
    auto via_table = shian::io::ReadTable(bytes, "upload.csv", 100'000);
    Check(table.ok() == via_table.ok() || size == 0);
    if (!table.ok()) return 0;
    CheckTable(*table);

    // Whatever was read must survive a write and a second read, cell for cell, except that
    // the formula guard adds a leading quote.
    auto again = shian::io::ReadCsv(shian::io::WriteCsv(*table), 100'000);
    Check(again.ok());
    CheckTable(*again);
    Check(again->header.size() == table->header.size());
    Check(again->rows.size() == table->rows.size());
    for (size_t i = 0; i < table->rows.size(); ++i) {
        for (size_t j = 0; j < table->header.size(); ++j) {
            const std::string& cell = table->rows[i][j];
            if (StartsWithFormulaTrigger(cell)) {
                Check(again->rows[i][j].ends_with(cell));
            } else {
                Check(again->rows[i][j] == cell);
            }
        }
    }
    return 0;
}
