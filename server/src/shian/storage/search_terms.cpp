#include "shian/storage/search_terms.hpp"

#include <algorithm>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "shian/core/text.hpp"
#include "shian/registry/search_text.hpp"

namespace shian::storage {
namespace {

// The first letter of each field's terms (FieldTerm).
constexpr char kKind = 'k', kGrade = 'g', kStatus = 's', kTag = 't';

// The characters of a number gram (NumberGramRuns).
constexpr size_t kNumberGramLength = 4;
// The fewest digits of a number run (NumberRuns).
constexpr size_t kNumberRunDigits = 3;

constexpr bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
// ASCII letters: normalised text has no uppercase ones.
constexpr bool IsLetter(char32_t c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAsciiAlnum(char32_t c) { return IsDigit(c) || IsLetter(c); }

// The number runs of a text as [first, last) offsets: each maximal run of three or more ASCII
// digits with the letter right before it and the one right after it, if any, each with the
// letter or digit beyond it, if any, when that makes four or more characters (1234, a123,
// 123b, xa1234by; not 123, 12b). T: char (UTF-8: ASCII characters are single bytes, and no
// byte of a multi-byte character is one) or char32_t. Two runs may share up to three
// characters (123a456: 123a4, 3a456).
template <typename T>
std::vector<std::pair<size_t, size_t>> NumberRuns(const T* text, size_t size) {
    auto at = [&](size_t i) { return static_cast<char32_t>(static_cast<std::make_unsigned_t<T>>(text[i])); };
    std::vector<std::pair<size_t, size_t>> out;
    for (size_t i = 0; i < size;) {
        if (!IsDigit(at(i))) {
            ++i;
            continue;
        }
        size_t end = i;
        while (end < size && IsDigit(at(end))) ++end;
        if (end - i >= kNumberRunDigits) {
            size_t first = i;
            if (first > 0 && IsLetter(at(first - 1))) {
                --first;
                if (first > 0 && IsAsciiAlnum(at(first - 1))) --first;
            }
            size_t last = end;
            if (last < size && IsLetter(at(last))) {
                ++last;
                if (last < size && IsAsciiAlnum(at(last))) ++last;
            }
            if (last - first >= kNumberGramLength) out.emplace_back(first, last);
        }
        i = end;
    }
    return out;
}

// Appends to an FTS5 document the number grams of each number run of search_text, tagged by the
// field they come from (NumberGramTag, migration 20), "s" between runs (the fields' '\x1f' is
// neither a digit nor a letter, so no run spans two fields): a phrase of number grams matches
// only within one run of one field.
void AddNumberGrams(const std::string& search_text, std::string* out) {
    bool first = true;
    size_t field = 0;
    for (size_t start = 0; start <= search_text.size(); ++field) {
        const size_t end = std::min(search_text.find('\x1f', start), search_text.size());
        for (const auto& run :
             NumberGramRuns(std::string_view(search_text).substr(start, end - start), NumberGramTag(field))) {
            if (!first) *out += " s";
            first = false;
            for (const auto& gram : run) {
                if (!out->empty()) out->push_back(' ');
                *out += gram;
            }
        }
        start = end + 1;
    }
}

// Marks the bigrams (by the offset of their first code point) that lie within a number run,
// whose number grams ask for them (NumberGramRuns); *runs: the runs.
std::vector<bool> InNumberRuns(const std::vector<char32_t>& cps,
                               std::vector<std::pair<size_t, size_t>>* runs = nullptr) {
    std::vector<bool> covered(cps.size(), false);
    auto found = NumberRuns(cps.data(), cps.size());
    for (const auto& [first, last] : found) {
        std::fill(covered.begin() + static_cast<long>(first), covered.begin() + static_cast<long>(last - 1), true);
    }
    if (runs) *runs = std::move(found);
    return covered;
}

// The most digits of a house number term's run (HouseNumberTerms).
constexpr size_t kHouseNumberDigits = 3;

// A house number term's code points [first, last): an ideograph, a run of one to three ASCII
// digits, an ideograph.
struct Span {
    size_t first = 0;
    size_t last = 0;
};

std::vector<Span> HouseNumberSpans(const std::vector<char32_t>& cps) {
    std::vector<Span> out;
    for (size_t i = 0; i < cps.size(); ++i) {
        if (!IsIdeograph(cps[i])) continue;
        size_t end = i + 1;
        while (end < cps.size() && IsDigit(cps[end])) ++end;
        const size_t digits = end - i - 1;
        if (digits >= 1 && digits <= kHouseNumberDigits && end < cps.size() && IsIdeograph(cps[end])) {
            out.push_back({i, end + 1});
        }
    }
    return out;
}

// Marks the bigrams (by the offset of their first code point) that lie within a span: a query
// asks for its house number terms instead of them.
std::vector<bool> InHouseNumbers(const std::vector<char32_t>& cps, const std::vector<Span>& spans) {
    std::vector<bool> covered(cps.size(), false);
    for (const Span& s : spans) {
        for (size_t i = s.first; i + 1 < s.last; ++i) covered[i] = true;
    }
    return covered;
}

std::string SpanText(const std::vector<char32_t>& cps, const Span& s) {
    std::string out;
    for (size_t i = s.first; i < s.last; ++i) AppendUtf8(cps[i], &out);
    return out;
}

// The distinct house number terms of a text's code points, in order of first appearance.
std::vector<std::string> UniqueHouseNumberTerms(const std::vector<char32_t>& cps) {
    std::vector<std::string> out;
    for (const Span& s : HouseNumberSpans(cps)) {
        std::string term = SpanText(cps, s);
        if (std::find(out.begin(), out.end(), term) == out.end()) out.push_back(std::move(term));
    }
    return out;
}

}  // namespace

// The CJK ideographs FTS5's tokenizer keeps: the unified ideographs and extension A.
bool IsIdeograph(char32_t cp) { return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF); }

// True when FTS5's unicode61 tokenizer keeps the whole gram as one index term: ASCII letters
// and digits, CJK ideographs. It drops other characters (symbols such as ★, emoji), so a gram
// with them may have no term at all and would match nothing; such grams are left to the
// substring check, as PostgreSQL's array containment needs no tokenizer.
bool IsFtsTerm(const std::string& gram) {
    for (char32_t cp : DecodeUtf8(gram)) {
        bool term = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || IsIdeograph(cp);
        if (!term) return false;
    }
    return true;
}

// Only bigrams of two ideographs are joined to the township (migration 15; TownshipGramPrefix
// tells why there are joined bigrams at all). Digits and letters — the USCC, the licence
// number, house numbers — were ~35 of a business's ~57 bigrams and, joined, most of what
// indexing a business cost; a query holding one is asked by the plain bigrams, as a query
// outside a township is.
bool IsJoinedGram(std::string_view gram) {
    auto cps = DecodeUtf8(gram);
    return cps.size() == 2 && IsIdeograph(cps[0]) && IsIdeograph(cps[1]);
}

bool AsksJoinedGrams(std::string_view normalized) {
    auto cps = DecodeUtf8(normalized);
    if (cps.size() < 2) return false;
    const std::vector<bool> covered = InHouseNumbers(cps, HouseNumberSpans(cps));
    for (size_t i = 0; i + 1 < cps.size(); ++i) {
        if (!covered[i] && !(IsIdeograph(cps[i]) && IsIdeograph(cps[i + 1]))) return false;
    }
    return true;
}

std::vector<std::vector<std::string>> NumberGramRuns(std::string_view normalized, char tag) {
    std::vector<std::vector<std::string>> out;
    for (const auto& [first, last] : NumberRuns(normalized.data(), normalized.size())) {
        std::vector<std::string> run;
        for (size_t k = first; k + kNumberGramLength <= last; ++k) {
            run.push_back(tag + std::string(normalized.substr(k, kNumberGramLength)));
        }
        out.push_back(std::move(run));
    }
    return out;
}

std::vector<std::string> UniqueNumberGrams(std::string_view normalized, char tag) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    for (auto& run : NumberGramRuns(normalized, tag)) {
        for (auto& gram : run) {
            if (seen.insert(gram).second) out.push_back(std::move(gram));
        }
    }
    return out;
}

