import type { StaffRole } from '@campuspay/shared';

const ALL: StaffRole[] = ['platform_admin', 'branch_manager', 'group_admin', 'bursar', 'auditor'];
const SCHOOL_STAFF: StaffRole[] = ['platform_admin', 'group_admin', 'bursar', 'auditor'];

/**
 * Which roles hold each permission: the one table every staff route is
 * checked against. Scope (which part of the organisation tree) is checked
 * separately, on the objects themselves. Branch managers see no child data.
 */
export const PERMISSIONS = {
  /** Any signed-in staff user, including one who must still change the password. */
  self: ALL,
  'org.read': ALL,
  'org.write': ['platform_admin', 'group_admin'],
  'students.read': SCHOOL_STAFF,
  'students.write': ['group_admin', 'bursar'],
  'students.import': ['group_admin', 'bursar'],
  'students.export': ['group_admin', 'bursar'],
  'personal-data.reveal': ['group_admin', 'bursar'],
  'academic-year.promote': ['group_admin'],
  'users.read': ['platform_admin', 'group_admin', 'auditor'],
  'users.write': ['platform_admin', 'group_admin'],
  'audit.read': ['platform_admin', 'group_admin', 'auditor'],
  'jobs.read': ALL,
  'billing.read': SCHOOL_STAFF,
  'billing.write': ['group_admin', 'bursar'],
  'billing.approve': ['group_admin'],
  'counter.take': ['group_admin', 'bursar'],
  'billing.import': ['group_admin', 'bursar'],
  'reports.read': SCHOOL_STAFF,
  'reports.export': ['group_admin', 'bursar', 'auditor'],
  'reminders.read': SCHOOL_STAFF,
  'reminders.send': ['group_admin', 'bursar'],
  // Daily reconciliation with WeChat Pay's bills; settlement (money figures only, no child data) and the counter's cash report.
  'reconciliation.read': SCHOOL_STAFF,
  'reconciliation.run': ['group_admin', 'bursar'],
  'reconciliation.resolve': ['group_admin', 'bursar'],
  'reconciliation.export': ['group_admin', 'bursar', 'auditor'],
  'settlement.read': ALL,
  'cash-report.read': SCHOOL_STAFF,
  // Bank insights: the bank's own people only, never school staff.
  'insights.read': ['platform_admin', 'branch_manager'],
  'insights.export': ['platform_admin', 'branch_manager'],
  'insights.import': ['platform_admin', 'branch_manager'],
  'insights.configure': ['platform_admin'],
  'leads.read': ['platform_admin', 'branch_manager'],
  'leads.reveal': ['platform_admin', 'branch_manager'],
  'leads.write': ['platform_admin', 'branch_manager'],
  /** A school shares its staff list (payroll prospects) with the bank. */
  'staff-list.share': ['platform_admin', 'group_admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleHas(role: StaffRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/** Which roles a grantor may hand out: nobody grants more than they hold. */
export const GRANTABLE_ROLES: Record<StaffRole, StaffRole[]> = {
  platform_admin: ALL,
  group_admin: ['group_admin', 'bursar', 'auditor'],
  branch_manager: [],
  bursar: [],
  auditor: [],
};
