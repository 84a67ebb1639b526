// BusinessService: the registry's use cases — create, edit, read, list, count, import and
// export businesses — with permission, data scope, history and audit applied in one place.
// Knows the repositories and the Principal; knows nothing of HTTP, SQL or JSON.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shian/access/user.hpp"
#include "shian/core/clock.hpp"
#include "shian/io/table.hpp"
#include "shian/io/table_writer.hpp"
#include "shian/registry/business.hpp"
#include "shian/registry/lookup_cache.hpp"
#include "shian/storage/store.hpp"

namespace shian::registry {

// Fields of a create or edit request; an absent optional means "not given".
struct BusinessInput {
    std::optional<std::string> name, uscc, licence_no, kind, region_code, address, status, risk_grade;
    std::optional<std::optional<double>> lng, lat;  // present-but-null clears the value
    std::optional<std::vector<Person>> people;
    std::optional<std::vector<std::string>> tags;
    std::string status_reason;
    std::string grade_reason;
    std::optional<int64_t> version;  // required for edits
};

// The order of a list when none is asked for: recently updated first; for a text search, most
// recently entered first. Search results are then read in the search index's own order (its
// keys are the ids), so a page costs a few index entries however common the word is, instead
// of ordering every match by a column the index does not hold (docs/performance.md).
BusinessSort DefaultSort(std::string_view q);

// A list request as the API receives it (place by code, kind by code or label).
struct BusinessQuery {
    std::string q, region_code, kind, risk_grade, status, tag;
    std::optional<BusinessSort> sort;  // none: DefaultSort(q)
    int page = 1;
    int page_size = 20;
};

struct StatsResult {
    struct Row {
        std::string key, label;
        int64_t count = 0;
    };
    std::vector<Row> rows;
    int64_t total = 0;
};

struct ImportIssue {
    size_t row = 0;       // spreadsheet row number (header = 1)
    std::string column;   // the Chinese column header
    std::string message;
};

struct ImportReport {
    int64_t inserted = 0;
    int64_t updated = 0;    // rows whose USCC is stored: they update that business …
    int64_t unchanged = 0;  // … of which these equal it (SameContent) and are not written

    std::vector<ImportIssue> rejected;
};

// List counts at most this many matches; beyond it the page says "more than N" (total_exact
// false): an exact count costs time in proportion to the matches. Filters on place, kind,
// status, grade and tag count index entries; a text query (q) has to check each matching row,
// and nobody pages through ten pages of a search (they type a longer word), so a search counts
// to 200 — ten pages of 20. At a million businesses the count is most of a search's cost: 火锅
// within a township 0.66 ms to 501 matches, 0.29 ms to 201 (FTS5, sqlite3); counting to 200
// instead of 500 took the township search from p99 31 to 23 ms on SQLite and the two-character
// search from 28.6 to 23.1 ms on PostgreSQL (docs/performance.md, session 7).
inline constexpr int64_t kListTotalLimit = 10'000;
inline constexpr int64_t kSearchTotalLimit = 200;

// The import/export columns, in template order (platform foundation issue §7).
const std::vector<std::string>& BusinessColumns();

struct BusinessServiceOptions {
    // An import checks and writes this many rows at a time (memory holds one chunk's
    // businesses, not the file's).
    size_t import_chunk_rows = 4096;
};

class BusinessService {
public:
    // lookups: the process's cache of the places and kinds that filters name (null: none).
    BusinessService(storage::StoreProvider* stores, const Clock* clock, BusinessServiceOptions options = {},
                    LookupCache* lookups = nullptr)
        : stores_(stores), clock_(clock), options_(options), lookups_(lookups) {}

    Result<BusinessDetail> Create(const access::Principal& who, const BusinessInput& input);
    Result<BusinessDetail> Update(const access::Principal& who, int64_t id, const BusinessInput& input);
    Result<BusinessDetail> Get(const access::Principal& who, int64_t id);
    Result<BusinessPage> List(const access::Principal& who, const BusinessQuery& query);
    Result<StatsResult> Stats(const access::Principal& who, StatsDimension by,
                              const std::string& region_code);
    // Takes the table so that each chunk's rows are freed once checked (a 200,000-row file is
    // ~160 MB of cells).
    Result<ImportReport> Import(const access::Principal& who, io::Table table, bool dry_run);
    // Writes the filtered list (all pages, at most max_rows; kTooLarge beyond) to `out`, the
    // header BusinessColumns() first, a row at a time; returns the number of businesses.
    Result<size_t> Export(const access::Principal& who, const BusinessQuery& query, size_t max_rows,
                          io::TableWriter* out);
    Result<std::vector<Kind>> Kinds();
    Result<Kind> AddKind(const access::Principal& who, const std::string& label);

private:
    Result<BusinessFilter> MakeFilter(storage::Store& store, const access::Principal& who,
                                      const BusinessQuery& query);
    // The place and the kind dictionary a filter names, through lookups_ when there is one.
    Result<std::optional<places::Region>> FilterPlace(storage::Store& store, const std::string& code);
    Result<std::vector<Kind>> FilterKinds(storage::Store& store);
    // The active places right below `parent_code` ("": the roots), through lookups_ too.
    Result<std::vector<places::Region>> FilterChildren(storage::Store& store, const std::string& parent_code);
    // Fills each business's place name and kind label, which storage leaves to its reader, from
    // the same lookups: a page costs no statement for them while they are kept.
    Status FillNames(storage::Store& store, std::span<Business> items);

    storage::StoreProvider* stores_;
    const Clock* clock_;
    BusinessServiceOptions options_;
    LookupCache* lookups_;
};

// Resolves a kind given by code or by Chinese label; empty when unknown.
std::string ResolveKindCode(const std::vector<Kind>& kinds, const std::string& code_or_label);
std::string KindLabel(const std::vector<Kind>& kinds, const std::string& code);
// The audit snapshot of a business.
access::FieldList BusinessToFields(const Business& b, const std::vector<Kind>& kinds);

}  // namespace shian::registry
