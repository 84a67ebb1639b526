#include "shian/storage/sql_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "shian/core/text.hpp"
#include "shian/registry/search_text.hpp"
#include "shian/storage/business_tally.hpp"
#include "shian/storage/insert_many.hpp"
#include "shian/storage/migrations/migrations.hpp"
#include "shian/storage/people_codec.hpp"
#include "shian/storage/search_hints.hpp"
#include "shian/storage/search_terms.hpp"
#include "shian/storage/sql_repositories.hpp"
#include "shian/storage/sql_values.hpp"

namespace shian::storage {
namespace {

using nlohmann::json;
using registry::Business;
using sql::AddParam;
using sql::JoinList;
using sql::OptDouble;
using sql::OptText;
using sql::PlacePathsCondition;
using sql::SplitList;
using sql::SubtreeCondition;

// SQLite: a business's document of the contentless search index from its row
// (BusinessFtsDocument through the connection's function, see sqlite_database.cpp).
constexpr const char* kFtsDocument =
    "shian_fts_document(search_text, region_path, kind, risk_grade, status, tags)";

// ---------------------------------------------------------------------------------------------
class SqlBusinessRepository final : public registry::BusinessRepository {
public:
    // hints: the process's figures for two-character searches on PostgreSQL (see SearchHints).
    SqlBusinessRepository(Connection* c, SearchHints* hints)
        : c_(c), pg_(c->dialect() == Dialect::kPostgres), tally_(c), hints_(hints) {}

    Result<int64_t> Insert(const Business& b) override {
        TallyDelta delta;
        std::vector<Business> one = {b};
        SHIAN_TRY(InsertRows(&one, {0}, &delta));
        SHIAN_TRY(ApplyTally(delta));
        return one[0].id;
    }

    Status Update(const Business& b) override {
        TallyDelta delta;
        std::vector<Business> one = {b};
        SHIAN_TRY(UpdateRows(&one, {0}, &delta));
        return ApplyTally(delta);
    }

    // Inside a bulk transaction (Store::BeginBulk) the counts' changes are gathered and written
    // once, in key order, when it commits. A transaction must change tally rows in one ordered
    // pass — concurrent PostgreSQL writers then cannot deadlock on them (business_tally.hpp) —
    // and an import of many chunks writes each tally row once. The tally read inside such a
    // transaction does not yet count its own writes.
    void DeferTally() { deferred_tally_.emplace(); }
    Status FlushTally() {
        if (!deferred_tally_) return Ok();
        TallyDelta delta = std::move(*deferred_tally_);
        deferred_tally_.reset();
        return tally_.Apply(delta);
    }
    void DropTally() {
        deferred_tally_.reset();
        rebuild_indexes_.clear();  // the rollback brings them back
        unindexed_.clear();
    }
    // Adds the documents of the businesses a bulk transaction inserted (IndexForSearch).
    Status FlushSearchIndex() {
        std::vector<int64_t> ids(unindexed_.begin(), unindexed_.end());
        unindexed_.clear();
        std::sort(ids.begin(), ids.end());
        return AddSearchDocuments(ids);
    }

    // SQLite: when a bulk transaction will insert at least kRebuildMinRows businesses and the
    // table holds at most kRebuildMaxRatio times as many, the table's list indexes (every one
    // but the unique ones, which must check each insert) are dropped now and built anew, by
    // one sort each, when the transaction commits (RebuildIndexes). Adding 100,000 rows to
    // seven indexes one by one cost ~3.0 s of a 7.3 s import; building them over the rows
    // ~0.8 s. A rollback restores them with everything else. Other connections read their
    // snapshot, indexes included, until the commit. PostgreSQL is left alone: DROP INDEX
    // would lock the table against every reader until the commit.
    static constexpr size_t kRebuildMinRows = 10'000;
    static constexpr int64_t kRebuildMaxRatio = 2;
    Status ExpectInserts(size_t rows) override {
        if (pg_ || !deferred_tally_ || rows < kRebuildMinRows || !rebuild_indexes_.empty()) return Ok();
        SHIAN_ASSIGN_OR_RETURN(Rows count, c_->Query("SELECT count(*) FROM business", {}));
        if (count.Int(0, 0) > kRebuildMaxRatio * static_cast<int64_t>(rows)) return Ok();
        SHIAN_ASSIGN_OR_RETURN(Rows indexes,
                               c_->Query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                                         "tbl_name = 'business' AND sql IS NOT NULL AND "
                                         "upper(sql) NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
                                         {}));
        for (size_t i = 0; i < indexes.size(); ++i) {
            SHIAN_TRY(c_->Execute("DROP INDEX \"" + indexes.Text(i, 0) + "\"", {}));
            rebuild_indexes_.push_back(indexes.Text(i, 1));
        }
        return Ok();
    }
    // Builds the indexes ExpectInserts dropped (before the transaction commits), and merges the
    // search index into one segment: a load that large is most of the table, and FTS5 leaves
    // the segments of earlier writes beside the new one (a 1M-business table written in
    // 20,000-row transactions had 9, and search2 served 3,990 instead of 6,666 req/s;
    // merging 100,000 businesses' documents takes ~0.8 s, docs/performance.md session 16).
    Status RebuildIndexes() {
        std::vector<std::string> sqls = std::move(rebuild_indexes_);
        rebuild_indexes_.clear();
        for (const auto& sql : sqls) SHIAN_TRY(c_->Execute(sql, {}));
        if (!sqls.empty()) SHIAN_TRY(CompactSearchIndex());
        return Ok();
    }
    Status CompactSearchIndex() override {
        if (pg_) return Ok();
        SHIAN_ASSIGN_OR_RETURN(int64_t changed,
                               c_->Execute("INSERT INTO business_fts(business_fts) VALUES ('optimize')", {}));
        (void)changed;
        return Ok();
    }

    Result<bool> CompactSearchIndexStep(int64_t pages) override {
        if (pg_) return false;
        SHIAN_ASSIGN_OR_RETURN(int64_t before, SearchIndexSegments());
        if (before <= 1) return false;
        // A negative count merges segments of any levels, however few (FTS5 'merge').
        SHIAN_TRY(c_->Execute("INSERT INTO business_fts(business_fts, rank) VALUES ('merge', $1)", {-pages}));
        SHIAN_ASSIGN_OR_RETURN(int64_t after, SearchIndexSegments());
        return after > 1;
    }

    // SQLite: how many segments (b-trees) the search index is in; each search reads every one.
    Result<int64_t> SearchIndexSegments() {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query("SELECT count(DISTINCT segid) FROM business_fts_idx"));
        return rows.Int(0, 0);
    }

    Status Save(std::vector<Business>* batch) override {
        // Stored businesses are updated, new ones inserted, each group with a few statements;
        // the counts change once, in key order, after every row is written.
        TallyDelta delta;
        std::vector<size_t> fresh, stored;
        for (size_t i = 0; i < batch->size(); ++i) ((*batch)[i].id == 0 ? fresh : stored).push_back(i);
        SHIAN_TRY(UpdateRows(batch, stored, &delta));
        SHIAN_TRY(InsertRows(batch, fresh, &delta));
        return ApplyTally(delta);
    }

