import { describe, expect, it } from 'vitest'
import { listParamsFromQuery } from './useListQuery'

const options = { filters: { q: '', region: '' }, defaultSort: '-updated_at' }

describe('listParamsFromQuery', () => {
  it('fills in the defaults', () => {
    expect(listParamsFromQuery({}, options)).toEqual({ q: '', region: '', page: 1, page_size: 20, sort: '-updated_at' })
  })

  it('reads filters, page, size and sort, the first of repeated values, and ignores the rest', () => {
    expect(
      listParamsFromQuery(
        { q: ['火锅', 'x'], region: '511902001', page: '3', page_size: '50', sort: 'name', other: 'y' },
        options,
      ),
    ).toEqual({ q: '火锅', region: '511902001', page: 3, page_size: 50, sort: 'name' })
  })

  it('falls back on a page or size that is not a positive number', () => {
    const params = listParamsFromQuery({ page: '-1', page_size: 'abc' }, { ...options, defaultPageSize: 10 })
    expect(params.page).toBe(1)
    expect(params.page_size).toBe(10)
  })
})
