#include "shian/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>

namespace shian {

bool IsValidUtf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const unsigned char* const end = s + text.size();
    while (s < end) {
        if (*s < 0x80) {
            // ASCII fast path: eight bytes at a time.
            while (end - s >= 8) {
                uint64_t word;
                std::memcpy(&word, s, sizeof word);
                if (word & 0x8080808080808080ULL) break;
                s += 8;
            }
            while (s < end && *s < 0x80) ++s;
            continue;
        }
        const unsigned c = *s;
        if (c < 0xE0) {
            if (c < 0xC2 || end - s < 2 || (s[1] & 0xC0) != 0x80) return false;
            s += 2;
        } else if (c < 0xF0) {
            if (end - s < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return false;
            if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F)) return false;
            s += 3;
        } else {
            if (c > 0xF4 || end - s < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
                (s[3] & 0xC0) != 0x80) {
                return false;
            }
            if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F)) return false;
            s += 4;
        }
    }
    return true;
}

std::vector<char32_t> DecodeUtf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t i = 0, n = text.size();
    while (i < n) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k < len && i + k < n; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
        out.push_back(cp);
        i += len;
    }
    return out;
}

size_t Utf8Length(std::string_view text) {
    size_t count = 0;
    for (unsigned char c : text) count += (c & 0xC0) != 0x80;
    return count;
}

void AppendUtf8(char32_t cp, std::string* out) {
    if (cp < 0x80) {
        out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string TrimText(std::string_view text) {
    auto is_space_at = [&](size_t pos, size_t* len) {
        unsigned char c = text[pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            *len = 1;
            return true;
        }
        if (text.substr(pos, 3) == "\xE3\x80\x80") {  // U+3000 ideographic space
            *len = 3;
            return true;
        }
        return false;
    };
    size_t begin = 0, len = 0;
    while (begin < text.size() && is_space_at(begin, &len)) begin += len;
    size_t end = text.size();
    while (end > begin) {
        if (std::isspace(static_cast<unsigned char>(text[end - 1])) && text[end - 1] != '\v') {
            --end;
        } else if (end - begin >= 3 && text.substr(end - 3, 3) == "\xE3\x80\x80") {
            end -= 3;
        } else {
            break;
        }
    }
    return std::string(text.substr(begin, end - begin));
}

Status CheckLine(std::string_view text, std::string_view field, std::string_view label,
                 size_t max_chars, bool required) {
    std::string f(field), l(label);
    if (!IsValidUtf8(text)) return Error::Invalid(f, l + "包含无效的字符编码");
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7F) return Error::Invalid(f, l + "不能包含控制字符");
    }
    if (required && TrimText(text).empty()) return Error::Invalid(f, l + "不能为空");
    if (Utf8Length(text) > max_chars) {
        return Error::Invalid(f, l + "不能超过" + std::to_string(max_chars) + "个字符");
    }
    return Ok();
}

std::vector<std::string> SplitNonEmpty(std::string_view text, char separator) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = std::min(text.find(separator, start), text.size());
        if (end > start) out.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace shian
