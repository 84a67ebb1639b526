#include "shian/access/permissions.hpp"

namespace shian::access {

const std::vector<PermissionInfo>& AllPermissions() {
    static const std::vector<PermissionInfo> kAll = {
        {perm::kBusinessList, "主体档案-查询列表"}, {perm::kBusinessView, "主体档案-查看详情"},
        {perm::kBusinessCreate, "主体档案-新增"},   {perm::kBusinessEdit, "主体档案-编辑"},
        {perm::kBusinessImport, "主体档案-导入"},   {perm::kBusinessExport, "主体档案-导出"},
        {perm::kStatsView, "统计-主体统计"},        {perm::kUserManage, "系统-用户管理"},
        {perm::kRoleManage, "系统-角色管理"},       {perm::kDeptManage, "系统-部门管理"},
        {perm::kDictManage, "系统-字典管理"},       {perm::kAuditView, "系统-操作日志"},
        {perm::kRegionManage, "系统-区划调整"},
    };
    return kAll;
}

bool IsKnownPermission(std::string_view code) {
    for (const auto& p : AllPermissions()) {
        if (p.code == code) return true;
    }
    return false;
}

const char* DataScopeName(DataScope scope) {
    switch (scope) {
        case DataScope::kAll: return "all";
        case DataScope::kCustom: return "custom";
        case DataScope::kRegion: return "region";
        case DataScope::kRegionAndBelow: return "region_and_below";
        case DataScope::kSelf: return "self";
    }
    return "self";
}

bool ParseDataScope(std::string_view name, DataScope* out) {
    for (DataScope s : {DataScope::kAll, DataScope::kCustom, DataScope::kRegion,
                        DataScope::kRegionAndBelow, DataScope::kSelf}) {
        if (name == DataScopeName(s)) {
            *out = s;
            return true;
        }
    }
    return false;
}

const std::vector<RoleDefinition>& BuiltinRoles() {
    auto s = [](std::string_view v) { return std::string(v); };
    static const std::vector<RoleDefinition> kRoles = {
        {"admin", "系统管理员", DataScope::kAll,
         {s(perm::kBusinessList), s(perm::kBusinessView), s(perm::kBusinessCreate),
          s(perm::kBusinessEdit), s(perm::kBusinessImport), s(perm::kBusinessExport),
          s(perm::kStatsView), s(perm::kUserManage), s(perm::kRoleManage), s(perm::kDeptManage),
          s(perm::kDictManage), s(perm::kAuditView), s(perm::kRegionManage)}},
        {"office", "食安办", DataScope::kRegionAndBelow,
         {s(perm::kBusinessList), s(perm::kBusinessView), s(perm::kBusinessCreate),
          s(perm::kBusinessEdit), s(perm::kBusinessImport), s(perm::kBusinessExport),
          s(perm::kStatsView), s(perm::kAuditView)}},
        {"inspector", "监管所检查员", DataScope::kRegionAndBelow,
         {s(perm::kBusinessList), s(perm::kBusinessView), s(perm::kBusinessCreate),
          s(perm::kBusinessEdit), s(perm::kBusinessExport), s(perm::kStatsView)}},
        {"cadre", "包保干部", DataScope::kRegionAndBelow,
         {s(perm::kBusinessList), s(perm::kBusinessView), s(perm::kStatsView)}},
        {"business", "企业", DataScope::kSelf, {s(perm::kBusinessView)}},
        {"public", "公众", DataScope::kSelf, {}},
    };
    return kRoles;
}

}  // namespace shian::access
