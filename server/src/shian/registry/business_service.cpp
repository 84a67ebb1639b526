#include "shian/registry/business_service.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "shian/access/permissions.hpp"
#include "shian/core/text.hpp"
#include "shian/places/region.hpp"
#include "shian/registry/business_rules.hpp"
#include "shian/registry/search_text.hpp"

namespace shian::registry {

namespace perm = access::perm;

namespace {

Status Require(const access::Principal& who, std::string_view permission) {
    if (!who.Can(permission)) return Error::Denied("您没有此操作的权限");
    return Ok();
}

bool CanSee(const access::Principal& who, const Business& b) {
    if (who.scope.business_id) return *who.scope.business_id == b.id;
    return who.scope.CoversPath(b.region_path);
}

Error NotVisible() { return Error::NotFound("主体不存在或不在您的管辖范围内"); }

std::string Join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

std::string FormatCoord(const std::optional<double>& v) {
    if (!v) return "";
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, *v);
    return std::string(buf, res.ptr);
}

// Applies the given fields of `in` onto `b`; trims text.
void ApplyInput(const BusinessInput& in, const std::vector<Kind>& kinds, Business* b) {
    if (in.name) b->name = TrimText(*in.name);
    if (in.uscc) b->uscc = TrimText(*in.uscc);
    if (in.licence_no) b->licence_no = TrimText(*in.licence_no);
    if (in.kind) {
        std::string code = ResolveKindCode(kinds, TrimText(*in.kind));
        b->kind = code.empty() ? TrimText(*in.kind) : code;  // unknown kinds fail validation
    }
    if (in.region_code) b->region_code = TrimText(*in.region_code);
    if (in.address) b->address = TrimText(*in.address);
    if (in.lng) b->lng = *in.lng;
    if (in.lat) b->lat = *in.lat;
    if (in.status) b->status = TrimText(*in.status);
    if (in.risk_grade) b->risk_grade = TrimText(*in.risk_grade);
    if (in.people) {
        b->people = *in.people;
        for (auto& p : b->people) {
            p.name = TrimText(p.name);
            p.id_number = TrimText(p.id_number);
            p.phone = TrimText(p.phone);
            if (!p.id_number.empty() && p.id_number.back() == 'x') p.id_number.back() = 'X';
        }
    }
    if (in.tags) {
        b->tags.clear();
        for (const auto& t : *in.tags) b->tags.push_back(TrimText(t));
    }
}

// The rule for a business's place, on entry and on import: a known, active place below county
// level, inside the user's scope. nullopt when `region` (the place of `code`) is fine.
std::optional<Error> PlaceError(const std::string& code, const std::optional<places::Region>& region,
                                const access::Principal& who) {
    if (!region || !region->active) return Error::Invalid("region_code", "未知的区划代码：" + code);
    if (region->level == places::RegionLevel::kCounty) {
        return Error::Invalid("region_code", "所属区划须为乡镇（街道）或村（社区）");
    }
    if (!who.scope.CoversPath(region->path)) {
        return Error{ErrorCode::kPermissionDenied, "无权在该区划登记或修改主体：" + region->name,
                     "region_code"};
    }
    return std::nullopt;
}

// Checks the place (PlaceError); fills region_path/name.
Status PlaceBusiness(storage::Store& store, const access::Principal& who, Business* b) {
    if (b->region_code.empty()) return Error::Invalid("region_code", "所属区划不能为空");
    SHIAN_ASSIGN_OR_RETURN(auto region, store.regions().Find(b->region_code));
    if (auto error = PlaceError(b->region_code, region, who)) return *error;
    b->region_path = region->path;
    b->region_name = region->name;
    return Ok();
}

std::vector<Error> ConflictingUscc(storage::Store& store, const Business& b) {
    if (b.uscc.empty()) return {};
    auto other = store.businesses().FindByUscc(b.uscc);
    if (other.ok() && *other && (*other)->id != b.id) {
        return {Error::Conflict("统一社会信用代码已被其他主体使用：" + (*other)->name, "uscc")};
    }
    return {};
}

}  // namespace

const std::vector<std::string>& BusinessColumns() {
    static const std::vector<std::string> k = {
        "主体名称", "统一社会信用代码", "许可证编号", "主体业态", "所属区划代码", "经营地址",
        "经度", "纬度", "经营状态", "风险等级", "法定代表人", "法定代表人身份证号", "联系电话",
        "食品安全总监", "食品安全员"};
    return k;
}

std::string ResolveKindCode(const std::vector<Kind>& kinds, const std::string& v) {
    for (const auto& k : kinds) {
        if (k.code == v || k.label == v) return k.code;
    }
    return {};
}

