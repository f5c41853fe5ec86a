/**
 * What the current staff user may see and do: a pure function from the user
 * to flags. Routes declare one of these keys; pages hide buttons with them.
 * The server enforces the same rules and limits every answer to the user's
 * scope (a node of the organisation tree); these flags only shape the UI.
 *
 * Roles:
 * - platform_admin: runs the platform — organisation tree, staff accounts,
 *   insight rules — and may read everything; does not touch school money.
 * - branch_manager (bank): insights for the schools of the branch; nothing
 *   that edits or reveals individual school records.
 * - group_admin: everything school-side, including approvals and users.
 * - bursar: billing, counter payments, refund requests, reconciliation,
 *   reports; refunds and large concessions need a group admin's approval
 *   (separation of duties); payee accounts and concession rules are the
 *   group admin's (server: billing.approve → canApprove).
 * - auditor: read-only, including the audit log, and may export reports;
 *   no insights (leads are personal data for the bank's managers only; the
 *   server's insights.read and leads.read exclude auditors too).
 *
 * Server permissions (server/src/modules/auth/permissions.ts) behind the
 * billing flags: billing.read → canViewBilling; billing.write →
 * canManageBilling; counter.take → canTakeCounterPayments, canRefund and
 * canResolveExceptions; billing.approve → canApprove; reports.read →
 * canViewReports; reports.export → canExportReports; reconciliation.read
 * → canViewBilling; reconciliation.run and .resolve → canReconcile;
 * reconciliation.export → canExportReports; billing.import →
 * canManageBilling; reminders.read → canViewBilling; reminders.send →
 * canSendReminders. Outside billing:
 * academic-year.promote → canPromoteAcademicYear. Bank insights:
 * insights.read, insights.export, leads.* → canViewInsights;
 * insights.import (balances, baselines, campaign results) →
 * canImportInsightData; insights.configure (tag rules, promotion slots) →
 * canManageInsightRules; staff-list.share (a school shares its staff list
 * with the bank) → canShareStaffList.
 */
import type { StaffRole, StaffUser } from '@campuspay/shared';

export const ACCESS_KEYS = [
  'isSignedIn',
  'canViewOrg',
  'canManageOrg',
  'canPromoteAcademicYear',
  'canViewStudents',
  'canManageStudents',
  'canManageUsers',
  'canViewBilling',
  'canManageBilling',
  'canTakeCounterPayments',
  'canRefund',
  'canApprove',
  'canReconcile',
  'canResolveExceptions',
  'canSendReminders',
  'canViewReports',
  'canExportReports',
  'canViewInsights',
  'canImportInsightData',
  'canManageInsightRules',
  'canShareStaffList',
  'canViewAuditLog',
] as const;

export type AccessKey = (typeof ACCESS_KEYS)[number];
export type AccessFlags = Readonly<Record<AccessKey, boolean>>;

/** What each flag lets the user do, as the dashboard lists it. */
export const ACCESS_LABELS: Readonly<Record<AccessKey, string>> = {
  isSignedIn: '使用管理后台',
  canViewOrg: '查看组织架构（学校、校区、年级、班级）',
  canManageOrg: '维护组织架构',
  canPromoteAcademicYear: '新学年升级（各班升一个年级，最高年级毕业）',
  canViewStudents: '查看学生与家长信息',
  canManageStudents: '导入和维护学生名单',
  canManageUsers: '管理员工账号与角色',
  canViewBilling: '查看收费项目、账单、缴费与退款记录',
  canManageBilling: '创建收费项目，生成和发布账单',
  canTakeCounterPayments: '柜台登记线下缴费',
  canRefund: '发起退款申请',
  canApprove: '审批退款等申请',
  canReconcile: '发起对账、处理对账差异',
  canResolveExceptions: '处理支付异常',
  canSendReminders: '向欠费学生的家长发送催缴通知',
  canViewReports: '查看收费报表',
  canExportReports: '导出收费报表（Excel）',
  canViewInsights: '查看经营洞察与商机线索',
  canImportInsightData: '导入银行数据（结算账户余额、基准期、营销活动结果）',
  canManageInsightRules: '配置洞察规则与小程序推广位',
  canShareStaffList: '向银行共享教职工名单（代发工资）',
  canViewAuditLog: '查看操作日志',
};

/** Flags each role holds regardless of scope. */
const ROLE_GRANTS: Readonly<Record<StaffRole, readonly AccessKey[]>> = {
  platform_admin: [
    'canViewOrg',
    'canManageOrg',
    'canViewStudents',
    'canManageUsers',
    'canViewBilling',
    'canViewReports',
    'canViewInsights',
    'canImportInsightData',
    'canManageInsightRules',
    'canShareStaffList',
    'canViewAuditLog',
  ],
  branch_manager: ['canViewOrg', 'canViewInsights', 'canImportInsightData'],
  group_admin: [
    'canViewOrg',
    'canManageOrg',
    'canPromoteAcademicYear',
    'canViewStudents',
    'canManageStudents',
    'canManageUsers',
    'canViewBilling',
    'canManageBilling',
    'canTakeCounterPayments',
    'canRefund',
    'canApprove',
    'canReconcile',
    'canResolveExceptions',
    'canSendReminders',
    'canViewReports',
    'canExportReports',
    'canShareStaffList',
    'canViewAuditLog',
  ],
  bursar: [
    'canViewOrg',
    'canViewStudents',
    'canManageStudents',
    'canViewBilling',
    'canManageBilling',
    'canTakeCounterPayments',
    'canRefund',
    'canReconcile',
    'canResolveExceptions',
    'canSendReminders',
    'canViewReports',
    'canExportReports',
  ],
  auditor: ['canViewOrg', 'canViewStudents', 'canViewBilling', 'canViewReports', 'canExportReports', 'canViewAuditLog'],
};

const NO_ACCESS: AccessFlags = Object.freeze(
  Object.fromEntries(ACCESS_KEYS.map((key) => [key, false])) as Record<AccessKey, boolean>,
);

export function access(user: StaffUser | null): AccessFlags {
  if (!user) return NO_ACCESS;
  const grants = ROLE_GRANTS[user.role] ?? [];
  const flags: Record<AccessKey, boolean> = { ...NO_ACCESS, isSignedIn: true };
  for (const key of grants) flags[key] = true;
  return Object.freeze(flags);
}

/** A route or menu entry is shown when it needs no flag or the flag is set. */
export function isAllowed(flags: AccessFlags, key: AccessKey | undefined): boolean {
  return key === undefined || flags[key];
}
