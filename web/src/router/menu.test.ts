import { describe, expect, it } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'
import { Permission, type PermissionCode } from '@/permissions'
import { buildMenu, firstMenuPath } from './menu'

const Page = { render: () => null }

const routes: RouteRecordRaw[] = [
  { path: 'dashboard', component: Page, meta: { title: '首页数据看板', permission: Permission.StatsView } },
  {
    path: 'registry',
    meta: { title: '主体档案' },
    children: [
      { path: 'business', component: Page, meta: { title: '主体列表', permission: Permission.BusinessList } },
      { path: 'business/:id', component: Page, meta: { title: '主体详情', permission: Permission.BusinessView, hidden: true } },
      { path: 'import', component: Page, meta: { title: '批量导入', permission: Permission.BusinessImport } },
    ],
  },
  {
    path: 'system',
    meta: { title: '系统管理' },
    children: [{ path: 'user', component: Page, meta: { title: '用户管理', permission: Permission.UserManage } }],
  },
  { path: '403', component: Page, meta: { title: '无权限', hidden: true } },
]

function canOnly(...granted: PermissionCode[]) {
  const set = new Set<string>(granted)
  return (permission: PermissionCode | undefined) => permission === undefined || set.has(permission)
}

describe('buildMenu', () => {
  it('leaves out pages the user may not open and empty sections', () => {
    const menu = buildMenu(routes, canOnly(Permission.BusinessList, Permission.BusinessView))
    expect(menu).toEqual([
      { path: '/registry', title: '主体档案', icon: undefined, children: [{ path: '/registry/business', title: '主体列表', icon: undefined, children: [] }] },
    ])
  })

  it('shows everything granted, never hidden pages', () => {
    const all = Object.values(Permission)
    const titles = JSON.stringify(buildMenu(routes, canOnly(...all)))
    expect(titles).toContain('用户管理')
    expect(titles).toContain('批量导入')
    expect(titles).not.toContain('主体详情')
    expect(titles).not.toContain('无权限')
  })
})

describe('firstMenuPath', () => {
  it('finds the first page, or null for a user with none', () => {
    expect(firstMenuPath(buildMenu(routes, canOnly(Permission.StatsView)))).toBe('/dashboard')
    expect(firstMenuPath(buildMenu(routes, canOnly(Permission.BusinessImport)))).toBe('/registry/import')
    expect(firstMenuPath(buildMenu(routes, canOnly()))).toBeNull()
  })
})
