import test from 'ava';
import { passwordSchema, type StaffAccount } from '@campuspay/shared';
import { orgFixture } from '../../test-support/org-fixture.ts';
import { optionIds } from '../../org/org-tree.ts';
import {
  accountState,
  canManageAccount,
  createAccountRequestOf,
  GRANTABLE_ROLES,
  grantLabel,
  grantNodeTree,
  matchesAccount,
  roleNodeKindsText,
  updateAccountRequestOf,
} from './grant-rules.ts';
import { temporaryPassword } from './temporary-password.ts';

const nodes = orgFixture();

const ACCOUNT: StaffAccount = {
  id: 'u1',
  username: 'wang.fang',
  displayName: '东校区出纳 王芳',
  grants: [{ role: 'bursar', nodeId: 'east', nodeName: '明德东校区', nodeKind: 'campus' }],
  disabled: false,
  mustChangePassword: false,
  lastLoginAt: null,
};

test('nobody grants more than they hold', (t) => {
  t.deepEqual(GRANTABLE_ROLES.group_admin, ['group_admin', 'bursar', 'auditor']);
  t.is(GRANTABLE_ROLES.platform_admin.length, 5);
  t.deepEqual(GRANTABLE_ROLES.bursar, []);
});

test('grant pickers offer only the levels a role may sit on, inside the scope', (t) => {
  const bursar = optionIds(grantNodeTree(nodes, 'group', 'bursar'));
  t.deepEqual(bursar, ['group', 'east', 'east-primary', 'west', 'west-intl']);
  const auditor = grantNodeTree(nodes, 'group', 'auditor');
  t.deepEqual(optionIds(auditor), ['group', 'east', 'west']);
  t.true(auditor[0]?.selectable);
  t.deepEqual(optionIds(grantNodeTree(nodes, 'east', 'group_admin')), ['east', 'east-primary']);
  t.deepEqual(grantNodeTree(nodes, 'group', 'platform_admin'), []);
  t.deepEqual(grantNodeTree(nodes, 'group', undefined), []);
  t.is(roleNodeKindsText('bursar'), '学校/集团、校区或学部');
  t.is(roleNodeKindsText('platform_admin'), '银行');
});

test('a new account: trimmed, checked by the shared schema, grants complete and distinct', (t) => {
  const password = temporaryPassword();
  t.deepEqual(
    createAccountRequestOf({
      username: ' li.lei ',
      displayName: ' 李雷 ',
      initialPassword: password,
      grants: [
        { role: 'bursar', nodeId: 'east' },
        { role: 'auditor', nodeId: 'group' },
      ],
    }),
    {
      ok: true,
      value: {
        username: 'li.lei',
        displayName: '李雷',
        initialPassword: password,
        grants: [
          { role: 'bursar', nodeId: 'east' },
          { role: 'auditor', nodeId: 'group' },
        ],
      },
    },
  );
  const bad = createAccountRequestOf({
    username: 'Li Lei',
    displayName: '',
    initialPassword: 'short1',
    grants: [{ role: 'bursar' }, { role: 'auditor', nodeId: 'group' }, { role: 'auditor', nodeId: 'group' }],
  });
  t.false(bad.ok);
  t.deepEqual(
    bad.ok ? [] : bad.issues.map((issue) => issue.path.join('.')).sort(),
    ['displayName', 'grants.0.nodeId', 'grants.2.nodeId', 'initialPassword', 'username'].sort(),
  );
  const none = createAccountRequestOf({ username: 'abc', displayName: 'x', initialPassword: password, grants: [] });
  t.is(none.ok ? '' : none.issues[0]?.message, '至少授予一个角色');
});

test('an edit sends only what changed', (t) => {
  t.deepEqual(updateAccountRequestOf(ACCOUNT, { displayName: ACCOUNT.displayName, grants: [{ role: 'bursar', nodeId: 'east' }] }), {
    ok: true,
    value: {},
  });
  t.deepEqual(
    updateAccountRequestOf(ACCOUNT, {
      displayName: '出纳 王芳',
      grants: [
        { role: 'bursar', nodeId: 'east' },
        { role: 'auditor', nodeId: 'group' },
      ],
    }),
    {
      ok: true,
      value: {
        displayName: '出纳 王芳',
        grants: [
          { role: 'bursar', nodeId: 'east' },
          { role: 'auditor', nodeId: 'group' },
        ],
      },
    },
  );
  t.false(updateAccountRequestOf(ACCOUNT, { displayName: ' ', grants: [{ role: 'bursar', nodeId: 'east' }] }).ok);
  t.false(updateAccountRequestOf(ACCOUNT, { displayName: 'x', grants: [] }).ok);
});

test('account state, labels, search and manageability', (t) => {
  t.is(accountState(ACCOUNT), 'active');
  t.is(accountState({ ...ACCOUNT, mustChangePassword: true }), 'must-change-password');
  t.is(accountState({ ...ACCOUNT, disabled: true, mustChangePassword: true }), 'disabled');
  t.is(grantLabel(ACCOUNT.grants[0]!), '学校财务 · 明德东校区');
  t.is(grantLabel({ role: 'auditor', nodeName: '' }), '审计员 · 已删除的节点');
  t.true(matchesAccount(ACCOUNT, 'WANG'));
  t.true(matchesAccount(ACCOUNT, '东校区'));
  t.true(matchesAccount(ACCOUNT, '财务'));
  t.false(matchesAccount(ACCOUNT, '西校区'));
  t.true(canManageAccount(ACCOUNT, new Set(['group', 'east'])));
  t.false(canManageAccount(ACCOUNT, new Set(['west'])));
  t.false(canManageAccount({ ...ACCOUNT, grants: [] }, new Set(['east'])));
});

test('temporary passwords always satisfy the shared rule', (t) => {
  for (let i = 0; i < 200; i++) t.true(passwordSchema.safeParse(temporaryPassword()).success);
  // Worst cases: a source that would give only digits or only letters.
  t.true(passwordSchema.safeParse(temporaryPassword((n) => Array.from({ length: n }, () => 48))).success);
  t.true(passwordSchema.safeParse(temporaryPassword((n) => Array.from({ length: n }, () => 0))).success);
  t.notRegex(temporaryPassword(), /[0O1lI]/);
});