std::string KindLabel(const std::vector<Kind>& kinds, const std::string& code) {
    for (const auto& k : kinds) {
        if (k.code == code) return k.label;
    }
    return code;
}

access::FieldList BusinessToFields(const Business& b, const std::vector<Kind>& kinds) {
    std::vector<std::string> people;
    for (const auto& p : b.people) {
        people.push_back(p.role + ":" + p.name + (p.id_number.empty() ? "" : "/" + p.id_number) +
                         (p.phone.empty() ? "" : "/" + p.phone));
    }
    return {{"name", b.name},
            {"uscc", b.uscc},
            {"licence_no", b.licence_no},
            {"kind", KindLabel(kinds, b.kind)},
            {"region_code", b.region_code},
            {"address", b.address},
            {"lng", FormatCoord(b.lng)},
            {"lat", FormatCoord(b.lat)},
            {"status", b.status},
            {"risk_grade", b.risk_grade},
            {"people", Join(people, "；")},
            {"tags", Join(b.tags, "、")},
            {"version", std::to_string(b.version)}};
}

Result<std::vector<Kind>> BusinessService::Kinds() {
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    return store->businesses().ListKinds();
}

Result<Kind> BusinessService::AddKind(const access::Principal& who, const std::string& label_in) {
    SHIAN_TRY(Require(who, perm::kDictManage));
    std::string label = TrimText(label_in);
    SHIAN_TRY(CheckLine(label, "label", "业态名称", 20, true));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto kinds, store->businesses().ListKinds());
    if (!ResolveKindCode(kinds, label).empty()) return Error::Conflict("业态已存在：" + label, "label");
    Kind kind{KindCodeForLabel(label), label, false, static_cast<int>(kinds.size()) + 100};
    TimeMs now = clock_->NowMs();
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_TRY(store->businesses().UpsertKind(kind));
        return store->audit().Append({0, now, who.user.id, who.user.username, "create", "kind", kind.code,
                                      "新增业态：" + label, std::nullopt,
                                      access::FieldList{{"code", kind.code}, {"label", label}}, ""});
    }));
    if (lookups_) lookups_->Clear();  // filters may name it at once
    return kind;
}

Result<BusinessDetail> BusinessService::Create(const access::Principal& who, const BusinessInput& in) {
    SHIAN_TRY(Require(who, perm::kBusinessCreate));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto kinds, store->businesses().ListKinds());
    Business b;
    b.status = "营业";
    ApplyInput(in, kinds, &b);
    if (!in.name) return Error::Invalid("name", "主体名称不能为空");
    SHIAN_TRY(ValidateBusiness(b, kinds));
    SHIAN_TRY(PlaceBusiness(*store, who, &b));
    TimeMs now = clock_->NowMs();
    b.version = 1;
    b.created_at = b.updated_at = now;
    SHIAN_ASSIGN_OR_RETURN(int64_t id, storage::InTransaction(*store, [&]() -> Result<int64_t> {
        if (!b.uscc.empty()) {
            SHIAN_ASSIGN_OR_RETURN(auto existing, store->businesses().FindByUscc(b.uscc));
            if (existing) {
                return Error::Conflict("统一社会信用代码已存在：" + existing->name, "uscc");
            }
        }
        SHIAN_ASSIGN_OR_RETURN(int64_t new_id, store->businesses().Insert(b));
        std::string by = who.user.username;
        SHIAN_TRY(store->businesses().AppendStatusHistory(new_id, {b.status, "新登记", now, by}));
        if (!b.risk_grade.empty()) {
            SHIAN_TRY(store->businesses().AppendGradeHistory(
                new_id, {b.risk_grade, in.grade_reason.empty() ? "新登记评定" : in.grade_reason, now, by}));
        }
        b.id = new_id;
        SHIAN_TRY(store->audit().Append({0, now, who.user.id, who.user.username, "create", "business",
                                         std::to_string(new_id), "新增主体：" + b.name, std::nullopt,
                                         BusinessToFields(b, kinds), b.region_path}));
        return new_id;
    }));
    SHIAN_ASSIGN_OR_RETURN(auto stored, store->businesses().FindDetail(id));
    if (!stored) return Error::Internal("新增的主体读取失败");
    SHIAN_TRY(FillNames(*store, std::span(&stored->business, 1)));
    return std::move(*stored);
}

