// The search index's terms are a stored format (business.search_grams, the FTS5 and GIN indexes,
// migrations 2, 4 and 13 to 17 — PostgreSQL's in SQL): these cases pin it, so a change shows up here
// before it silently stops matching rows written by an older version.
#include "shian/storage/search_terms.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

namespace shian::storage {
namespace {

using Terms = std::vector<std::string>;

TEST(SearchTermsTest, PlaceTermsAreEachCodeOnThePath) {
    EXPECT_EQ(PlaceTerms("/511902/"), (Terms{"p511902"}));
    EXPECT_EQ(PlaceTerms("/511902/511902001/511902001001/"),
              (Terms{"p511902", "p511902001", "p511902001001"}));
    EXPECT_EQ(PlaceTerms(""), Terms{});
    EXPECT_EQ(SubtreeTerm("/511902/511902001/"), "p511902001");
    EXPECT_EQ(SubtreeTerm(""), "");
}

TEST(SearchTermsTest, FieldTermsAreThePrefixAndTheValuesUtf8InHex) {
    struct Case {
        char prefix;
        const char* value;
        const char* term;
    };
    const Case cases[] = {
        {'k', "catering", "k6361746572696e67"},
        {'k', "food_retail", "k666f6f645f72657461696c"},  // '_' would split an FTS5 token
        {'g', "A", "g41"},
        {'g', "", "g00"},                       // ungraded: never two characters like a bigram
        {'s', "营业", "se890a5e4b89a"},
        {'t', "★明厨亮灶", "te29885e6988ee58ea8e4baaee781b6"},  // symbols the tokenizer drops
        {'t', "24 小时", "t323420e5b08fe697b6"},
    };
    for (const Case& c : cases) EXPECT_EQ(FieldTerm(c.prefix, c.value), c.term) << c.value;
}

TEST(SearchTermsTest, ABusinessHasItsFieldsPlainAndJoinedToItsTownshipAndVillage) {
    EXPECT_EQ(FieldTerms("/511902/511902001/511902001001/", "catering", "", "营业", {"入网餐饮"}),
              (Terms{"k6361746572696e67", "g00", "se890a5e4b89a",
                     "p511902001k6361746572696e67", "p511902001g00", "p511902001se890a5e4b89a",
                     "p511902001001k6361746572696e67", "p511902001001g00", "p511902001001se890a5e4b89a",
                     "te585a5e7bd91e9a490e9a5ae"}));
    // Registered at the county itself: no place to join.
    EXPECT_EQ(FieldTerms("/511902/", "catering", "B", "停业", {}),
              (Terms{"k6361746572696e67", "g42", "se5819ce4b89a"}));
}

// A filter's terms are among the terms of every business it matches, and of no business it
// does not: what lets the index decide the filter.
TEST(SearchTermsTest, AFiltersTermsAreHeldByExactlyTheBusinessesItMatches) {
    const std::string village = "/511902/511902001/511902001001/";
    Terms held = FieldTerms(village, "catering", "", "营业", {"入网餐饮", "★明厨亮灶"});
    auto holds_all = [&](const Terms& wanted) {
        for (const auto& t : wanted) {
            if (std::find(held.begin(), held.end(), t) == held.end()) return false;
        }
        return true;
    };
    struct Case {
        const char* kind;
        const char* grade;
        const char* status;
        const char* tag;
        bool matches;
    };
    const Case cases[] = {
        {"catering", "", "", "", true},       {"catering", "none", "营业", "", true},
        {"", "", "", "★明厨亮灶", true},         {"catering", "", "", "入网餐饮", true},
        {"food_retail", "", "", "", false},   {"", "A", "", "", false},
        {"", "", "停业", "", false},           {"", "", "", "明厨亮灶", false},
    };
    for (const Case& c : cases) {
        registry::BusinessFilter f;
        f.kind = c.kind;
        f.risk_grade = c.grade;
        f.status = c.status;
        f.tag = c.tag;
        for (const std::string& place : {std::string(), std::string("/511902/511902001/"), village}) {
            EXPECT_EQ(holds_all(FilterTerms(f, place)), c.matches) << c.kind << c.grade << c.status << c.tag << place;
        }
        // Joined to a place the business is not in: never held.
        if (HasJoinedFilters(f)) {
            EXPECT_FALSE(holds_all(FilterTerms(f, "/511902/511902002/"))) << c.kind;
        }
    }
}

TEST(SearchTermsTest, TownshipGramPrefixIsTheTownshipsCode) {
    EXPECT_EQ(TownshipGramPrefix("/511902/511902001/"), "w511902001");
    EXPECT_EQ(TownshipGramPrefix("/511902/511902001/511902001001/"), "w511902001");
    EXPECT_EQ(TownshipGramPrefix("/511902/"), "");
    EXPECT_EQ(TownshipGramPrefix(""), "");
}

// Migrations 16–18: runs of three or more digits with the letter at each end and the letter or
// digit beyond it, four or more characters in all, as number grams; a query asks for those
// instead of the runs' bigrams.
TEST(SearchTermsTest, NumberGramsOfRunsOfDigitsWithTheLettersAtTheirEnds) {
    using Runs = std::vector<Terms>;
    EXPECT_EQ(NumberGramRuns("jy15119028463770"),
              (Runs{{"njy15", "ny151", "n1511", "n5119", "n1190", "n1902", "n9028", "n0284", "n2846", "n8463", "n4637",
                     "n6377", "n3770"}}));
    EXPECT_EQ(NumberGramRuns("925119022mady3m"),
              (Runs{{"n9251", "n2511", "n5119", "n1190", "n1902", "n9022", "n022m", "n22ma"}}));
    EXPECT_EQ(NumberGramRuns("路123号1234"), (Runs{{"n1234"}}));
    EXPECT_EQ(NumberGramRuns("12345火锅6789"), (Runs{{"n1234", "n2345"}, {"n6789"}}));
    // Neighbouring runs share the letter between them and the digit beyond it.
    EXPECT_EQ(NumberGramRuns("123a456"), (Runs{{"n123a", "n23a4"}, {"n3a45", "na456"}}));
    EXPECT_EQ(NumberGramRuns("ab123cd"), (Runs{{"nab12", "nb123", "n123c", "n23cd"}}));
    EXPECT_EQ(NumberGramRuns("1ab123cde"), (Runs{{"nab12", "nb123", "n123c", "n23cd"}}));  // two at most
    EXPECT_EQ(NumberGramRuns("火b123c号"), (Runs{{"nb123", "n123c"}}));  // only ASCII beyond the letter
    EXPECT_EQ(NumberGramRuns("ab12c"), Runs{});
    EXPECT_EQ(NumberGramRuns("123"), Runs{});
    EXPECT_EQ(NumberGramRuns("ab12"), Runs{});  // two digits
    EXPECT_EQ(NumberGramRuns("mcdonalds麦当劳"), Runs{});
    EXPECT_EQ(NumberGramRuns("ktv\x1f" "123"), Runs{});  // no run spans two fields
    EXPECT_TRUE(IsNumberGram("n1234"));
    EXPECT_TRUE(IsNumberGram("na234"));
    for (const char* t : {"n1", "n123", "n12345", "nA234", "p1234", "火锅", "n12号"}) {
        EXPECT_FALSE(IsNumberGram(t)) << t;
    }
    EXPECT_EQ(QueryTerms("jy151190"), (Terms{"njy15", "ny151", "n1511", "n5119", "n1190"}));
    EXPECT_EQ(QueryTerms("92511902m1"),
              (Terms{"n9251", "n2511", "n5119", "n1190", "n1902", "n902m", "n02m1"}));  // not m1 (migration 18)
    EXPECT_EQ(QueryTerms("j1234"), (Terms{"nj123", "n1234"}));
    EXPECT_EQ(QueryTerms("jy1号"), (Terms{"jy", "y1", "1号"}));  // one digit: bigrams
    EXPECT_EQ(QueryTerms("路1290号"), (Terms{"路1", "0号", "n1290"}));
    EXPECT_EQ(QueryTerms("12341234"), (Terms{"n1234", "n2341", "n3412", "n4123"}));
}

// Migration 17: an ideograph, one to three digits and an ideograph are a term of their own; a
// query asks for its whole house numbers' terms instead of their bigrams.
TEST(SearchTermsTest, HouseNumbersAreTermsOfTheirOwn) {
    struct Case {
        const char* text;
        Terms terms;
    };
    const Case cases[] = {
        {"人民路129号", {"路129号"}},
        {"人民路1号2栋3单元", {"路1号", "号2栋", "栋3单"}},  // one ideograph closes and opens
        {"路1234号", {}},                                     // four digits: number grams
        {"129号", {}},                                         // no ideograph before
        {"路129", {}},                                         // none after
        {"路12a号", {}},                                       // a letter is not a digit
        {"路1号" "路1号", {"路1号"}},                       // each once
        {"店1号" "2栋", {"店1号"}},                         // a field separator is no ideograph
        {"㐀7丂", {"㐀7丂"}},                                   // extension A and the unified block
        {"", {}},
    };
    for (const Case& c : cases) EXPECT_EQ(HouseNumberTerms(c.text), c.terms) << c.text;
    EXPECT_EQ(QueryTerms("路129号"), (Terms{"路129号"}));
    EXPECT_EQ(QueryTerms("人民路12号"), (Terms{"人民", "民路", "路12号"}));
    EXPECT_EQ(QueryTerms("129号"), (Terms{"12", "29", "9号"}));  // not whole: bigrams
    EXPECT_EQ(QueryTerms("路1号2栋"), (Terms{"路1号", "号2栋"}));
    EXPECT_EQ(QueryTerms("1号2栋"), (Terms{"1号", "号2栋"}));
    EXPECT_EQ(QueryTerms("店1234号12号"), (Terms{"店1", "4号", "n1234", "号12号"}));
}

// Migration 15: only bigrams of two ideographs are joined, the rest marked as gaps.
TEST(SearchTermsTest, OnlyBigramsOfTwoIdeographsAreJoined) {
    struct Case {
        const char* gram;
        bool joined;
    };
    const Case cases[] = {
        {"火锅", true}, {"㐀丂", true},   // extension A and the unified block
        {"12", false}, {"jy", false}, {"1号", false}, {"号1", false}, {"★火", false},
        {"火", false}, {"火锅店", false}, {"", false},
    };
    for (const Case& c : cases) EXPECT_EQ(IsJoinedGram(c.gram), c.joined) << c.gram;
    const Case queries[] = {
        {"火锅", true}, {"串串香", true}, {"火", false}, {"129号", false}, {"jy1511", false},
        {"火锅1", false}, {"★火锅", false}, {"", false},
        // House numbers are joined too (migration 17).
        {"路129号", true}, {"人民路12号", true}, {"路1号2栋", true}, {"1号2栋", false}, {"路1234号", false},
        {"路12", false},
    };
    for (const Case& c : queries) EXPECT_EQ(AsksJoinedGrams(c.gram), c.joined) << c.gram;
}

TEST(SearchTermsTest, FtsDocumentIsBigramsInTextOrderThenPlaceAndFieldTermsThenTownshipBigrams) {
    // Fields "火锅店" and "东城1号" ('\x1f' between): "s" separates them, repeats are kept; the
    // bigrams of two ideographs again with the township's prefix, in the same order, one "s"
    // between two of them where other bigrams or the end of a field lie between.
    EXPECT_EQ(FtsDocument("火锅店\x1f" "东城1号", "/511902/511902001/", {"k63", "g41"}),
              "火锅 锅店 s 东城 城1 1号 p511902 p511902001 k63 g41 "
              "w511902001火锅 w511902001锅店 s w511902001东城 城1号 w511902001城1号");
    EXPECT_EQ(FtsDocument("哈哈哈", "/511902/511902001/511902001001/", {}),
              "哈哈 哈哈 p511902 p511902001 p511902001001 w511902001哈哈 w511902001哈哈");
    // A run of other bigrams between joined ones leaves one "s": 火锅 and 锅店 are not
    // consecutive, so the phrase of 火锅店 does not match "火锅1锅店".
    EXPECT_EQ(FtsDocument("火锅1锅店\x1f" "92511902\x1f" "jy1", "/511902/511902001/", {}),
              "火锅 锅1 1锅 锅店 s 92 25 51 11 19 90 02 s jy y1 p511902 p511902001 "
              "w511902001火锅 s w511902001锅店 n9251 n2511 n5119 n1190 n1902 锅1锅 w511902001锅1锅");
    // Number grams of each run of four or more digits, "s" between runs.
    EXPECT_EQ(FtsDocument("a12345b123\x1f" "6789", "", {}),
              "a1 12 23 34 45 5b b1 12 23 s 67 78 89 na123 n1234 n2345 n345b n45b1 s n5b12 nb123 s n6789");
    // Tagged by the field they come from (migration 20): name and address n, USCC u, licence l.
    EXPECT_EQ(FtsDocument("a1234\x1f\x1f" "92511902\x1f" "jy151190", "", {}),
              "a1 12 23 34 s s 92 25 51 11 19 90 02 s jy y1 15 51 11 19 90 "
              "na123 n1234 s u9251 u2511 u5119 u1190 u1902 s ljy15 ly151 l1511 l5119 l1190");
    EXPECT_EQ(FtsDocument("哈哈哈", "", {}), "哈哈 哈哈");
    EXPECT_EQ(FtsDocument("", "/511902/", {}), "p511902");  // the county: no township
    EXPECT_EQ(FtsDocument("", "/511902/511902001/", {}), "p511902 p511902001");
    EXPECT_EQ(FtsDocument("1号\x1f" "火锅", "/511902/511902001/", {}),
              "1号 s 火锅 p511902 p511902001 w511902001火锅");
    // House numbers last, plain and then joined; at the county itself plain only.
    EXPECT_EQ(FtsDocument("路1号2栋\x1f" "路1号", "/511902/511902001/", {}),
              "路1 1号 号2 2栋 s 路1 1号 p511902 p511902001 路1号 号2栋 w511902001路1号 w511902001号2栋");
    EXPECT_EQ(FtsDocument("路1号", "/511902/", {}), "路1 1号 p511902 路1号");
}

TEST(SearchTermsTest, GinTermsAreBigramsPlaceAndFieldTermsThenTownshipBigrams) {
    EXPECT_EQ(GinTerms({"火锅", "锅店", "12", "1号"}, "火锅店12号", "/511902/511902001/511902001001/", {"k63"}),
              (Terms{"火锅", "锅店", "12", "1号", "p511902", "p511902001", "p511902001001", "k63",
                     "w511902001火锅", "w511902001锅店", "店12号", "w511902001店12号"}));
    EXPECT_EQ(GinTerms({"火锅"}, "火锅", "/511902/", {"k63"}), (Terms{"火锅", "p511902", "k63"}));
    // Number grams last, each once, tagged by their field (name and address n, USCC u, licence l).
    EXPECT_EQ(GinTerms({"12", "23", "34", "45", "51"}, "123451234\x1f" "jy1234", "/511902/", {}),
              (Terms{"12", "23", "34", "45", "51", "p511902", "n1234", "n2345", "n3451", "n4512", "n5123", "njy12", "ny123"}));
    EXPECT_EQ(GinTerms({}, "a1234\x1f" "x\x1f" "9251190266\x1f" "jy15119026", "/511902/", {}, "9251190266"),
              (Terms{"p511902", "na123", "n1234", "u2511", "u5119", "u1190", "u1902", "u9026", "u0266",
                     "ljy15", "ly151", "l1511", "l5119", "l1190", "l1902", "l9026"}));
}

TEST(SearchTermsTest, GinTermsLeaveOutTheWindowAtTheUsccsStart) {
    // Only the USCC's: a name, address or licence number keeps its first window.
    EXPECT_EQ(TaggedNumberGrams("1234\x1f" "5678\x1f" "92511902\x1f" "jy1234", "92511902"),
              (Terms{"n1234", "n5678", "u2511", "u5119", "u1190", "u1902", "ljy12", "ly123", "l1234"}));
    EXPECT_EQ(TaggedNumberGrams("1234\x1f" "5678\x1f" "92511902\x1f" "jy1234"),
              (Terms{"n1234", "n5678", "u9251", "u2511", "u5119", "u1190", "u1902", "ljy12", "ly123", "l1234"}));
    // Wherever the USCC's field is: without an address it is the second (tagged n), and the
    // licence number the third (tagged u, its first window kept).
    EXPECT_EQ(TaggedNumberGrams("1234\x1f" "92511902\x1f" "jy1234", "92511902"),
              (Terms{"n1234", "n2511", "n5119", "n1190", "n1902", "ujy12", "uy123", "u1234"}));
    // Kept where it recurs: a query that holds it further on must still find the USCC.
    EXPECT_EQ(TaggedNumberGrams("\x1f\x1f" "925192510\x1f", "925192510"),
              (Terms{"u2519", "u5192", "u1925", "u9251", "u2510"}));
    // A USCC that starts with no number run (letters first) keeps its run's first window.
    EXPECT_EQ(TaggedNumberGrams("\x1f\x1f" "abcd1234\x1f", "abcd1234"), (Terms{"ucd12", "ud123", "u1234"}));
    // No USCC: nothing left out.
    EXPECT_EQ(TaggedNumberGrams("x\x1f" "y\x1f" "jy1234", ""), (Terms{"ujy12", "uy123", "u1234"}));
    // The query's gram that a USCC starting with the query lacks: the window at its start.
    EXPECT_EQ(FirstNumberGram("92511902m1", 'u'), "u9251");
    EXPECT_EQ(FirstNumberGram("ab123", 'u'), "uab12");
    EXPECT_EQ(FirstNumberGram("x9z1234", 'u'), "");  // its run starts at the 9
    EXPECT_EQ(FirstNumberGram("ab12", 'u'), "");     // no run: two digits
    EXPECT_EQ(FirstNumberGram("", 'u'), "");
}

TEST(SearchTermsTest, NumberGramsAreTaggedByTheirField) {
    EXPECT_EQ(NumberGramTag(0), 'n');
    EXPECT_EQ(NumberGramTag(1), 'n');
    EXPECT_EQ(NumberGramTag(2), 'u');
    EXPECT_EQ(NumberGramTag(3), 'l');
    // Each field's runs apart (none spans two), repeats within a tag dropped, not across tags.
    EXPECT_EQ(TaggedNumberGrams("店1234\x1f" "路1234号\x1f" "1234\x1f" "1234"),
              (Terms{"n1234", "u1234", "l1234"}));
    EXPECT_EQ(TaggedNumberGrams("12\x1f" "34\x1f" "123\x1f"), Terms{});
    EXPECT_EQ(TaggedNumberGrams(""), Terms{});
    EXPECT_EQ(UniqueNumberGrams("1234512", 'u'), (Terms{"u1234", "u2345", "u3451", "u4512"}));
    EXPECT_TRUE(IsNumberGram("u1234"));
    EXPECT_TRUE(IsNumberGram("ljy15"));
    EXPECT_FALSE(IsNumberGram("k1234"));
    EXPECT_EQ(WithNumberTag("n9251", 'u'), "u9251");
    EXPECT_EQ(WithNumberTag("n9251", 'l'), "l9251");
    for (const char* other : {"92", "火锅", "路12号", "p511902", "n925"}) EXPECT_EQ(WithNumberTag(other, 'u'), other);
}

TEST(SearchTermsTest, MatchIsOnePhraseAndTheNarrowingTerms) {
    struct Case {
        const char* query;
        Terms narrowing;
        const char* match;
        bool exact;
    };
    const Case cases[] = {
        {"火锅", {}, "\"火锅\"", true},
        {"串串香", {"p511902001k63"}, "\"串串 串香\" AND \"p511902001k63\"", true},
        // Grams with ★ (which the tokenizer drops) are left to the substring check.
        {"a★b火锅", {"p511902"}, "\"b火 火锅\" AND \"p511902\"", false},
        {"★★", {"p511902"}, "", false},                               // nothing the index can narrow by
    };
    for (const Case& c : cases) {
        FtsMatch m = BuildFtsMatch(c.query, c.narrowing);
        EXPECT_EQ(m.match, c.match) << c.query;
        EXPECT_EQ(m.exact, c.exact) << c.query;
    }
    // A run of four or more digits: its number grams, a phrase of their own in each field's
    // space, ORed (migration 20); exact only when the query is that run.
    FtsMatch number = BuildFtsMatch("8463770", {"p511902001"});
    EXPECT_EQ(number.match,
              "((\"n8463 n4637 n6377 n3770\") OR (\"u8463 u4637 u6377 u3770\") OR (\"l8463 l4637 l6377 l3770\"))"
              " AND \"p511902001\"");
    EXPECT_TRUE(number.exact);
    FtsMatch letter = BuildFtsMatch("925119022m", {});  // a letter at the end (migration 17)
    EXPECT_EQ(letter.match,
              "((\"n9251 n2511 n5119 n1190 n1902 n9022 n022m\") OR (\"u9251 u2511 u5119 u1190 u1902 u9022 u022m\")"
              " OR (\"l9251 l2511 l5119 l1190 l1902 l9022 l022m\"))");
    EXPECT_TRUE(letter.exact);
    // And the letter or digit beyond it (migration 18).
    FtsMatch letters = BuildFtsMatch("92511902ab", {});
    EXPECT_EQ(letters.match,
              "((\"n9251 n2511 n5119 n1190 n1902 n902a n02ab\") OR (\"u9251 u2511 u5119 u1190 u1902 u902a u02ab\")"
              " OR (\"l9251 l2511 l5119 l1190 l1902 l902a l02ab\"))");
    EXPECT_TRUE(letters.exact);
    FtsMatch mixed = BuildFtsMatch("jy151190284", {});
    EXPECT_EQ(mixed.match,
              "((\"njy15 ny151 n1511 n5119 n1190 n1902 n9028 n0284\") OR (\"ujy15 uy151 u1511 u5119 u1190 u1902 u9028 "
              "u0284\") OR (\"ljy15 ly151 l1511 l5119 l1190 l1902 l9028 l0284\"))");
    EXPECT_TRUE(mixed.exact);
    FtsMatch beyond = BuildFtsMatch("xjy151190284", {});  // x is beyond the run
    EXPECT_EQ(beyond.match,
              "\"xj\" AND ((\"njy15 ny151 n1511 n5119 n1190 n1902 n9028 n0284\") OR (\"ujy15 uy151 u1511 u5119 u1190 "
              "u1902 u9028 u0284\") OR (\"ljy15 ly151 l1511 l5119 l1190 l1902 l9028 l0284\"))");
    EXPECT_FALSE(beyond.exact);
    // An ideograph: only names and addresses hold it.
    FtsMatch around = BuildFtsMatch("店jy151号", {});
    EXPECT_EQ(around.match, "\"店j\" AND \"1号\" AND \"njy15 ny151\"");
    EXPECT_FALSE(around.exact);
    EXPECT_EQ(BuildFtsMatch("129号", {}).match, "\"12 29 9号\"");  // three digits: bigrams
    // Terms left out (nearly every business holds them, in that field's space) split their
    // phrase: not exact.
    FtsMatch left = BuildFtsMatch("jy151190284", {"p511902001"}, "",
                                  {"n1511", "n5119", "n1190", "u1511", "u5119", "u1190", "u1902"});
    EXPECT_EQ(left.match,
              "((\"njy15 ny151\" AND \"n1902 n9028 n0284\") OR (\"ujy15 uy151\" AND \"u9028 u0284\") OR "
              "(\"ljy15 ly151 l1511 l5119 l1190 l1902 l9028 l0284\")) AND \"p511902001\"");
    EXPECT_FALSE(left.exact);
    FtsMatch left_number = BuildFtsMatch("15119028", {}, "", {"n1511", "n5119", "l1511"});
    EXPECT_EQ(left_number.match,
              "((\"n1190 n1902 n9028\") OR (\"u1511 u5119 u1190 u1902 u9028\") OR (\"l5119 l1190 l1902 l9028\"))");
    EXPECT_FALSE(left_number.exact);
    // A field whose grams are all left out narrows nothing, so neither does the OR (and with no
    // phrase the index is not asked, as for ★★ above).
    FtsMatch field_left = BuildFtsMatch("15119", {"p511902"}, "", {"u1511", "u5119"});
    EXPECT_EQ(field_left.match, "");
    EXPECT_FALSE(field_left.exact);
    // Within a township: its joined bigrams.
    FtsMatch m = BuildFtsMatch("串串香", {"p511902001001"}, "w511902001");
    EXPECT_EQ(m.match, "\"w511902001串串 w511902001串香\" AND \"p511902001001\"");
    EXPECT_TRUE(m.exact);
    // A house number: its term in place of its bigrams, exact when it is the whole query.
    struct HouseCase {
        const char* query;
        const char* prefix;
        const char* left_out;
        const char* match;
        bool exact;
    };
    const HouseCase houses[] = {
        {"路129号", "", "", "\"路129号\"", true},
        {"路129号", "w511902001", "", "\"w511902001路129号\"", true},
        {"人民路12号", "w511902001", "", "\"w511902001人民 w511902001民路\" AND \"w511902001路12号\"", false},
        {"人民路12号", "", "人民", "\"民路\" AND \"路12号\"", false},
        {"路12号", "", "路12号", "", false},  // left out (never, but then nothing narrows)
        {"路1号2栋", "", "", "\"路1号\" AND \"号2栋\"", false},
        {"1号2栋", "", "", "\"1号\" AND \"号2栋\"", false},
        {"路1号路1号", "", "", "\"号路\" AND \"路1号\"", false},
        {"店1234号", "", "", "\"店1\" AND \"4号\" AND \"n1234\"", false},
    };
    for (const HouseCase& c : houses) {
        std::unordered_set<std::string> left_out;
        if (*c.left_out) left_out.insert(c.left_out);
        FtsMatch h = BuildFtsMatch(c.query, {}, c.prefix, left_out);
        EXPECT_EQ(h.match, c.match) << c.query << " " << c.prefix;
        EXPECT_EQ(h.exact, c.exact) << c.query << " " << c.prefix;
    }
}

}  // namespace
}  // namespace shian::storage
