// Local calendar days → the instants the API filters by.
//
// The server (core/clock.cpp ParseIsoUtc) reads `YYYY-MM-DD` as a UTC day and
// `YYYY-MM-DDTHH:MM:SSZ` as a UTC instant; the audit log keeps entries with
// `from <= at < to`. A user picks days in their own time zone (UTC+8 in China), so the page
// sends the instants where those local days begin and end instead of the bare dates.

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** A local `YYYY-MM-DD` as a Date at that day's local midnight; null when it is not a real date. */
export function parseLocalDate(text: string): Date | null {
  const match = DATE_PATTERN.exec(text)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(year, month - 1, day)
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null
  return date
}

/** An instant as the API writes it: `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds). */
export function toApiInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface InstantRange {
  /** Start of the first local day (inclusive); '' when open. */
  from: string
  /** Start of the local day after the last one (exclusive); '' when open. */
  to: string
}

/**
 * The instants bounding the local days `from` … `to` (both `YYYY-MM-DD`, both included).
 * An empty side stays open (''); a value that is not a local date is passed on unchanged, so
 * the server's validation message reaches the user.
 */
export function localDaysToInstants(from: string, to: string): InstantRange {
  const first = from ? parseLocalDate(from) : null
  const last = to ? parseLocalDate(to) : null
  const dayAfterLast = last ? new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1) : null
  return {
    from: first ? toApiInstant(first) : from,
    to: dayAfterLast ? toApiInstant(dayAfterLast) : to,
  }
}