Result<BusinessDetail> BusinessService::Update(const access::Principal& who, int64_t id,
                                               const BusinessInput& in) {
    SHIAN_TRY(Require(who, perm::kBusinessEdit));
    if (!in.version) return Error::Invalid("version", "缺少版本号 version（用于防止覆盖他人的修改）");
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto kinds, store->businesses().ListKinds());
    SHIAN_ASSIGN_OR_RETURN(auto current, store->businesses().Find(id));
    if (!current || !CanSee(who, *current)) return NotVisible();
    if (current->version != *in.version) {
        return Error::Conflict("该主体已被他人修改（当前版本 " + std::to_string(current->version) +
                                   "），请重新加载后再编辑",
                               "version");
    }
    Business b = *current;
    ApplyInput(in, kinds, &b);
    SHIAN_TRY(ValidateBusiness(b, kinds));
    if (b.region_code != current->region_code) SHIAN_TRY(PlaceBusiness(*store, who, &b));
    TimeMs now = clock_->NowMs();
    b.version = current->version + 1;
    b.updated_at = now;
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        if (b.uscc != current->uscc) {
            auto conflicts = ConflictingUscc(*store, b);
            if (!conflicts.empty()) return conflicts.front();
        }
        SHIAN_TRY(store->businesses().Update(b));
        std::string by = who.user.username;
        if (b.status != current->status) {
            SHIAN_TRY(store->businesses().AppendStatusHistory(
                id, {b.status, in.status_reason.empty() ? "状态变更" : in.status_reason, now, by}));
        }
        if (b.risk_grade != current->risk_grade) {
            SHIAN_TRY(store->businesses().AppendGradeHistory(
                id, {b.risk_grade, in.grade_reason.empty() ? "等级调整" : in.grade_reason, now, by}));
        }
        return store->audit().Append({0, now, who.user.id, who.user.username, "update", "business",
                                      std::to_string(id), "修改主体：" + b.name,
                                      BusinessToFields(*current, kinds), BusinessToFields(b, kinds),
                                      b.region_path});
    }));
    // Read back on the same connection (a second lease per request would double the pool).
    SHIAN_ASSIGN_OR_RETURN(auto stored, store->businesses().FindDetail(id));
    if (!stored) return Error::Internal("修改后的主体读取失败");
    SHIAN_TRY(FillNames(*store, std::span(&stored->business, 1)));
    return std::move(*stored);
}

Result<BusinessDetail> BusinessService::Get(const access::Principal& who, int64_t id) {
    SHIAN_TRY(Require(who, perm::kBusinessView));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto detail, store->businesses().FindDetail(id));
    if (!detail || !CanSee(who, detail->business)) return NotVisible();
    SHIAN_TRY(FillNames(*store, std::span(&detail->business, 1)));
    return std::move(*detail);
}

Result<BusinessFilter> BusinessService::MakeFilter(storage::Store& store, const access::Principal& who,
                                                   const BusinessQuery& q) {
    BusinessFilter f;
    SHIAN_TRY(CheckLine(q.q, "q", "搜索词", 50, false));
    f.q = TrimText(q.q);
    f.scope = who.scope;
    if (!q.region_code.empty()) {
        SHIAN_ASSIGN_OR_RETURN(auto region, FilterPlace(store, q.region_code));
        if (!region) return Error::Invalid("region", "未知的区划代码：" + q.region_code);
        f.region_path = region->path;
    }
    // The county's subtree is everything: a database holds one county (setup loads exactly one
    // into an empty place table, and the loader refuses a second; places/region.hpp), whose path is
    // the only one of depth 1. Dropping that always-true range lets the engines plan for the
    // whole table.
    const std::string* scope = f.scope.SingleSubtree();
    if (scope && places::PathDepth(*scope) == 1) f.scope = access::ScopeFilter::Everything();
    if (places::PathDepth(f.region_path) == 1) f.region_path.clear();
    if (!q.kind.empty()) {
        SHIAN_ASSIGN_OR_RETURN(auto kinds, FilterKinds(store));
        f.kind = ResolveKindCode(kinds, q.kind);
        if (f.kind.empty()) return Error::Invalid("kind", "未知的主体业态：" + q.kind);
    }
    if (!q.risk_grade.empty()) {
        const auto& grades = RiskGrades();
        if (q.risk_grade != "none" && std::find(grades.begin(), grades.end(), q.risk_grade) == grades.end()) {
            return Error::Invalid("risk_grade", "风险等级应为 A、B、C、D 或 none");
        }
        f.risk_grade = q.risk_grade;
    }
    if (!q.status.empty()) {
        const auto& statuses = BusinessStatuses();
        if (std::find(statuses.begin(), statuses.end(), q.status) == statuses.end()) {
            return Error::Invalid("status", "经营状态应为 营业、停业 或 注销");
        }
        f.status = q.status;
    }
    SHIAN_TRY(CheckLine(q.tag, "tag", "标签", kMaxTagChars, false));
    f.tag = q.tag;
    if (q.page < 1) return Error::Invalid("page", "页码应为正整数");
    if (q.page_size < 1 || q.page_size > 200) return Error::Invalid("page_size", "每页条数应在1至200之间");
    if (static_cast<int64_t>(q.page) * q.page_size > 10'000'000) return Error::Invalid("page", "页码过大");
    f.sort = q.sort.value_or(DefaultSort(q.q));
    f.page = q.page;
    f.page_size = q.page_size;
    return f;
}