std::string FirstNumberGram(std::string_view normalized, char tag) {
    const auto runs = NumberRuns(normalized.data(), normalized.size());
    if (runs.empty() || runs[0].first != 0) return {};
    return tag + std::string(normalized.substr(0, kNumberGramLength));
}

char NumberGramTag(size_t field) {
    switch (field) {
        case 2: return 'u';  // USCC
        case 3: return 'l';  // licence number
        default: return 'n';
    }
}

std::vector<std::string> TaggedNumberGrams(std::string_view search_text, std::string_view uscc) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    size_t field = 0;
    for (size_t start = 0; start <= search_text.size(); ++field) {
        const size_t end = std::min(search_text.find('\x1f', start), search_text.size());
        const std::string_view text = search_text.substr(start, end - start);
        const char tag = NumberGramTag(field);
        for (const auto& [first, last] : NumberRuns(text.data(), text.size())) {
            size_t k = first;
            if (first == 0 && !uscc.empty() && text == uscc) ++k;
            for (; k + kNumberGramLength <= last; ++k) {
                std::string gram = tag + std::string(text.substr(k, kNumberGramLength));
                if (seen.insert(gram).second) out.push_back(std::move(gram));
            }
        }
        start = end + 1;
    }
    return out;
}

std::string WithNumberTag(std::string term, char tag) {
    if (IsNumberGram(term)) term[0] = tag;
    return term;
}