    Result<std::optional<Business>> Find(int64_t id) override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(std::string(kSelect) + " WHERE b.id = $1", {id}));
        if (rows.empty()) return std::optional<Business>();
        return std::optional<Business>(Read(rows, 0));
    }

    Result<std::optional<Business>> FindByUscc(const std::string& uscc) override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(std::string(kSelect) + " WHERE b.uscc = $1", {uscc}));
        if (rows.empty()) return std::optional<Business>();
        return std::optional<Business>(Read(rows, 0));
    }

    Result<std::vector<Business>> FindManyByUscc(const std::vector<std::string>& usccs) override {
        // The answer follows the order asked.
        std::unordered_map<std::string, Business> found;
        SHIAN_TRY(QueryByUscc(kSelect, usccs, [&](Rows& rows) {
            for (size_t r = 0; r < rows.size(); ++r) {
                Business b = Read(rows, r);
                std::string key = b.uscc;
                found.emplace(std::move(key), std::move(b));
            }
        }));
        std::vector<Business> out;
        for (const auto& u : usccs) {
            if (auto it = found.find(u); it != found.end()) out.push_back(std::move(it->second)), found.erase(it);
        }
        return out;
    }

    Result<std::vector<std::string>> StoredUsccs(const std::vector<std::string>& usccs) override {
        std::vector<std::string> out;
        SHIAN_TRY(QueryByUscc("SELECT b.uscc FROM business b", usccs, [&](Rows& rows) {
            for (size_t r = 0; r < rows.size(); ++r) out.push_back(rows.Text(r, 0));
        }));
        // A USCC asked in two IN lists is answered twice.
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }

    Result<registry::BusinessPage> List(const registry::BusinessFilter& f, bool with_total) override {
        if (with_total) {
            SHIAN_ASSIGN_OR_RETURN(auto place_page, ListPlaceInUpdateOrder(f));
            if (place_page) return std::move(*place_page);
            SHIAN_ASSIGN_OR_RETURN(auto house_page, HouseNumberPage(f));
            if (house_page) return std::move(*house_page);
        }
        std::vector<Value> params;
        bool fts_join = false;
        std::string where = Where(f, &params, true, &fts_join);
        std::string from = fts_join ? kFromFts : " FROM business b";
        registry::BusinessPage page;
        std::string sort_key = SortKey(f.sort);
        std::string norm = registry::NormalizeForSearch(f.q);
        bool text_query = !norm.empty();
        bool id_order = IsIdOrder(f.sort);
        if (!pg_ && text_query && id_order && fts_join) return ListInSearchIndexOrder(f, with_total);
        bool frequent = false;
        if (pg_ && with_total && f.total_limit > 0 && DecodeUtf8(norm).size() == 2 &&
            !HasFieldFilters(f)) {
            // A two-character query is exactly "has this bigram" (a bigram never spans two
            // fields), whose frequency PostgreSQL's statistics know (most common elements of
            // search_grams). Counting a frequent one up to the limit reads its whole GIN posting
            // list and 2,000 rows (~20 ms for 火锅 at 1M businesses); when the planner expects
            // five times the limit, the count is skipped ("limit+") and the page is read by
            // walking the sort order, which meets 20 matches after a few hundred rows.
            // (Estimated on the bigram and the other filters only: the planner knows nothing of
            // the substring check and would guess a third of the rows pass it.) Not with a kind,
            // grade, status or tag filter: words and kinds go together (火锅 is 餐饮, never
            // 食品销售), so a product of their shares can promise a thousand matches where there
            // are none — and a walk that meets none reads the whole place (火锅 among a large
            // township's 食品销售: ~30 ms) — while the search index intersects the word with
            // the filters' terms in ~1 ms (FieldTerms) and their keys are read up to the limit.
            // The process's figures answer without a statement (SearchHints); the planner is
            // asked when they cannot.
            std::optional<double> expected = hints_->ExpectedMatches(*c_, f, norm);
            if (!expected) {
                registry::BusinessFilter rest = f;
                rest.q.clear();
                std::vector<Value> rest_params;
                std::string rest_where = Where(rest, &rest_params);
                rest_where += (rest_where.empty() ? " WHERE " : " AND ") + std::string("b.search_grams @> ") +
                              Param(&rest_params, "{\"" + norm + "\"}") + "::text[]";
                SHIAN_ASSIGN_OR_RETURN(expected, PlannerRows(" FROM business b" + rest_where, rest_params));
            }
            frequent = *expected >= 5.0 * static_cast<double>(f.total_limit);
        }
        // A query whose matches' keys this process has just seen overflow (below): walk again
        // without counting, for a minute.
        std::string walk_township = TextWalkTownship(f);
        bool text_walk = pg_ && id_order && (IsTextOverAll(f) || !walk_township.empty());
        bool remember = pg_ && text_query && with_total && f.total_limit > 0 && ScopeIsPlaceTerms(f);
        if (remember && !frequent) frequent = hints_->KnownToExceed(CountKey(f, norm), f.total_limit);
        if (frequent) {
            page.total = f.total_limit;
            page.total_exact = false;
        } else if (with_total && text_query && !sort_key.empty()) {
            // A text query reads every candidate row for the substring check, so the count
            // reads the sort key too: when the matches fit under the limit, the page is cut
            // from them and only its rows are read again. When the search index alone decides
            // the filter, it first counts without reading rows (a frequent word stops there).
            bool read_keys = true;
            if (SearchIndexAloneIsExact(f)) {
                SHIAN_ASSIGN_OR_RETURN(int64_t n, CountMatches(f, from + where, params, f.total_limit));
                read_keys = f.total_limit <= 0 || n <= f.total_limit;
            }
            if (read_keys) {
                std::vector<Value> key_params;
                int64_t key_limit = KeysWorthSorting(f);
                std::string sql;
                if (pg_ && MayStartUscc(norm)) {
                    sql = UsccStartKeys(f, sort_key, &key_params);
                } else {
                    key_params = params;
                    sql = "SELECT b.id, " + sort_key + from + where;
                }
                if (key_limit > 0) sql += " LIMIT " + Param(&key_params, key_limit + 1);
                SHIAN_ASSIGN_OR_RETURN(Rows keys, c_->Query(sql, key_params));
                auto n = static_cast<int64_t>(keys.size());
                if (key_limit <= 0 || n <= key_limit) {
                    page.total = f.total_limit > 0 ? std::min(n, f.total_limit) : n;
                    page.total_exact = f.total_limit <= 0 || n <= f.total_limit;
                    return PageOfKeys(f, keys, std::move(page));
                }
                if (remember) hints_->RememberExceeds(CountKey(f, norm), f.total_limit);
            }
            page.total = f.total_limit;
            page.total_exact = false;
        } else if (with_total) {
            SHIAN_ASSIGN_OR_RETURN(auto tallied, tally_.Total(f));
            if (tallied) {
                page.total = *tallied;
            } else {
                SHIAN_ASSIGN_OR_RETURN(page.total, CountMatches(f, from + where, params, f.total_limit));
                if (f.total_limit > 0 && page.total > f.total_limit) {
                    page.total = f.total_limit;
                    page.total_exact = false;
                }
            }
        }
        // For a large result, walking the sort order's index and filtering is far cheaper than
        // collecting every match and sorting (the first page needs page_size * rows / matches
        // index entries). SQLite has no statistics on value ranges and PostgreSQL misjudges
        // text queries (it multiplies the bigrams' frequencies), so the count decides: SQLite
        // is told the index, and for both the search-index condition is left out, which leaves
        // the (exact) substring check as a filter on the walk.
        // In id order the table itself is the sort order's index (SQLite's rowid, PostgreSQL's
        // primary key).
        bool walk_sort_index = with_total && (!SortIndex(f.sort).empty() || id_order) &&
                               (!page.total_exact || page.total >= SmallResult(f));
        std::string sql;
        if (walk_sort_index) {
            params.clear();
            sql = kColumns + (text_walk ? TextWalkClauses(f, walk_township, &params) : WalkClauses(f, &params));
        } else {
            sql = kColumns + from + where + OrderBy(f.sort) + " LIMIT " +
                  Param(&params, int64_t{f.page_size}) + " OFFSET " + Param(&params, Offset(f));
        }
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(sql, params));
        for (size_t i = 0; i < rows.size(); ++i) page.items.push_back(Read(rows, i));
        return page;
    }

    // A list of one place's subtree (or of everything) in update order with no other filter:
    // walking the place's own update order (WalkClauses) reads just the page's index entries
    // however many businesses the place holds, so the count is not needed to choose how to read
    // the page, and the tally's count rides in the page's statement as one more column — one
    // statement fewer for the commonest request, a cadre's or an inspector's list. nullopt when
    // f is not such a list.
    Result<std::optional<registry::BusinessPage>> ListPlaceInUpdateOrder(const registry::BusinessFilter& f) {
        using Out = std::optional<registry::BusinessPage>;
        bool updated = f.sort == registry::BusinessSort::kUpdatedDesc || f.sort == registry::BusinessSort::kUpdatedAsc;
        if (!updated || !registry::NormalizeForSearch(f.q).empty() || HasFieldFilters(f)) return Out();
        auto places = TallyPlacesOf(f);
        if (!places) return Out();
        // The tally's places must be the walk's one place: with a scope and a place filter that
        // do not nest (no match at all), or a scope of several places, the walk would read
        // entries that the filter drops.
        std::string place = NarrowestPlace(f);
        bool one_place = places->all_roots ? place.empty() : places->paths.size() == 1 && places->paths[0] == place;
        if (!one_place) return Out();
        std::vector<Value> params;
        std::string total = tally_.TotalQuery(*places, f, &params);
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(kColumns + (", (" + total + ")") + WalkClauses(f, &params), params));
        registry::BusinessPage page;
        if (rows.empty()) {  // a page past the end (or no business): the count on its own
            SHIAN_ASSIGN_OR_RETURN(auto tallied, tally_.Total(f));
            page.total = tallied.value_or(0);
            return Out(std::move(page));
        }
        page.total = rows.Int(0, kColumnCount);
        for (size_t i = 0; i < rows.size(); ++i) page.items.push_back(Read(rows, i));
        return Out(std::move(page));
    }

    // PostgreSQL: a search for one house number (路12号, IsOneHouseNumber) in id order, with no
    // filter but places and a data scope of places: the ids of its page and its count come from
    // that term's entries in business_house_number (migration 23), whose place each entry
    // carries — an index-only scan that stops at the page and at the count limit — in one
    // statement with the page's rows. Through GIN, PostgreSQL reads every match's row even to
    // count them: 路12号 county-wide (2,420 matches at 1M businesses) read 1,601 rows to learn
    // it had more than it sorts, then walked ~8,300 business_id_text entries for its page
    // (~2 ms in all, and 4–5 ms more the first time a process met it); within a township, the
    // matches' rows (~1 ms). nullopt when f is not such a search.
    Result<std::optional<registry::BusinessPage>> HouseNumberPage(const registry::BusinessFilter& f) {
        using Out = std::optional<registry::BusinessPage>;
        if (!pg_ || !IsIdOrder(f.sort) || HasFieldFilters(f) || f.scope.business_id || f.scope.nothing) return Out();
        const std::string norm = registry::NormalizeForSearch(f.q);
        if (!IsOneHouseNumber(norm)) return Out();
        // Within a township (or a village of it) the term joined to the township: its entries are
        // that township's only.
        const std::string narrowest = NarrowestPlace(f);
        const std::string prefix = places::PathDepth(narrowest) >= 2 ? TownshipGramPrefix(narrowest) : "";
        std::vector<Value> params;
        std::string entries = " FROM business_house_number h WHERE h.term = " + Param(&params, prefix + norm);
        if (!f.scope.all) entries += " AND " + PlacePathsCondition(f.scope, "h.region_path", &params);
        if (!f.region_path.empty()) entries += " AND " + SubtreeCondition("h.region_path", f.region_path, &params);
        // Numbers written in, as in WalkClauses: one generic plan.
        const std::string count = "(SELECT count(*) FROM (SELECT 1" + entries +
                                  (f.total_limit > 0 ? " LIMIT " + std::to_string(f.total_limit + 1) : "") + ") c)";
        const bool descending = f.sort == registry::BusinessSort::kIdDesc;
        const std::string ids = "SELECT h.business_id" + entries + " ORDER BY h.business_id" +
                                (descending ? " DESC" : "") + " LIMIT " + std::to_string(f.page_size) +
                                " OFFSET " + std::to_string(Offset(f));
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(kColumns + (", " + count) + " FROM business b WHERE b.id IN (" +
                                                        ids + ")" + OrderBy(f.sort), params));
        int64_t n = 0;
        if (!rows.empty()) {
            n = rows.Int(0, kColumnCount);
        } else {  // a page past the end (or no match): the count on its own
            SHIAN_ASSIGN_OR_RETURN(Rows counted, c_->Query("SELECT " + count, params));
            n = counted.Int(0, 0);
        }
        registry::BusinessPage page;
        page.total = f.total_limit > 0 ? std::min(n, f.total_limit) : n;
        page.total_exact = f.total_limit <= 0 || n <= f.total_limit;
        for (size_t i = 0; i < rows.size(); ++i) page.items.push_back(Read(rows, i));
        return Out(std::move(page));
    }

    // FROM … LIMIT of a statement that reads f's page by walking its sort order's index (SQLite
    // is told the index; PostgreSQL takes no hints, and the place ranges are written so that no
    // other index serves them, see Where). Within one township or village in update order it
    // walks that place's own update order: the index entries alone then decide the place (a
    // range on region_path would read each row).
    std::string WalkClauses(const registry::BusinessFilter& f, std::vector<Value>* params) const {
        std::string index = SortIndex(f.sort);
        std::string place;
        if (f.sort == registry::BusinessSort::kUpdatedDesc || f.sort == registry::BusinessSort::kUpdatedAsc) {
            place = NarrowestPlace(f);
            int depth = places::PathDepth(place);
            if (depth >= 3) index = "business_region";  // a village: the path itself
            if (depth == 2) index = "business_township";
            if (depth < 2) place.clear();
        }
        std::string where = Where(f, params, false, nullptr, pg_, place);
        std::string from = pg_ || index.empty() ? " FROM business b" : " FROM business b INDEXED BY " + index;
        // PostgreSQL plans a statement with parameters anew on every run unless its generic plan
        // looks as cheap, and a LIMIT parameter makes it look as if it read a tenth of the table.
        // A walk's plan is the sort order's index whatever the values, so with the (validated)
        // numbers written in, the prepared statement keeps one plan: planning was ~40 % of the
        // page statement's server time.
        std::string limit = pg_ ? " LIMIT " + std::to_string(f.page_size) + " OFFSET " + std::to_string(Offset(f))
                                : " LIMIT " + Param(params, int64_t{f.page_size}) + " OFFSET " +
                                      Param(params, Offset(f));
        return from + where + OrderBy(f.sort) + limit;
    }

    // True when f filters on a field of the row (kind, risk grade, status or tag).
    static bool HasFieldFilters(const registry::BusinessFilter& f) {
        return HasJoinedFilters(f) || !f.tag.empty();
    }

    // True when f's scope is everything or one subtree: what place terms (NarrowingPlaceTerms)
    // describe exactly.
    static bool ScopeIsPlaceTerms(const registry::BusinessFilter& f) {
        return f.scope.all || f.scope.SingleSubtree();
    }

    // What SearchHints remembers a count by: the normalised query, the place terms that narrow
    // it and the other filters. Only for a scope that place terms describe (ScopeIsPlaceTerms):
    // two users whose scopes are different sets of places must not share an answer.
    // normalized: NormalizeForSearch(f.q), which the callers already hold.
    static std::string CountKey(const registry::BusinessFilter& f, const std::string& normalized) {
        std::string key = normalized;
        for (const auto& term : NarrowingPlaceTerms(f)) key += "\x1f" + term;
        for (const std::string* other : {&f.kind, &f.risk_grade, &f.status, &f.tag}) key += "\x1f" + *other;
        return key;
    }

    // True when f's field filters are all on columns that the id-order text indexes carry
    // (kind, risk grade, status; migration 13), so a text walk checks them on index entries.
    static bool FieldsInTextIndexes(const registry::BusinessFilter& f) { return f.tag.empty(); }

    // True when f is a text query over every place (no place filter; a scope of everything),
    // with no filter but those the text indexes carry (FieldsInTextIndexes).
    static bool IsTextOverAll(const registry::BusinessFilter& f) {
        return !f.q.empty() && f.scope.all && !f.scope.business_id && f.region_path.empty() &&
               FieldsInTextIndexes(f);
    }

    // The township (its path) within which f, a PostgreSQL text query in id order, can walk
    // that township's id order with the search text beside it (business_township_text,
    // migrations 11 and 13): f narrows to one township — by its place filter, its scope or
    // both, each holding the township — and has no filter but those the index carries
    // (FieldsInTextIndexes). "" otherwise (a village's matches are few enough to read from GIN:
    // its place term's posting list is short, so the intersection costs ~0.4 ms against ~3 ms
    // for a township's).
    std::string TextWalkTownship(const registry::BusinessFilter& f) const {
        if (!pg_ || f.q.empty() || !FieldsInTextIndexes(f)) return {};
        std::string place = NarrowestPlace(f);
        if (places::PathDepth(place) != 2) return {};
        const std::string* scope = f.scope.SingleSubtree();
        if (!f.scope.all && !(scope && place.starts_with(*scope))) return {};
        if (!f.region_path.empty() && !place.starts_with(f.region_path)) return {};
        return place;
    }

    // FROM … of a PostgreSQL statement that reads a text query's page in id order by walking
    // an index of ids with the search text (and kind, grade and status) beside them:
    // business_id_text (migrations 10 and 13) for a query over every place (IsTextOverAll),
    // business_township_text for one within `township` (TextWalkTownship). The substring and
    // the field filters are checked on index entries (an index-only scan) and only the page's
    // rows are read.
    std::string TextWalkClauses(const registry::BusinessFilter& f, const std::string& township,
                                std::vector<Value>* params) const {
        std::string where = Where(f, params, false, nullptr, pg_, township);
        // Numbers written in, as in WalkClauses: one generic plan.
        std::string limit = " LIMIT " + std::to_string(f.page_size) + " OFFSET " + std::to_string(Offset(f));
        return std::string(" FROM business b WHERE b.id IN (SELECT b.id FROM business b") +
               where + OrderBy(f.sort) + limit + ")" + OrderBy(f.sort);
    }

    static int64_t Offset(const registry::BusinessFilter& f) {
        return (f.page - 1) * static_cast<int64_t>(f.page_size);
    }

    Status ForEach(const registry::BusinessFilter& f,
                   const std::function<Status(const Business&)>& fn) override {
        // Keyset pages of 1,000 by id keep memory flat on any engine.
        std::vector<Value> base;
        std::string where = Where(f, &base);
        int64_t after = 0;
        for (;;) {
            std::vector<Value> params = base;
            params.push_back(after);
            std::string sql = std::string(kSelect) + where +
                              (where.empty() ? " WHERE" : " AND") + " b.id > $" +
                              std::to_string(params.size()) + " ORDER BY b.id LIMIT 1000";
            SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(sql, params));
            for (size_t i = 0; i < rows.size(); ++i) {
                Business b = Read(rows, i);
                after = b.id;
                SHIAN_TRY(fn(b));
            }
            if (rows.size() < 1000) return Ok();
        }
    }

    Result<std::vector<registry::StatsRow>> Count(const registry::BusinessFilter& f,
                                                  registry::StatsDimension by, int depth) override {
        SHIAN_ASSIGN_OR_RETURN(auto tallied, tally_.CountBy(f, by, depth));
        if (tallied) return std::move(*tallied);
        std::vector<Value> params;
        std::string where = Where(f, &params);
        std::string key;
        switch (by) {
            case registry::StatsDimension::kKind: key = "b.kind"; break;
            case registry::StatsDimension::kRiskGrade: key = "b.risk_grade"; break;
            case registry::StatsDimension::kStatus: key = "b.status"; break;
            // Grouped by the whole path, which an index (business_region) yields in order, and
            // rolled up below; grouping by a substring of it would sort every row.
            case registry::StatsDimension::kRegion: key = "b.region_path"; break;
        }
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query("SELECT " + key + " AS k, count(*) FROM business b" + where +
                                 " GROUP BY " + key + " ORDER BY " + key, params));
        std::vector<registry::StatsRow> out;
        if (by != registry::StatsDimension::kRegion) {
            for (size_t i = 0; i < rows.size(); ++i) out.push_back({rows.Text(i, 0), rows.Int(i, 1)});
            return out;
        }
        // Paths are "/c/t/v/"; the code at `depth` sits after the depth-th '/'. Codes at each
        // level have fixed widths (6, 9, 12), so a substring is exact (empty: a place above).
        static constexpr size_t kWidths[] = {6, 9, 12};
        size_t width = kWidths[std::clamp(depth, 1, 3) - 1];
        size_t offset = 1;  // after the leading '/'
        for (int d = 1; d < depth; ++d) offset += kWidths[d - 1] + 1;
        std::map<std::string, int64_t> counts;
        for (size_t i = 0; i < rows.size(); ++i) {
            std::string path = rows.Text(i, 0);
            counts[offset < path.size() ? path.substr(offset, width) : std::string()] += rows.Int(i, 1);
        }
        for (auto& [k, n] : counts) out.push_back({k, n});
        return out;
    }

    Status AppendStatusHistory(int64_t id, const registry::HistoryEntry& e) override {
        return AppendHistory({{id, registry::HistoryField::kStatus, e}});
    }
    Status AppendGradeHistory(int64_t id, const registry::HistoryEntry& e) override {
        return AppendHistory({{id, registry::HistoryField::kRiskGrade, e}});
    }
    Status AppendRegionHistory(int64_t id, const registry::HistoryEntry& e) override {
        return AppendHistory({{id, registry::HistoryField::kRegion, e}});
    }
    Status AppendHistory(const std::vector<registry::HistoryRecord>& records) override {
        return InsertMany(c_, "INSERT INTO business_history (business_id, field, value, reason, at, by_user)", 6,
                          records.size(), [&](size_t i, std::vector<Value>* out) {
                              const auto& r = records[i];
                              out->insert(out->end(), {r.business_id, std::string(HistoryFieldName(r.field)),
                                                       r.entry.value, r.entry.reason, r.entry.at, r.entry.by});
                          });
    }
    Result<std::optional<registry::BusinessDetail>> FindDetail(int64_t id) override {
        // One row per history entry (or one row without): the business repeats on each. Put in
        // order here: a sort in the statement cost PostgreSQL ~10 % of its throughput (session 12).
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query(std::string(kColumns) +
                                     ", h.field, h.value, h.reason, h.at, h.by_user, h.id FROM business b"
                                     " LEFT JOIN business_history h ON h.business_id = b.id AND h.field IN "
                                     "('status', 'risk_grade') WHERE b.id = $1",
                                 {id}));
        if (rows.empty()) return std::optional<registry::BusinessDetail>();
        registry::BusinessDetail detail{Read(rows, 0), {}, {}};
        constexpr size_t kH = kColumnCount;  // the first history column, after kColumns
        std::vector<size_t> order;
        for (size_t i = 0; i < rows.size(); ++i) {
            if (!rows.IsNull(i, kH)) order.push_back(i);
        }
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return rows.Int(a, kH + 5) < rows.Int(b, kH + 5); });
        for (size_t i : order) {
            auto& list = rows.Text(i, kH) == "status" ? detail.status_history : detail.grade_history;
            list.push_back({rows.Text(i, kH + 1), rows.Text(i, kH + 2), rows.Int(i, kH + 3), rows.Text(i, kH + 4)});
        }
        return std::optional<registry::BusinessDetail>(std::move(detail));
    }

    Result<std::vector<registry::Kind>> ListKinds() override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query("SELECT code, label, builtin, sort FROM kind_dict ORDER BY sort, code"));
        std::vector<registry::Kind> out;
        for (size_t i = 0; i < rows.size(); ++i) {
            out.push_back({rows.Text(i, 0), rows.Text(i, 1), rows.Int(i, 2) != 0,
                           static_cast<int>(rows.Int(i, 3))});
        }
        return out;
    }
    Status UpsertKind(const registry::Kind& k) override {
        SHIAN_TRY(c_->Execute("INSERT INTO kind_dict (code, label, builtin, sort) VALUES ($1,$2,$3,$4) "
                              "ON CONFLICT (code) DO UPDATE SET label=excluded.label, sort=excluded.sort",
                              {k.code, k.label, int64_t{k.builtin}, int64_t{k.sort}}));
        return Ok();
    }