Result<std::optional<places::Region>> BusinessService::FilterPlace(storage::Store& store,
                                                                   const std::string& code) {
    return CachedPlace(lookups_, store, code, clock_->NowMs());
}

Result<std::vector<Kind>> BusinessService::FilterKinds(storage::Store& store) {
    TimeMs now = clock_->NowMs();
    if (lookups_) {
        if (auto cached = lookups_->Kinds(now)) return std::move(*cached);
    }
    SHIAN_ASSIGN_OR_RETURN(auto kinds, store.businesses().ListKinds());
    if (lookups_) lookups_->PutKinds(kinds, now);
    return kinds;
}

Result<std::vector<places::Region>> BusinessService::FilterChildren(storage::Store& store,
                                                                   const std::string& parent_code) {
    return CachedChildren(lookups_, store, parent_code, clock_->NowMs());
}

Status BusinessService::FillNames(storage::Store& store, std::span<Business> items) {
    if (items.empty()) return Ok();
    SHIAN_ASSIGN_OR_RETURN(auto kinds, FilterKinds(store));
    // A page's businesses share a few places: each is looked up once.
    std::vector<std::pair<std::string, std::string>> names;
    for (Business& b : items) {
        b.kind_label = KindLabel(kinds, b.kind);
        auto known =
            std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == b.region_code; });
        if (known == names.end()) {
            SHIAN_ASSIGN_OR_RETURN(auto place, FilterPlace(store, b.region_code));
            // Every business's place is stored (a foreign key): the code stands in only for a
            // place deleted since the business was read.
            known = names.insert(names.end(), {b.region_code, place ? place->name : b.region_code});
        }
        b.region_name = known->second;
    }
    return Ok();
}

BusinessSort DefaultSort(std::string_view q) {
    return NormalizeForSearch(q).empty() ? BusinessSort::kUpdatedDesc : BusinessSort::kIdDesc;
}

Result<BusinessPage> BusinessService::List(const access::Principal& who, const BusinessQuery& q) {
    SHIAN_TRY(Require(who, perm::kBusinessList));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(BusinessFilter f, MakeFilter(*store, who, q));
    f.total_limit = f.q.empty() ? kListTotalLimit : kSearchTotalLimit;
    SHIAN_ASSIGN_OR_RETURN(BusinessPage page, store->businesses().List(f, true));
    for (Business& b : page.items) DeidentifyPeople(&b);
    SHIAN_TRY(FillNames(*store, page.items));
    return page;
}

Result<StatsResult> BusinessService::Stats(const access::Principal& who, StatsDimension by,
                                           const std::string& region_code) {
    SHIAN_TRY(Require(who, perm::kStatsView));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    BusinessQuery q;
    q.region_code = region_code;
    SHIAN_ASSIGN_OR_RETURN(BusinessFilter f, MakeFilter(*store, who, q));
    // Group places one level below the requested place, or below the user's own place.
    std::string base_code = region_code;
    if (base_code.empty()) {
        if (who.scope.all) {
            SHIAN_ASSIGN_OR_RETURN(auto roots, FilterChildren(*store, ""));
            if (!roots.empty()) base_code = roots.front().code;
        } else {
            base_code = who.user.region_code;
        }
    }
    std::optional<places::Region> base;
    int depth = 2;
    if (!base_code.empty()) {
        SHIAN_ASSIGN_OR_RETURN(base, FilterPlace(*store, base_code));
        if (base) depth = std::min(3, static_cast<int>(std::count(base->path.begin(), base->path.end(), '/')));
    }
    SHIAN_ASSIGN_OR_RETURN(auto rows, store->businesses().Count(f, by, depth));
    StatsResult result;
    std::vector<Kind> kinds;  // read for labels when grouping by kind
    std::map<std::string, std::string> region_names;
    if (by == StatsDimension::kRegion && !base_code.empty()) {
        SHIAN_ASSIGN_OR_RETURN(auto children, FilterChildren(*store, base_code));
        for (const auto& c : children) region_names[c.code] = c.name;
    }
    for (const auto& r : rows) {
        StatsResult::Row row{r.key, r.key, r.count};
        switch (by) {
            case StatsDimension::kKind: {
                if (kinds.empty()) {
                    SHIAN_ASSIGN_OR_RETURN(kinds, store->businesses().ListKinds());
                }
                row.label = KindLabel(kinds, r.key);
                break;
            }
            case StatsDimension::kRiskGrade:
                if (r.key.empty()) {
                    row.key = "none";
                    row.label = "未评级";
                } else {
                    row.label = r.key + "级";
                }
                break;
            case StatsDimension::kStatus: break;
            case StatsDimension::kRegion: {
                if (r.key.empty()) {
                    // Registered on the base place itself rather than on a place below it.
                    row.key = base_code;
                    row.label = (base ? base->name : base_code) + "（本级）";
                    break;
                }
                auto it = region_names.find(r.key);
                if (it != region_names.end()) {
                    row.label = it->second;
                } else {  // not an active child (retired since they were read)
                    SHIAN_ASSIGN_OR_RETURN(auto region, FilterPlace(*store, r.key));
                    if (region) row.label = region->name;
                }
                break;
            }
        }
        result.total += r.count;
        result.rows.push_back(std::move(row));
    }
    std::sort(result.rows.begin(), result.rows.end(),
              [](const auto& a, const auto& b) { return a.count != b.count ? a.count > b.count : a.key < b.key; });
    return result;
}

