// Normalisation and character bigrams for the registry's substring search.
//
// Chinese names have no spaces, and users search for two-character words such as 火锅, which
// trigram indexes cannot serve. So every searchable field is normalised (ASCII lowercased,
// full-width letters/digits folded to ASCII, whitespace and punctuation dropped) and cut into
// overlapping character bigrams; the engines index the bigrams (SQLite FTS5, PostgreSQL GIN on
// text[]). A query of n ≥ 2 characters matches records containing all its bigrams, then the
// normalised text is checked for the exact substring. One-character queries scan.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shian::registry {

std::string NormalizeForSearch(std::string_view text);

// Distinct bigrams of an already-normalised text, in order of first appearance.
std::vector<std::string> Bigrams(std::string_view normalized);

// Every bigram of an already-normalised text in text order, repeats kept: the i-th bigram
// starts at the i-th character (what a positional index needs for phrase queries).
std::vector<std::string> BigramSequence(std::string_view normalized);

// The searchable text of a business: its fields normalised and joined by '\x1f' (so that
// no bigram spans two fields), and the bigrams of each field.
struct SearchDocument {
    std::string text;
    std::vector<std::string> grams;
};
SearchDocument BuildSearchDocument(const std::vector<std::string_view>& fields);
// Only the text of BuildSearchDocument (what a positional index is built from).
std::string BuildSearchText(const std::vector<std::string_view>& fields);

}  // namespace shian::registry