private:
    static constexpr const char* kColumns =
        "SELECT b.id, b.version, b.name, b.uscc, b.licence_no, b.kind, b.region_code, b.region_path, "
        "b.address, b.lng, b.lat, b.status, b.risk_grade, b.people, b.tags, b.created_at, b.updated_at";
    static constexpr size_t kColumnCount = 17;
    // CROSS JOIN fixes the order: the search index first.
    static constexpr const char* kFromFts =
        " FROM business_fts CROSS JOIN business b ON b.id = business_fts.rowid";
    inline static const std::string kSelect = std::string(kColumns) + " FROM business b";

    // Below this many matches (SQLite) a page is read by sorting the matches rather than by
    // walking the sort order's index: walking visits about page_size * rows / matches index
    // entries, sorting reads every match (~5 us each). Place ranges are checked on the index
    // entries themselves (business_updated carries region_path); other filters read the row.
    static int64_t SmallResult(const registry::BusinessFilter& f) {
        bool index_only = f.q.empty() && !HasFieldFilters(f) && !f.scope.business_id;
        return index_only ? 500 : 2000;
    }

    // The column a sort orders by when it can be compared here exactly as the engines do
    // (numbers; risk grades are "" or A-D), else "" (names follow the database's collation).
    static std::string SortKey(registry::BusinessSort sort) {
        switch (sort) {
            case registry::BusinessSort::kUpdatedDesc:
            case registry::BusinessSort::kUpdatedAsc: return "b.updated_at";
            // Grades are "" or one letter A–D and paths start with '/', below every letter, so
            // comparing the concatenation byte by byte orders as (grade, place) does.
            case registry::BusinessSort::kGradeAsc:
            case registry::BusinessSort::kGradeDesc: return "b.risk_grade || b.region_path";
            case registry::BusinessSort::kIdDesc:
            case registry::BusinessSort::kIdAsc: return "b.id";
            case registry::BusinessSort::kNameAsc:
            case registry::BusinessSort::kNameDesc: return "";
        }
        return "";
    }

    // PostgreSQL: the planner's estimate of the rows of `from_where` (statistics only, nothing
    // is read).
    Result<double> PlannerRows(const std::string& from_where, const std::vector<Value>& params) {
        SHIAN_ASSIGN_OR_RETURN(Rows plan, c_->Query("EXPLAIN (FORMAT JSON) SELECT 1" + from_where, params));
        if (plan.empty()) return 0.0;
        json doc = json::parse(plan.Text(0, 0), nullptr, false);
        if (!doc.is_array() || doc.empty() || !doc[0].is_object() || !doc[0].contains("Plan")) return 0.0;
        const json& top = doc[0]["Plan"];
        return top.contains("Plan Rows") && top["Plan Rows"].is_number() ? top["Plan Rows"].get<double>() : 0.0;
    }

    // A text query in id order on SQLite: the FTS5 index yields its matches in rowid (= id)
    // order, so the page is the index entries at its offset — a few dozen, however common the
    // word — and the count stops at the limit. When the index alone decides the filter
    // (SearchIndexAloneIsExact) no row is read but the page's; otherwise each candidate row is
    // checked in index order until the page is full.
    Result<registry::BusinessPage> ListInSearchIndexOrder(const registry::BusinessFilter& f, bool with_total) {
        std::vector<Value> params;
        std::string matches;
        const bool descending = f.sort == registry::BusinessSort::kIdDesc;
        std::string order_column;
        const bool index_alone = SearchIndexAloneIsExact(f);
        const std::string norm = registry::NormalizeForSearch(f.q);
        if (index_alone) {
            std::string match = FtsMatchOf(f, norm).match;
            matches = "SELECT rowid AS id FROM business_fts WHERE business_fts MATCH " + Param(&params, match);
            order_column = "rowid";
        } else {
            bool fts_join = false;
            std::string where = Where(f, &params, true, &fts_join);
            matches = "SELECT b.id" + std::string(kFromFts) + where;
            order_column = "business_fts.rowid";
        }
        const std::string order = " ORDER BY " + order_column + (descending ? " DESC" : "");
        registry::BusinessPage page;
        const int64_t offset = Offset(f);
        // A word (within places) that this process has just counted past the limit is not
        // counted again for a minute (SearchHints::RememberExceeds): the count to 201 was a
        // third of a township search's time (0.29 of ~0.9 ms in SQLite).
        std::string remembered = with_total && index_alone && f.total_limit > 0 ? CountKey(f, norm) : "";
        if (!remembered.empty() && hints_->KnownToExceed(remembered, f.total_limit)) {
            page.total = f.total_limit;
            page.total_exact = false;
        } else if (with_total && f.total_limit > 0) {
            // The count reads the first limit + 1 matches anyway: all of them when they fit under
            // the limit, so every page of such a result (an empty one included) is cut from
            // their ids with no second pass over the search index — for a word with rare filters
            // that pass was half the request (超市 among a township's 餐饮服务, none: the whole
            // intersection, ~1.5 ms). They are read in ascending rowid order whatever the sort:
            // FTS5 reads a doclist backwards at ~1.6 times the cost of forwards (that intersection:
            // 1.46 ms descending, 0.88 ascending); a larger result's first page is then read
            // newest first on its own, stopping after the page.
            std::vector<Value> first_params = params;
            SHIAN_ASSIGN_OR_RETURN(Rows first, c_->Query(matches + " ORDER BY " + order_column + " LIMIT " +
                                                             Param(&first_params, f.total_limit + 1),
                                                         first_params));
            auto n = static_cast<int64_t>(first.size());
            page.total = std::min(n, f.total_limit);
            page.total_exact = n <= f.total_limit;
            if (!page.total_exact && !remembered.empty()) hints_->RememberExceeds(remembered, f.total_limit);
            if (page.total_exact || (!descending && offset + f.page_size <= n)) {
                std::vector<int64_t> page_ids;
                for (int64_t i = offset; i < std::min(n, offset + f.page_size); ++i) {
                    page_ids.push_back(first.Int(static_cast<size_t>(descending ? n - 1 - i : i), 0));
                }
                SHIAN_ASSIGN_OR_RETURN(page.items, ReadByIds(page_ids, f.sort));
                return page;
            }
        } else if (with_total) {
            std::vector<Value> count_params = params;
            SHIAN_ASSIGN_OR_RETURN(Rows count,
                                   c_->Query("SELECT count(*) FROM (" + matches + ") m", count_params));
            page.total = count.Int(0, 0);
        }
        std::string limit = " LIMIT " + Param(&params, int64_t{f.page_size});
        limit += " OFFSET " + Param(&params, offset);
        SHIAN_ASSIGN_OR_RETURN(Rows ids, c_->Query(matches + order + limit, params));
        std::vector<int64_t> page_ids;
        for (size_t i = 0; i < ids.size(); ++i) page_ids.push_back(ids.Int(i, 0));
        SHIAN_ASSIGN_OR_RETURN(page.items, ReadByIds(page_ids, f.sort));
        return page;
    }

    // The businesses of `ids` (at most a page), in the order of `sort`.
    Result<std::vector<Business>> ReadByIds(const std::vector<int64_t>& ids, registry::BusinessSort sort) {
        std::vector<Business> out;
        if (ids.empty()) return out;
        std::vector<Value> params;
        std::string in;
        for (int64_t id : ids) in += (in.empty() ? "" : ", ") + Param(&params, id);
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(std::string(kSelect) + " WHERE b.id IN (" + in + ")" +
                                                        OrderBy(sort), params));
        for (size_t i = 0; i < rows.size(); ++i) out.push_back(Read(rows, i));
        return out;
    }

    // The page of f out of all matches' (id, sort key) rows: sorted as OrderBy(f.sort) does.
    Result<registry::BusinessPage> PageOfKeys(const registry::BusinessFilter& f, const Rows& keys,
                                              registry::BusinessPage page) {
        using S = registry::BusinessSort;
        bool numeric = f.sort == S::kUpdatedDesc || f.sort == S::kUpdatedAsc || f.sort == S::kIdDesc ||
                       f.sort == S::kIdAsc;
        bool descending = f.sort == S::kUpdatedDesc || f.sort == S::kGradeDesc || f.sort == S::kIdDesc;
        struct Key {
            int64_t id;
            int64_t number;
            std::string text;
        };
        std::vector<Key> all;
        all.reserve(keys.size());
        for (size_t i = 0; i < keys.size(); ++i) {
            all.push_back({keys.Int(i, 0), numeric ? keys.Int(i, 1) : 0, numeric ? std::string() : keys.Text(i, 1)});
        }
        auto less = [numeric](const Key& a, const Key& b) {
            if (numeric ? a.number != b.number : a.text != b.text) return numeric ? a.number < b.number : a.text < b.text;
            return a.id < b.id;
        };
        size_t first = std::min(all.size(), static_cast<size_t>(f.page - 1) * static_cast<size_t>(f.page_size));
        size_t last = std::min(all.size(), first + static_cast<size_t>(f.page_size));
        if (first == last) return page;
        auto cmp = [&](const Key& a, const Key& b) { return descending ? less(b, a) : less(a, b); };
        std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(last), all.end(), cmp);
        std::vector<int64_t> ids;
        for (size_t i = first; i < last; ++i) ids.push_back(all[i].id);
        SHIAN_ASSIGN_OR_RETURN(page.items, ReadByIds(ids, f.sort));
        return page;
    }

    // How many matches' keys a text query reads to cut its page from them (beyond, its page is
    // read by walking the sort order): its count limit — except on PostgreSQL within a township
    // or village, eight times that. There the walk goes through the whole table in the sort
    // order (the place is a filter on each row, not an index range), reading about
    // page end × all rows / matches rows: for 火锅 in a township of 40,000 businesses (1,480
    // matches) ~13,500 rows, 16–18 ms, against 9 ms for reading the matches from GIN; the two
    // cost the same near √(page end × rows), ~4,500 matches at a million businesses — eight
    // times the 500 a search then counted to. A village never has that many: its pages always
    // come from the keys. A text query alone in id order walks business_id_text (an index-only
    // scan, ~0.27 µs a row; TextWalkClauses), where the two cost the same near 1,300 matches:
    // eight times the limit there too (李记火, 313 matches at a million businesses, walked
    // ~64,000 rows for its first page). Within a township in id order the walk is an
    // index-only scan of that township's entries (business_township_text, TextWalkTownship):
    // page end × township rows / matches entries at ~0.27 µs against ~3 ms of GIN intersection
    // and ~3 µs a match, the same near 200 matches for a township of 34,000 businesses — so the
    // keys are read up to the limit only. (SQLite walks its own search index in id order, see
    // ListInSearchIndexOrder.)
    int64_t KeysWorthSorting(const registry::BusinessFilter& f) const {
        if (f.total_limit <= 0) return f.total_limit;
        if (IsIdOrder(f.sort) && !TextWalkTownship(f).empty()) return f.total_limit;
        bool walk_is_dearer = pg_ && (!NarrowingPlaceTerms(f).empty() || IsTextOverAll(f));
        return walk_is_dearer ? 8 * f.total_limit : f.total_limit;
    }

    static bool IsIdOrder(registry::BusinessSort sort) {
        return sort == registry::BusinessSort::kIdDesc || sort == registry::BusinessSort::kIdAsc;
    }

    // The index whose order is the sort's (with id as the tie-breaker; on SQLite the rowid that
    // ends every index entry), or "".
    static std::string SortIndex(registry::BusinessSort sort) {
        switch (sort) {
            case registry::BusinessSort::kUpdatedDesc:
            case registry::BusinessSort::kUpdatedAsc: return "business_updated";
            case registry::BusinessSort::kNameAsc:
            case registry::BusinessSort::kNameDesc: return "business_name";
            case registry::BusinessSort::kGradeAsc:
            case registry::BusinessSort::kGradeDesc: return "business_grade";
            case registry::BusinessSort::kIdDesc:   // the table itself is in id order
            case registry::BusinessSort::kIdAsc: return "";
        }
        return "";
    }

    // The number of rows matching `from_where` (built with the search index), at most
    // limit + 1 when limit > 0.
    Result<int64_t> CountMatches(const registry::BusinessFilter& f, const std::string& from_where,
                                 std::vector<Value> params, int64_t limit) {
        std::string sql;
        if (SearchIndexAloneIsExact(f)) {
            // The search index answers the whole filter (see SearchIndexAloneIsExact), so the
            // count reads no rows.
            params.clear();
            std::string match = FtsMatchOf(f, registry::NormalizeForSearch(f.q)).match;
            sql = "SELECT rowid FROM business_fts WHERE business_fts MATCH " + Param(&params, match);
        } else {
            sql = "SELECT 1" + from_where;
        }
        if (limit > 0) sql += " LIMIT " + Param(&params, limit + 1);
        SHIAN_ASSIGN_OR_RETURN(Rows count, c_->Query("SELECT count(*) FROM (" + sql + ") m", params));
        return count.Int(0, 0);
    }

    // The deepest place whose subtree holds every match of f (its place filter's or its scope's
    // single subtree), or "" when neither narrows it.
    static std::string NarrowestPlace(const registry::BusinessFilter& f) {
        const std::string* scope = f.scope.SingleSubtree();
        return scope && places::PathDepth(*scope) > places::PathDepth(f.region_path) ? *scope : f.region_path;
    }

    // The place terms (PlaceTerms) that narrow a text query to the filter's place subtrees:
    // the place filter's, and the scope's when it is a single subtree.
    static std::vector<std::string> NarrowingPlaceTerms(const registry::BusinessFilter& f) {
        std::vector<std::string> out;
        if (const std::string* scope = f.scope.SingleSubtree()) out.push_back(SubtreeTerm(*scope));
        if (!f.region_path.empty()) out.push_back(SubtreeTerm(f.region_path));
        std::erase(out, std::string());
        return out;
    }

    // How the search index narrows a text query (normalised) to f's matches: the query's
    // bigrams and house numbers joined to the township of its narrowest place
    // (TownshipGramPrefix) when that is a township or one of its villages and the query is
    // ideographs and whole house numbers (AsksJoinedGrams: 火锅, 人民路12号), and terms ANDed to
    // them — the place terms of its place filter and single-subtree scope (NarrowingPlaceTerms)
    // and the field terms of its filters
    // (FieldTerms). A place term whose subtree holds the whole township is implied by the
    // joined bigrams and left out (a place term's posting list is long); within a township or
    // village (NarrowestPlace) kind, grade and status are asked by their terms joined to that
    // place, which hold the place too, so its own term is left out as well. The place terms of a
    // place elsewhere are kept (nothing matches).
    struct Narrowing {
        std::string gram_prefix;
        std::vector<std::string> terms;
    };
    static Narrowing NarrowingTerms(const registry::BusinessFilter& f, const std::string& normalized) {
        const std::string narrowest = NarrowestPlace(f);
        const bool joined = HasJoinedFilters(f) && places::PathDepth(narrowest) >= 2;
        const std::string township = places::PathDepth(narrowest) >= 2 && AsksJoinedGrams(normalized)
                                         ? places::TownshipPath(narrowest)
                                         : "";
        Narrowing out{TownshipGramPrefix(township), {}};
        for (const std::string* path : {f.scope.SingleSubtree(), &f.region_path}) {
            if (!path || path->empty()) continue;
            if (!township.empty() && township.starts_with(*path)) continue;
            if (joined && narrowest.starts_with(*path)) continue;
            out.terms.push_back(SubtreeTerm(*path));
        }
        std::erase(out.terms, std::string());
        for (auto& term : FilterTerms(f, joined ? narrowest : std::string())) out.terms.push_back(std::move(term));
        return out;
    }
    // The number grams are left out per field (NumberGramTag): the county's digits of a USCC
    // (u5119, u1190) are in every USCC, while its start (u9251) is in no licence number.
    FtsMatch FtsMatchOf(const registry::BusinessFilter& f, const std::string& normalized) const {
        Narrowing n = NarrowingTerms(f, normalized);
        std::unordered_set<std::string> left_out;
        if (n.gram_prefix.empty()) {
            const std::vector<std::string> terms = QueryTerms(normalized);
            left_out = LeftOutGrams(terms);
            // A word without number grams (most searches) has nothing to leave out per field.
            const bool numbers = std::any_of(terms.begin(), terms.end(), [](const std::string& t) { return IsNumberGram(t); });
            for (char tag : kNumberGramTags) {
                if (!numbers) break;
                if (tag == NumberGramTag(0)) continue;  // the plain grams above
                std::vector<std::string> tagged;
                for (const auto& term : terms) tagged.push_back(WithNumberTag(term, tag));
                for (auto& gram : LeftOutGrams(tagged)) {
                    if (IsNumberGram(gram)) left_out.insert(std::move(gram));
                }
            }
        }
        return BuildFtsMatch(normalized, n.terms, n.gram_prefix, left_out);
    }

    // Of a query's terms (QueryTerms: plain bigrams and number grams), those that nearly every
    // business holds — a share of at least kUniversalShare (SearchHints::GramShare) — when a
    // rarer one remains to narrow by. In a county every licence number holds JY1511902… and
    // most USCCs …511902…, so jy, y1, n1511, n5119, n1190 and n1902 are in nearly every
    // document; asking the search index for them reads their whole posting lists — on SQLite
    // ~5 ms each at 1M businesses, however rare the other terms (FTS5 does not skip within a
    // positional list) — and narrows nothing. Left out, the substring check decides for each
    // candidate the other terms leave. SQLite walks its index's matches in id order and checks
    // rows only up to the page or the count limit, so it leaves them out whenever another term
    // remains; PostgreSQL reads every candidate's row for the count (~5–10 µs each) and reads
    // long GIN lists fairly cheaply, so only when the remaining terms are rare together (the
    // product of their shares, as if independent, at most kSelectiveShare: a few thousand
    // candidates at 1M businesses; until session 13 one of them had to be that rare alone:
    // search_number 685 → 823 req/s) — 129号 keeps its 12 and 29 there, since 9号 alone would
    // leave ~100,000 (search_number 238 → 349 req/s, p99 3.4 s → 0.4 s, session 11). A query
    // of one term, and the joined terms (a township's lists are short), always ask.
    static constexpr double kUniversalShare = 0.2;
    static constexpr double kSelectiveShare = 0.005;
    std::unordered_set<std::string> LeftOutGrams(const std::vector<std::string>& grams) const {
        std::unordered_set<std::string> out;
        if (grams.size() < 2) return out;
        bool narrowing = false;  // a term remains that narrows enough
        double remaining = 1.0;  // PostgreSQL: the share of businesses holding every remaining term
        size_t kept = 0;         // PostgreSQL: the grams not left out
        std::vector<std::pair<double, const std::string*>> common;  // … of them, those ≥ kCommonShare
        for (const auto& gram : grams) {
            if (!pg_ && !IsNumberGram(gram) && !IsFtsTerm(gram)) continue;  // not in SQLite's index anyway
            std::optional<double> share = hints_->GramShare(*c_, gram);
            if (share && *share >= kUniversalShare) {
                out.insert(gram);
            } else if (!pg_) {
                narrowing = true;
            } else {
                ++kept;
                if (share) remaining *= *share;
                if (share && *share >= kCommonShare) common.push_back({*share, &gram});
            }
        }
        if (pg_) narrowing = remaining <= kSelectiveShare;
        if (!narrowing) {
            out.clear();
            return out;
        }
        if (pg_) LeaveOutCommonGrams(std::move(common), kept, remaining, &out);
        return out;
    }

    // PostgreSQL: of the grams LeftOutGrams keeps, also those whose posting list costs more to
    // read than the candidate rows asking them spares — GIN decodes a gram's whole list
    // (~4 ns an entry: l9024, in a tenth of the licence numbers, 0.4 ms at 1M businesses), a
    // candidate costs its row (~3 µs) — so a common gram goes when the rarer ones left leave
    // fewer candidates than its share × kEntryPerCandidateCost, the commonest first: a licence
    // number's l9024 beside its six rare serial grams (0.54 → 0.14 ms for that branch).
    // `common`: the kept grams with a share ≥ kCommonShare and their shares; `kept`: how many
    // grams are kept; `remaining`: the share of businesses holding every kept gram (as if
    // independent).
    static constexpr double kCommonShare = 0.01;
    static constexpr double kEntryPerCandidateCost = 4e-9 / 3e-6;
    static void LeaveOutCommonGrams(std::vector<std::pair<double, const std::string*>> common, size_t kept,
                                    double remaining, std::unordered_set<std::string>* out) {
        std::sort(common.begin(), common.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (const auto& [share, gram] : common) {
            if (kept <= 1) break;
            double without = remaining / share;
            if (without > share * kEntryPerCandidateCost) continue;
            out->insert(*gram);
            remaining = without;
            --kept;
        }
    }

    // PostgreSQL: the GIN condition of a query's terms (QueryTerms) and its narrowing terms:
    // search_grams holds them all, but those that nearly every business holds (LeftOutGrams).
    // A business's number grams are tagged by the field they come from (NumberGramTag,
    // migration 19) and a text holds the query within one field, so a query with number grams
    // asks them with each tag: one containment per tag, ORed (a BitmapOr of three GIN scans),
    // each leaving out what is universal in its own field's space: the county's digits of a
    // USCC (u5119, u1190) are in every USCC, while its start (9251) is in no licence number, so
    // l9251 narrows the licence branch to nearly nothing.
    // Stored without the window at the USCC's first character (migration 21, TaggedNumberGrams),
    // a USCC holds every number gram of a query it holds further on, and all but the query's
    // first (FirstNumberGram) of one it starts with — tagged 'u', or 'n' when the business has
    // no address (BuildSearchText skips empty fields). So a query that may start a USCC asks
    // the 'n' and 'u' branches either with that gram dropped, ANDed with its narrowing terms
    // (a township's or a kind's: the GIN intersection reads few entries, ~1 ms), or,
    // county-wide, with every gram (u9251 is rare then: found further on in a few USCCs only)
    // ORed with a range of the USCC's btree, which finds the USCCs it starts exactly — where
    // the grams left once the county's universal ones are out (u02m1 for 92511902M1) are also
    // in every USCC of the other type (91511902M1…): 6,503 candidates read for 874 matches at
    // 1M businesses, ~20 ms. Not the btree within a place: ANDing the range with the place's
    // term reads the place's whole posting list (~18 ms for a township of 88,000).
    // uscc_range: false when the caller finds the USCCs the query starts itself (UsccStartKeys).
    std::string GinCondition(const std::vector<std::string>& grams, const std::string& normalized,
                             const Narrowing& n, std::vector<Value>* params, bool uscc_range = true) const {
        const bool numbers = std::any_of(grams.begin(), grams.end(), [](const std::string& g) { return IsNumberGram(g); });
        const bool uscc_start = uscc_range && numbers && IsUsccStart(normalized);
        const std::string head = uscc_start ? FirstNumberGram(normalized, NumberGramTag(0)) : std::string();
        bool narrowed = false;
        if (uscc_start && !n.terms.empty()) {
            narrowed = std::any_of(grams.begin(), grams.end(), [&](const std::string& g) { return IsNumberGram(g) && g != head; });
        }
        std::string out;
        for (char tag : kNumberGramTags) {
            std::vector<std::string> terms;
            for (const auto& gram : grams) {
                if (narrowed && gram == head) continue;
                terms.push_back(WithNumberTag(gram, tag));
            }
            if (n.gram_prefix.empty()) {
                auto left_out = LeftOutGrams(terms);
                std::erase_if(terms, [&](const std::string& g) { return left_out.count(g) > 0; });
            }
            for (auto& term : terms) term.insert(0, n.gram_prefix);
            for (const auto& term : n.terms) terms.push_back(term);
            std::string arr = "{";
            for (size_t i = 0; i < terms.size(); ++i) arr += (i ? ",\"" : "\"") + terms[i] + "\"";
            arr += "}";
            out += (out.empty() ? "" : " OR ") + std::string("b.search_grams @> ") + Param(params, arr) + "::text[]";
            if (!numbers) return out;  // one containment: no tag to ask
            if (uscc_start && !narrowed && tag == NumberGramTag(2)) {
                auto [low, high] = UsccRange(normalized);
                out += " OR (b.uscc >= " + Param(params, low) + " AND b.uscc < " + Param(params, high) + ")";
            }
        }
        return "(" + out + ")";
    }

    // PostgreSQL: "SELECT id, sort key" of the matches of f, a text query that may start a USCC
    // (MayStartUscc), in two disjoint parts: the businesses whose USCC starts with it, read from
    // the USCC's btree alone (migration 22 put the id, place, kind, grade, status and update time
    // beside each USCC: the filters and the sort key are checked there, no row is read — for
    // 92511902M1 874 index entries instead of 874 rows, ~2.5 ms at 1M businesses), and the other
    // businesses holding it, through GIN with every number gram of the query (its first one
    // too: a USCC that merely starts with it is in the first part) and without the place and
    // field terms, which the row's own columns check (rarely asked: u9251 is in few USCCs but
    // at their start, l9251 in no licence number). Its parameters are appended to `params`.
    std::string UsccStartKeys(const registry::BusinessFilter& f, const std::string& sort_key,
                              std::vector<Value>* params) const {
        auto [first, beyond] = UsccRange(registry::NormalizeForSearch(f.q));
        const std::string low = Param(params, first);
        const std::string high = Param(params, beyond);
        registry::BusinessFilter rest = f;
        rest.q.clear();
        std::string rest_where = Where(rest, params, false, nullptr, /*place_as_filter=*/true);
        std::string starts = "SELECT b.id, " + sort_key + " AS s FROM business b" + rest_where +
                             (rest_where.empty() ? " WHERE " : " AND ") + "b.uscc >= " + low + " AND b.uscc < " + high;
        std::string holds = "SELECT b.id, " + sort_key + " AS s FROM business b" +
                            Where(f, params, true, nullptr, false, {}, /*narrow_grams=*/false) + " AND (b.uscc IS NULL OR NOT (b.uscc >= " +
                            low + " AND b.uscc < " + high + "))";
        return "SELECT id, s FROM (" + starts + " UNION ALL " + holds + ") u";
    }

    // [low, high): the USCCs that start with a normalised query of ASCII letters and digits
    // (IsUsccStart), compared as bytes (migration 21). A USCC's letters are uppercase (CheckUscc).
    static std::pair<std::string, std::string> UsccRange(const std::string& normalized) {
        std::string low = normalized;
        for (char& c : low) {
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        std::string high = low;
        ++high.back();  // a digit or letter: never the last byte value
        return {low, high};
    }

    // True when a normalised query may be the start of a USCC and has number grams to ask GIN
    // for the other businesses holding it (UsccStartKeys).
    static bool MayStartUscc(const std::string& normalized) {
        if (!IsUsccStart(normalized)) return false;
        const std::vector<std::string> terms = QueryTerms(normalized);
        return std::any_of(terms.begin(), terms.end(), [](const std::string& t) { return IsNumberGram(t); });
    }

    // True when a normalised query may be the start of a USCC: ASCII digits and letters only.
    static bool IsUsccStart(const std::string& normalized) {
        return !normalized.empty() && std::all_of(normalized.begin(), normalized.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
        });
    }

    // True (SQLite) when the FTS5 index alone decides the filter exactly: a query whose bigrams
    // are all index terms (one phrase, see BuildFtsMatch), otherwise only place subtrees (a
    // place term is on exactly the rows of its subtree) and field filters (a field term is on
    // exactly the rows with that value, see FieldTerms).
    bool SearchIndexAloneIsExact(const registry::BusinessFilter& f) const {
        if (!ScopeIsPlaceTerms(f)) return false;
        // PostgreSQL counts a frequent word by a sequential scan, where the containment test
        // alone costs about as much as reading the sort keys with the substring test, and a
        // rare one through GIN either way: it always reads the keys.
        if (pg_) return false;
        return FtsMatchOf(f, registry::NormalizeForSearch(f.q)).exact;
    }

    // What a business's row holds for searches: search_text; on PostgreSQL also its GIN terms
    // (GinTerms) as an array literal for search_grams and its house number terms
    // (HouseNumberIndexTerms, among those) for business_house_number. On SQLite only the text:
    // the search index is contentless and its document (BusinessFtsDocument) is computed when
    // it is written or deleted.
    struct SearchColumns {
        std::string text;
        std::string grams;
        std::vector<std::string> house_numbers;
    };
    SearchColumns Search(const Business& b) const {
        // The fields in this order: PostgreSQL's number grams are tagged by it (NumberGramTag).
        if (!pg_) return {registry::BuildSearchText({b.name, b.address, b.uscc, b.licence_no}), {}, {}};
        auto doc = registry::BuildSearchDocument({b.name, b.address, b.uscc, b.licence_no});
        auto terms = GinTerms(std::move(doc.grams), doc.text, b.region_path,
                              FieldTerms(b.region_path, b.kind, b.risk_grade, b.status, b.tags),
                              registry::NormalizeForSearch(b.uscc));
        std::string grams = "{";
        for (size_t i = 0; i < terms.size(); ++i) {
            if (i) grams.push_back(',');
            grams += "\"" + terms[i] + "\"";
        }
        grams += "}";
        std::vector<std::string> house = HouseNumberIndexTerms(doc.text, b.region_path);
        return {std::move(doc.text), std::move(grams), std::move(house)};
    }

    // Reads row i's business, moving its text out of `r` (each row is read once).
    static Business Read(Rows& r, size_t i) {
        Business b;
        b.id = r.Int(i, 0);
        b.version = r.Int(i, 1);
        b.name = r.TakeText(i, 2);
        b.uscc = r.TakeText(i, 3);
        b.licence_no = r.TakeText(i, 4);
        b.kind = r.TakeText(i, 5);
        b.region_code = r.TakeText(i, 6);
        b.region_path = r.TakeText(i, 7);
        b.address = r.TakeText(i, 8);
        b.lng = r.OptDouble(i, 9);
        b.lat = r.OptDouble(i, 10);
        b.status = r.TakeText(i, 11);
        b.risk_grade = r.TakeText(i, 12);
        b.people = DecodePeople(r.TakeText(i, 13));
        b.tags = SplitList(r.TakeText(i, 14));
        b.created_at = r.Int(i, 15);
        b.updated_at = r.Int(i, 16);
        return b;
    }

    std::string Param(std::vector<Value>* params, Value v) const { return AddParam(params, std::move(v)); }

    // The WHERE clause of a filter. use_fts: narrow a text query with the search index (SQLite's
    // FTS5 table; PostgreSQL's GIN index is the planner's choice); the substring check that
    // follows is exact either way.
    // fts_join (SQLite): when given, the FTS5 condition is left for a join that drives the query
    // from the search index (`FROM business_fts CROSS JOIN business b ON b.id =
    // business_fts.rowid`, see FromFts) and *fts_join says whether it is needed; that streams
    // the matches instead of first collecting all of them for an IN list.
    // place_as_filter (PostgreSQL): write place ranges so that no index can serve them, which
    // leaves the planner the sort order's index to walk (it has no index hints, and for a large
    // township it may otherwise sort all of its businesses: 125 ms for 97k rows).
    // own_place: a township's or village's path (NarrowestPlace) whose subtree holds every match:
    // it is written as the place's own index key (TownshipPathExpression, or region_path for a village,
    // which has no places below it, see region.hpp), in place of the ranges of the place filter
    // and the scope that it lies within and so implies.
    // narrow_grams (PostgreSQL): when false, the GIN condition holds the query's own terms only
    // (every one; no place or field terms, no USCC range), for UsccStartKeys.
    std::string Where(const registry::BusinessFilter& f, std::vector<Value>* params, bool use_fts = true,
                      bool* fts_join = nullptr, bool place_as_filter = false,
                      const std::string& own_place = {}, bool narrow_grams = true) const {
        if (fts_join) *fts_join = false;
        std::string norm = registry::NormalizeForSearch(f.q);
        auto grams = QueryTerms(norm);
        // PostgreSQL: when the GIN condition carries the place and field terms, an index on the
        // place range or the field only adds a bitmap of the whole township or kind to AND
        // (5–20 ms at 1M businesses): such conditions are written so that no index serves them.
        bool terms_in_grams = pg_ && use_fts && !grams.empty();
        bool places_in_grams = terms_in_grams && !NarrowingPlaceTerms(f).empty();
        const std::string path = place_as_filter || places_in_grams ? "(b.region_path || '')" : "b.region_path";
        // Likewise in a text query's walk, which checks each entry or row for the substring
        // anyway (TextWalkClauses: an index-only scan that carries the fields). Not in a walk
        // without text: for a rare grade and status (2,388 of 1M) it reads ~8,000 rows and
        // more, where the planner ANDs their btrees and sorts the matches in 20 ms.
        bool fields_as_filter = terms_in_grams || (place_as_filter && !norm.empty());
        auto field = [&](const char* column) {
            return fields_as_filter ? "(b." + std::string(column) + " || '')" : "b." + std::string(column);
        };
        std::vector<std::string> conds;
        // True when every row of own_place lies in the subtree of `subtree`.
        auto implied = [&](const std::string& subtree) {
            return !own_place.empty() && own_place.starts_with(subtree);
        };
        if (!own_place.empty()) {
            conds.push_back(places::PathDepth(own_place) >= 3
                                ? "b.region_path = " + Param(params, own_place)
                                : std::string(TownshipPathExpression(c_->dialect())) + " = " +
                                      Param(params, places::TownshipPath(own_place)));
        }
        const access::ScopeFilter& s = f.scope;
        if (!s.all) {
            if (s.nothing) {
                conds.push_back("1 = 0");
            } else if (s.business_id) {
                conds.push_back("b.id = " + Param(params, *s.business_id));
            } else if (const std::string* one = s.SingleSubtree(); !(one && implied(*one))) {
                conds.push_back(PlacePathsCondition(s, path, params));
            }
        }
        if (!f.region_path.empty() && !implied(f.region_path)) {
            conds.push_back(SubtreeCondition(path, f.region_path, params));
        }
        if (!f.kind.empty()) conds.push_back(field("kind") + " = " + Param(params, f.kind));
        if (!f.risk_grade.empty()) {
            conds.push_back(field("risk_grade") + " = " + Param(params, f.StoredRiskGrade()));
        }
        if (!f.status.empty()) conds.push_back(field("status") + " = " + Param(params, f.status));
        if (!f.tag.empty() && terms_in_grams) {
            // The row's own list of tags (JoinList; a tag never holds '|'): no join.
            conds.push_back(Param(params, f.tag) + " = ANY(string_to_array(b.tags, '|'))");
        } else if (!f.tag.empty()) {
            conds.push_back("b.id IN (SELECT business_id FROM business_tag WHERE tag = " +
                            Param(params, f.tag) + ")");
        }
        if (!norm.empty()) {
            if (!grams.empty() && use_fts) {
                if (pg_) {
                    conds.push_back(narrow_grams ? GinCondition(grams, norm, NarrowingTerms(f, norm), params)
                                                 : GinCondition(grams, norm, Narrowing{}, params, false));
                } else {
                    std::string match = FtsMatchOf(f, norm).match;
                    if (!match.empty() && fts_join) {
                        conds.push_back("business_fts MATCH " + Param(params, match));
                        *fts_join = true;
                    } else if (!match.empty()) {
                        conds.push_back("b.id IN (SELECT rowid FROM business_fts WHERE business_fts MATCH " +
                                        Param(params, match) + ")");
                    }
                }
            }
            conds.push_back(std::string(pg_ ? "strpos(b.search_text, " : "instr(b.search_text, ") +
                            Param(params, norm) + ") > 0");
        }
        if (conds.empty()) return "";
        std::string out = " WHERE ";
        for (size_t i = 0; i < conds.size(); ++i) out += (i ? " AND " : "") + conds[i];
        return out;
    }

    static std::string OrderBy(registry::BusinessSort sort) {
        switch (sort) {
            case registry::BusinessSort::kUpdatedDesc: return " ORDER BY b.updated_at DESC, b.id DESC";
            case registry::BusinessSort::kUpdatedAsc: return " ORDER BY b.updated_at, b.id";
            case registry::BusinessSort::kNameAsc: return " ORDER BY b.name, b.id";
            case registry::BusinessSort::kNameDesc: return " ORDER BY b.name DESC, b.id DESC";
            // Equal grades by place, then id: the order of the business_grade index, which a
            // page walks instead of sorting a million rows.
            case registry::BusinessSort::kGradeAsc: return " ORDER BY b.risk_grade, b.region_path, b.id";
            case registry::BusinessSort::kGradeDesc:
                return " ORDER BY b.risk_grade DESC, b.region_path DESC, b.id DESC";
            case registry::BusinessSort::kIdDesc: return " ORDER BY b.id DESC";
            case registry::BusinessSort::kIdAsc: return " ORDER BY b.id";
        }
        return " ORDER BY b.id DESC";
    }

    // Runs `select` + " WHERE b.uscc IN (…)" for the USCCs in lists of up to 500 (SQLite allows
    // 32,766 parameters, PostgreSQL 65,535), handing each answer to `take`.
    Status QueryByUscc(const std::string& select, const std::vector<std::string>& usccs,
                       const std::function<void(Rows&)>& take) {
        for (size_t first = 0; first < usccs.size(); first += 500) {
            std::vector<Value> params;
            std::string in;
            for (size_t i = first; i < std::min(usccs.size(), first + 500); ++i) {
                in += (in.empty() ? "" : ", ") + Param(&params, usccs[i]);
            }
            SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(select + " WHERE b.uscc IN (" + in + ")", params));
            take(rows);
        }
        return Ok();
    }

    // Writes the counts' changes now, or gathers them for the commit of a bulk transaction.
    Status ApplyTally(const TallyDelta& delta) {
        if (!deferred_tally_) return tally_.Apply(delta);
        for (const auto& [key, n] : delta) (*deferred_tally_)[key] += n;
        return Ok();
    }

    // Inserts the businesses batch[which[0]], batch[which[1]], … (filling in their ids), their
    // tags and, on SQLite, their search index entries — each with a statement per few hundred
    // rows. (The index is written here rather than by a trigger: FTS5 flushes its pending terms
    // at the end of every statement that touches it, which made a trigger cost ~3x per row.)
    Status InsertRows(std::vector<Business>* batch, const std::vector<size_t>& which, TallyDelta* delta) {
        if (which.empty()) return Ok();
        static const std::vector<const char*> kCastsSqlite(18, "");
        static const std::vector<const char*> kCastsPostgres = [] {
            std::vector<const char*> casts(18, "");
            casts[15] = "::text[]";  // search_grams
            return casts;
        }();
        std::vector<int64_t> ids;
        ids.reserve(which.size());
        std::vector<std::vector<std::string>> house(which.size());  // PostgreSQL: business_house_number's
        SHIAN_TRY(InsertMany(
            c_,
            "INSERT INTO business (version, name, uscc, licence_no, kind, region_code, region_path, address, "
            "lng, lat, status, risk_grade, people, tags, search_text, search_grams, created_at, updated_at)",
            pg_ ? kCastsPostgres : kCastsSqlite, which.size(),
            [&](size_t i, std::vector<Value>* out) {
                const Business& b = (*batch)[which[i]];
                SearchColumns doc = Search(b);
                house[i] = std::move(doc.house_numbers);
                out->insert(out->end(),
                            {int64_t{1}, b.name, OptText(b.uscc), b.licence_no, b.kind, b.region_code,
                             b.region_path, b.address, OptDouble(b.lng), OptDouble(b.lat), b.status,
                             b.risk_grade, EncodePeople(b.people), JoinList(b.tags), std::move(doc.text),
                             std::move(doc.grams), b.created_at, b.updated_at});
            },
            "", &ids));
        std::vector<HouseNumberEntry> entries;
        for (size_t i = 0; i < which.size(); ++i) {
            Business& b = (*batch)[which[i]];
            b.id = ids[i];
            AddToTally(b, 1, delta);
            for (auto& term : house[i]) entries.push_back({std::move(term), b.id, b.region_path});
        }
        SHIAN_TRY(InsertHouseNumbers(entries));
        SHIAN_TRY(InsertTags(*batch, which));
        return IndexForSearch(*batch, which);
    }

    // Updates the businesses batch[which[0]], … — each only if its stored version is its
    // version - 1, otherwise kConflict — with their tags and search index entries. Every
    // version is checked before anything is written; call it in a transaction all the same (a
    // concurrent writer between the check and the rows' UPDATE is caught by the UPDATE, after
    // the rows before it were written).
    Status UpdateRows(std::vector<Business>* batch, const std::vector<size_t>& which, TallyDelta* delta) {
        if (which.empty()) return Ok();
        // The stored versions, and what the tally and the search index hold for them.
        SHIAN_ASSIGN_OR_RETURN(
            Rows old, c_->Query(std::string("SELECT id, version, kind, risk_grade, status, region_path") +
                                    (pg_ ? ", search_text" : "") + " FROM business WHERE " + IdsIn(),
                                {IdList(*batch, which)}));
        std::unordered_map<int64_t, size_t> row_of;
        for (size_t r = 0; r < old.size(); ++r) row_of.emplace(old.Int(r, 0), r);
        std::vector<size_t> old_rows;
        old_rows.reserve(which.size());
        for (size_t i : which) {
            const Business& b = (*batch)[i];
            auto it = row_of.find(b.id);
            if (it == row_of.end() || old.Int(it->second, 1) != b.version - 1) return StaleVersion();
            old_rows.push_back(it->second);
        }
        hints_->ForgetExceeded();  // the edits may take matches away
        if (!pg_) {
            // A contentless index deletes a document given its terms: those of the stored values.
            // (Not for a business this bulk transaction inserted: its document is added when it
            // commits, with the values it then has.)
            std::vector<size_t> indexed;
            for (size_t i : which) {
                if (!unindexed_.count((*batch)[i].id)) indexed.push_back(i);
            }
            if (!indexed.empty()) {
                SHIAN_TRY(c_->Execute(std::string("INSERT INTO business_fts (business_fts, rowid, search_grams) "
                                                  "SELECT 'delete', id, ") +
                                          kFtsDocument + " FROM business WHERE " + IdsIn(),
                                      {IdList(*batch, indexed)}));
            }
        }
        std::vector<HouseNumberEntry> gone, added;  // PostgreSQL: business_house_number's changes
        for (size_t k = 0; k < which.size(); ++k) {
            const Business& b = (*batch)[which[k]];
            SearchColumns doc = Search(b);
            SHIAN_ASSIGN_OR_RETURN(
                int64_t changed,
                c_->Execute(pg_ ? kUpdatePostgres : kUpdateSqlite,
                            {b.id, b.version, b.name, OptText(b.uscc), b.licence_no, b.kind, b.region_code,
                             b.region_path, b.address, OptDouble(b.lng), OptDouble(b.lat), b.status,
                             b.risk_grade, EncodePeople(b.people), JoinList(b.tags), doc.text, doc.grams,
                             b.updated_at, b.version - 1}));
            if (changed == 0) return StaleVersion();
            size_t r = old_rows[k];
            if (pg_) {
                std::vector<std::string> was = HouseNumberIndexTerms(old.Text(r, 6), old.Text(r, 5));
                if (was != doc.house_numbers || old.Text(r, 5) != b.region_path) {
                    for (auto& term : was) gone.push_back({std::move(term), b.id, {}});
                    for (auto& term : doc.house_numbers) added.push_back({std::move(term), b.id, b.region_path});
                }
            }
            Business before;
            before.kind = old.Text(r, 2);
            before.risk_grade = old.Text(r, 3);
            before.status = old.Text(r, 4);
            before.region_path = old.Text(r, 5);
            AddToTally(before, -1, delta);
            AddToTally(b, 1, delta);
        }
        SHIAN_TRY(DeleteHouseNumbers(gone));
        SHIAN_TRY(InsertHouseNumbers(added));
        SHIAN_TRY(c_->Execute("DELETE FROM business_tag WHERE " + IdsIn("business_id"),
                              {IdList(*batch, which)}));
        SHIAN_TRY(InsertTags(*batch, which));
        return IndexForSearch(*batch, which);
    }

    // PostgreSQL: a house number term of a business, with its place (business_house_number,
    // migration 23).
    struct HouseNumberEntry {
        std::string term;
        int64_t business_id;
        std::string region_path;
    };
    Status InsertHouseNumbers(const std::vector<HouseNumberEntry>& entries) {
        return InsertMany(c_, "INSERT INTO business_house_number (term, business_id, region_path)", 3,
                          entries.size(), [&](size_t i, std::vector<Value>* out) {
                              out->insert(out->end(),
                                          {entries[i].term, entries[i].business_id, entries[i].region_path});
                          });
    }
    Status DeleteHouseNumbers(const std::vector<HouseNumberEntry>& entries) {
        if (entries.empty()) return Ok();
        std::string terms = "{", ids = "{";
        for (size_t i = 0; i < entries.size(); ++i) {
            terms += (i ? ",\"" : "\"") + entries[i].term + "\"";
            ids += (i ? "," : "") + std::to_string(entries[i].business_id);
        }
        terms += "}";
        ids += "}";
        SHIAN_TRY(c_->Execute("DELETE FROM business_house_number h USING unnest($1::text[], $2::bigint[]) AS "
                              "g(term, business_id) WHERE h.term = g.term AND h.business_id = g.business_id",
                              {terms, ids}));
        return Ok();
    }

    static Error StaleVersion() { return Error::Conflict("该主体已被他人修改，请重新加载后再编辑", "version"); }

    // The ids of batch[which[…]] (or `ids`) as one parameter — a JSON array on SQLite, an array
    // literal on PostgreSQL — and the condition that reads it as $1.
    std::string IdList(const std::vector<Business>& batch, const std::vector<size_t>& which) const {
        std::vector<int64_t> ids;
        ids.reserve(which.size());
        for (size_t i : which) ids.push_back(batch[i].id);
        return IdList(ids);
    }
    std::string IdList(const std::vector<int64_t>& ids) const {
        std::string out = pg_ ? "{" : "[";
        for (size_t k = 0; k < ids.size(); ++k) {
            if (k) out += ',';
            out += std::to_string(ids[k]);
        }
        out += pg_ ? "}" : "]";
        return out;
    }
    std::string IdsIn(const char* column = "id") const {
        return std::string(column) + (pg_ ? " = ANY($1::bigint[])" : " IN (SELECT value FROM json_each($1))");
    }

    Status InsertTags(const std::vector<Business>& batch, const std::vector<size_t>& which) {
        std::vector<std::pair<int64_t, const std::string*>> tags;
        for (size_t i : which) {
            for (const auto& t : batch[i].tags) tags.emplace_back(batch[i].id, &t);
        }
        return InsertMany(c_, "INSERT INTO business_tag (business_id, tag)", 2, tags.size(),
                          [&](size_t i, std::vector<Value>* out) {
                              out->push_back(tags[i].first);
                              out->push_back(*tags[i].second);
                          });
    }

    // SQLite: adds the documents of batch[which[…]] to the search index, one statement — or in
    // a bulk transaction, one statement for all of its new businesses when it commits
    // (FlushSearchIndex). FTS5 writes its pending terms out as a new segment at each statement
    // that writes it, so a statement per chunk of a large import left a segment per chunk for
    // its merges.
    Status IndexForSearch(const std::vector<Business>& batch, const std::vector<size_t>& which) {
        if (pg_) return Ok();
        std::vector<int64_t> ids;
        for (size_t i : which) ids.push_back(batch[i].id);
        if (deferred_tally_) {
            unindexed_.insert(ids.begin(), ids.end());
            return Ok();
        }
        return AddSearchDocuments(ids);
    }
    // SQLite: adds the documents of the stored businesses `ids` to the search index.
    Status AddSearchDocuments(const std::vector<int64_t>& ids) {
        if (ids.empty()) return Ok();
        SHIAN_TRY(c_->Execute(std::string("INSERT INTO business_fts (rowid, search_grams) SELECT id, ") +
                                  kFtsDocument + " FROM business WHERE " + IdsIn(),
                              {IdList(ids)}));
        return Ok();
    }