// ---------------------------------------------------------------------------------------------
// Import / export

namespace {

enum Col {
    kName, kUscc, kLicence, kKind, kRegion, kAddress, kLng, kLat, kStatus, kGrade,
    kLegalRep, kLegalRepId, kPhone, kDirector, kOfficer, kColumnCount
};

bool ParseCoord(const std::string& text, std::optional<double>* out) {
    if (text.empty()) {
        *out = std::nullopt;
        return true;
    }
    double v = 0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (res.ec != std::errc() || res.ptr != text.data() + text.size()) return false;
    *out = v;
    return true;
}

// Maps API field names (from validation errors) to import columns.
int ColumnOfField(const std::string& field, const std::vector<Person>& people) {
    static const std::map<std::string, int> kFields = {
        {"name", kName}, {"uscc", kUscc}, {"licence_no", kLicence}, {"kind", kKind},
        {"region_code", kRegion}, {"address", kAddress}, {"lng", kLng}, {"lat", kLat},
        {"status", kStatus}, {"risk_grade", kGrade}};
    if (auto it = kFields.find(field); it != kFields.end()) return it->second;
    if (field.rfind("people[", 0) == 0) {
        size_t idx = std::stoul(field.substr(7));
        std::string sub = field.substr(field.find("].") + 2);
        const std::string& role = idx < people.size() ? people[idx].role : "";
        if (sub == "id_number") return kLegalRepId;
        if (sub == "phone") return kPhone;
        if (role == "食品安全总监") return kDirector;
        if (role == "食品安全员") return kOfficer;
        return kLegalRep;
    }
    return kName;
}

// One import, a chunk of rows at a time: each chunk's stored businesses are read in one go,
// its rows checked, and — while every row so far is good and this is no dry run — its changes
// written inside the one transaction the caller holds. So memory holds the file and one chunk,
// not a Business per row (a 100,000-row file peaked at 540 MB in `serve` when every row was
// checked before the first was written), and a bad row anywhere still stores nothing: the
// caller rolls back what earlier chunks wrote. A file whose first bad row comes late costs
// the writes before it; a good file is read once.
class ImportRun {
public:
    ImportRun(const access::Principal& who, io::Table& table, const std::vector<int>& index,
              storage::Store& store, const std::vector<Kind>& kinds, TimeMs now, bool write,
              ImportReport* report)
        : who_(who), table_(table), index_(index), store_(store), kinds_(kinds), now_(now), write_(write),
          report_(report) {}

    // Which of the file's USCCs are stored, asked once before anything is written.
    Status ReadStoredUsccs() {
        if (index_[kUscc] < 0) return Ok();
        std::vector<std::string> usccs;
        usccs.reserve(table_.rows.size());
        for (const auto& row : table_.rows) {
            std::string u = Cell(row, kUscc);
            if (!u.empty()) usccs.push_back(std::move(u));
        }
        SHIAN_ASSIGN_OR_RETURN(auto stored, store_.businesses().StoredUsccs(usccs));
        stored_usccs_.insert(std::make_move_iterator(stored.begin()), std::make_move_iterator(stored.end()));
        return Ok();
    }

    // Tells the store how many businesses the file will add (its rows less those of stored
    // USCCs), before the first chunk is written.
    Status ExpectInserts() {
        size_t updates = std::min(stored_usccs_.size(), table_.rows.size());
        return store_.businesses().ExpectInserts(table_.rows.size() - updates);
    }

