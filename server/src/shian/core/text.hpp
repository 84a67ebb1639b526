// Text checks shared by every input path: valid UTF-8, no control characters, length in
// characters (not bytes), and normalisation used by search.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shian/core/error.hpp"

namespace shian {

bool IsValidUtf8(std::string_view text);
// Number of Unicode code points; assumes valid UTF-8.
size_t Utf8Length(std::string_view text);
// Decodes UTF-8 into code points; assumes valid UTF-8.
std::vector<char32_t> DecodeUtf8(std::string_view text);
void AppendUtf8(char32_t cp, std::string* out);

// Trims ASCII and ideographic (U+3000) whitespace at both ends.
std::string TrimText(std::string_view text);

// The non-empty pieces of `text` between `separator`s: "/a//b/" -> {a, b}.
std::vector<std::string> SplitNonEmpty(std::string_view text, char separator);

// Checks a single-line user-entered field: valid UTF-8, no control characters, at most
// max_chars characters, and (if required) not empty after trimming. `label` is the Chinese
// field name used in the message; `field` the API field name.
Status CheckLine(std::string_view text, std::string_view field, std::string_view label,
                 size_t max_chars, bool required);

}  // namespace shian