#define SHIAN_BUSINESS_UPDATE(GRAMS)                                                                    \
    "UPDATE business SET version=$2, name=$3, uscc=$4, licence_no=$5, kind=$6, region_code=$7, "       \
    "region_path=$8, address=$9, lng=$10, lat=$11, status=$12, risk_grade=$13, people=$14, tags=$15, " \
    "search_text=$16, search_grams=" GRAMS ", updated_at=$18 WHERE id=$1 AND version=$19"
    static constexpr const char* kUpdateSqlite = SHIAN_BUSINESS_UPDATE("$17");
    static constexpr const char* kUpdatePostgres = SHIAN_BUSINESS_UPDATE("$17::text[]");
#undef SHIAN_BUSINESS_UPDATE

    static const char* HistoryFieldName(registry::HistoryField field) {
        switch (field) {
            case registry::HistoryField::kStatus: return "status";
            case registry::HistoryField::kRiskGrade: return "risk_grade";
            case registry::HistoryField::kRegion: return "region";
        }
        return "status";
    }

    Connection* c_;
    bool pg_;
    BusinessTally tally_;
    std::optional<TallyDelta> deferred_tally_;  // in a bulk transaction: written at commit
    std::unordered_set<int64_t> unindexed_;     // SQLite, in a bulk transaction: new, not in the search index yet
    std::vector<std::string> rebuild_indexes_;  // CREATE INDEX statements to run before commit
    SearchHints* hints_;
};

