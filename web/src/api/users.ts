import { http } from './http'
import type { Page } from './businesses'

export interface UserAccount {
  id: number
  username: string
  display_name: string
  role: string
  role_label: string
  region_code: string
  region_name: string
  department_id: number | null
  business_id: number | null
  disabled: boolean
  locked_until: string | null
  last_login_at: string | null
}

export interface UserCreate {
  username: string
  password: string
  display_name: string
  role: string
  region_code: string
  department_id?: number | null
  business_id?: number | null
}

export interface UserPatch {
  display_name?: string
  role?: string
  region_code?: string
  department_id?: number | null
  disabled?: boolean
}

export function listUsers(query: { q?: string; page?: number; page_size?: number }): Promise<Page<UserAccount>> {
  return http.get<Page<UserAccount>>('/users', { ...query })
}

export function createUser(input: UserCreate): Promise<UserAccount> {
  return http.post<UserAccount>('/users', input)
}

export function updateUser(id: number, patch: UserPatch): Promise<UserAccount> {
  return http.patch<UserAccount>(`/users/${id}`, patch)
}

export function resetPassword(id: number, password: string): Promise<void> {
  return http.post<void>(`/users/${id}/password`, { password })
}
