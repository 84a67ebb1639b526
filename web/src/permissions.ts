// Every permission string the console checks, defined once (`module:entity:action`, as the
// server's roles grant them). Routes, menus and buttons refer to these constants only.
export const Permission = {
  BusinessList: 'registry:business:list',
  BusinessView: 'registry:business:view',
  BusinessCreate: 'registry:business:create',
  BusinessEdit: 'registry:business:edit',
  BusinessImport: 'registry:business:import',
  BusinessExport: 'registry:business:export',
  StatsView: 'stats:business:view',
  UserManage: 'system:user:manage',
  RoleManage: 'system:role:manage',
  DeptManage: 'system:dept:manage',
  DictManage: 'system:dict:manage',
  AuditView: 'system:audit:view',
  RegionManage: 'system:region:manage',
} as const

export type PermissionCode = (typeof Permission)[keyof typeof Permission]
