#include "shian/storage/sql_repositories.hpp"

#include <string>
#include <vector>

#include "shian/storage/sql_values.hpp"

namespace shian::storage {
namespace {

using sql::OptText;

class SqlRegionRepository final : public places::RegionRepository {
public:
    explicit SqlRegionRepository(Connection* c) : c_(c) {}

    Result<std::optional<places::Region>> Find(const std::string& code) override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(kSelect + " WHERE r.code = $1", {code}));
        if (rows.empty()) return std::optional<places::Region>();
        return std::optional<places::Region>(Read(rows, 0));
    }
    Result<std::vector<places::Region>> Children(const std::string& parent) override {
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query(kSelect + " WHERE r.parent_code = $1 AND r.active = 1 ORDER BY r.code", {parent}));
        return ReadAll(rows);
    }
    Result<std::vector<places::Region>> Roots() override {
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query(kSelect + " WHERE r.parent_code IS NULL ORDER BY r.code"));
        return ReadAll(rows);
    }
    Status Upsert(const std::vector<places::Region>& regions) override {
        for (const auto& r : regions) {
            SHIAN_TRY(c_->Execute(
                "INSERT INTO region (code, name, level, parent_code, path, active) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET "
                "name = excluded.name, level = excluded.level, parent_code = excluded.parent_code, "
                "path = excluded.path, active = excluded.active",
                {r.code, r.name, std::string(places::RegionLevelName(r.level)), OptText(r.parent_code),
                 r.path, int64_t{r.active ? 1 : 0}}));
        }
        return Ok();
    }
    Result<int64_t> Count() override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query("SELECT count(*) FROM region"));
        return rows.Int(0, 0);
    }
    Status Retire(const std::string& code, TimeMs at, const std::string& successor) override {
        SHIAN_ASSIGN_OR_RETURN(int64_t changed,
                               c_->Execute("UPDATE region SET active = 0, retired_at = $2, successor_code = $3 "
                                           "WHERE code = $1", {code, at, OptText(successor)}));
        if (changed == 0) return Error::NotFound("区划不存在：" + code);
        return Ok();
    }

private:
    inline static const std::string kSelect =
        "SELECT r.code, r.name, r.level, r.parent_code, r.path, r.active, "
        "EXISTS (SELECT 1 FROM region k WHERE k.parent_code = r.code AND k.active = 1), "
        "r.retired_at, r.successor_code FROM region r";

    static places::Region Read(const Rows& rows, size_t i) {
        places::Region r;
        r.code = rows.Text(i, 0);
        r.name = rows.Text(i, 1);
        r.level = places::ParseRegionLevel(rows.Text(i, 2)).value_or(places::RegionLevel::kVillage);
        r.parent_code = rows.Text(i, 3);
        r.path = rows.Text(i, 4);
        r.active = rows.Int(i, 5) != 0;
        r.has_children = rows.Int(i, 6) != 0 || rows.Text(i, 6) == "t";
        r.retired_at = rows.IsNull(i, 7) ? 0 : rows.Int(i, 7);
        r.successor_code = rows.IsNull(i, 8) ? std::string() : rows.Text(i, 8);
        return r;
    }
    static std::vector<places::Region> ReadAll(const Rows& rows) {
        std::vector<places::Region> out;
        for (size_t i = 0; i < rows.size(); ++i) out.push_back(Read(rows, i));
        return out;
    }

    Connection* c_;
};

}  // namespace

std::unique_ptr<places::RegionRepository> MakeSqlRegionRepository(Connection* c) {
    return std::make_unique<SqlRegionRepository>(c);
}

}  // namespace shian::storage
