import type { RouteLocationNormalizedLoaded, Router } from 'vue-router'

/** Shows the 404 page in place, keeping the address the user opened. */
export function showNotFound(router: Router, route: RouteLocationNormalizedLoaded): void {
  void router.replace({
    name: 'NotFound',
    params: { pathMatch: route.path.replace(/^\//, '').split('/') },
    query: route.query,
    hash: route.hash,
  })
}
