// Chinese names of the audit log's action and entity codes (server: access/audit.hpp).
export const AUDIT_ACTIONS: Record<string, string> = {
  create: '新增',
  update: '修改',
  import: '导入',
  login: '登录',
  login_failed: '登录失败',
  logout: '退出',
  reset_password: '重置密码',
}

export const AUDIT_ENTITIES: Record<string, string> = {
  business: '主体',
  user: '用户',
  role: '角色',
  department: '部门',
  kind: '业态字典',
  session: '登录会话',
}

export function actionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? action
}

export function entityLabel(entity: string): string {
  return AUDIT_ENTITIES[entity] ?? entity
}
