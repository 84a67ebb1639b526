import { describe, expect, it } from 'vitest'
import { localDaysToInstants, parseLocalDate, toApiInstant } from './dateRange'

// Expectations are built with the local Date constructor, so the tests hold in any time zone
// the machine runs in (run with TZ=Asia/Shanghai to see the UTC+8 case literally).

describe('parseLocalDate', () => {
  it('gives local midnight of the day', () => {
    expect(parseLocalDate('2026-11-25')?.getTime()).toBe(new Date(2026, 10, 25).getTime())
  })

  it.each(['', '2026-11-25T00:00:00Z', '2026/11/25', '2026-13-01', '2026-02-30', '26-11-25'])(
    'rejects %j',
    (text) => {
      expect(parseLocalDate(text)).toBeNull()
    },
  )
})

describe('toApiInstant', () => {
  it('writes UTC with whole seconds, as core/clock.cpp ParseIsoUtc reads it', () => {
    expect(toApiInstant(new Date(Date.UTC(2026, 10, 24, 16, 0, 0, 0)))).toBe('2026-11-24T16:00:00Z')
    expect(toApiInstant(new Date(Date.UTC(2026, 10, 24, 16, 0, 0, 999)))).toBe('2026-11-24T16:00:00Z')
  })
})

describe('localDaysToInstants', () => {
  it('runs from the local start of the first day to the local start of the day after the last', () => {
    const range = localDaysToInstants('2026-11-25', '2026-11-26')
    expect(Date.parse(range.from)).toBe(new Date(2026, 10, 25).getTime())
    expect(Date.parse(range.to)).toBe(new Date(2026, 10, 27).getTime())
    expect(range.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(range.to).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  it('covers exactly one local day when both ends are the same day', () => {
    const range = localDaysToInstants('2026-11-25', '2026-11-25')
    expect(Date.parse(range.from)).toBe(new Date(2026, 10, 25, 0, 0, 0).getTime())
    expect(Date.parse(range.to)).toBe(new Date(2026, 10, 26, 0, 0, 0).getTime())
    // The last moment of the day is inside, the first moment of the next one is not.
    expect(new Date(2026, 10, 25, 23, 59, 59, 999).getTime()).toBeLessThan(Date.parse(range.to))
  })

  it('crosses month and year ends', () => {
    const range = localDaysToInstants('2026-12-31', '2026-12-31')
    expect(Date.parse(range.to)).toBe(new Date(2027, 0, 1).getTime())
    expect(Date.parse(localDaysToInstants('', '2028-02-28').to)).toBe(new Date(2028, 1, 29).getTime())
  })

  it('follows the local clock on days with a daylight-saving change', () => {
    // 2026-03-08 in the USA and 2026-10-25 in Europe; a plain day elsewhere.
    for (const [day, next] of [
      [new Date(2026, 2, 8), new Date(2026, 2, 9)],
      [new Date(2026, 9, 25), new Date(2026, 9, 26)],
    ] as const) {
      const text = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`
      const range = localDaysToInstants(text, text)
      expect(Date.parse(range.from)).toBe(day.getTime())
      expect(Date.parse(range.to)).toBe(next.getTime())
    }
  })

  it('leaves an empty side open', () => {
    expect(localDaysToInstants('', '')).toEqual({ from: '', to: '' })
    const onlyFrom = localDaysToInstants('2026-11-25', '')
    expect(Date.parse(onlyFrom.from)).toBe(new Date(2026, 10, 25).getTime())
    expect(onlyFrom.to).toBe('')
    const onlyTo = localDaysToInstants('', '2026-11-25')
    expect(onlyTo.from).toBe('')
    expect(Date.parse(onlyTo.to)).toBe(new Date(2026, 10, 26).getTime())
  })

  it('passes anything else on for the server to judge', () => {
    expect(localDaysToInstants('2026-11-25T08:00:00Z', 'nonsense')).toEqual({
      from: '2026-11-25T08:00:00Z',
      to: 'nonsense',
    })
  })
})
