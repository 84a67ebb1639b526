// Business (食品生产经营主体): the registry's entity, its people, history and the filters
// used to find businesses; plus the repository interface that stores them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "shian/access/user.hpp"
#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"

namespace shian::registry {

struct Person {
    std::string role;  // 法定代表人 / 主要负责人 / 食品安全总监 / 食品安全员
    std::string name;
    std::string id_number;
    std::string phone;
    bool operator==(const Person&) const = default;
};

struct Business {
    int64_t id = 0;
    int64_t version = 0;
    std::string name;
    std::string uscc;        // may be empty for stalls registered without one
    std::string licence_no;  // JY/SC + 14 digits, a 登记证/备案 number, or empty
    std::string kind;        // dictionary code, e.g. "catering"
    std::string kind_label;  // read-only: the dictionary's label (BusinessService fills it)
    std::string region_code;
    std::string region_path;
    std::string region_name;  // read-only: the place's name (BusinessService fills it)
    std::string address;
    std::optional<double> lng;
    std::optional<double> lat;
    std::string status;      // 营业 / 停业 / 注销
    std::string risk_grade;  // A/B/C/D or empty
    std::vector<Person> people;
    std::vector<std::string> tags;
    TimeMs created_at = 0;
    TimeMs updated_at = 0;
};

// The same record as far as a user can edit it (every field but id, version, the read-only
// labels and the times): an import row equal to its stored business changes nothing.
bool SameContent(const Business& a, const Business& b);

struct HistoryEntry {
    std::string value;  // the status or grade taken on
    std::string reason;
    TimeMs at = 0;
    std::string by;
};

// Which history a HistoryRecord belongs to: status, risk grade or place (see the Append*History
// methods of BusinessRepository).
enum class HistoryField { kStatus, kRiskGrade, kRegion };

struct HistoryRecord {
    int64_t business_id = 0;
    HistoryField field = HistoryField::kStatus;
    HistoryEntry entry;
};

// A business with its status and risk grade histories, each oldest first.
struct BusinessDetail {
    Business business;
    std::vector<HistoryEntry> status_history;
    std::vector<HistoryEntry> grade_history;
};

// kIdDesc/kIdAsc: the order businesses were entered in (id), newest first by default for a
// text search (see DefaultSort).
enum class BusinessSort { kUpdatedDesc, kUpdatedAsc, kNameAsc, kNameDesc, kGradeAsc, kGradeDesc, kIdDesc, kIdAsc };

struct BusinessFilter {
    std::string q;               // substring of name/address/USCC/licence
    std::string region_path;     // subtree; empty = no place filter beyond the scope
    std::string kind;
    std::string risk_grade;      // A–D, or "none" for ungraded
    std::string status;
    std::string tag;
    access::ScopeFilter scope;   // always applied
    BusinessSort sort = BusinessSort::kUpdatedDesc;
    int page = 1;
    int page_size = 20;
    // List(with_total): count at most this many matches (0 = count them all). Counting a
    // large set costs time in proportion to its size on both engines, so the API caps it.
    int64_t total_limit = 0;

    // The stored risk grade that risk_grade asks for: "" (ungraded) for "none". Only meaningful
    // when risk_grade is set.
    std::string StoredRiskGrade() const { return risk_grade == "none" ? std::string() : risk_grade; }
};

struct BusinessPage {
    std::vector<Business> items;
    // With total_exact false, more than `total` (= the filter's total_limit) rows match.
    int64_t total = 0;
    bool total_exact = true;
};

enum class StatsDimension { kKind, kRegion, kRiskGrade, kStatus };

struct StatsRow {
    std::string key;
    int64_t count = 0;
};

struct Kind {
    std::string code;
    std::string label;
    bool builtin = true;
    int sort = 0;
};

class BusinessRepository {
public:
    virtual ~BusinessRepository() = default;
    // Inserts and returns the new id; version starts at 1.
    virtual Result<int64_t> Insert(const Business& business) = 0;
    // Updates when the stored version equals business.version - 1; kConflict otherwise.
    virtual Status Update(const Business& business) = 0;
    // A batch (import, generated data): each business with id 0 is inserted (its id filled
    // in), the others updated as Update does. Cheaper than one call per business.
    virtual Status Save(std::vector<Business>* batch) = 0;
    // Inside a bulk transaction (storage::Store::BeginBulk): about `rows` new businesses are
    // about to be saved. A hint the store may prepare for (SQLite builds its list indexes
    // anew at commit when that is cheaper than adding the rows to them one by one); what is
    // stored and read is the same either way.
    virtual Status ExpectInserts(size_t rows) = 0;
    // Brings the search index into its most compact form after many writes (SQLite: FTS5
    // merges its segments into one — writes in many transactions leave several, and each
    // search reads every one; PostgreSQL: nothing, GIN's pending entries are merged by its own
    // maintenance). What is stored and found is the same.
    virtual Status CompactSearchIndex() = 0;
    // One bounded step towards the same, for a running server to take now and then without
    // holding the write lock for long: merges about `pages` pages of the search index (SQLite;
    // PostgreSQL: nothing). True while the index is still in more than one piece.
    virtual Result<bool> CompactSearchIndexStep(int64_t pages) = 0;
    virtual Result<std::optional<Business>> Find(int64_t id) = 0;
    virtual Result<std::optional<Business>> FindByUscc(const std::string& uscc) = 0;
    // The stored businesses with the given USCCs, in the order asked (unknown ones left out;
    // a USCC asked twice is answered once). An import reads its stored rows with it.
    virtual Result<std::vector<Business>> FindManyByUscc(const std::vector<std::string>& usccs) = 0;
    // Which of the given USCCs are stored (each once, in no particular order): an import asks
    // before it writes, so that within its transaction it reads back only businesses that
    // exist (PostgreSQL plans those reads once, on the table as it was when the first chunk
    // was read — an empty table's plan is a full scan).
    virtual Result<std::vector<std::string>> StoredUsccs(const std::vector<std::string>& usccs) = 0;
    virtual Result<BusinessPage> List(const BusinessFilter& filter, bool with_total) = 0;
    // Streams every matching business in id order, without paging (keyset pages of 1,000).
    virtual Status ForEach(const BusinessFilter& filter,
                           const std::function<Status(const Business&)>& fn) = 0;
    // Counts by dimension. For kRegion, `group_depth` is the path depth to group by
    // (1 = county, 2 = township, 3 = village); keys are region codes.
    virtual Result<std::vector<StatsRow>> Count(const BusinessFilter& filter, StatsDimension by,
                                                int group_depth) = 0;

    virtual Status AppendStatusHistory(int64_t business_id, const HistoryEntry& entry) = 0;
    virtual Status AppendGradeHistory(int64_t business_id, const HistoryEntry& entry) = 0;
    // A move to another place (value: the new place code; reason: from where and why), kept
    // so that figures of a past period can be counted under the place of that time.
    virtual Status AppendRegionHistory(int64_t business_id, const HistoryEntry& entry) = 0;
    // Many entries of any business and history at once (an import): a statement per few
    // hundred entries instead of one each.
    virtual Status AppendHistory(const std::vector<HistoryRecord>& records) = 0;
    // The business with both histories, oldest first, in one read (the detail page).
    virtual Result<std::optional<BusinessDetail>> FindDetail(int64_t business_id) = 0;

    virtual Result<std::vector<Kind>> ListKinds() = 0;
    virtual Status UpsertKind(const Kind& kind) = 0;
};

}  // namespace shian::registry
