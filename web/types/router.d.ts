import 'vue-router'
import type { Component } from 'vue'
import type { PermissionCode } from '@/permissions'

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title, used by the menu, the breadcrumbs and document.title. */
    title?: string
    /** Menu icon (top-level entries). */
    icon?: Component
    /** The permission needed to open the page; missing → 无权限. */
    permission?: PermissionCode
    /** Not listed in the menu (detail and form pages). */
    hidden?: boolean
    /** The menu entry to highlight for a hidden page. */
    activeMenu?: string
    /** An extra breadcrumb between the section and this page. */
    parentCrumb?: { title: string; path: string }
    /** Reachable without a session. */
    public?: boolean
  }
}
