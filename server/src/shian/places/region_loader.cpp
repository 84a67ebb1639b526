#include "shian/places/region_loader.hpp"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "shian/io/csv.hpp"

namespace shian::places {
namespace {

Result<std::string> ReadFile(const std::string& path) {
    if (path.size() > 3 && path.substr(path.size() - 3) == ".gz") {
        gzFile f = gzopen(path.c_str(), "rb");
        if (!f) return Error::NotFound("找不到区划数据文件 " + path);
        std::string out;
        char buf[1 << 16];
        int n;
        while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, n);
        gzclose(f);
        return out;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::NotFound("找不到区划数据文件 " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Result<io::Table> ReadCsvFile(const std::string& path) {
    SHIAN_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    return io::ReadCsv(text);
}

int ColumnIndex(const io::Table& t, std::string_view name) {
    for (size_t i = 0; i < t.header.size(); ++i) {
        if (t.header[i] == name) return static_cast<int>(i);
    }
    return -1;
}

// Assigns paths top-down; every parent must be present, the county has none and every other
// place is one level below its parent (see region.hpp). The county comes first.
Status AssignPaths(std::vector<Region>* regions) {
    std::map<std::string, const Region*> placed;
    for (Region& r : *regions) {
        if (r.code.empty() || r.code.find('/') != std::string::npos) {
            return Error::Invalid("code", "区划代码无效：" + r.code);
        }
        if (placed.contains(r.code)) return Error::Invalid("code", "区划代码重复：" + r.code);
        if (r.parent_code.empty()) {
            if (r.level != RegionLevel::kCounty) {
                return Error::Invalid("parent", "区划 " + r.code + " 不是县级，应有上级区划");
            }
            if (&r != &regions->front()) return Error::Invalid("code", "区划文件只能有一个县（区），且在第一行");
            r.path = ChildPath("", r.code);
        } else {
            auto it = placed.find(r.parent_code);
            if (it == placed.end()) {
                return Error::Invalid("parent", "区划 " + r.code + " 的上级 " + r.parent_code + " 不存在");
            }
            const Region& parent = *it->second;
            if (static_cast<int>(r.level) != static_cast<int>(parent.level) + 1) {
                return Error::Invalid("level", "区划 " + r.code + "（" + RegionLevelName(r.level) + "）不能在 " +
                                                   parent.code + "（" + RegionLevelName(parent.level) + "）之下");
            }
            r.path = ChildPath(parent.path, r.code);
        }
        placed[r.code] = &r;
    }
    return Ok();
}

}  // namespace

Result<std::vector<Region>> ParseCountyExtract(std::string_view csv_text) {
    SHIAN_ASSIGN_OR_RETURN(io::Table t, io::ReadCsv(csv_text));
    int code = ColumnIndex(t, "code"), name = ColumnIndex(t, "name");
    int level = ColumnIndex(t, "level"), parent = ColumnIndex(t, "parent");
    if (code < 0 || name < 0 || level < 0 || parent < 0) {
        return Error::Invalid("file", "区划文件表头应为 code,name,level,parent");
    }
    std::vector<Region> out;
    for (const auto& row : t.rows) {
        Region r;
        r.code = row[code];
        r.name = row[name];
        auto lv = ParseRegionLevel(row[level]);
        if (!lv) return Error::Invalid("level", "未知的区划级别：" + row[level]);
        r.level = *lv;
        r.parent_code = row[parent];
        out.push_back(std::move(r));
    }
    SHIAN_TRY(AssignPaths(&out));
    return out;
}

Result<std::vector<Region>> LoadCountyFromNationalTables(const std::string& dir,
                                                         const std::string& county_code) {
    namespace fs = std::filesystem;
    SHIAN_ASSIGN_OR_RETURN(io::Table areas, ReadCsvFile(dir + "/areas.csv"));
    SHIAN_ASSIGN_OR_RETURN(io::Table streets, ReadCsvFile(dir + "/streets.csv"));
    std::string villages_path;
    if (fs::exists(dir)) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            std::string name = entry.path().filename().string();
            if (name.rfind("villages", 0) == 0) villages_path = entry.path().string();
        }
    }
    if (villages_path.empty()) return Error::NotFound("在 " + dir + " 中找不到村级区划文件 villages*.csv(.gz)");
    SHIAN_ASSIGN_OR_RETURN(io::Table villages, ReadCsvFile(villages_path));

    std::vector<Region> out;
    int a_code = ColumnIndex(areas, "code"), a_name = ColumnIndex(areas, "name");
    for (const auto& row : areas.rows) {
        if (row[a_code] == county_code) out.push_back({row[a_code], row[a_name], RegionLevel::kCounty, "", "", true, false, 0, ""});
    }
    if (out.empty()) return Error::NotFound("区划代码 " + county_code + " 不是已知的县级区划");
    int s_code = ColumnIndex(streets, "code"), s_name = ColumnIndex(streets, "name");
    int s_area = ColumnIndex(streets, "areaCode");
    for (const auto& row : streets.rows) {
        if (row[s_area] == county_code) {
            out.push_back({row[s_code], row[s_name], RegionLevel::kTownship, county_code, "", true, false, 0, ""});
        }
    }
    int v_code = ColumnIndex(villages, "code"), v_name = ColumnIndex(villages, "name");
    int v_street = ColumnIndex(villages, "streetCode"), v_area = ColumnIndex(villages, "areaCode");
    for (const auto& row : villages.rows) {
        if (row[v_area] == county_code) {
            out.push_back({row[v_code], row[v_name], RegionLevel::kVillage, row[v_street], "", true, false, 0, ""});
        }
    }
    SHIAN_TRY(AssignPaths(&out));
    return out;
}

}  // namespace shian::places
