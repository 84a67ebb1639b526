import { describe, expect, it } from 'vitest'
import { diffRecords } from './diff'

describe('diffRecords', () => {
  it('lists changed fields only, skipping bookkeeping', () => {
    expect(
      diffRecords(
        { name: '老火锅', risk_grade: 'B', version: 1, tags: ['学校'] },
        { name: '老火锅', risk_grade: 'C', version: 2, tags: ['学校', '重点'] },
      ),
    ).toEqual([
      { field: 'risk_grade', before: 'B', after: 'C' },
      { field: 'tags', before: '["学校"]', after: '["学校","重点"]' },
    ])
  })

  it('handles a creation (no before)', () => {
    expect(diffRecords(null, { name: 'x', lng: null })).toEqual([{ field: 'name', before: '—', after: 'x' }])
  })
})