// ---------------------------------------------------------------------------------------------
class SqlStore final : public Store {
public:
    // hints: shared by the stores of a process; when null the store keeps its own.
    SqlStore(Connection* conn, std::optional<ConnectionPool::Lease> lease, SearchHints* hints)
        : lease_(std::move(lease)),
          own_hints_(hints ? nullptr : std::make_unique<SearchHints>()),
          c_(conn),
          regions_(MakeSqlRegionRepository(c_)),
          access_(MakeSqlAccessRepository(c_)),
          audit_(MakeSqlAuditRepository(c_)),
          businesses_(c_, hints ? hints : own_hints_.get()) {}

    places::RegionRepository& regions() override { return *regions_; }
    access::AccessRepository& access() override { return *access_; }
    access::AuditRepository& audit() override { return *audit_; }
    registry::BusinessRepository& businesses() override { return businesses_; }

    Status Begin() override { return c_->Begin(); }
    Status BeginBulk() override {
        SHIAN_TRY(c_->BeginBulk());
        businesses_.DeferTally();
        return Ok();
    }
    Status Commit() override {
        SHIAN_TRY(businesses_.FlushSearchIndex());
        SHIAN_TRY(businesses_.RebuildIndexes());
        SHIAN_TRY(businesses_.FlushTally());
        return c_->Commit();
    }
    Status Rollback() override {
        businesses_.DropTally();
        return c_->Rollback();
    }

