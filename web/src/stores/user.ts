import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { fetchCurrentUser, login as apiLogin, logout as apiLogout, type CurrentUser } from '@/api/auth'
import type { PermissionCode } from '@/permissions'
import { clearToken, getSavedUser, getToken, saveUser, setToken } from '@/utils/token'

export const useUserStore = defineStore('user', () => {
  const token = ref<string | null>(getToken())
  const user = ref<CurrentUser | null>(null)

  const permissions = computed(() => new Set(user.value?.permissions ?? []))

  function can(permission: PermissionCode | undefined): boolean {
    return permission === undefined || permissions.value.has(permission)
  }

  async function login(username: string, password: string): Promise<void> {
    const result = await apiLogin(username, password)
    setToken(result.token)
    saveUser(result.token, result.user)
    token.value = result.token
    user.value = result.user
  }

  async function loadCurrentUser(): Promise<CurrentUser> {
    const sentWith = token.value
    const current = await fetchCurrentUser()
    // A logout or another login while the request was out: this answer is about an old session.
    if (token.value !== sentWith) return current
    user.value = current
    if (sentWith) saveUser(sentWith, current)
    return current
  }

  /**
   * Takes the user saved with this session's token (a reload), without asking the server;
   * false when there is none. The caller confirms it with loadCurrentUser().
   */
  function restoreSavedUser(): boolean {
    if (!token.value) return false
    const saved = getSavedUser(token.value)
    if (saved) user.value = saved
    return saved !== null
  }

  /** Forgets the session locally (after a 401 or a logout). */
  function reset(): void {
    clearToken()
    token.value = null
    user.value = null
  }

  async function logout(): Promise<void> {
    try {
      await apiLogout()
    } finally {
      reset()
    }
  }

  return { token, user, permissions, can, login, loadCurrentUser, restoreSavedUser, reset, logout }
})
