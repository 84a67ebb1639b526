import { createRouter, createWebHistory } from 'vue-router'
import { onUnauthorized } from '@/api/http'
import { Permission } from '@/permissions'
import { useUserStore } from '@/stores/user'
import { buildMenu, firstMenuPath } from './menu'
import { layoutRoutes, routes } from './routes'

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

router.beforeEach(async (to) => {
  const store = useUserStore()
  if (to.meta.public) {
    if (to.name === 'Login' && store.token && store.user) return safeRedirect(to.query.redirect)
    return true
  }
  if (!store.token) return { name: 'Login', query: { redirect: to.fullPath } }
  if (!store.user) {
    try {
      await store.loadCurrentUser()
    } catch {
      store.reset()
      return { name: 'Login', query: { redirect: to.fullPath } }
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

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${APP_TITLE}` : APP_TITLE
})

/** A 401 from any call: forget the session and go to 登录, coming back here afterwards. */
onUnauthorized(() => {
  const store = useUserStore()
  store.reset()
  const current = router.currentRoute.value
  if (current.name === 'Login') return
  void router.replace({ name: 'Login', query: { redirect: current.fullPath } })
})

export default router
