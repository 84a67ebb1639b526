import { request } from './http'

export interface CurrentUser {
  id: number
  username: string
  display_name: string
  role: string
  role_label: string
  region_code: string
  region_name: string
  business_id: number | null
  permissions: string[]
}

export interface LoginResult {
  token: string
  user: CurrentUser
}

export function login(username: string, password: string): Promise<LoginResult> {
  return request<LoginResult>('POST', '/auth/login', {
    json: { username, password },
    skipUnauthorizedHandler: true,
  })
}

export function logout(): Promise<void> {
  return request<void>('POST', '/auth/logout', { skipUnauthorizedHandler: true })
}

/** The signed-in user; a 401 here is handled by the router guard, not the global handler. */
export async function fetchCurrentUser(): Promise<CurrentUser> {
  const result = await request<{ user: CurrentUser }>('GET', '/auth/me', { skipUnauthorizedHandler: true })
  return result.user
}