std::vector<std::string> HouseNumberTerms(std::string_view normalized) {
    return UniqueHouseNumberTerms(DecodeUtf8(normalized));
}

std::vector<std::string> HouseNumberIndexTerms(std::string_view search_text, const std::string& region_path) {
    std::vector<std::string> out = HouseNumberTerms(search_text);
    if (std::string prefix = TownshipGramPrefix(region_path); !prefix.empty()) {
        const size_t n = out.size();
        for (size_t i = 0; i < n; ++i) out.push_back(prefix + out[i]);
    }
    return out;
}

bool IsOneHouseNumber(std::string_view normalized) {
    const std::vector<char32_t> cps = DecodeUtf8(normalized);
    const std::vector<Span> spans = HouseNumberSpans(cps);
    return spans.size() == 1 && spans[0].first == 0 && spans[0].last == cps.size();
}

bool IsNumberGram(std::string_view term) {
    return term.size() == 1 + kNumberGramLength &&
           std::find(std::begin(kNumberGramTags), std::end(kNumberGramTags), term[0]) != std::end(kNumberGramTags) &&
           std::all_of(term.begin() + 1, term.end(), [](char c) { return IsAsciiAlnum(c); });
}

std::vector<std::string> QueryTerms(std::string_view normalized) {
    std::vector<char32_t> cps = DecodeUtf8(normalized);
    std::vector<bool> in_run = InNumberRuns(cps);
    std::vector<bool> in_house_number = InHouseNumbers(cps, HouseNumberSpans(cps));
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i + 1 < cps.size(); ++i) {
        if (in_run[i]) continue;                   // asked by the run's number grams
        if (in_house_number[i]) continue;          // asked by its house number term
        std::string gram;
        AppendUtf8(cps[i], &gram);
        AppendUtf8(cps[i + 1], &gram);
        if (seen.insert(gram).second) out.push_back(std::move(gram));
    }
    for (auto& gram : UniqueNumberGrams(normalized)) out.push_back(std::move(gram));  // never a bigram
    for (auto& term : UniqueHouseNumberTerms(cps)) out.push_back(std::move(term));  // nor these
    return out;
}

// Search-index terms for the places a business lies in: "p" + each code on its place path
// ("/511902/511902001/" -> p511902, p511902001). A query's terms are bigrams (two characters),
// so they never equal one of these. They let the search index narrow a text query to a place
// subtree (FTS5 AND, GIN containment) instead of checking the place of every text match; the
// range on region_path stays in the WHERE clause, so they only narrow. Migration 2 added them
// to existing rows.
std::vector<std::string> PlaceTerms(const std::string& region_path) {
    std::vector<std::string> out = SplitNonEmpty(region_path, '/');
    for (auto& code : out) code.insert(0, 1, 'p');
    return out;
}

// The place term that selects the subtree of `path` (its own code's term).
std::string SubtreeTerm(const std::string& path) {
    auto terms = PlaceTerms(path);
    return terms.empty() ? std::string() : terms.back();
}