    // Checks rows [first, end) and writes them when the file is good so far.
    Status Chunk(size_t first, size_t end) {
        SHIAN_TRY(ReadStored(first, end));
        std::vector<Pending> pending;
        pending.reserve(end - first);
        for (size_t r = first; r < end; ++r) SHIAN_TRY(CheckRow(r, &pending));
        stored_.clear();
        for (size_t r = first; r < end; ++r) std::vector<std::string>().swap(table_.rows[r]);  // read
        if (!write_ || !report_->rejected.empty()) return Ok();
        return Write(&pending);
    }

private:
    struct Pending {
        Business business;
        std::optional<Business> before;
    };

    std::string Cell(const std::vector<std::string>& row, int c) const {
        int i = index_[c];
        return i >= 0 && static_cast<size_t>(i) < row.size() ? TrimText(row[i]) : std::string();
    }

    // The stored businesses of the chunk's USCCs.
    Status ReadStored(size_t first, size_t end) {
        if (stored_usccs_.empty()) return Ok();
        std::vector<std::string> usccs;
        for (size_t r = first; r < end; ++r) {
            std::string u = Cell(table_.rows[r], kUscc);
            if (stored_usccs_.count(u)) usccs.push_back(std::move(u));
        }
        if (usccs.empty()) return Ok();
        SHIAN_ASSIGN_OR_RETURN(auto found, store_.businesses().FindManyByUscc(usccs));
        for (auto& b : found) {
            std::string key = b.uscc;
            stored_.emplace(std::move(key), std::move(b));
        }
        return Ok();
    }

    Status CheckRow(size_t r, std::vector<Pending>* pending) {
        const auto& columns = BusinessColumns();
        const auto& row = table_.rows[r];
        size_t row_no = r < table_.row_numbers.size() ? table_.row_numbers[r] : r + 2;
        auto cell = [&](int c) { return Cell(row, c); };
        auto has = [&](int c) { return index_[c] >= 0; };
        auto reject = [&](int c, std::string message) {
            report_->rejected.push_back({row_no, columns[c], std::move(message)});
        };
        size_t errors_before = report_->rejected.size();

        BusinessInput in;
        in.name = cell(kName);
        in.uscc = cell(kUscc);
        if (has(kLicence)) in.licence_no = cell(kLicence);
        in.kind = cell(kKind);
        in.region_code = cell(kRegion);
        if (has(kAddress)) in.address = cell(kAddress);
        std::optional<double> lng, lat;
        if (!ParseCoord(cell(kLng), &lng)) reject(kLng, "经度应为数字");
        if (!ParseCoord(cell(kLat), &lat)) reject(kLat, "纬度应为数字");
        if (has(kLng)) in.lng = lng;
        if (has(kLat)) in.lat = lat;
        if (has(kStatus)) {
            std::string s = cell(kStatus);
            in.status = s.empty() ? "营业" : s;
        }
        if (has(kGrade)) {
            std::string g = cell(kGrade);
            if (g.size() == 4 && g.substr(1) == "级") g = g.substr(0, 1);  // "A级" → "A"
            in.risk_grade = g;
        }
        std::vector<Person> people;
        if (!cell(kLegalRep).empty() || !cell(kLegalRepId).empty() || !cell(kPhone).empty()) {
            people.push_back({"法定代表人", cell(kLegalRep), cell(kLegalRepId), cell(kPhone)});
        }
        if (!cell(kDirector).empty()) people.push_back({"食品安全总监", cell(kDirector), "", ""});
        if (!cell(kOfficer).empty()) people.push_back({"食品安全员", cell(kOfficer), "", ""});
        bool has_people_columns = has(kLegalRep) || has(kDirector) || has(kOfficer);

        Business b;
        std::optional<Business> before;
        const std::string& uscc = *in.uscc;
        if (!uscc.empty()) {
            if (auto it = uscc_rows_.find(uscc); it != uscc_rows_.end()) {
                reject(kUscc, "统一社会信用代码与第" + std::to_string(it->second) + "行重复");
            } else {
                uscc_rows_.emplace(uscc, row_no);
                if (auto it = stored_.find(uscc); it != stored_.end()) {
                    if (!CanSee(who_, it->second)) reject(kUscc, "该统一社会信用代码的主体不在您的管辖范围内");
                    before = std::move(it->second);
                    b = *before;
                }
            }
        }
        if (!before) b.status = "营业";
        if (has_people_columns && before) {
            in.people = MergePeople(b.people, people);
        } else if (has_people_columns) {
            in.people = std::move(people);
        }
        ApplyInput(in, kinds_, &b);
        for (const Error& e : BusinessErrors(b, kinds_)) {
            reject(ColumnOfField(e.field, b.people), e.message);
        }
        SHIAN_TRY(CheckPlace(&b, [&](std::string message) { reject(kRegion, std::move(message)); }));
        if (report_->rejected.size() != errors_before) return Ok();
        (before ? report_->updated : report_->inserted)++;
        // A row equal to its stored business is counted but not written: no new version,
        // history or audit entry (re-importing last month's export changes only what changed).
        if (before && SameContent(*before, b)) {
            report_->unchanged++;
            return Ok();
        }
        pending->push_back({std::move(b), std::move(before)});
        return Ok();
    }

