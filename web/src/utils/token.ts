// The session token lives in sessionStorage: it survives a reload but not a closed tab.
// Next to it, the signed-in user (name, place, permissions) as /auth/me last described it, so a
// reload can show the page at once while /auth/me confirms the session in the background. The
// copy belongs to one token: a different token (another login) ignores it.
import type { CurrentUser } from '@/api/auth'

const TOKEN_KEY = 'shian.token'
const USER_KEY = 'shian.user'

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY)
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token)
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY)
  sessionStorage.removeItem(USER_KEY)
}

function isCurrentUser(value: unknown): value is CurrentUser {
  if (typeof value !== 'object' || value === null) return false
  const user = value as Partial<CurrentUser>
  return (
    typeof user.id === 'number' &&
    typeof user.username === 'string' &&
    Array.isArray(user.permissions) &&
    user.permissions.every((permission) => typeof permission === 'string')
  )
}

/** The user last seen with `token`, or null (none saved, saved for another token, unreadable). */
export function getSavedUser(token: string): CurrentUser | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(USER_KEY) ?? 'null') as unknown
    if (typeof saved !== 'object' || saved === null) return null
    const { token: savedToken, user } = saved as { token?: unknown; user?: unknown }
    return savedToken === token && isCurrentUser(user) ? user : null
  } catch {
    return null
  }
}

export function saveUser(token: string, user: CurrentUser): void {
  sessionStorage.setItem(USER_KEY, JSON.stringify({ token, user }))
}
