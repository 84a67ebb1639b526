// What the business list (主体列表) asks the server for, shared by the page and its route guard:
// the guard starts the first request while the page's code loads (see listPrefetch), the page
// takes the answer over. Kept small and free of components: the router's chunk imports it.
import type { RouteLocationNormalized } from 'vue-router'
import { listBusinesses, type Business, type BusinessSort, type Page } from '@/api/businesses'
import { prefetch, prefetchKey } from '@/composables/listPrefetch'
import { listParamsFromQuery, type ListParams } from '@/composables/useListQuery'

export const BUSINESS_LIST = 'businesses'

export const BUSINESS_FILTERS = { q: '', kind: '', region: '', risk_grade: '', status: '', tag: '' }
export type BusinessFilters = typeof BUSINESS_FILTERS

export const BUSINESS_DEFAULT_SORT = '-updated_at'

export function fetchBusinessPage(params: BusinessFilters & ListParams, signal?: AbortSignal): Promise<Page<Business>> {
  return listBusinesses({ ...params, sort: (params.sort || undefined) as BusinessSort | undefined }, signal)
}

/** Route guard (beforeEnter) of the list: sends its first request at once. */
export function prefetchBusinessList(to: RouteLocationNormalized): void {
  const params = listParamsFromQuery(to.query, { filters: BUSINESS_FILTERS, defaultSort: BUSINESS_DEFAULT_SORT })
  prefetch(prefetchKey(BUSINESS_LIST, params), () => fetchBusinessPage(params))
}
