import test from 'ava';
import { nodeOf, orgFixture } from '../../test-support/org-fixture.ts';
import { canEditNode, createRequestOf, creatableChildKinds, describeCounts, descendantCounts, formValuesOf, updateRequestOf } from './node-form.ts';

const nodes = orgFixture();

test('child kinds follow the tree shape and the role', (t) => {
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'group'), 'group_admin'), ['campus']);
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'east'), 'group_admin'), ['division']);
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'east-g1'), 'group_admin'), ['class']);
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'east-g1-c1'), 'group_admin'), []);
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'branch'), 'group_admin'), []);
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'branch'), 'platform_admin'), ['branch', 'school_group']);
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'east'), 'bursar'), []);
  t.deepEqual(creatableChildKinds(nodeOf(nodes, 'west-old'), 'group_admin'), []);
  t.true(canEditNode(nodeOf(nodes, 'east'), 'group_admin', true));
  t.false(canEditNode(nodeOf(nodes, 'east'), 'group_admin', false));
  t.false(canEditNode(nodeOf(nodes, 'group'), 'group_admin', true));
});

test('a campus needs a school code, sent upper-case', (t) => {
  const group = nodeOf(nodes, 'group');
  const missing = createRequestOf(group, { kind: 'campus', name: '南校区' });
  t.false(missing.ok);
  t.deepEqual(missing.ok ? [] : missing.issues.map((i) => i.path.join('.')), ['schoolCode']);
  const bad = createRequestOf(group, { kind: 'campus', name: '南校区', schoolCode: 'a!' });
  t.false(bad.ok);
  t.is(bad.ok ? '' : bad.issues[0]?.message, '学校代码应为 4–16 位字母或数字');
  t.deepEqual(createRequestOf(group, { kind: 'campus', name: ' 南校区 ', schoolCode: ' mds001 ', level: 3, international: true }), {
    ok: true,
    value: { parentId: 'group', kind: 'campus', name: '南校区', schoolCode: 'MDS001' },
  });
});

test('only the fields of the kind are sent', (t) => {
  t.deepEqual(createRequestOf(nodeOf(nodes, 'east'), { kind: 'division', name: '国际部', international: true, schoolCode: 'X123' }), {
    ok: true,
    value: { parentId: 'east', kind: 'division', name: '国际部', international: true },
  });
  t.deepEqual(createRequestOf(nodeOf(nodes, 'east-primary'), { kind: 'grade', name: '三年级', level: 3, sortOrder: 5 }), {
    ok: true,
    value: { parentId: 'east-primary', kind: 'grade', name: '三年级', level: 3, sortOrder: 5 },
  });
  t.deepEqual(createRequestOf(nodeOf(nodes, 'east-g1'), { kind: 'class', name: '3班', level: null }), {
    ok: true,
    value: { parentId: 'east-g1', kind: 'class', name: '3班' },
  });
});

test('wrong kinds and empty names are refused', (t) => {
  const wrong = createRequestOf(nodeOf(nodes, 'east'), { kind: 'class', name: '1班' });
  t.false(wrong.ok);
  t.is(wrong.ok ? '' : wrong.issues[0]?.message, '校区下不能创建班级');
  t.false(createRequestOf(nodeOf(nodes, 'east'), { name: 'x' }).ok);
  const empty = createRequestOf(nodeOf(nodes, 'east'), { kind: 'division', name: '   ' });
  t.false(empty.ok);
  t.is(empty.ok ? '' : empty.issues[0]?.message, '请填写名称');
});

test('edits send only what changed', (t) => {
  const east = nodeOf(nodes, 'east');
  t.deepEqual(updateRequestOf(east, formValuesOf(east)), { ok: true, value: {} });
  t.deepEqual(updateRequestOf(east, { ...formValuesOf(east), name: '明德东校区（新）', schoolCode: 'mde002' }), {
    ok: true,
    value: { name: '明德东校区（新）', schoolCode: 'MDE002' },
  });
  const intl = nodeOf(nodes, 'west-intl');
  t.deepEqual(updateRequestOf(intl, { ...formValuesOf(intl), international: false }), { ok: true, value: { international: false } });
  const g1 = nodeOf(nodes, 'east-g1');
  t.deepEqual(updateRequestOf(g1, { ...formValuesOf(g1), level: 2, sortOrder: 3 }), { ok: true, value: { level: 2, sortOrder: 3 } });
  t.false(updateRequestOf(g1, { ...formValuesOf(g1), name: ' ' }).ok);
});

test('descendant counts describe what is below a node', (t) => {
  t.deepEqual(descendantCounts(nodes, nodeOf(nodes, 'east')), { division: 1, grade: 2, class: 3 });
  t.is(describeCounts(descendantCounts(nodes, nodeOf(nodes, 'group'))), '2 个校区、2 个学部、3 个年级、4 个班级');
  t.is(describeCounts(descendantCounts(nodes, nodeOf(nodes, 'east-g1-c1'))), '');
});
