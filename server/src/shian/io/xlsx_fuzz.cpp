// libFuzzer target for the XLSX reader (ReadXlsx, ReadTable).
//
// The first input byte picks the mode: even = the rest is the file itself (exercises
// libzip and the structure checks); odd = the rest is up to three XML documents separated
// by "\n--\n" (worksheet, shared strings, styles) that are packed into a valid zip first,
// so mutations reach the XML handling instead of failing the zip CRC check.
// Built by scripts/run-fuzz.sh, not by the main CMake build.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "shian/io/read_table.hpp"
#include "shian/io/text_encoding.hpp"
#include "shian/io/xlsx_reader.hpp"
#include "shian/io/zip_test_util.hpp"

namespace {

void Check(bool condition) {
    if (!condition) std::abort();
}

void CheckResult(const shian::Result<shian::io::Table>& table) {
    if (!table.ok()) {
        Check(table.error().code != shian::ErrorCode::kInternal);
        Check(!table.error().message.empty());
        return;
    }
    Check(!table->header.empty() && !table->header.back().empty());
    Check(table->rows.size() == table->row_numbers.size());
    for (const std::string& name : table->header) Check(shian::io::IsValidUtf8(name));
    for (size_t i = 0; i < table->rows.size(); ++i) {
        Check(table->rows[i].size() == table->header.size());
        Check(table->row_numbers[i] >= 1 && table->row_numbers[i] <= 1'048'576);
        for (const std::string& cell : table->rows[i]) Check(shian::io::IsValidUtf8(cell));
    }
}

std::string_view NextPart(std::string_view* rest) {
    const size_t separator = rest->find("\n--\n");
    const std::string_view part = rest->substr(0, separator);
    rest->remove_prefix(separator == std::string_view::npos ? rest->size() : separator + 4);
    return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        CheckResult(shian::io::ReadXlsx(rest, 100'000));
        CheckResult(shian::io::ReadTable(rest, "upload.xlsx", 100'000));
        return 0;
    }
    const std::string sheet(NextPart(&rest));
    const std::string shared_strings(NextPart(&rest));
    const std::string styles(NextPart(&rest));
    const std::string zip = shian::io::test_util::MakeZip(
        shian::io::test_util::MinimalXlsxParts(sheet, shared_strings, styles), /*store=*/true);
    Check(!zip.empty());
    CheckResult(shian::io::ReadXlsx(zip, 100'000));
    return 0;
}
