// The terms of the registry's search index (storage side of registry/search_text.hpp): what each
// business's search document holds besides its bigrams — place terms and field terms — and, for
// SQLite's FTS5 index, the document and the MATCH expression. These strings are stored (in
// PostgreSQL's business.search_grams and both engines' search indexes) and migrations 2, 4,
// 13 to 17 compute them for stored rows, PostgreSQL's in SQL: changing one means a migration
// that rewrites them. SQLite's index is contentless (migration 14): it deletes a document by
// recomputing it, so a change without that migration would leave old terms behind for good.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "shian/registry/business.hpp"

namespace shian::storage {

// True when FTS5's unicode61 tokenizer keeps the whole gram as one index term (ASCII letters
// and digits, CJK ideographs); grams with other characters are left to the substring check.
bool IsFtsTerm(const std::string& gram);

// True for a CJK ideograph that FTS5's tokenizer keeps as a term (see IsFtsTerm).
bool IsIdeograph(char32_t cp);

// True when a bigram is also stored joined to the township (TownshipGramPrefix): both its
// characters are ideographs (IsIdeograph). Since migration 15; all bigrams were before.
bool IsJoinedGram(std::string_view gram);

// True when a normalised query is asked by its terms joined to a township: it has two or more
// characters and each of its bigrams is joined (IsJoinedGram) or lies within one of its house
// numbers (HouseNumberTerms), which are joined too: 火锅, 路12号, 人民路12号, not 12号 or 火锅1.
bool AsksJoinedGrams(std::string_view normalized);

// The number grams of a normalised text: for each number run — a maximal run of three or more
// ASCII digits with the letter right before and the one right after it, if any, each with the
// letter or digit beyond it, if any, four or more characters in all (8463770, jy1511…,
// …1902ma) — "n" + each four consecutive characters, in text order, repeats kept; one list
// per run. A digit bigram has a hundred values, so each is in a large share of businesses (a
// licence number alone has 13 of them) and a number search read several long posting lists;
// four digits have ten thousand. Runs of four or more digits
// since migration 16; the letters at their ends since migration 17: a USCC's first letter
// after the county's digits (925119022M: the grams of its digits were in ~10 % of businesses
// and the bigram 2m in ~21 %, together 19,386 candidates at 1M businesses for 865 matches;
// n022m is in 0.09 %). The character beyond each end letter since migration 18: 92511902M1
// asked n902m (21 %) and the bigram m1, ~15,000 candidates for ~900 matches; n02m1 is rare.
// No further: the grams of a USCC's random letters and digits would be a vocabulary of
// millions of terms of a few businesses each (indexing all four characters of every run of
// letters and digits cost 28 % of a SQLite import), while two digits, a letter and one more
// character have under 100,000 values.
// tag: the grams' first letter ("n"; a business's grams are tagged by field, see NumberGramTag).
std::vector<std::vector<std::string>> NumberGramRuns(std::string_view normalized, char tag = 'n');

// The distinct number grams of a normalised text, in order of first appearance.
std::vector<std::string> UniqueNumberGrams(std::string_view normalized, char tag = 'n');

// The number gram (tagged) of the window at a normalised text's first character, or "" when no
// number run starts there: of a query's grams, the one a USCC that starts with the query does
// not hold on PostgreSQL (TaggedNumberGrams with the USCC).
std::string FirstNumberGram(std::string_view normalized, char tag);

// The first letter of the number grams of a business's search text (PostgreSQL since migration
// 19, SQLite since migration 20)
// by the field they come from — the fields in the order SqlBusinessRepository::Search writes
// them: name and address 'n', USCC 'u', licence number 'l' (kNumberGramTags). The USCC and
// the licence number of a business in a county both hold its code, at another offset: the
// grams of a USCC's start (9251190266: n9026, n0266) were in ~8,000 licence numbers
// (JY15119026…) at 1M businesses against 837 USCCs, and GIN, which knows no positions, read
// every one of them where SQLite's phrase needs n9251 n2511 in a row. Tagged, the grams of one
// field's space are not in the other's: a query asks for its number grams with each tag in
// turn (one containment per tag, ORed), since a text that contains it does so within one field.
// SQLite's phrases tell consecutive grams from scattered ones, but 9251190266's phrase
// "n9026 n0266" still met ~8,000 licence numbers' pair to check for the USCC's n9251 before it
// (6–7 ms a search at 1M businesses, the slowest number searches): its documents are tagged too
// (migration 20) and a query ORs a phrase per field (BuildFtsMatch).
inline constexpr char kNumberGramTags[] = {'n', 'u', 'l'};
char NumberGramTag(size_t field);

// The distinct number grams of a business's search text ('\x1f' between its fields), each
// tagged by its field (NumberGramTag), in order of first appearance. With a USCC (the
// business's, normalised: PostgreSQL's GIN terms since migration 21) the window at the first
// character of a field equal to it — the USCC's own field, 'u', or 'n' when an empty address
// moved it up (BuildSearchText skips empty fields) — is not among them unless it recurs
// further on: a USCC's start is found through the USCC's own btree
// (SqlBusinessRepository::GinCondition). In a county nearly every USCC starts 9251 or 9151 and
// holds the county's digits next, so every window of a USCC's start but its last is in a large
// share of businesses and was left out of the query (LeftOutGrams), and the last alone — u02m1
// for 92511902M1 — is also in every USCC of the other type with the same characters there: at
// 1M businesses 6,503 candidates, each row read, for 874 matches (the slowest number searches,
// ~20 ms of CPU each). Without the first window a query that starts a USCC has its own branch,
// and one found further on still holds every one of its grams (none of them at the USCC's
// first character), u9251 among them: rare, since only a USCC that holds 9251 again has it.
std::vector<std::string> TaggedNumberGrams(std::string_view search_text, std::string_view uscc = {});

// A query term with its number grams' first letter replaced by tag (kNumberGramTags); other
// terms unchanged.
std::string WithNumberTag(std::string term, char tag);

// The house number terms of a normalised text (migration 17), each once, in order of first
// appearance: each ideograph, run of one to three ASCII digits and ideograph — 路12号, 号3栋,
// 第1期 (the run is whole: an ideograph is no digit). Addresses are street + number + 号, and
// a house number's bigrams are in a large share of businesses each (路1: every number from 1,
// 10 to 19 and 100 to 199 on any 路: 27 % of the benchmark's 1M businesses; 2号 10 %), so a
// search for 路12号 read long posting lists and checked thousands of candidates, most of them
// within a township (up to 80 ms at 1M businesses); 路12号 is in 0.24 %. A query asks for
// the terms of the house numbers it holds whole (an ideograph on either side) instead of their
// bigrams; a business holds each term of a text that contains the query, so asking it is safe.
// Stored plain and joined to the township (TownshipGramPrefix), as the bigrams of two ideographs.
std::vector<std::string> HouseNumberTerms(std::string_view normalized);

// True when a normalised query is one house number term and nothing else (路12号, not 人民路12号
// or 12号): a text contains it exactly when the text's house number terms hold it.
bool IsOneHouseNumber(std::string_view normalized);

// PostgreSQL: a business's house number terms as search_grams and business_house_number
// (migration 23) hold them: HouseNumberTerms of its search text, then the same joined to the
// township of `region_path` (TownshipGramPrefix) when it has one.
std::vector<std::string> HouseNumberIndexTerms(std::string_view search_text, const std::string& region_path);

// True for a number gram ("n", or another of kNumberGramTags, + four ASCII digits or lowercase
// letters).
bool IsNumberGram(std::string_view term);

// The distinct terms a normalised query asks the search index for, before any is left out or
// joined: its bigrams, but those inside a number run, whose number grams (NumberGramRuns) come
// after them instead, and those within a house number,
// whose terms (HouseNumberTerms) come last.
std::vector<std::string> QueryTerms(std::string_view normalized);

// "p" + each code on a place path: "/511902/511902001/" -> {p511902, p511902001}.
std::vector<std::string> PlaceTerms(const std::string& region_path);

// The place term that selects the subtree of `path` (its own code's term); "" for "".
std::string SubtreeTerm(const std::string& path);

// prefix + the value's UTF-8 bytes in lowercase hex, "00" for an empty value.
std::string FieldTerm(char prefix, std::string_view value);

// The field terms of a business: k/g/s + kind, risk grade, status; the same three joined to
// each place on region_path below the county; then t + each tag.
std::vector<std::string> FieldTerms(const std::string& region_path, const std::string& kind,
                                    const std::string& risk_grade, const std::string& status,
                                    const std::vector<std::string>& tags);

// The field terms that a business matching f's kind, risk grade, status and tag filters holds:
// each of the first three joined to `joined_place` (a township's or village's path, whose
// joined terms FieldTerms wrote) or plain when it is ""; the tag's plain.
std::vector<std::string> FilterTerms(const registry::BusinessFilter& f, const std::string& joined_place);
// True when f filters on a field that has joined terms (kind, risk grade or status).
bool HasJoinedFilters(const registry::BusinessFilter& f);

// What the bigrams of a business in the township of `path` are also stored joined to: "w" +
// the township's code ("/511902/511902001/511902001001/" -> "w511902001"); "" for the county's
// own path or "". A query within that township (or a village of it) asks for its bigrams
// with this prefix: their posting lists hold that township's businesses only.
std::string TownshipGramPrefix(const std::string& path);

// PostgreSQL: the search terms of a business: its (unique) bigrams (of its search text), its
// place terms, field terms (FieldTerms), those of the bigrams that are joined (IsJoinedGram)
// joined to its township (TownshipGramPrefix), its unique number grams tagged by their field
// but for the first window of its USCC (normalised, "" for none; TaggedNumberGrams), then its
// house number terms (HouseNumberTerms), plain and then joined to its township.
std::vector<std::string> GinTerms(std::vector<std::string> bigrams, const std::string& search_text,
                                  const std::string& region_path, std::vector<std::string> field_terms,
                                  std::string_view uscc = {});

// SQLite: the FTS5 document of a business from its search_text ('\x1f' between fields), place
// and field terms, then its joined bigrams (IsJoinedGram) again, prefixed with its township,
// then its number grams (NumberGramRuns) and house number terms (HouseNumberTerms), plain and
// joined.
std::string FtsDocument(const std::string& search_text, const std::string& region_path,
                        const std::vector<std::string>& field_terms);

// SQLite: the FTS5 document of a business from its stored values: FtsDocument with its
// FieldTerms. The index is contentless (migration 14): this is what a document is deleted
// with, so it must give the terms the document was added with — a change to the terms comes
// with a migration that rebuilds the index (kBuildSqliteSearchIndex in migrations.cpp).
std::string BusinessFtsDocument(const std::string& search_text, const std::string& region_path,
                                const std::string& kind, const std::string& risk_grade, const std::string& status,
                                const std::vector<std::string>& tags);

// SQLite: the FTS5 MATCH expression for a normalised query AND the narrowing terms, the
// query's bigrams joined to gram_prefix (TownshipGramPrefix, or "" for the plain ones); exact
// when the expression alone decides "the text contains the query".
struct FtsMatch {
    std::string match;
    bool exact = false;
};
// A number run (NumberGramRuns) is asked by its number grams, as a phrase of its own, once per
// field they may come from (NumberGramTag; only names and addresses when the query holds an
// ideograph), the fields' phrases ORed. Terms in left_out (bigrams or tagged number grams:
// SqlBusinessRepository::LeftOutGrams) are not asked for: they split their phrase, and the
// match is not exact. Each house number term is a phrase of its own, joined to gram_prefix.
FtsMatch BuildFtsMatch(const std::string& normalized, const std::vector<std::string>& narrowing_terms,
                       const std::string& gram_prefix = {}, const std::unordered_set<std::string>& left_out = {});

}  // namespace shian::storage
