// What changed between an audit entry's before and after objects.
export interface FieldChange {
  field: string
  before: string
  after: string
}

const IGNORED = new Set(['version', 'updated_at', 'created_at'])

export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

export function diffRecords(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  const changes: FieldChange[] = []
  for (const field of keys) {
    if (IGNORED.has(field)) continue
    const old = before?.[field]
    const next = after?.[field]
    if (JSON.stringify(old ?? null) === JSON.stringify(next ?? null)) continue
    changes.push({ field, before: displayValue(old), after: displayValue(next) })
  }
  return changes
}
