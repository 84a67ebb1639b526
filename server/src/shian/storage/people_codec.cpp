#include "shian/storage/people_codec.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>

#include "shian/core/text.hpp"

namespace shian::storage {
namespace {

// A cursor over JSON text that reads only what DecodePeople needs: punctuation and strings.
// nlohmann's SAX reader, used before, spent most of its time in its character-by-character
// lexer: ~8 % of a SQLite list page's CPU (perf, session 12).
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    // Skips whitespace and takes `c` if it comes next.
    bool Take(char c) {
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    bool AtEnd() {
        SkipSpace();
        return pos_ == text_.size();
    }

    // A string, its escapes resolved, into *out.
    bool String(std::string* out) {
        if (!Take('"')) return false;
        out->clear();
        while (pos_ < text_.size()) {
            size_t run = pos_;
            while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\') ++pos_;
            out->append(text_.substr(run, pos_ - run));
            if (pos_ == text_.size()) return false;
            if (text_[pos_++] == '"') return true;
            if (!Escape(out)) return false;
        }
        return false;
    }

private:
    void SkipSpace() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t')) {
            ++pos_;
        }
    }

    // The escape after a backslash.
    bool Escape(std::string* out) {
        if (pos_ == text_.size()) return false;
        char c = text_[pos_++];
        switch (c) {
            case '"': case '\\': case '/': out->push_back(c); return true;
            case 'b': out->push_back('\b'); return true;
            case 'f': out->push_back('\f'); return true;
            case 'n': out->push_back('\n'); return true;
            case 'r': out->push_back('\r'); return true;
            case 't': out->push_back('\t'); return true;
            case 'u': break;
            default: return false;
        }
        uint32_t cp = 0;
        if (!Hex4(&cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
        if (cp >= 0xD800 && cp <= 0xDBFF) {                // a high one: its low one follows
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return false;
            pos_ += 2;
            if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        AppendUtf8(static_cast<char32_t>(cp), out);
        return true;
    }

    bool Hex4(uint32_t* value) {
        if (text_.size() - pos_ < 4) return false;
        for (int i = 0; i < 4; ++i) {
            char c = text_[pos_++];
            uint32_t digit;
            if (c >= '0' && c <= '9') digit = static_cast<uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') digit = static_cast<uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') digit = static_cast<uint32_t>(c - 'A' + 10);
            else return false;
            *value = *value * 16 + digit;
        }
        return true;
    }

    std::string_view text_;
    size_t pos_ = 0;
};

bool ReadPeople(Cursor& in, std::vector<registry::Person>* out) {
    if (!in.Take('[')) return false;
    if (in.Take(']')) return in.AtEnd();
    std::string key, value;
    do {
        if (!in.Take('{')) return false;
        registry::Person& p = out->emplace_back();
        if (in.Take('}')) continue;
        do {
            if (!in.String(&key) || !in.Take(':') || !in.String(&value)) return false;
            if (key == "role") p.role = std::move(value);
            else if (key == "name") p.name = std::move(value);
            else if (key == "id_number") p.id_number = std::move(value);
            else if (key == "phone") p.phone = std::move(value);
        } while (in.Take(','));
        if (!in.Take('}')) return false;
    } while (in.Take(','));
    return in.Take(']') && in.AtEnd();
}

}  // namespace

std::string EncodePeople(const std::vector<registry::Person>& people) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& p : people) {
        arr.push_back({{"role", p.role}, {"name", p.name}, {"id_number", p.id_number}, {"phone", p.phone}});
    }
    return arr.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<registry::Person> DecodePeople(std::string_view text) {
    std::vector<registry::Person> out;
    Cursor in(text);
    if (!ReadPeople(in, &out)) out.clear();
    return out;
}

}  // namespace shian::storage
