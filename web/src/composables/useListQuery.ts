// List-page state kept in the URL query (filters, sort, page), so a filtered list can be
// linked to (the dashboard does), reloaded and navigated with the back button.
import { reactive, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { ApiError } from '@/api/http'
import type { Page } from '@/api/businesses'
import { prefetchKey, takePrefetched } from './listPrefetch'

export interface ListParams {
  page: number
  page_size: number
  sort: string
}

export interface ListQueryOptions<F extends Record<string, string>, T> {
  /** Filter names and their empty values. */
  filters: F
  defaultSort?: string
  defaultPageSize?: number
  fetch: (params: F & ListParams, signal: AbortSignal) => Promise<Page<T>>
  /**
   * The name the route guard prefetched this list under (listPrefetch): the first request
   * with the same parameters takes that answer over instead of asking again.
   */
  prefetchName?: string
}

export interface ListQuery<F extends Record<string, string>, T> {
  /** The filter form being edited; applied on search(). */
  form: F
  /** The filters in force (from the URL). */
  applied: Ref<F>
  page: Ref<number>
  pageSize: Ref<number>
  sort: Ref<string>
  items: ShallowRef<T[]>
  total: Ref<number>
  /** false when the server capped the count: show "total+" */
  totalExact: Ref<boolean>
  loading: Ref<boolean>
  error: Ref<string>
  search: () => void
  reset: () => void
  setPage: (page: number) => void
  setPageSize: (size: number) => void
  setSort: (sort: string) => void
  reload: () => Promise<void>
}

function firstString(value: LocationQuery[string] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value
  return typeof single === 'string' ? single : ''
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b))
}

function positiveInt(value: string, fallback: number): number {
  const parsed = Number.parseInt(value, 10)
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback
}

/**
 * The filters, page, page size and sort an address asks for: what a list page built with
 * these options requests first (a route guard uses it to prefetch the list).
 */
export function listParamsFromQuery<F extends Record<string, string>>(
  query: LocationQuery,
  options: { filters: F; defaultSort?: string; defaultPageSize?: number },
): F & ListParams {
  const params: Record<string, string> = {}
  for (const key of Object.keys(options.filters)) params[key] = firstString(query[key])
  return {
    ...(params as F),
    page: positiveInt(firstString(query.page), 1),
    page_size: positiveInt(firstString(query.page_size), options.defaultPageSize ?? 20),
    sort: firstString(query.sort) || (options.defaultSort ?? ''),
  }
}

export function useListQuery<F extends Record<string, string>, T>(
  options: ListQueryOptions<F, T>,
): ListQuery<F, T> {
  const route = useRoute()
  const router = useRouter()
  const routeName = route.name
  const defaultSort = options.defaultSort ?? ''
  const defaultPageSize = options.defaultPageSize ?? 20
  const keys = Object.keys(options.filters) as (keyof F & string)[]

  const form = reactive({ ...options.filters }) as F
  const applied = ref({ ...options.filters }) as Ref<F>
  const page = ref(1)
  const pageSize = ref(defaultPageSize)
  const sort = ref(defaultSort)
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const totalExact = ref(true)
  const loading = ref(false)
  const error = ref('')
  let controller: AbortController | null = null

  function readQuery(query: LocationQuery): void {
    const params = listParamsFromQuery(query, { filters: options.filters, defaultSort, defaultPageSize })
    const next = { ...options.filters }
    for (const key of keys) next[key] = params[key]
    applied.value = next
    Object.assign(form, next)
    page.value = params.page
    pageSize.value = params.page_size
    sort.value = params.sort
  }

  function writeQuery(filters: F, nextPage: number, nextSize: number, nextSort: string): void {
    const query: Record<string, string> = {}
    for (const key of keys) {
      const value = (filters[key] ?? '').trim()
      if (value) query[key] = value
    }
    if (nextPage > 1) query.page = String(nextPage)
    if (nextSize !== defaultPageSize) query.page_size = String(nextSize)
    if (nextSort && nextSort !== defaultSort) query.sort = nextSort
    const current = Object.fromEntries(
      Object.entries(route.query).map(([key, value]) => [key, firstString(value)]),
    )
    if (JSON.stringify(sortedEntries(current)) === JSON.stringify(sortedEntries(query))) {
      void reload()
      return
    }
    void router.replace({ query })
  }

  function show(result: Page<T>): void {
    items.value = result.items
    total.value = result.total
    totalExact.value = result.total_exact !== false
  }

  // Everything before the first await runs synchronously: a prefetched answer that has
  // already arrived is shown before the page's first render.
  async function reload(): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    const params = { ...applied.value, page: page.value, page_size: pageSize.value, sort: sort.value }
    const prefetched = options.prefetchName
      ? takePrefetched<Page<T>>(prefetchKey(options.prefetchName, params))
      : null
    if (prefetched?.settled) {
      show(prefetched.value)
      error.value = ''
      loading.value = false
      return
    }
    loading.value = true
    error.value = ''
    try {
      const result = await (prefetched?.promise ?? options.fetch(params, current.signal))
      if (current.signal.aborted) return
      show(result)
    } catch (cause) {
      if (current.signal.aborted) return
      items.value = []
      total.value = 0
      error.value = cause instanceof ApiError ? cause.message : '加载失败'
    } finally {
      if (controller === current) loading.value = false
    }
  }

  watch(
    () => route.query,
    (query) => {
      if (route.name !== routeName) return
      readQuery(query)
      void reload()
    },
    { immediate: true },
  )

  return {
    form,
    applied,
    page,
    pageSize,
    sort,
    items,
    total,
    totalExact,
    loading,
    error,
    search: () => writeQuery(form, 1, pageSize.value, sort.value),
    reset: () => writeQuery({ ...options.filters }, 1, pageSize.value, defaultSort),
    setPage: (next) => writeQuery(applied.value, next, pageSize.value, sort.value),
    setPageSize: (size) => writeQuery(applied.value, 1, size, sort.value),
    setSort: (next) => writeQuery(applied.value, 1, pageSize.value, next),
    reload,
  }
}
