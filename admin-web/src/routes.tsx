/**
 * The route table of the signed-in app: every page declares its path, its
 * Chinese name (menu + document title), its icon and the access flag it
 * needs (./access.ts). The side menu (./menu.ts) and the router
 * (./router.tsx) are both built from this table, so a page the user may not
 * open is neither in the menu nor reachable (it shows 403).
 *
 * Only real pages belong here; add a page's entry together with its
 * `pages/<name>/index.tsx`. Planned sections and the flags they will use:
 *
 *   组织与学生   /organisation 组织架构 (canViewOrg)
 *                /students 学生与家长 (canViewStudents; import: canManageStudents)
 *   收费管理     /fee-items 收费项目, /bill-batches 账单批次, /bills 账单查询
 *                (canViewBilling; edit/publish: canManageBilling)
 *                /counter 柜台收费 (canTakeCounterPayments)
 *                /refunds 退款管理 (canViewBilling; request: canRefund; approve: canApprove)
 *   对账与报表   /reconciliations 对账管理 (canViewBilling; run: canReconcile)
 *                /reports 收费报表 (canViewReports)
 *   经营洞察     /insights 洞察概览, /insights/leads 商机线索 (canViewInsights)
 *                /insight-rules 洞察规则 (canManageInsightRules)
 *   系统管理     /users 员工账号 (canManageUsers), /audit-logs 操作日志 (canViewAuditLog)
 *
 * Sections are `RouteGroup`s with `children`; ProLayout shows a section only
 * when one of its pages is allowed.
 */
import { DashboardOutlined } from '@ant-design/icons';
import type { AppRoute } from './route-types.ts';

export const appRoutes: readonly AppRoute[] = [
  {
    path: '/',
    name: '工作台',
    icon: <DashboardOutlined />,
    access: 'isSignedIn',
    page: () => import('./pages/dashboard/index.tsx'),
  },
];
