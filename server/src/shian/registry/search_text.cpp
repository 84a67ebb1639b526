#include "shian/registry/search_text.hpp"

#include <algorithm>
#include <unordered_set>

#include "shian/core/text.hpp"

namespace shian::registry {
namespace {

bool IsPunctuation(char32_t cp) {
    return (cp >= 0x2000 && cp <= 0x206F) ||  // general punctuation
           (cp >= 0x3000 && cp <= 0x303F) ||  // CJK symbols and punctuation
           (cp >= 0xFE30 && cp <= 0xFE4F) ||  // CJK compatibility forms
           (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
           cp == 0x00B7 || cp == 0x00A0 || cp == 0xFEFF;
}

}  // namespace

std::string NormalizeForSearch(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    if (!IsValidUtf8(text)) return out;
    for (char32_t cp : DecodeUtf8(text)) {
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII → ASCII
        if (cp < 0x80) {
            char c = static_cast<char>(cp);
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
            continue;
        }
        if (IsPunctuation(cp)) continue;
        AppendUtf8(cp, &out);
    }
    return out;
}

std::vector<std::string> Bigrams(std::string_view normalized) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    std::vector<char32_t> cps = DecodeUtf8(normalized);
    for (size_t i = 0; i + 1 < cps.size(); ++i) {
        std::string gram;
        AppendUtf8(cps[i], &gram);
        AppendUtf8(cps[i + 1], &gram);
        if (seen.insert(gram).second) out.push_back(std::move(gram));
    }
    return out;
}

std::vector<std::string> BigramSequence(std::string_view normalized) {
    std::vector<std::string> out;
    std::vector<char32_t> cps = DecodeUtf8(normalized);
    for (size_t i = 0; i + 1 < cps.size(); ++i) {
        std::string gram;
        AppendUtf8(cps[i], &gram);
        AppendUtf8(cps[i + 1], &gram);
        out.push_back(std::move(gram));
    }
    return out;
}

std::string BuildSearchText(const std::vector<std::string_view>& fields) {
    std::string text;
    for (std::string_view field : fields) {
        std::string norm = NormalizeForSearch(field);
        if (norm.empty()) continue;
        if (!text.empty()) text.push_back('\x1f');
        text += norm;
    }
    return text;
}

SearchDocument BuildSearchDocument(const std::vector<std::string_view>& fields) {
    SearchDocument doc;
    doc.text = BuildSearchText(fields);
    // Bigrams field by field (no bigram spans the separator), each kept once.
    std::unordered_set<std::string> seen;
    std::string_view rest = doc.text;
    while (!rest.empty()) {
        size_t end = std::min(rest.find('\x1f'), rest.size());
        for (auto& g : Bigrams(rest.substr(0, end))) {
            if (seen.insert(g).second) doc.grams.push_back(std::move(g));
        }
        rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    return doc;
}

}  // namespace shian::registry
