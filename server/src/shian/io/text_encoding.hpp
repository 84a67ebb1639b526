// Text decoding for uploaded text files: UTF-8 validation, BOM stripping, GB18030 fallback
// (what Excel on Chinese Windows writes for "CSV (逗号分隔)"), and refusal of binary data.
// Thread-safety: all functions are reentrant (each call opens its own iconv descriptor).
#pragma once

#include <string>
#include <string_view>

#include "shian/core/error.hpp"
#include "shian/core/text.hpp"

namespace shian::io {

// Strict UTF-8 validation (shared with the rest of shian).
using shian::IsValidUtf8;

// True when `bytes` look like binary data rather than text: they start with the signature
// of a common binary format (zip, PNG, JPEG, OLE/.xls, gzip, RAR, 7z) or contain a NUL byte
// (which real binary files practically always do, and text files never do).
bool LooksBinary(std::string_view bytes);

// Decodes an uploaded text file to UTF-8: strips a UTF-8 BOM, accepts valid UTF-8 as is,
// otherwise converts from GB18030 (a superset of GBK/GB2312). Binary content, UTF-16 and
// undecodable bytes give kUnsupportedMedia.
Result<std::string> DecodeText(std::string_view bytes);

// DecodeText without the copy: the result views `bytes` when no conversion was needed,
// otherwise `*storage`, which receives the converted text.
Result<std::string_view> DecodeTextView(std::string_view bytes, std::string* storage);

// Replaces every ill-formed UTF-8 sequence with U+FFFD; valid input is returned unchanged.
std::string SanitizeUtf8(std::string_view text);

}  // namespace shian::io
