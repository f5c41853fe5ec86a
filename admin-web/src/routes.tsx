/**
 * The route table of the signed-in app: every page declares its path, its
 * Chinese name (menu + document title), its icon and the access flag it
 * needs (./access.ts). The side menu (./menu.ts) and the router
 * (./router.tsx) are both built from this table, so a page the user may not
 * open is neither in the menu nor reachable (it shows 403).
 *
 * Only real pages belong here; add a page's entry together with its
 * `pages/<name>/index.tsx`. Built so far: 组织与学生 (/org, /students,
 * /students/import) and 系统管理 (/users, /audit-logs). Still planned, with
 * the flags they will use:
 *
 *   收费管理     /fee-items 收费项目, /bill-batches 账单批次, /bills 账单查询
 *                (canViewBilling; edit/publish: canManageBilling)
 *                /counter 柜台收费 (canTakeCounterPayments)
 *                /refunds 退款管理 (canViewBilling; request: canRefund; approve: canApprove)
 *   对账与报表   /reconciliations 对账管理 (canViewBilling; run: canReconcile)
 *                /reports 收费报表 (canViewReports)
 *   经营洞察     /insights 洞察概览, /insights/leads 商机线索 (canViewInsights)
 *                /insight-rules 洞察规则 (canManageInsightRules)
 *
 * Sections are `RouteGroup`s with `children`; ProLayout shows a section only
 * when one of its pages is allowed.
 */
import {
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import type { AppRoute } from './route-types.ts';

export const appRoutes: readonly AppRoute[] = [
  {
    path: '/',
    name: '工作台',
    icon: <DashboardOutlined />,
    access: 'isSignedIn',
    page: () => import('./pages/dashboard/index.tsx'),
  },
  {
    path: '/people',
    name: '组织与学生',
    icon: <TeamOutlined />,
    children: [
      {
        path: '/org',
        name: '组织架构',
        icon: <ApartmentOutlined />,
        access: 'canViewOrg',
        page: () => import('./pages/org/index.tsx'),
      },
      {
        path: '/students',
        name: '学生名册',
        icon: <UserOutlined />,
        access: 'canViewStudents',
        page: () => import('./pages/students/index.tsx'),
      },
      {
        path: '/students/import',
        name: '名册导入',
        icon: <CloudUploadOutlined />,
        access: 'canManageStudents',
        page: () => import('./pages/students-import/index.tsx'),
      },
    ],
  },
  {
    path: '/system',
    name: '系统管理',
    icon: <SafetyCertificateOutlined />,
    children: [
      {
        path: '/users',
        name: '用户与权限',
        icon: <UsergroupAddOutlined />,
        access: 'canManageUsers',
        page: () => import('./pages/users/index.tsx'),
      },
      {
        path: '/audit-logs',
        name: '审计日志',
        icon: <AuditOutlined />,
        access: 'canViewAuditLog',
        page: () => import('./pages/audit-logs/index.tsx'),
      },
    ],
  },
];