    Result<std::string> GetSetting(const std::string& key) override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query("SELECT value FROM setting WHERE key = $1", {key}));
        if (rows.empty()) return std::string();
        return rows.Text(0, 0);
    }
    Status SetSetting(const std::string& key, const std::string& value) override {
        SHIAN_TRY(c_->Execute("INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) "
                              "DO UPDATE SET value = excluded.value", {key, value}));
        return Ok();
    }

private:
    std::optional<ConnectionPool::Lease> lease_;
    std::unique_ptr<SearchHints> own_hints_;
    Connection* c_;
    std::unique_ptr<places::RegionRepository> regions_;
    std::unique_ptr<access::AccessRepository> access_;
    std::unique_ptr<access::AuditRepository> audit_;
    SqlBusinessRepository businesses_;
};

}  // namespace

Result<std::unique_ptr<Store>> SqlStoreProvider::Open() {
    SHIAN_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire());
    Connection* conn = &*lease;
    return std::unique_ptr<Store>(std::make_unique<SqlStore>(conn, std::move(lease), hints_.get()));
}

std::unique_ptr<Store> MakeSqlStore(Connection* conn, SearchHints* hints) {
    return std::make_unique<SqlStore>(conn, std::nullopt, hints);
}

}  // namespace shian::storage
