// /api/v1/businesses*, /api/v1/stats/businesses, /api/v1/dicts/kinds: the business registry.
#include "shian/http/json_body.hpp"
#include "shian/http/multipart.hpp"
#include "shian/http/routes.hpp"
#include "shian/http/views.hpp"
#include "shian/io/csv.hpp"
#include "shian/io/read_table.hpp"
#include "shian/io/xlsx_writer.hpp"

namespace shian::http {
namespace {

using json = Json;

constexpr size_t kMaxExportRows = 200'000;
constexpr size_t kMaxImportRows = 200'000;

Result<registry::BusinessQuery> ParseQuery(const Request& req) {
    registry::BusinessQuery q;
    q.q = req.Query("q");
    q.region_code = req.Query("region");
    q.kind = req.Query("kind");
    q.risk_grade = req.Query("risk_grade");
    q.status = req.Query("status");
    q.tag = req.Query("tag");
    for (const auto& [name, value] : req.query) {
        static const char* kKnown[] = {"q", "region", "kind", "risk_grade", "status", "tag", "sort",
                                       "page", "page_size", "format"};
        bool known = false;
        for (const char* k : kKnown) known = known || name == k;
        if (!known) return Error::Invalid(name, "不支持的查询参数：" + name);
        if (value.size() > 200) return Error::Invalid(name, "查询参数过长：" + name);
    }
    std::string sort = req.Query("sort");
    using S = registry::BusinessSort;
    if (sort.empty()) q.sort = std::nullopt;  // the service's default
    else if (sort == "-updated_at") q.sort = S::kUpdatedDesc;
    else if (sort == "updated_at") q.sort = S::kUpdatedAsc;
    else if (sort == "name") q.sort = S::kNameAsc;
    else if (sort == "-name") q.sort = S::kNameDesc;
    else if (sort == "risk_grade") q.sort = S::kGradeAsc;
    else if (sort == "-risk_grade") q.sort = S::kGradeDesc;
    else if (sort == "id") q.sort = S::kIdAsc;
    else if (sort == "-id") q.sort = S::kIdDesc;
    else return Error::Invalid("sort", "排序字段应为 name、updated_at、risk_grade、id（前加 - 表示倒序）");
    SHIAN_ASSIGN_OR_RETURN(q.page, ParseIntParam(req, "page", 1, 1, 1'000'000));
    SHIAN_ASSIGN_OR_RETURN(q.page_size, ParseIntParam(req, "page_size", 20, 1, 200));
    return q;
}

Result<registry::BusinessInput> ParseBusinessInput(const std::string& text, bool edit) {
    SHIAN_ASSIGN_OR_RETURN(
        auto body, JsonBody::Parse(text, {"name", "uscc", "licence_no", "kind", "region_code", "address",
                                          "lng", "lat", "status", "risk_grade", "people", "tags", "version",
                                          "status_reason", "grade_reason", "id", "kind_code", "kind_label",
                                          "region_name", "created_at", "updated_at", "status_history",
                                          "grade_history"}));
    registry::BusinessInput in;
    SHIAN_ASSIGN_OR_RETURN(in.name, body.String("name", "主体名称"));
    SHIAN_ASSIGN_OR_RETURN(in.uscc, body.OptString("uscc", "统一社会信用代码"));
    SHIAN_ASSIGN_OR_RETURN(in.licence_no, body.OptString("licence_no", "许可证编号"));
    SHIAN_ASSIGN_OR_RETURN(in.kind, body.String("kind", "主体业态"));
    if (!in.kind) {
        SHIAN_ASSIGN_OR_RETURN(in.kind, body.String("kind_code", "主体业态"));
    }
    SHIAN_ASSIGN_OR_RETURN(in.region_code, body.String("region_code", "所属区划"));
    SHIAN_ASSIGN_OR_RETURN(in.address, body.OptString("address", "经营地址"));
    SHIAN_ASSIGN_OR_RETURN(in.lng, body.NullableNumber("lng", "经度"));
    SHIAN_ASSIGN_OR_RETURN(in.lat, body.NullableNumber("lat", "纬度"));
    SHIAN_ASSIGN_OR_RETURN(in.status, body.String("status", "经营状态"));
    SHIAN_ASSIGN_OR_RETURN(in.risk_grade, body.OptString("risk_grade", "风险等级"));
    SHIAN_ASSIGN_OR_RETURN(in.tags, body.StringArray("tags", "标签", 20));
    SHIAN_ASSIGN_OR_RETURN(auto status_reason, body.String("status_reason", "状态变更原因"));
    SHIAN_ASSIGN_OR_RETURN(auto grade_reason, body.String("grade_reason", "等级变更原因"));
    in.status_reason = status_reason.value_or("");
    in.grade_reason = grade_reason.value_or("");
    for (const std::string* reason : {&in.status_reason, &in.grade_reason}) {
        if (reason->size() > 600) return Error::Invalid("status_reason", "变更原因不能超过200个字符");
    }
    SHIAN_ASSIGN_OR_RETURN(in.version, body.Integer("version", "版本号"));
    if (body.Has("people")) {
        const nlohmann::json& people = body.raw()["people"];
        if (!people.is_array() && !people.is_null()) return Error::Invalid("people", "人员应为数组");
        if (people.is_array() && people.size() > 20) return Error::Invalid("people", "人员不能超过20人");
        std::vector<registry::Person> out;
        if (people.is_array()) {
            for (size_t i = 0; i < people.size(); ++i) {
                std::string prefix = "people[" + std::to_string(i) + "]";
                auto item = JsonObjectAt(people[i], prefix, {"role", "name", "id_number", "phone"});
                if (!item.ok()) return Error::Invalid(prefix, item.error().message);
                registry::Person p;
                for (auto [key, target, label] :
                     {std::tuple{"role", &p.role, "人员角色"}, std::tuple{"name", &p.name, "姓名"},
                      std::tuple{"id_number", &p.id_number, "身份证号"}, std::tuple{"phone", &p.phone, "联系电话"}}) {
                    auto v = item->OptString(key, label);
                    if (!v.ok()) return Error::Invalid(prefix + "." + key, v.error().message);
                    *target = v->value_or("");
                }
                out.push_back(std::move(p));
            }
        }
        in.people = std::move(out);
    }
    if (!edit && !in.kind) return Error::Invalid("kind", "主体业态不能为空");
    if (!edit && !in.region_code) return Error::Invalid("region_code", "所属区划不能为空");
    return in;
}

// The writer of a download's format ("" is xlsx).
Result<std::unique_ptr<io::TableWriter>> TableWriterFor(const std::string& format) {
    if (format == "csv") return io::MakeCsvWriter(true);
    if (format == "xlsx" || format.empty()) return io::MakeXlsxWriter("主体档案");
    return Error::Invalid("format", "导出格式应为 xlsx 或 csv");
}

// The download of what `writer` has been given.
Result<Response> FileResponse(io::TableWriter& writer, const std::string& format, const std::string& base_name) {
    Response r;
    SHIAN_ASSIGN_OR_RETURN(r.body, writer.Finish());
    bool csv = format == "csv";
    r.content_type =
        csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    std::string filename = base_name + (csv ? ".csv" : ".xlsx");
    // RFC 6266/5987: an ASCII fallback plus the UTF-8 name.
    std::string encoded;
    for (unsigned char c : filename) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
            encoded.push_back(static_cast<char>(c));
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
    }
    std::string ext = filename.substr(filename.rfind('.'));
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"businesses" + ext + "\"; filename*=UTF-8''" + encoded);
    return r;
}

}  // namespace

