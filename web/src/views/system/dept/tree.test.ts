import { describe, expect, it } from 'vitest'
import { buildDepartmentTree } from './tree'

describe('buildDepartmentTree', () => {
  it('nests by parent_id and keeps orphans as roots', () => {
    const tree = buildDepartmentTree([
      { id: 1, name: '巴州区市场监管局', parent_id: null, region_code: '511902', kind: 'bureau' },
      { id: 2, name: '东城市场监管所', parent_id: 1, region_code: '511902001', kind: 'station' },
      { id: 3, name: '孤立部门', parent_id: 99, region_code: '511902', kind: 'office' },
    ])
    expect(tree.map((node) => node.id)).toEqual([1, 3])
    expect(tree[0]?.children.map((node) => node.name)).toEqual(['东城市场监管所'])
  })
})
