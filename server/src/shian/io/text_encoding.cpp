// Implements text_encoding.hpp: a hand-written UTF-8 validator with an ASCII fast path and
// GB18030 conversion through glibc iconv.
#include "shian/io/text_encoding.hpp"

#include "shian/core/text.hpp"

#include <errno.h>
#include <iconv.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace shian::io {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Length of the well-formed UTF-8 sequence at text[pos], or 0 when it is ill-formed.
size_t Utf8SequenceLength(std::string_view text, size_t pos) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    const unsigned char c = s[pos];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        return pos + 1 < n && (s[pos + 1] & 0xC0) == 0x80 ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (pos + 2 >= n) return 0;
        const unsigned char c1 = s[pos + 1];
        if ((c1 & 0xC0) != 0x80 || (s[pos + 2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
        if (c == 0xED && c1 > 0x9F) return 0;  // UTF-16 surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (pos + 3 >= n) return 0;
        const unsigned char c1 = s[pos + 1];
        if ((c1 & 0xC0) != 0x80 || (s[pos + 2] & 0xC0) != 0x80 || (s[pos + 3] & 0xC0) != 0x80) {
            return 0;
        }
        if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
        if (c == 0xF4 && c1 > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

bool StartsWith(std::string_view bytes, std::string_view prefix) {
    return bytes.substr(0, prefix.size()) == prefix;
}

bool HasBinarySignature(std::string_view bytes) {
    // Only signatures containing control bytes or invalid UTF-8, so that no text file (and
    // no CSV written by WriteCsv) can start with one.
    static constexpr std::array<std::string_view, 8> kSignatures = {
        std::string_view("PK\x03\x04", 4),          // zip (xlsx, docx, ...)
        std::string_view("PK\x05\x06", 4),          // empty zip
        std::string_view("\x89PNG\r\n\x1A\n", 8),   // PNG
        std::string_view("\xFF\xD8\xFF", 3),        // JPEG
        std::string_view("\xD0\xCF\x11\xE0", 4),    // OLE compound file (.xls, .doc)
        std::string_view("\x1F\x8B", 2),            // gzip
        std::string_view("Rar!\x1A\x07", 6),        // RAR
        std::string_view("7z\xBC\xAF\x27\x1C", 6),  // 7-Zip
    };
    for (std::string_view signature : kSignatures) {
        if (StartsWith(bytes, signature)) return true;
    }
    return false;
}

bool IsUtf16Bom(std::string_view bytes) {
    return StartsWith(bytes, "\xFF\xFE") || StartsWith(bytes, "\xFE\xFF");
}

Error NotText() {
    return {ErrorCode::kUnsupportedMedia,
            "文件内容不是文本（可能是图片、压缩包或其他二进制文件），请上传 CSV 文本文件", "file"};
}

Error UnknownEncoding() {
    return {ErrorCode::kUnsupportedMedia, "文件编码无法识别（请使用 UTF-8 或 GB18030）", "file"};
}

class Iconv {
public:
    Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
    ~Iconv() {
        if (ok()) iconv_close(cd_);
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;

    bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
    iconv_t get() const { return cd_; }

private:
    iconv_t cd_;
};

// Converts GB18030 to UTF-8; false when the input is not valid GB18030.
bool Gb18030ToUtf8(std::string_view in, std::string* out) {
    Iconv conv("UTF-8", "GB18030");
    if (!conv.ok()) return false;
    // A GB18030 character of n bytes becomes at most 2n UTF-8 bytes (2-byte -> 3 bytes).
    out->assign(in.size() * 2 + 16, '\0');
    char* in_ptr = const_cast<char*>(in.data());
    size_t in_left = in.size();
    char* out_ptr = out->data();
    size_t out_left = out->size();
    while (in_left > 0) {
        const size_t rc = iconv(conv.get(), &in_ptr, &in_left, &out_ptr, &out_left);
        if (rc != static_cast<size_t>(-1)) break;
        if (errno != E2BIG) return false;  // EILSEQ or EINVAL (truncated sequence)
        const size_t used = static_cast<size_t>(out_ptr - out->data());
        out->resize(out->size() * 2);
        out_ptr = out->data() + used;
        out_left = out->size() - used;
    }
    if (iconv(conv.get(), nullptr, nullptr, &out_ptr, &out_left) == static_cast<size_t>(-1)) {
        return false;
    }
    out->resize(static_cast<size_t>(out_ptr - out->data()));
    return true;
}

}  // namespace

bool LooksBinary(std::string_view bytes) {
    if (HasBinarySignature(bytes)) return true;
    return !bytes.empty() && std::memchr(bytes.data(), '\0', bytes.size()) != nullptr;
}

Result<std::string_view> DecodeTextView(std::string_view bytes, std::string* storage) {
    if (IsUtf16Bom(bytes)) return UnknownEncoding();
    if (LooksBinary(bytes)) return NotText();
    if (StartsWith(bytes, kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
    if (IsValidUtf8(bytes)) return bytes;
    if (!Gb18030ToUtf8(bytes, storage) || !IsValidUtf8(*storage)) return UnknownEncoding();
    return std::string_view(*storage);
}

Result<std::string> DecodeText(std::string_view bytes) {
    std::string storage;
    SHIAN_ASSIGN_OR_RETURN(std::string_view text, DecodeTextView(bytes, &storage));
    if (text.data() == storage.data()) return storage;
    return std::string(text);
}

std::string SanitizeUtf8(std::string_view text) {
    if (IsValidUtf8(text)) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t len = Utf8SequenceLength(text, pos);
        if (len == 0) {
            out += "\xEF\xBF\xBD";
            ++pos;
        } else {
            out.append(text, pos, len);
            pos += len;
        }
    }
    return out;
}

}  // namespace shian::io
