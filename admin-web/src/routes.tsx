/**
 * The route table of the signed-in app: every page declares its path, its
 * Chinese name (menu + document title), its icon and the access flag it
 * needs (./access.ts). The side menu (./menu.ts) and the router
 * (./router.tsx) are both built from this table, so a page the user may not
 * open is neither in the menu nor reachable (it shows 403).
 *
 * Only real pages belong here; add a page's entry together with its
 * `pages/<name>/index.tsx`. Built so far: 组织与学生 (/org, /students,
 * /students/import), 收费管理 (/fee-items, /bill-batches/new,
 * /bills/import, /bills, /reminders, /counter, /refunds, /exceptions), 报表 (/reports, /reconciliations), 经营洞察 (/insights,
 * /insights/leads: canViewInsights; /insights/data: canImportInsightData;
 * /insight-rules, /insights/promotions: canManageInsightRules; /staff-list
 * under 组织与学生: canShareStaffList)
 * and 系统管理 (/users, /audit-logs). Inside a page, buttons follow finer
 * flags: fee items and publishing need canManageBilling, refunds canRefund,
 * approvals (refunds, large concessions, payee accounts, concession rules)
 * canApprove, sending 催缴 canSendReminders, exception handling canResolveExceptions, reconciliation runs
 * and their differences canReconcile, Excel exports canExportReports.
 *
 * Sections are `RouteGroup`s with `children`; ProLayout shows a section only
 * when one of its pages is allowed.
 */
import {
  AccountBookOutlined,
  AimOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  ExceptionOutlined,
  FileDoneOutlined,
  FileExcelOutlined,
  FileTextOutlined,
  FundOutlined,
  FunnelPlotOutlined,
  GiftOutlined,
  NotificationOutlined,
  PayCircleOutlined,
  RollbackOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  SolutionOutlined,
  ShopOutlined,
  TagsOutlined,
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
      {
        path: '/staff-list',
        name: '教职工名单共享',
        icon: <SolutionOutlined />,
        access: 'canShareStaffList',
        page: () => import('./pages/staff-list-share/index.tsx'),
      },
    ],
  },
  {
    path: '/billing',
    name: '收费管理',
    icon: <AccountBookOutlined />,
    children: [
      {
        path: '/fee-items',
        name: '收费项目',
        icon: <TagsOutlined />,
        access: 'canViewBilling',
        page: () => import('./pages/fee-items/index.tsx'),
      },
      {
        path: '/bill-batches/new',
        name: '账单发布',
        icon: <SendOutlined />,
        access: 'canManageBilling',
        page: () => import('./pages/bill-batch-new/index.tsx'),
      },
      {
        path: '/bills/import',
        name: '账单导入',
        icon: <FileExcelOutlined />,
        access: 'canManageBilling',
        page: () => import('./pages/bills-import/index.tsx'),
      },
      {
        path: '/bills',
        name: '账单',
        icon: <FileTextOutlined />,
        access: 'canViewBilling',
        page: () => import('./pages/bills/index.tsx'),
      },
      {
        path: '/reminders',
        name: '催缴通知',
        icon: <NotificationOutlined />,
        access: 'canViewBilling',
        page: () => import('./pages/reminders/index.tsx'),
      },
      {
        path: '/counter',
        name: '柜台收费',
        icon: <ShopOutlined />,
        access: 'canTakeCounterPayments',
        page: () => import('./pages/counter/index.tsx'),
      },
      {
        path: '/refunds',
        name: '退款审批',
        icon: <RollbackOutlined />,
        access: 'canViewBilling',
        page: () => import('./pages/refunds/index.tsx'),
      },
      {
        path: '/exceptions',
        name: '异常队列',
        icon: <ExceptionOutlined />,
        access: 'canViewBilling',
        page: () => import('./pages/exceptions/index.tsx'),
      },
    ],
  },
  {
    path: '/finance',
    name: '报表',
    icon: <BarChartOutlined />,
    children: [
      {
        path: '/reports',
        name: '收费报表',
        icon: <PayCircleOutlined />,
        access: 'canViewReports',
        page: () => import('./pages/reports/index.tsx'),
      },
      {
        path: '/reconciliations',
        name: '对账管理',
        icon: <FileDoneOutlined />,
        access: 'canViewBilling',
        page: () => import('./pages/reconciliations/index.tsx'),
      },
    ],
  },
  {
    path: '/bank-insights',
    name: '经营洞察',
    icon: <FundOutlined />,
    children: [
      {
        path: '/insights',
        name: '洞察概览',
        icon: <AimOutlined />,
        access: 'canViewInsights',
        page: () => import('./pages/insights/index.tsx'),
      },
      {
        path: '/insights/leads',
        name: '商机线索',
        icon: <FunnelPlotOutlined />,
        access: 'canViewInsights',
        page: () => import('./pages/insight-leads/index.tsx'),
      },
      {
        path: '/insights/data',
        name: '数据导入',
        icon: <DatabaseOutlined />,
        access: 'canImportInsightData',
        page: () => import('./pages/insight-data/index.tsx'),
      },
      {
        path: '/insight-rules',
        name: '洞察规则',
        icon: <SettingOutlined />,
        access: 'canManageInsightRules',
        page: () => import('./pages/insight-rules/index.tsx'),
      },
      {
        path: '/insights/promotions',
        name: '小程序推广位',
        icon: <GiftOutlined />,
        access: 'canManageInsightRules',
        page: () => import('./pages/insight-promotions/index.tsx'),
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