// Search-index terms for a business's field values that lists filter on beside a text query
// (migration 13): "k" + kind, "g" + risk grade, "s" + status and "t" + each tag, each value
// as the lowercase hex of its UTF-8 bytes ("00" for an empty one: ungraded), so that any value
// — tags are free text — is one ASCII token to FTS5's tokenizer and PostgreSQL alike, and no
// term is two characters long like a query's bigrams. Kind, grade and status also come joined
// to the place term of the business's township and of its village ("p511902001" +
// "k6361…"): intersecting a word with a field term of a whole county (catering: a fifth of all
// businesses) reads that term's long posting list, ~5 ms at a million businesses on either
// engine, against its few thousand entries within one township. With them the search index
// intersects a word with its filters and counts the matches without reading rows; the filters
// stay in the WHERE clause, so on PostgreSQL they only narrow.
std::string FieldTerm(char prefix, std::string_view value) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(1, prefix);
    if (value.empty()) return out + "00";
    for (unsigned char c : value) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
    return out;
}

// The field terms of a business: kind, grade and status; the same joined to each place on
// region_path below the county (PlaceTerms, in path order); then its tags.
std::vector<std::string> FieldTerms(const std::string& region_path, const std::string& kind,
                                    const std::string& risk_grade, const std::string& status,
                                    const std::vector<std::string>& tags) {
    std::vector<std::string> out = {FieldTerm(kKind, kind), FieldTerm(kGrade, risk_grade), FieldTerm(kStatus, status)};
    auto places = PlaceTerms(region_path);
    for (size_t p = 1; p < places.size(); ++p) {
        for (size_t k = 0; k < 3; ++k) out.push_back(places[p] + out[k]);
    }
    for (const auto& tag : tags) out.push_back(FieldTerm(kTag, tag));
    return out;
}

bool HasJoinedFilters(const registry::BusinessFilter& f) {
    return !f.kind.empty() || !f.risk_grade.empty() || !f.status.empty();
}

std::vector<std::string> FilterTerms(const registry::BusinessFilter& f, const std::string& joined_place) {
    std::string place = SubtreeTerm(joined_place);
    std::vector<std::string> out;
    if (!f.kind.empty()) out.push_back(place + FieldTerm(kKind, f.kind));
    if (!f.risk_grade.empty()) out.push_back(place + FieldTerm(kGrade, f.StoredRiskGrade()));
    if (!f.status.empty()) out.push_back(place + FieldTerm(kStatus, f.status));
    if (!f.tag.empty()) out.push_back(FieldTerm(kTag, f.tag));
    return out;
}

// Search-index terms for a business's bigrams within its township (migration 14): "w" + the
// township's code + each bigram ("w511902001火锅"). A word searched within one township or one
// of its villages is asked by these: their posting lists hold that township's businesses only
// (超市: a few thousand against 100,485 county-wide at a million businesses), so intersecting them
// with a township's field terms (FieldTerms) reads a few thousand entries where the plain
// bigram's list is read whole (~1 ms on either engine, most of a search with a kind filter
// that finds nothing). The cost: each bigram is stored twice (index size, imports). A
// township code has 9 digits and a bigram 2 characters, so no term of another kind (place
// terms of 6, 9 or 12 digits, field terms, bigrams) equals one.
std::string TownshipGramPrefix(const std::string& path) {
    auto terms = PlaceTerms(path);
    if (terms.size() < 2) return {};
    terms[1][0] = 'w';
    return terms[1];
}

std::vector<std::string> GinTerms(std::vector<std::string> bigrams, const std::string& search_text,
                                  const std::string& region_path, std::vector<std::string> field_terms,
                                  std::string_view uscc) {
    const size_t n = bigrams.size();
    std::vector<std::string>& out = bigrams;
    for (auto& term : PlaceTerms(region_path)) out.push_back(std::move(term));
    for (auto& term : field_terms) out.push_back(std::move(term));
    if (std::string prefix = TownshipGramPrefix(region_path); !prefix.empty()) {
        for (size_t i = 0; i < n; ++i) {
            if (IsJoinedGram(out[i])) out.push_back(prefix + out[i]);
        }
    }
    for (auto& gram : TaggedNumberGrams(search_text, uscc)) out.push_back(std::move(gram));
    for (auto& term : HouseNumberIndexTerms(search_text, region_path)) out.push_back(std::move(term));
    return out;
}

