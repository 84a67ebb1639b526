import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import type { PermissionCode } from '@/permissions'

export interface MenuItem {
  path: string
  title: string
  icon?: Component
  children: MenuItem[]
}

function joinPath(base: string, path: string): string {
  if (path.startsWith('/')) return path
  return `${base.replace(/\/$/, '')}/${path}`
}

/**
 * The menu for a user: pages they may not open are left out, and so is a section whose
 * pages are all left out.
 */
export function buildMenu(
  routes: RouteRecordRaw[],
  can: (permission: PermissionCode | undefined) => boolean,
  base = '/',
): MenuItem[] {
  const items: MenuItem[] = []
  for (const route of routes) {
    const meta = route.meta
    if (!meta?.title || meta.hidden) continue
    const path = joinPath(base, route.path)
    if (route.children?.length) {
      const children = buildMenu(route.children, can, path)
      if (children.length) items.push({ path, title: meta.title, icon: meta.icon, children })
    } else if (can(meta.permission)) {
      items.push({ path, title: meta.title, icon: meta.icon, children: [] })
    }
  }
  return items
}

/** The first page a user may open, for the landing redirect. */
export function firstMenuPath(menu: MenuItem[]): string | null {
  for (const item of menu) {
    if (!item.children.length) return item.path
    const child = firstMenuPath(item.children)
    if (child) return child
  }
  return null
}