    // Each role the file names replaces that role's stored person in place; the others (e.g.
    // 主要负责人) stay. What the file has no column for is kept: the 法定代表人's ID number or
    // phone when those columns are missing, and the ID number and phone of a 食品安全总监/员 of
    // the same name (the template carries only their names) — so an exported file imports back
    // without losing anything.
    std::vector<Person> MergePeople(const std::vector<Person>& stored_people,
                                    const std::vector<Person>& people) const {
        std::vector<Person> merged;
        std::vector<bool> placed(people.size(), false);
        for (const auto& stored_person : stored_people) {
            auto it = std::find_if(people.begin(), people.end(),
                                   [&](const Person& n) { return n.role == stored_person.role; });
            if (it == people.end()) {
                merged.push_back(stored_person);
                continue;
            }
            size_t k = static_cast<size_t>(it - people.begin());
            if (placed[k]) continue;  // a second stored person of a role the file replaces
            placed[k] = true;
            Person p = *it;
            if (p.role == "法定代表人") {
                if (index_[kLegalRepId] < 0) p.id_number = stored_person.id_number;
                if (index_[kPhone] < 0) p.phone = stored_person.phone;
            } else if (p.name == stored_person.name) {
                p.id_number = stored_person.id_number;
                p.phone = stored_person.phone;
            }
            merged.push_back(std::move(p));
        }
        for (size_t k = 0; k < people.size(); ++k) {
            if (!placed[k]) merged.push_back(people[k]);
        }
        return merged;
    }

    // The place (PlaceError), each code looked up once per file.
    template <typename Reject>
    Status CheckPlace(Business* b, Reject reject) {
        if (b->region_code.empty()) {
            reject("所属区划代码不能为空");
            return Ok();
        }
        auto it = regions_.find(b->region_code);
        if (it == regions_.end()) {
            SHIAN_ASSIGN_OR_RETURN(auto region, store_.regions().Find(b->region_code));
            it = regions_.emplace(b->region_code, std::move(region)).first;
        }
        const auto& region = it->second;
        if (auto error = PlaceError(b->region_code, region, who_)) {
            reject(std::move(error->message));
        } else {
            b->region_path = region->path;
            b->region_name = region->name;
        }
        return Ok();
    }

    Status Write(std::vector<Pending>* pending) {
        if (pending->empty()) return Ok();
        const std::string& by = who_.user.username;
        std::vector<Business> batch;
        batch.reserve(pending->size());
        for (auto& p : *pending) {
            Business& b = p.business;
            b.updated_at = now_;
            if (p.before) {
                b.version = p.before->version + 1;
            } else {
                b.id = 0;
                b.version = 1;
                b.created_at = now_;
            }
            batch.push_back(std::move(b));
        }
        SHIAN_TRY(store_.businesses().Save(&batch));
        std::vector<HistoryRecord> history;
        std::vector<access::AuditEntry> audit;
        audit.reserve(batch.size());
        for (size_t i = 0; i < batch.size(); ++i) {
            const std::optional<Business>& before = (*pending)[i].before;
            const Business& b = batch[i];
            if (!before || b.status != before->status) {
                history.push_back({b.id, HistoryField::kStatus, {b.status, "批量导入", now_, by}});
            }
            if (before ? b.risk_grade != before->risk_grade : !b.risk_grade.empty()) {
                history.push_back({b.id, HistoryField::kRiskGrade, {b.risk_grade, "批量导入", now_, by}});
            }
            if (before) {
                audit.push_back({0, now_, who_.user.id, by, "import", "business", std::to_string(b.id),
                                 "导入更新主体：" + b.name, BusinessToFields(*before, kinds_),
                                 BusinessToFields(b, kinds_), b.region_path});
            } else {
                audit.push_back({0, now_, who_.user.id, by, "import", "business", std::to_string(b.id),
                                 "导入新增主体：" + b.name, std::nullopt, BusinessToFields(b, kinds_),
                                 b.region_path});
            }
        }
        SHIAN_TRY(store_.businesses().AppendHistory(history));
        return store_.audit().AppendAll(audit);
    }

