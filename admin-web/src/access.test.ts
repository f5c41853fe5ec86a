import test from 'ava';
import { STAFF_ROLES, type OrgNodeKind, type StaffRole, type StaffUser } from '@campuspay/shared';
import { ACCESS_KEYS, ACCESS_LABELS, access, isAllowed, type AccessKey } from './access.ts';

function user(role: StaffRole, kind: OrgNodeKind = 'school_group'): StaffUser {
  return {
    id: '64b000000000000000000001',
    username: 'demo',
    displayName: '演示',
    role,
    scope: { nodeId: '64b0000000000000000000aa', kind, name: '阳光教育集团' },
    mustChangePassword: false,
  };
}

/**
 * The decision table, written out in full so a change to access.ts is a
 * visible change here. Columns: platform_admin, branch_manager, group_admin,
 * bursar, auditor (auditor at a school-side scope).
 */
const EXPECTED: Record<AccessKey, [boolean, boolean, boolean, boolean, boolean]> = {
  isSignedIn: [true, true, true, true, true],
  canViewOrg: [true, true, true, true, true],
  canManageOrg: [true, false, true, false, false],
  canPromoteAcademicYear: [false, false, true, false, false],
  canViewStudents: [true, false, true, true, true],
  canManageStudents: [false, false, true, true, false],
  canManageUsers: [true, false, true, false, false],
  canViewBilling: [true, false, true, true, true],
  canManageBilling: [false, false, true, true, false],
  canTakeCounterPayments: [false, false, true, true, false],
  canRefund: [false, false, true, true, false],
  canApprove: [false, false, true, false, false],
  canReconcile: [false, false, true, true, false],
  canResolveExceptions: [false, false, true, true, false],
  canSendReminders: [false, false, true, true, false],
  canViewReports: [true, false, true, true, true],
  canExportReports: [false, false, true, true, true],
  canViewInsights: [true, true, false, false, false],
  canImportInsightData: [true, true, false, false, false],
  canManageInsightRules: [true, false, false, false, false],
  canShareStaffList: [true, false, true, false, false],
  canViewAuditLog: [true, false, true, false, true],
};
const COLUMNS: readonly StaffRole[] = ['platform_admin', 'branch_manager', 'group_admin', 'bursar', 'auditor'];

test('the table covers every role and every flag', (t) => {
  t.deepEqual([...COLUMNS].sort(), [...STAFF_ROLES].sort());
  t.deepEqual(Object.keys(EXPECTED).sort(), [...ACCESS_KEYS].sort());
});

for (const [column, role] of COLUMNS.entries()) {
  test(`flags of ${role}`, (t) => {
    const flags = access(user(role));
    for (const key of ACCESS_KEYS) {
      t.is(flags[key], EXPECTED[key][column] as boolean, `${role}.${key}`);
    }
  });
}

test('nobody signed in: every flag is false', (t) => {
  const flags = access(null);
  for (const key of ACCESS_KEYS) t.false(flags[key], key);
});

test('the auditor is read-only', (t) => {
  const writes: AccessKey[] = [
    'canManageOrg',
    'canPromoteAcademicYear',
    'canManageStudents',
    'canManageUsers',
    'canManageBilling',
    'canTakeCounterPayments',
    'canRefund',
    'canApprove',
    'canReconcile',
    'canResolveExceptions',
    'canSendReminders',
    'canImportInsightData',
    'canManageInsightRules',
    'canShareStaffList',
  ];
  for (const kind of ['bank', 'branch', 'school_group', 'campus'] as const) {
    const flags = access(user('auditor', kind));
    for (const key of writes) t.false(flags[key], `${kind}: ${key}`);
    t.true(flags.canViewAuditLog);
  }
});

test('no auditor sees insights, wherever scoped (the server refuses them insights.read)', (t) => {
  t.false(access(user('auditor', 'bank')).canViewInsights);
  t.false(access(user('auditor', 'branch')).canViewInsights);
  t.false(access(user('auditor', 'campus')).canViewInsights);
});

test('the branch manager edits no school data and sees no individual records (the bank\'s own uploads aside)', (t) => {
  const flags = access(user('branch_manager', 'branch'));
  const granted = ACCESS_KEYS.filter((key) => flags[key]);
  t.deepEqual(granted, ['isSignedIn', 'canViewOrg', 'canViewInsights', 'canImportInsightData']);
});

test('refunds need two people: the bursar requests, only the group admin approves', (t) => {
  t.true(access(user('bursar')).canRefund);
  t.false(access(user('bursar')).canApprove);
  t.true(access(user('group_admin')).canApprove);
});

test('scope does not change role grants', (t) => {
  for (const role of STAFF_ROLES) {
    t.deepEqual(access(user(role, 'bank')), access(user(role, 'class')), role);
  }
});

test('flags are frozen and every flag has a label', (t) => {
  const flags = access(user('bursar'));
  t.true(Object.isFrozen(flags));
  for (const key of ACCESS_KEYS) t.true(ACCESS_LABELS[key].length > 0, key);
});

test('isAllowed: no key means allowed', (t) => {
  const flags = access(user('bursar'));
  t.true(isAllowed(flags, undefined));
  t.true(isAllowed(flags, 'canManageBilling'));
  t.false(isAllowed(flags, 'canApprove'));
});
