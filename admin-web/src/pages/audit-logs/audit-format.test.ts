import test from 'ava';
import { actionLabel, changedFields, dayRangeQuery, objectTypeLabel, prettyJson, roleLabel, verificationText } from './audit-format.ts';

test('actions and objects read in Chinese; unknown ones as recorded', (t) => {
  t.is(actionLabel('student.move'), '学生调班');
  t.is(actionLabel('personal-data.reveal'), '查看敏感信息明文');
  t.is(actionLabel('POST /admin/auth/logout'), '退出登录');
  t.is(actionLabel('POST /admin/auth/switch-grant'), '切换角色授权');
  t.is(actionLabel('POST /admin/jobs/:id/retry'), '提交 /admin/jobs/:id/retry');
  t.is(actionLabel('DELETE /admin/x/:id'), '删除 /admin/x/:id');
  t.is(actionLabel('bill.publish'), 'bill.publish');
  t.is(objectTypeLabel('staff_user'), '工作人员账号');
  t.is(objectTypeLabel('staff auth'), '登录认证');
  t.is(objectTypeLabel('bill'), 'bill');
  t.is(roleLabel('group_admin'), '集团管理员');
  t.is(roleLabel('robot'), 'robot');
});

test('pretty JSON', (t) => {
  t.is(prettyJson(null), null);
  t.is(prettyJson(undefined), null);
  t.is(prettyJson({ a: 1, b: [1, 2] }), '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}');
  const loop: Record<string, unknown> = {};
  loop['self'] = loop;
  t.is(prettyJson(loop), '[object Object]');
});

test('changed fields between before and after', (t) => {
  t.deepEqual(changedFields({ classId: 'a', name: 'x' }, { classId: 'b', name: 'x' }), ['classId']);
  t.deepEqual(changedFields({ a: 1, gone: true }, { a: 1, added: { x: 1 } }), ['added', 'gone']);
  t.deepEqual(changedFields(null, { a: 1 }), []);
  t.deepEqual(changedFields([1], [2]), []);
});

test('date range to query', (t) => {
  t.deepEqual(dayRangeQuery(['2026-09-01', '2026-09-30']), { from: '2026-09-01', to: '2026-09-30' });
  t.deepEqual(dayRangeQuery(['2026-09-01 00:00:00', undefined]), { from: '2026-09-01' });
  t.deepEqual(dayRangeQuery(undefined), {});
});

test('verification verdicts', (t) => {
  t.is(verificationText({ ok: true, entries: 42, brokenAt: null, problem: null }), '哈希链完整：已校验 42 条记录，未发现篡改。');
  t.regex(verificationText({ ok: false, entries: 8, brokenAt: 7, problem: '第 7 条记录的内容被改动' }), /^哈希链校验失败：第 7 条记录处断开（第 7 条记录的内容被改动）/);
  t.regex(verificationText({ ok: false, entries: 0, brokenAt: null, problem: null }), /^哈希链校验失败：哈希链断开。/);
});
