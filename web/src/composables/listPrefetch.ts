// A list page's first request, started by the route's guard before the page's code has loaded
// (and on a reload, before /auth/me has answered). The router then waits a moment for the
// answer (settlePrefetch), so the page usually mounts with its rows in one pass instead of
// mounting empty and rendering the rows in a second pass. useListQuery takes the answer over
// when the page asks for the same list with the same parameters.

/** How long a navigation waits for the prefetched answer before showing the page without it. */
export const PREFETCH_WAIT_MS = 150
/** An answer older than this (a navigation that was given up) is not used. */
const MAX_AGE_MS = 10_000

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

interface Entry {
  key: string
  started: number
  promise: Promise<unknown>
  outcome: Outcome<unknown> | null
}

let entry: Entry | null = null

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now()
}

/** The key of one list request: the list's name and its parameters in a stable order. */
export function prefetchKey(name: string, params: object): string {
  const entries = Object.entries(params as Record<string, string | number>)
    .map(([key, value]) => [key, String(value)])
    .sort(([a = ''], [b = '']) => a.localeCompare(b))
  return `${name}?${JSON.stringify(entries)}`
}

/** Starts a list request now; the page takes it over with takePrefetched(key). */
export function prefetch<T>(key: string, fetch: () => Promise<T>): void {
  if (entry?.key === key && entry.outcome === null) return
  let started: Promise<T>
  try {
    started = fetch()
  } catch (error) {
    started = Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }
  const current: Entry = { key, started: now(), promise: started, outcome: null }
  started.then(
    (value) => {
      current.outcome = { ok: true, value }
    },
    (error: unknown) => {
      current.outcome = { ok: false, error }
    },
  )
  entry = current
}

export type Prefetched<T> = { settled: true; value: T } | { settled: false; promise: Promise<T> }

/**
 * The prefetched request for `key`, once: its answer if it has arrived (so the caller can show
 * it synchronously), else its promise. null when there is none, it is for other parameters, it
 * is stale, or it failed (the caller asks again and reports the error itself).
 */
export function takePrefetched<T>(key: string): Prefetched<T> | null {
  const current = entry
  if (!current || current.key !== key) return null
  entry = null
  if (now() - current.started > MAX_AGE_MS) return null
  if (current.outcome === null) return { settled: false, promise: current.promise as Promise<T> }
  return current.outcome.ok ? { settled: true, value: current.outcome.value as T } : null
}

/** Resolves when the pending prefetch has an answer, or after `maxWait` ms; never rejects. */
export function settlePrefetch(maxWait = PREFETCH_WAIT_MS): Promise<void> {
  const current = entry
  if (!current || current.outcome !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxWait)
    const done = (): void => {
      clearTimeout(timer)
      // The answer's own .then (which records the outcome) ran first: it was attached first.
      resolve()
    }
    current.promise.then(done, done)
  })
}

/** Forgets the prefetched request: a new navigation starts, an earlier one's is not wanted. */
export function clearPrefetch(): void {
  entry = null
}
