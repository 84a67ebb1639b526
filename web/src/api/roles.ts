import { http } from './http'

export type DataScope = 'all' | 'custom' | 'region' | 'region_and_below' | 'self'

export interface Role {
  code: string
  label: string
  data_scope: DataScope
  /** custom scope: the places whose subtrees the role's users see */
  places: { code: string; name: string }[]
  permissions: string[]
  builtin: boolean
}

export interface RoleInput {
  code?: string
  label?: string
  data_scope?: DataScope
  places?: string[]
  permissions?: string[]
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

export function createRole(input: RoleInput): Promise<Role> {
  return http.post<Role>('/roles', input)
}

/** Built-in roles take only `permissions`; the server answers 400 naming the field otherwise. */
export function updateRole(code: string, input: RoleInput): Promise<Role> {
  return http.patch<Role>(`/roles/${encodeURIComponent(code)}`, input)
}

export async function listPermissions(): Promise<PermissionEntry[]> {
  const result = await http.get<{ items: PermissionEntry[] }>('/permissions')
  return result.items
}