// The FTS5 document of a business (SQLite; migration 4): the bigrams of each normalised field
// of its search_text in text order, repeats kept, so that a term's position is its character's
// position; "s" between two fields; then its place terms. The index keeps positions
// (detail=full), so a query's bigrams as one phrase ("ab bc cd") match exactly the rows whose
// text contains the query: consecutive positions are consecutive characters, and the
// separator, one character long, is never a query term, so no phrase spans two fields.
// After the place terms come the field terms (FieldTerms), then the bigrams of two ideographs
// again, joined to the township (TownshipGramPrefix, IsJoinedGram), with "s" between fields
// and in place of each run of other bigrams: a phrase of joined bigrams is exact in the same
// way, as a query asks for them only when all its bigrams are of two ideographs
// (AsksJoinedGrams), which an "s" never is. Then come the number grams of the text's number
// runs (NumberGramRuns, migrations 16 and 17), "s" between runs, and last its house
// number terms (HouseNumberTerms, migration 17), plain and then joined to the township: a query
// asks each as a phrase of its own, so their positions mean nothing.
std::string FtsDocument(const std::string& search_text, const std::string& region_path,
                        const std::vector<std::string>& field_terms) {
    // Written straight into one string: an import computes a document per business, ~100 terms.
    std::string out;
    out.reserve(3 * search_text.size() + 256);
    auto add = [&out](std::string_view term) {
        if (!out.empty()) out.push_back(' ');
        out += term;
    };
    // The bigram of cps[i], cps[i + 1] (registry::BigramSequence's i-th) with a prefix.
    auto add_gram = [&out](std::string_view prefix, const std::vector<char32_t>& cps, size_t i) {
        if (!out.empty()) out.push_back(' ');
        out += prefix;
        AppendUtf8(cps[i], &out);
        AppendUtf8(cps[i + 1], &out);
    };
    std::vector<std::vector<char32_t>> fields;
    for (size_t start = 0; start <= search_text.size();) {
        size_t end = std::min(search_text.find('\x1f', start), search_text.size());
        fields.push_back(DecodeUtf8(std::string_view(search_text).substr(start, end - start)));
        start = end + 1;
    }
    for (size_t f = 0; f < fields.size(); ++f) {
        if (f > 0) add("s");
        for (size_t i = 0; i + 1 < fields[f].size(); ++i) add_gram({}, fields[f], i);
    }
    for (const auto& term : PlaceTerms(region_path)) add(term);
    for (const auto& term : field_terms) add(term);
    const std::string prefix = TownshipGramPrefix(region_path);
    if (prefix.empty()) {
        AddNumberGrams(search_text, &out);
        for (const auto& term : HouseNumberTerms(search_text)) add(term);
        return out;
    }
    // The joined bigrams, with an "s" between two of them where the text has other bigrams or
    // a field ends between them, so that two joined bigrams are consecutive only where they are
    // in the text.
    bool any = false, gap = false;
    for (const auto& cps : fields) {
        gap = any;
        for (size_t i = 0; i + 1 < cps.size(); ++i) {
            if (!IsIdeograph(cps[i]) || !IsIdeograph(cps[i + 1])) {
                gap = any;
                continue;
            }
            if (gap) add("s");
            add_gram(prefix, cps, i);
            any = true;
            gap = false;
        }
    }
    AddNumberGrams(search_text, &out);
    const std::vector<std::string> house = HouseNumberTerms(search_text);
    for (const auto& term : house) add(term);
    for (const auto& term : house) add(prefix + term);
    return out;
}

std::string BusinessFtsDocument(const std::string& search_text, const std::string& region_path,
                                const std::string& kind, const std::string& risk_grade, const std::string& status,
                                const std::vector<std::string>& tags) {
    return FtsDocument(search_text, region_path, FieldTerms(region_path, kind, risk_grade, status, tags));
}

