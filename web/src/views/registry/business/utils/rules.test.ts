import { describe, expect, it } from 'vitest'
import { fieldToProp, tagsError } from './rules'

describe('fieldToProp', () => {
  it('maps indexed server fields to form props', () => {
    expect(fieldToProp('people[1].id_number')).toBe('people.1.id_number')
    expect(fieldToProp('uscc')).toBe('uscc')
  })
})

describe('tagsError', () => {
  it('accepts distinct short tags', () => {
    expect(tagsError(['学校食堂', '三小'])).toBeNull()
  })

  it('rejects duplicates, the | separator and long tags', () => {
    expect(tagsError(['三小', '三小'])).toBe('标签重复：三小')
    expect(tagsError(['a|b'])).toBe('标签不能包含 | 字符')
    expect(tagsError(['一二三四五六七八九十一二三四五六七八九十一'])).toContain('20个字')
  })
})