    const access::Principal& who_;
    io::Table& table_;  // rows are released as their chunk is done
    const std::vector<int>& index_;
    storage::Store& store_;
    const std::vector<Kind>& kinds_;
    const TimeMs now_;
    const bool write_;
    ImportReport* report_;
    std::unordered_set<std::string> stored_usccs_;               // the file's stored USCCs
    std::unordered_map<std::string, Business> stored_;           // the chunk's stored businesses
    std::unordered_map<std::string, size_t> uscc_rows_;          // USCC → first row using it
    std::unordered_map<std::string, std::optional<places::Region>> regions_;
};

}  // namespace

Result<ImportReport> BusinessService::Import(const access::Principal& who, io::Table table, bool dry_run) {
    SHIAN_TRY(Require(who, perm::kBusinessImport));
    const auto& columns = BusinessColumns();
    ImportReport report;
    // Header: every column known, no duplicates, the required ones present.
    std::vector<int> index(kColumnCount, -1);
    for (size_t i = 0; i < table.header.size(); ++i) {
        std::string h = TrimText(table.header[i]);
        auto it = std::find(columns.begin(), columns.end(), h);
        if (it == columns.end()) {
            report.rejected.push_back({1, h, "未知的列名“" + h + "”，请使用导入模板"});
            continue;
        }
        int c = static_cast<int>(it - columns.begin());
        if (index[c] >= 0) {
            report.rejected.push_back({1, h, "列名重复"});
            continue;
        }
        index[c] = static_cast<int>(i);
    }
    for (int required : {kName, kKind, kRegion}) {
        if (index[required] < 0) report.rejected.push_back({1, columns[required], "缺少必填列"});
    }
    if (!report.rejected.empty()) return report;
    if (table.rows.empty()) {
        report.rejected.push_back({1, "", "文件中没有数据行"});
        return report;
    }

    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto kinds, store->businesses().ListKinds());
    ImportRun run(who, table, index, *store, kinds, clock_->NowMs(), !dry_run, &report);
    SHIAN_TRY(run.ReadStoredUsccs());
    auto all_chunks = [&]() -> Status {
        for (size_t first = 0; first < table.rows.size(); first += options_.import_chunk_rows) {
            SHIAN_TRY(run.Chunk(first, std::min(table.rows.size(), first + options_.import_chunk_rows)));
        }
        return Ok();
    };
    if (dry_run) {
        SHIAN_TRY(all_chunks());
    } else {
        Status written = storage::InBulkTransaction(*store, [&]() -> Status {
            SHIAN_TRY(run.ExpectInserts());
            SHIAN_TRY(all_chunks());
            // A bad row rolls back what the chunks before it wrote.
            if (!report.rejected.empty()) return Error::Invalid("file", "导入文件有错误行");
            return Ok();
        });
        if (!written.ok() && report.rejected.empty()) return written.error();
    }
    if (!report.rejected.empty()) report.inserted = report.updated = report.unchanged = 0;
    return report;
}

Result<size_t> BusinessService::Export(const access::Principal& who, const BusinessQuery& q, size_t max_rows,
                                       io::TableWriter* out) {
    SHIAN_TRY(Require(who, perm::kBusinessExport));
    SHIAN_ASSIGN_OR_RETURN(auto store, stores_->Open());
    SHIAN_ASSIGN_OR_RETURN(auto kinds, store->businesses().ListKinds());
    SHIAN_ASSIGN_OR_RETURN(BusinessFilter f, MakeFilter(*store, who, q));
    SHIAN_TRY(out->AddRow(BusinessColumns()));
    size_t rows = 0;
    SHIAN_TRY(store->businesses().ForEach(f, [&](const Business& b) -> Status {
        if (rows >= max_rows) {
            return Error{ErrorCode::kTooLarge,
                         "导出条数超过上限" + std::to_string(max_rows) + "条，请缩小筛选范围", {}};
        }
        auto person = [&](const char* role) -> const Person* {
            for (const auto& p : b.people) {
                if (p.role == role) return &p;
            }
            return nullptr;
        };
        const Person* legal = person("法定代表人");
        const Person* director = person("食品安全总监");
        const Person* officer = person("食品安全员");
        ++rows;
        return out->AddRow({b.name, b.uscc, b.licence_no, KindLabel(kinds, b.kind), b.region_code, b.address,
                            FormatCoord(b.lng), FormatCoord(b.lat), b.status, b.risk_grade,
                            legal ? legal->name : "", legal ? legal->id_number : "", legal ? legal->phone : "",
                            director ? director->name : "", officer ? officer->name : ""});
    }));
    return rows;
}

}  // namespace shian::registry