// The FTS5 MATCH expression for a normalised query narrowed to place and field terms: each run
// of consecutive query bigrams that are index terms (IsFtsTerm), asked (not left out) and not
// inside a number run, joined to gram_prefix, as one phrase; each number
// run's number grams (NumberGramRuns) that are asked, consecutive ones as one phrase; the
// phrases and the narrowing terms joined by AND. exact: the expression alone decides "the text
// contains the query" — one phrase covering the whole query, of its bigrams or, for a query
// that is one number run, of its number grams, or a query that is one house number asked by
// its term; otherwise the substring check must follow. Each house number term of the query
// (HouseNumberTerms), unless left out, is a phrase of its own, joined to gram_prefix, in place
// of the bigrams within it.
FtsMatch BuildFtsMatch(const std::string& normalized, const std::vector<std::string>& narrowing_terms,
                       const std::string& gram_prefix, const std::unordered_set<std::string>& left_out) {
    FtsMatch out;
    std::vector<std::pair<size_t, size_t>> runs;
    const std::vector<char32_t> cps = DecodeUtf8(normalized);
    const std::vector<bool> in_run = InNumberRuns(cps, &runs);
    const std::vector<Span> spans = HouseNumberSpans(cps);
    const std::vector<bool> in_house_number = InHouseNumbers(cps, spans);
    std::vector<std::string> phrases;
    std::string phrase;
    size_t gaps = 0;  // terms not asked
    auto end_phrase = [&]() {
        if (!phrase.empty()) phrases.push_back(std::exchange(phrase, std::string()));
        ++gaps;  // the phrases around a gap do not make one
    };
    std::vector<std::string> grams = registry::BigramSequence(normalized);
    for (size_t i = 0; i < grams.size(); ++i) {
        const std::string& gram = grams[i];
        if (in_run[i] || in_house_number[i]) {
            end_phrase();  // the run's number grams or the house number term ask for it
            continue;
        }
        if (!IsFtsTerm(gram) || left_out.count(gram)) {
            end_phrase();
            continue;
        }
        phrase += (phrase.empty() ? "" : " ") + gram_prefix + gram;
    }
    if (!phrase.empty()) phrases.push_back(std::exchange(phrase, std::string()));
    // The number runs, asked once per field their grams may come from (NumberGramTag): a text
    // holds the query within one field, so one of the fields' phrases holds. Ideographs are only
    // in names and addresses. exact_numbers: every field's phrases are one, with no gram left
    // out.
    std::vector<std::string> number_branches;
    bool exact_numbers = !runs.empty();
    const bool ideographs = std::any_of(cps.begin(), cps.end(), IsIdeograph);
    for (char tag : kNumberGramTags) {
        if (ideographs && tag != NumberGramTag(0)) continue;
        std::vector<std::string> tag_phrases;
        size_t gaps_here = 0;
        for (const auto& run : NumberGramRuns(normalized, tag)) {
            for (const auto& gram : run) {
                if (left_out.count(gram)) {
                    if (!phrase.empty()) tag_phrases.push_back(std::exchange(phrase, std::string()));
                    ++gaps_here;
                    continue;
                }
                phrase += (phrase.empty() ? "" : " ") + gram;
            }
            if (!phrase.empty()) tag_phrases.push_back(std::exchange(phrase, std::string()));
        }
        if (tag_phrases.size() != 1 || gaps_here > 0) exact_numbers = false;
        if (tag_phrases.empty()) {  // this field's grams narrow nothing: nor does the OR
            number_branches.clear();
            break;
        }
        std::string branch;
        for (const auto& p : tag_phrases) branch += (branch.empty() ? "\"" : " AND \"") + p + "\"";
        number_branches.push_back(std::move(branch));
    }
    size_t house_gaps = 0;
    for (const auto& term : UniqueHouseNumberTerms(cps)) {
        if (left_out.count(term)) {
            ++house_gaps;
            continue;
        }
        phrases.push_back(gram_prefix + term);
    }
    if (!spans.empty()) {
        // One house number that is the whole query, asked.
        out.exact = spans.size() == 1 && spans[0].first == 0 && spans[0].last == cps.size() && house_gaps == 0 &&
                    phrases.size() == 1;
    } else if (runs.empty()) {
        out.exact = !grams.empty() && gaps == 0 && phrases.size() == 1;
    } else {
        // One number run that is the whole query (so no bigram is asked), every number gram
        // asked in every field.
        out.exact = runs.size() == 1 && runs[0].first == 0 && runs[0].second == cps.size() && exact_numbers &&
                    phrases.empty() && !number_branches.empty();
    }
    if (phrases.empty() && number_branches.empty()) return out;  // nothing the index can narrow by
    for (const auto& p : phrases) out.match += (out.match.empty() ? "\"" : " AND \"") + p + "\"";
    if (!number_branches.empty()) {
        std::string numbers;
        if (number_branches.size() == 1) {
            numbers = number_branches[0];
        } else {
            for (const auto& b : number_branches) numbers += (numbers.empty() ? "((" : ") OR (") + b;
            numbers += "))";
        }
        out.match += (out.match.empty() ? "" : " AND ") + numbers;
    }
    for (const auto& t : narrowing_terms) out.match += " AND \"" + t + "\"";
    return out;
}

}  // namespace shian::storage
