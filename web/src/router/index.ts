import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { ApiError, onUnauthorized } from '@/api/http'
import { clearPrefetch, settlePrefetch } from '@/composables/listPrefetch'
import { Permission } from '@/permissions'
import { useUserStore } from '@/stores/user'
import { buildMenu, firstMenuPath } from './menu'
import { layoutRoutes, loadBusinessList, routes } from './routes'

const APP_TITLE = '食品安全监管平台'

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

/** Only same-site paths are followed after login. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/'
}

/** The navigation in progress (set by beforeEach, cleared by afterEach). */
let navigatingTo: RouteLocationNormalized | null = null

/** Where the user is, or is going: the address to come back to after logging in again. */
function currentAddress(): RouteLocationNormalized {
  return navigatingTo ?? router.currentRoute.value
}

function goToLogin(): void {
  const where = currentAddress()
  if (where.name === 'Login') return
  void router.replace({ name: 'Login', query: { redirect: where.fullPath } })
}

/**
 * The page was opened with the user saved in this tab (a reload): /auth/me confirms the session
 * and refreshes the permissions. A 401 goes to 登录; a page the fresh permissions no longer
 * allow turns into 无权限. Other failures keep the saved user: the server judges every request.
 */
async function confirmSession(): Promise<void> {
  const store = useUserStore()
  try {
    await store.loadCurrentUser()
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      store.reset()
      goToLogin()
    }
    return
  }
  const where = currentAddress()
  if (where.meta.public || store.can(where.meta.permission)) return
  void router.replace({ name: 'Forbidden', query: { from: where.fullPath } })
}

router.beforeEach(async (to) => {
  navigatingTo = to
  clearPrefetch()
  const store = useUserStore()
  if (to.meta.public) {
    if (to.name === 'Login' && store.token && store.user) return safeRedirect(to.query.redirect)
    return true
  }
  if (!store.token) return { name: 'Login', query: { redirect: to.fullPath } }
  if (!store.user) {
    if (store.restoreSavedUser()) {
      // Checked below with the saved permissions, without waiting for the server.
      void confirmSession()
    } else {
      try {
        await store.loadCurrentUser()
      } catch {
        store.reset()
        return { name: 'Login', query: { redirect: to.fullPath } }
      }
    }
  }
  if (to.name === 'Home') {
    const first = firstMenuPath(buildMenu(layoutRoutes, store.can))
    if (first) return first
    const businessId = store.user?.business_id
    if (businessId && store.can(Permission.BusinessView)) {
      return { name: 'BusinessDetail', params: { id: businessId } }
    }
    return { name: 'Forbidden' }
  }
  if (!store.can(to.meta.permission)) {
    return {
      name: 'Forbidden',
      query: { from: to.fullPath },
    }
  }
  return true
})

// A list page's route guard may have started its request (listPrefetch): wait a moment for the
// answer, so the page mounts with its rows instead of rendering them in a second pass.
router.beforeResolve(() => settlePrefetch())

router.afterEach((to) => {
  if (navigatingTo === to) navigatingTo = null
  document.title = to.meta.title ? `${to.meta.title} - ${APP_TITLE}` : APP_TITLE
})

/** A 401 from any call: forget the session and go to 登录, coming back here afterwards. */
onUnauthorized(() => {
  useUserStore().reset()
  goToLogin()
})

// The business list is the page most visits go to: once the first page is shown and the
// browser is idle, load its code, so opening it from the menu does not wait for it.
function whenIdle(task: () => void): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(task, { timeout: 3000 })
  else setTimeout(task, 200)
}

void router.isReady().then(
  () => {
    whenIdle(() => {
      if (useUserStore().can(Permission.BusinessList)) void loadBusinessList().catch(() => undefined)
    })
  },
  () => undefined,
)

export default router
