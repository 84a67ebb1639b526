// Cell value rendering for the XLSX reader (internal to shian::io): Excel numbers, date
// serials, number-format codes and the OOXML "_xHHHH_" string escape.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace shian::io {

// Renders a numeric cell value as written in the XML, without float noise: integers lose
// any ".0" and exponent ("3.0" -> "3", "1.2E+3" -> "1200"), other values are written in
// plain decimal ("1.5E-2" -> "0.015"), and more than 15 significant digits are rounded to
// 15 as Excel displays them ("0.30000000000000004" -> "0.3"). Text that is not a decimal
// number, or whose magnitude needs an exponent (beyond 1e21 or below 1e-20), is returned
// unchanged.
std::string FormatXlsxNumber(std::string_view raw);

// Renders an Excel date serial as "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" (fractional days) or
// "HH:MM:SS" (below one day, 1900 system); nullopt when out of Excel's date range.
std::optional<std::string> FormatExcelSerialDate(double serial, bool date1904);

// True for number-format codes that display a date or time (y, m, d, h, s outside quotes,
// escapes and colour/condition brackets; [h]/[m]/[s] elapsed times).
bool IsDateFormatCode(std::string_view code);

// True for built-in number formats that are dates or times (including the CJK ones).
bool IsBuiltinDateFormat(int num_fmt_id);

// Decodes the OOXML ST_Xstring escape "_xHHHH_" (used for control characters; a literal
// "_x" is written as "_x005F_x").
std::string UnescapeOoxml(std::string_view text);

// The inverse for literal text: protects every "_xHHHH_" look-alike as "_x005F_xHHHH_" so
// that readers applying UnescapeOoxml get the text back unchanged.
std::string EscapeOoxmlLiteral(std::string_view text);

}  // namespace shian::io
