import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearPrefetch, prefetch, prefetchKey, settlePrefetch, takePrefetched } from './listPrefetch'

afterEach(() => {
  clearPrefetch()
  vi.useRealTimers()
})

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('prefetchKey', () => {
  it('does not depend on the order of the parameters', () => {
    expect(prefetchKey('businesses', { q: 'a', page: 1, sort: '-updated_at' })).toBe(
      prefetchKey('businesses', { sort: '-updated_at', page: 1, q: 'a' }),
    )
  })

  it('tells lists and parameters apart', () => {
    expect(prefetchKey('businesses', { page: 1 })).not.toBe(prefetchKey('users', { page: 1 }))
    expect(prefetchKey('businesses', { page: 1 })).not.toBe(prefetchKey('businesses', { page: 2 }))
  })
})

describe('prefetch and takePrefetched', () => {
  it('hands over an answer that has arrived, once', async () => {
    const fetch = vi.fn(() => Promise.resolve({ items: [1], total: 1 }))
    prefetch('k', fetch)
    await settlePrefetch()
    expect(takePrefetched('k')).toEqual({ settled: true, value: { items: [1], total: 1 } })
    expect(takePrefetched('k')).toBeNull()
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('hands over the pending request before its answer', async () => {
    const answer = deferred<string>()
    prefetch('k', () => answer.promise)
    const taken = takePrefetched<string>('k')
    expect(taken?.settled).toBe(false)
    answer.resolve('rows')
    if (taken && !taken.settled) await expect(taken.promise).resolves.toBe('rows')
  })

  it('ignores a request for other parameters, and one that failed', async () => {
    prefetch('k', () => Promise.resolve('rows'))
    expect(takePrefetched('other')).toBeNull()
    prefetch('k2', () => Promise.reject(new Error('500')))
    await settlePrefetch()
    expect(takePrefetched('k2')).toBeNull()
  })

  it('forgets a request when a new navigation starts', () => {
    prefetch('k', () => new Promise<string>(() => undefined))
    clearPrefetch()
    expect(takePrefetched('k')).toBeNull()
  })

  it('does not send the same pending request twice', () => {
    const fetch = vi.fn(() => new Promise<string>(() => undefined))
    prefetch('k', fetch)
    prefetch('k', fetch)
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

describe('settlePrefetch', () => {
  it('returns at once without a pending request', async () => {
    await expect(settlePrefetch(10)).resolves.toBeUndefined()
  })

  it('gives up after the wait', async () => {
    vi.useFakeTimers()
    prefetch('k', () => new Promise<string>(() => undefined))
    const settled = settlePrefetch(150)
    vi.advanceTimersByTime(150)
    await expect(settled).resolves.toBeUndefined()
    expect(takePrefetched('k')?.settled).toBe(false)
  })
})