void AddBusinessRoutes(Router& router, Services& s) {
    router.Add("GET", "/api/v1/businesses", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto q, ParseQuery(req));
        SHIAN_ASSIGN_OR_RETURN(auto page, s.businesses->List(*req.principal, q));
        return JsonResponse(200, BusinessPageDocument(page, q.page, q.page_size));
    },
               RouteDoc{"主体列表：搜索、筛选（region 含下级）、排序、分页", {"q", "region", "kind", "risk_grade", "status", "tag", "sort", "page", "page_size"}, "", "BusinessPage", "registry:business:list"});
    router.Add("POST", "/api/v1/businesses", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto in, ParseBusinessInput(req.body, false));
        SHIAN_ASSIGN_OR_RETURN(auto detail, s.businesses->Create(*req.principal, in));
        Response r = JsonResponse(201, BusinessDetailDocument(detail));
        r.headers.emplace_back("Location", "/api/v1/businesses/" + std::to_string(detail.business.id));
        return r;
    },
               RouteDoc{"新增主体", {}, "BusinessInput", "Business", "registry:business:create"});
    router.Add("GET", "/api/v1/businesses/template", Access::kAuth, [](Request& req) -> Result<Response> {
        std::string format = req.Query("format");
        SHIAN_ASSIGN_OR_RETURN(auto writer, TableWriterFor(format));
        SHIAN_TRY(writer->AddRow(registry::BusinessColumns()));
        SHIAN_TRY(writer->AddRow({"巴州区示例餐馆", "91511902MA62A1B2CQ", "JY25119020000017", "餐饮服务",
                                  "511902001001", "巴中市巴州区示例路1号", "106.7537", "31.8588", "营业", "B",
                                  "张三", "511902198001010016", "13800138000", "", "李四"}));
        return FileResponse(*writer, format, "主体导入模板");
    },
               RouteDoc{"下载导入模板", {"format"}, "", "", ""});
    router.Add("GET", "/api/v1/businesses/export", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto q, ParseQuery(req));
        std::string format = req.Query("format");
        SHIAN_ASSIGN_OR_RETURN(auto writer, TableWriterFor(format));
        SHIAN_TRY(s.businesses->Export(*req.principal, q, kMaxExportRows, writer.get()));
        return FileResponse(*writer, format, "主体档案");
    },
               RouteDoc{"按筛选条件导出 XLSX/CSV", {"format", "q", "region", "kind", "risk_grade", "status", "tag", "sort"}, "", "", "registry:business:export"},
               Pace::kLong);
    router.Add("POST", "/api/v1/businesses/import", Access::kAuth, [&s](Request& req) -> Result<Response> {
        std::string dry = req.Query("dry_run");
        if (!dry.empty() && dry != "true" && dry != "false") {
            return Error::Invalid("dry_run", "dry_run 应为 true 或 false");
        }
        if (!req.principal->Can(access::perm::kBusinessImport)) return Error::Denied("您没有导入主体的权限");
        io::Table table;
        {
            SHIAN_ASSIGN_OR_RETURN(auto file, ReadMultipartFile(req.Header("content-type"), req.body, "file"));
            std::string().swap(req.body);  // the import holds the table, not the upload (up to 50 MiB)
            if (file.data.empty()) return Error::Invalid("file", "上传的文件为空");
            SHIAN_ASSIGN_OR_RETURN(table, io::ReadTable(file.data, file.filename, kMaxImportRows));
        }
        SHIAN_ASSIGN_OR_RETURN(auto report, s.businesses->Import(*req.principal, std::move(table), dry == "true"));
        json rejected = json::array();
        for (const auto& r : report.rejected) {
            rejected.push_back({{"row", r.row}, {"column", r.column}, {"message", r.message}});
        }
        json out = {{"inserted", report.inserted}, {"updated", report.updated},
                    {"unchanged", report.unchanged}, {"rejected", rejected},
                    {"dry_run", dry == "true"}};
        return JsonResponse(report.rejected.empty() ? 200 : 422, Dump(out));
    },
               RouteDoc{"导入 CSV/XLSX（multipart 字段 file）；全部通过才写入，否则 422 列出每个问题", {"dry_run"}, "", "ImportReport", "registry:business:import"});
    router.Add("GET", "/api/v1/businesses/{id}", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(int64_t id, ParseId(req.params["id"], "id"));
        SHIAN_ASSIGN_OR_RETURN(auto detail, s.businesses->Get(*req.principal, id));
        return JsonResponse(200, BusinessDetailDocument(detail));
    },
               RouteDoc{"主体详情（含状态与等级历史）", {}, "", "Business", "registry:business:view"});
    router.Add("PATCH", "/api/v1/businesses/{id}", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(int64_t id, ParseId(req.params["id"], "id"));
        SHIAN_ASSIGN_OR_RETURN(auto in, ParseBusinessInput(req.body, true));
        SHIAN_ASSIGN_OR_RETURN(auto detail, s.businesses->Update(*req.principal, id, in));
        return JsonResponse(200, BusinessDetailDocument(detail));
    },
               RouteDoc{"修改主体（须带 version；过期 409）", {}, "BusinessInput", "Business", "registry:business:edit"});
    router.Add("GET", "/api/v1/stats/businesses", Access::kAuth, [&s](Request& req) -> Result<Response> {
        std::string by = req.Query("by");
        registry::StatsDimension dim;
        if (by == "kind") dim = registry::StatsDimension::kKind;
        else if (by == "region") dim = registry::StatsDimension::kRegion;
        else if (by == "risk_grade") dim = registry::StatsDimension::kRiskGrade;
        else if (by == "status") dim = registry::StatsDimension::kStatus;
        else return Error::Invalid("by", "by 应为 kind、region、risk_grade 或 status");
        SHIAN_ASSIGN_OR_RETURN(auto stats, s.businesses->Stats(*req.principal, dim, req.Query("region")));
        json rows = json::array();
        for (const auto& r : stats.rows) rows.push_back({{"key", r.key}, {"label", r.label}, {"count", r.count}});
        return JsonResponse(200, Dump({{"rows", std::move(rows)}, {"total", stats.total}}));
    },
               RouteDoc{"主体统计（实时计算）", {"by", "region"}, "", "Stats", "stats:business:view"});
    router.Add("GET", "/api/v1/dicts/kinds", Access::kAuth, [&s](Request&) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto kinds, s.businesses->Kinds());
        json items = json::array();
        for (const auto& k : kinds) items.push_back({{"code", k.code}, {"label", k.label}, {"builtin", k.builtin}});
        return JsonResponse(200, Dump({{"items", std::move(items)}}));
    },
               RouteDoc{"业态字典", {}, "", "", ""});
    router.Add("POST", "/api/v1/dicts/kinds", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req.body, {"label"}));
        SHIAN_ASSIGN_OR_RETURN(auto label, body.String("label", "业态名称"));
        SHIAN_ASSIGN_OR_RETURN(auto kind, s.businesses->AddKind(*req.principal, label.value_or("")));
        return JsonResponse(201, Dump({{"code", kind.code}, {"label", kind.label}, {"builtin", kind.builtin}}));
    },
               RouteDoc{"新增业态", {}, "", "", "system:dict:manage"});
}

}  // namespace shian::http
