#include "shian/http/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

#include "shian/core/text.hpp"

namespace shian::http {
namespace {

// True when one of the eight bytes of `word` needs an escape in a JSON string: a control
// character (below 0x20), '"' or '\\'. Bit tricks for "a byte below n" and "a zero byte" — each
// exact as a yes/no for the whole word; Quoted then looks at the bytes one by one. Most text here
// is Chinese (three bytes a character, none escaped): the byte loop alone was ~7 % of a list
// page's CPU (perf, session 12).
bool AnyNeedsEscape(uint64_t word) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHighs = 0x8080808080808080ULL;
    uint64_t quote = word ^ (kOnes * '"');
    uint64_t backslash = word ^ (kOnes * '\\');
    return (((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) &
           kHighs;
}

}  // namespace

JsonWriter& JsonWriter::Key(std::string_view key) {
    Separate();
    Quoted(key);
    out_.push_back(':');
    after_key_ = true;
    return *this;
}

void JsonWriter::Separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_.push_back(',');
        first_.back() = false;
    }
}

JsonWriter& JsonWriter::Open(char bracket) {
    Separate();
    out_.push_back(bracket);
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
    out_.push_back(bracket);
    if (!first_.empty()) first_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
    Separate();
    Quoted(value);
    return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
    Separate();
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, res.ptr);
    return *this;
}

JsonWriter& JsonWriter::Double(double value) {
    if (!std::isfinite(value)) return Null();  // as nlohmann does
    Separate();
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, value);  // shortest form that reads back
    out_.append(buf, res.ptr);
    return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::Null() {
    Separate();
    out_ += "null";
    return *this;
}

void JsonWriter::Quoted(std::string_view text) {
    if (!IsValidUtf8(text)) {
        // Rare (stored text is checked on the way in): the library's replacement rules.
        out_ += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    size_t plain = 0;  // start of the run not yet copied
    for (size_t i = 0; i < text.size(); ++i) {
        while (text.size() - i >= 8) {
            uint64_t word;
            std::memcpy(&word, text.data() + i, sizeof word);
            if (AnyNeedsEscape(word)) break;
            i += 8;
        }
        if (i == text.size()) break;
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out_.append(text.substr(plain, i - plain));
        plain = i + 1;
        switch (c) {
            case '"': out_ += "\\\""; break;
            case '\\': out_ += "\\\\"; break;
            case '\b': out_ += "\\b"; break;
            case '\f': out_ += "\\f"; break;
            case '\n': out_ += "\\n"; break;
            case '\r': out_ += "\\r"; break;
            case '\t': out_ += "\\t"; break;
            default:
                out_ += "\\u00";
                out_.push_back(kHex[c >> 4]);
                out_.push_back(kHex[c & 0xf]);
        }
    }
    out_.append(text.substr(plain));
    out_.push_back('"');
}

}  // namespace shian::http
