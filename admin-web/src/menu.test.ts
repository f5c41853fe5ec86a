import test from 'ava';
import type { StaffRole, StaffUser } from '@campuspay/shared';
import { access } from './access.ts';
import { buildMenu, flattenPages } from './menu.ts';
import type { AppRoute } from './route-types.ts';

const page = async () => ({ default: () => null });

const ROUTES: readonly AppRoute[] = [
  { path: '/', name: '工作台', access: 'isSignedIn', page },
  {
    path: '/billing',
    name: '收费管理',
    children: [
      { path: '/bills', name: '账单查询', access: 'canViewBilling', page },
      { path: '/counter', name: '柜台收费', access: 'canTakeCounterPayments', page },
      { path: '/bills/:id', name: '账单详情', access: 'canViewBilling', hideInMenu: true, page },
    ],
  },
  { path: '/insights', name: '经营洞察', access: 'canViewInsights', page },
  { path: '/403', name: '无权访问', access: 'isSignedIn', hideInMenu: true, page },
];

function flagsOf(role: StaffRole) {
  const user: StaffUser = {
    id: 'u',
    username: 'u',
    displayName: 'u',
    role,
    scope: { nodeId: 'n', kind: 'campus', name: '东校区' },
    mustChangePassword: false,
  };
  return access(user);
}

test('the menu holds only pages the role may open', (t) => {
  t.deepEqual(buildMenu(ROUTES, flagsOf('bursar')), [
    { path: '/', name: '工作台' },
    {
      path: '/billing',
      name: '收费管理',
      children: [
        { path: '/bills', name: '账单查询' },
        { path: '/counter', name: '柜台收费' },
      ],
    },
  ]);
});

test('empty sections disappear; hidden pages never show', (t) => {
  t.deepEqual(buildMenu(ROUTES, flagsOf('branch_manager')), [
    { path: '/', name: '工作台' },
    { path: '/insights', name: '经营洞察' },
  ]);
  t.deepEqual(
    buildMenu(ROUTES, flagsOf('auditor'))
      .flatMap((entry) => [entry.path, ...(entry.children ?? []).map((child) => child.path)]),
    ['/', '/billing', '/bills'],
  );
});

test('signed out: no menu', (t) => {
  t.deepEqual(buildMenu(ROUTES, access(null)), []);
});

test('flattenPages lists every routable page, hidden ones included', (t) => {
  t.deepEqual(
    flattenPages(ROUTES).map((route) => route.path),
    ['/', '/bills', '/counter', '/bills/:id', '/insights', '/403'],
  );
});
