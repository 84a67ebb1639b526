import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { fetchCurrentUser, login as apiLogin, logout as apiLogout, type CurrentUser } from '@/api/auth'
import type { PermissionCode } from '@/permissions'
import { clearToken, getToken, setToken } from '@/utils/token'

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
    token.value = result.token
    user.value = result.user
  }

  async function loadCurrentUser(): Promise<CurrentUser> {
    const current = await fetchCurrentUser()
    user.value = current
    return current
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

  return { token, user, permissions, can, login, loadCurrentUser, reset, logout }
})
