import type { RouteRecordRaw } from 'vue-router'
import { DataAnalysis, OfficeBuilding, Setting } from '@element-plus/icons-vue'
import { Permission } from '@/permissions'
import { prefetchBusinessList } from '@/views/registry/business/list'

const businessList = { title: '主体列表', path: '/registry/business' }

/** The business list's code: the route loads it, and the router preloads it when idle. */
export const loadBusinessList = () => import('@/views/registry/business/index.vue')

/** The pages inside the layout; the menu is built from this tree. */
export const layoutRoutes: RouteRecordRaw[] = [
  {
    path: 'dashboard',
    name: 'Dashboard',
    component: () => import('@/views/dashboard/index.vue'),
    meta: { title: '首页数据看板', icon: DataAnalysis, permission: Permission.StatsView },
  },
  {
    path: 'registry',
    meta: { title: '主体档案', icon: OfficeBuilding },
    children: [
      {
        path: 'business',
        name: 'BusinessList',
        component: loadBusinessList,
        // The list request starts here, in parallel with loading the page's code.
        beforeEnter: prefetchBusinessList,
        meta: { title: '主体列表', permission: Permission.BusinessList },
      },
      {
        path: 'business/create',
        name: 'BusinessCreate',
        component: () => import('@/views/registry/business/form.vue'),
        meta: {
          title: '新增主体',
          permission: Permission.BusinessCreate,
          hidden: true,
          activeMenu: businessList.path,
          parentCrumb: businessList,
        },
      },
      {
        path: 'business/:id(\\d+)',
        name: 'BusinessDetail',
        component: () => import('@/views/registry/business/detail.vue'),
        meta: {
          title: '主体详情',
          permission: Permission.BusinessView,
          hidden: true,
          activeMenu: businessList.path,
          parentCrumb: businessList,
        },
      },
      {
        path: 'business/:id(\\d+)/edit',
        name: 'BusinessEdit',
        component: () => import('@/views/registry/business/form.vue'),
        meta: {
          title: '编辑主体',
          permission: Permission.BusinessEdit,
          hidden: true,
          activeMenu: businessList.path,
          parentCrumb: businessList,
        },
      },
      {
        path: 'import',
        name: 'BusinessImport',
        component: () => import('@/views/registry/import/index.vue'),
        meta: { title: '批量导入', permission: Permission.BusinessImport },
      },
    ],
  },
  {
    path: 'system',
    meta: { title: '系统管理', icon: Setting },
    children: [
      {
        path: 'user',
        name: 'SystemUser',
        component: () => import('@/views/system/user/index.vue'),
        meta: { title: '用户管理', permission: Permission.UserManage },
      },
      {
        path: 'dept',
        name: 'SystemDept',
        component: () => import('@/views/system/dept/index.vue'),
        meta: { title: '部门/监管所', permission: Permission.DeptManage },
      },
      {
        path: 'role',
        name: 'SystemRole',
        component: () => import('@/views/system/role/index.vue'),
        meta: { title: '角色与权限', permission: Permission.RoleManage },
      },
      {
        path: 'dict',
        name: 'SystemDict',
        component: () => import('@/views/system/dict/index.vue'),
        meta: { title: '业态字典', permission: Permission.DictManage },
      },
      {
        path: 'region',
        name: 'SystemRegion',
        component: () => import('@/views/system/region/index.vue'),
        meta: { title: '区划管理', permission: Permission.RegionManage },
      },
      {
        path: 'audit',
        name: 'SystemAudit',
        component: () => import('@/views/system/audit/index.vue'),
        meta: { title: '操作日志', permission: Permission.AuditView },
      },
    ],
  },
  {
    path: '403',
    name: 'Forbidden',
    component: () => import('@/views/error/403.vue'),
    meta: { title: '无权限', hidden: true },
  },
  {
    path: ':pathMatch(.*)*',
    name: 'NotFound',
    component: () => import('@/views/error/404.vue'),
    meta: { title: '页面不存在', hidden: true },
  },
]

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'Login',
    component: () => import('@/views/login/index.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/',
    component: () => import('@/layout/index.vue'),
    children: [
      {
        path: '',
        name: 'Home',
        component: () => import('@/views/error/404.vue'),
        meta: { hidden: true },
      },
      ...layoutRoutes,
    ],
  },
]
