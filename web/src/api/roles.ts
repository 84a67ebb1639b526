import { http } from './http'

export interface Role {
  code: string
  label: string
  data_scope: string
  permissions: string[]
}

export interface PermissionEntry {
  code: string
  label: string
}

export async function listRoles(): Promise<Role[]> {
  const result = await http.get<{ items: Role[] }>('/roles')
  return result.items
}

export function setRolePermissions(code: string, permissions: string[]): Promise<Role> {
  return http.put<Role>(`/roles/${encodeURIComponent(code)}/permissions`, { permissions })
}

export async function listPermissions(): Promise<PermissionEntry[]> {
  const result = await http.get<{ items: PermissionEntry[] }>('/permissions')
  return result.items
}
