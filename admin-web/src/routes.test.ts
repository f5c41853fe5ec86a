import test from 'ava';
import type { StaffRole, StaffUser } from '@campuspay/shared';
import { access } from './access.ts';
import { buildMenu, flattenPages } from './menu.ts';
import { appRoutes } from './routes.tsx';

function menuPaths(role: StaffRole): string[] {
  const user: StaffUser = {
    id: 'u',
    username: 'u',
    displayName: 'u',
    role,
    scope: { nodeId: 'n', kind: 'school_group', name: '明德教育集团' },
    mustChangePassword: false,
  };
  return buildMenu(appRoutes, access(user)).flatMap((entry) => (entry.children ?? [entry]).map((child) => child.path));
}

test('every page declares an access flag and a unique path', (t) => {
  const pages = flattenPages(appRoutes);
  t.is(new Set(pages.map((page) => page.path)).size, pages.length);
  for (const page of pages) t.truthy(page.access, page.path);
});

test('what each role finds in the menu', (t) => {
  const billing = ['/fee-items', '/bill-batches/new', '/bills/import', '/bills', '/reminders', '/counter', '/refunds', '/exceptions', '/reports', '/reconciliations'];
  const readOnlyBilling = ['/fee-items', '/bills', '/reminders', '/refunds', '/exceptions', '/reports', '/reconciliations'];
  t.deepEqual(menuPaths('group_admin'), ['/', '/org', '/students', '/students/import', '/staff-list', ...billing, '/users', '/audit-logs']);
  t.deepEqual(menuPaths('bursar'), ['/', '/org', '/students', '/students/import', ...billing]);
  t.deepEqual(menuPaths('auditor'), ['/', '/org', '/students', ...readOnlyBilling, '/audit-logs']);
  t.deepEqual(menuPaths('platform_admin'), [
    '/',
    '/org',
    '/students',
    '/staff-list',
    ...readOnlyBilling,
    '/insights',
    '/insights/leads',
    '/insights/data',
    '/insight-rules',
    '/insights/promotions',
    '/users',
    '/audit-logs',
  ]);
  t.deepEqual(menuPaths('branch_manager'), ['/', '/org', '/insights', '/insights/leads', '/insights/data']);
});
