// Permission strings (`module:entity:action`, as RuoYi) and the built-in roles with their
// data scopes. Defined once here; the web console mirrors them in web/src/permissions.ts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shian::access {

namespace perm {
inline constexpr std::string_view kBusinessList = "registry:business:list";
inline constexpr std::string_view kBusinessView = "registry:business:view";
inline constexpr std::string_view kBusinessCreate = "registry:business:create";
inline constexpr std::string_view kBusinessEdit = "registry:business:edit";
inline constexpr std::string_view kBusinessImport = "registry:business:import";
inline constexpr std::string_view kBusinessExport = "registry:business:export";
inline constexpr std::string_view kStatsView = "stats:business:view";
inline constexpr std::string_view kUserManage = "system:user:manage";
inline constexpr std::string_view kRoleManage = "system:role:manage";
inline constexpr std::string_view kDeptManage = "system:dept:manage";
inline constexpr std::string_view kDictManage = "system:dict:manage";
inline constexpr std::string_view kAuditView = "system:audit:view";
inline constexpr std::string_view kRegionManage = "system:region:manage";
}  // namespace perm

struct PermissionInfo {
    std::string_view code;
    std::string_view label;
};
const std::vector<PermissionInfo>& AllPermissions();
bool IsKnownPermission(std::string_view code);

// RuoYi's five data scopes, applied to the place tree:
//   kAll            every place;
//   kCustom         the role's own list of places, each with its subtree (a 片区 group that
//                   oversees several townships); the same for every user of the role;
//   kRegion         the user's own place only (not below);
//   kRegionAndBelow the user's place and its subtree;
//   kSelf           only the user's own business (business accounts); nothing for others.
enum class DataScope { kAll, kCustom, kRegion, kRegionAndBelow, kSelf };
const char* DataScopeName(DataScope scope);
bool ParseDataScope(std::string_view name, DataScope* out);

struct RoleDefinition {
    std::string code;
    std::string label;
    DataScope data_scope;
    std::vector<std::string> permissions;
};

// The roles every installation starts with: admin, office, inspector, cadre, business, public.
const std::vector<RoleDefinition>& BuiltinRoles();

}  // namespace shian::access
