#include "shian/app/setup.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "shian/access/permissions.hpp"
#include "shian/places/region_loader.hpp"
#include "shian/registry/business_rules.hpp"
#include "shian/storage/migrations/migrations.hpp"
#include "shian/storage/sql_store.hpp"

namespace shian::app {

std::string DataDir() {
    namespace fs = std::filesystem;
    for (const fs::path& candidate : {fs::path("data"), fs::path(SHIAN_SOURCE_DIR) / "data"}) {
        if (fs::exists(candidate / "regions")) return candidate.string();
    }
    return "data";
}

Status PrepareDatabase(storage::Connection& conn, const SetupOptions& options, std::ostream* log) {
    SHIAN_ASSIGN_OR_RETURN(int applied, storage::Migrate(conn));
    SHIAN_TRY(storage::CheckSchemaNotNewer(conn));
    if (log && applied) *log << "applied " << applied << " migration(s)\n";
    auto store = storage::MakeSqlStore(&conn);
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_ASSIGN_OR_RETURN(auto roles, store->access().ListRoles());
        for (const auto& def : access::BuiltinRoles()) {
            bool exists = false;
            for (const auto& r : roles) exists = exists || r.code == def.code;
            // Existing roles keep the permissions an admin gave them; admin, whose permissions
            // nobody can edit, always has every one (new permissions arrive with upgrades).
            if (!exists || def.code == "admin") {
                SHIAN_TRY(store->access().UpsertRole({def.code, def.label, def.data_scope, def.permissions, true, {}}));
            }
        }
        SHIAN_ASSIGN_OR_RETURN(auto kinds, store->businesses().ListKinds());
        if (kinds.empty()) {
            for (const auto& k : registry::BuiltinKinds()) SHIAN_TRY(store->businesses().UpsertKind(k));
        }
        return Ok();
    }));
    SHIAN_ASSIGN_OR_RETURN(int64_t regions, store->regions().Count());
    if (regions > 0) return Ok();

    std::vector<places::Region> tree;
    if (options.regions_dir.empty()) {
        std::string path = DataDir() + "/regions/" + options.county_code + ".csv";
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            return Error::NotFound("找不到区划文件 " + path +
                                   "；请用 --regions-dir 指向全国区划数据（如 ../shared/data/regions）");
        }
        std::stringstream ss;
        ss << in.rdbuf();
        SHIAN_ASSIGN_OR_RETURN(tree, places::ParseCountyExtract(ss.str()));
    } else {
        SHIAN_ASSIGN_OR_RETURN(tree, places::LoadCountyFromNationalTables(options.regions_dir, options.county_code));
    }
    SHIAN_TRY(storage::InTransaction(*store, [&]() -> Status {
        SHIAN_TRY(store->regions().Upsert(tree));
        return store->SetSetting("county_code", options.county_code);
    }));
    if (log) *log << "loaded " << tree.size() << " places of county " << options.county_code << "\n";
    return Ok();
}

}  // namespace shian::app
