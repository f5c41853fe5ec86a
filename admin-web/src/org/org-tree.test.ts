import test from 'ava';
import { nodeOf, orgFixture } from '../test-support/org-fixture.ts';
import {
  buildOrgTree,
  campusOf,
  campusesInScope,
  canWriteOrgKind,
  defaultExpandedIds,
  isInScope,
  matchingWithAncestors,
  nodesInScope,
  optionIds,
  orgSelectTree,
  pathLabel,
} from './org-tree.ts';

const nodes = orgFixture();

test('buildOrgTree links the flat list and sorts children', (t) => {
  const roots = buildOrgTree(nodes);
  t.deepEqual(roots.map((r) => r.node.id), ['bank']);
  const group = roots[0]?.children[0]?.children[0];
  t.is(group?.node.id, 'group');
  t.deepEqual(group?.children.map((c) => c.node.id), ['east', 'west']);
  const g1 = group?.children[0]?.children[0]?.children[0];
  t.deepEqual(g1?.children.map((c) => c.node.name), ['1班', '2班']);
});

test('a node whose parent is not listed becomes a root', (t) => {
  const roots = buildOrgTree(nodes.filter((n) => n.id !== 'group'));
  t.deepEqual(roots.map((r) => r.node.id).sort(), ['bank', 'east', 'west']);
});

test('scope: the scope node and below, not the ancestors', (t) => {
  t.true(isInScope(nodeOf(nodes, 'east-g1-c1'), 'east'));
  t.true(isInScope(nodeOf(nodes, 'east'), 'east'));
  t.false(isInScope(nodeOf(nodes, 'group'), 'east'));
  t.false(isInScope(nodeOf(nodes, 'west'), 'east'));
  t.deepEqual(nodesInScope(nodes, 'west').map((n) => n.id), ['west', 'west-intl', 'west-g1', 'west-g1-c1', 'west-old']);
});

test('campuses in scope: live campuses only, tree order', (t) => {
  t.deepEqual(campusesInScope(nodes, 'group').map((n) => n.id), ['east', 'west']);
  t.deepEqual(campusesInScope(nodes, 'bank').map((n) => n.id), ['east', 'west']);
  t.deepEqual(campusesInScope(nodes, 'east').map((n) => n.id), ['east']);
  t.deepEqual(campusesInScope(nodes, 'east-primary'), []);
  const archived = nodes.map((n) => (n.id === 'west' ? { ...n, archived: true } : n));
  t.deepEqual(campusesInScope(archived, 'group').map((n) => n.id), ['east']);
});

test('campusOf and pathLabel', (t) => {
  t.is(campusOf(nodes, nodeOf(nodes, 'east-g2-c1'))?.id, 'east');
  t.is(campusOf(nodes, nodeOf(nodes, 'group')), undefined);
  t.is(pathLabel(nodes, nodeOf(nodes, 'east-g1-c2')), '明德东校区 / 小学部 / 一年级 / 2班');
  t.is(pathLabel(nodes, nodeOf(nodes, 'group')), '示范商业银行 / 城东支行 / 明德教育集团');
  t.is(pathLabel(nodes, nodeOf(nodes, 'east'), 'school_group'), '明德教育集团 / 明德东校区');
});

test('orgSelectTree: classes of one campus only, grouped by division and grade', (t) => {
  const tree = orgSelectTree(nodes, { rootId: 'east', visibleKinds: ['division', 'grade', 'class'], selectableKinds: ['class'] });
  t.deepEqual(tree.map((o) => o.value), ['east-primary']);
  t.false(tree[0]?.selectable);
  const ids = optionIds(tree);
  t.deepEqual(ids, ['east-primary', 'east-g1', 'east-g1-c1', 'east-g1-c2', 'east-g2', 'east-g2-c1']);
  t.false(ids.includes('west-g1-c1'));
  const c1 = tree[0]?.children?.[0]?.children?.[0];
  t.is(c1?.title, '1班');
  t.is(c1?.fullTitle, '小学部 / 一年级 / 1班');
  t.true(c1?.selectable);
});

test('orgSelectTree: hidden levels are hoisted, archived and empty branches dropped', (t) => {
  const tree = orgSelectTree(nodes, { rootId: 'group', visibleKinds: ['campus', 'division', 'grade', 'class'] });
  t.deepEqual(tree.map((o) => o.value), ['east', 'west']);
  t.false(optionIds(tree).includes('west-old'));
  const onlyCampuses = orgSelectTree(nodes, { visibleKinds: ['school_group', 'campus'], selectableKinds: ['campus'], withKindLabel: true });
  t.deepEqual(onlyCampuses.map((o) => o.value), ['group']);
  t.deepEqual(onlyCampuses[0]?.children?.map((o) => o.title), ['明德东校区（校区）', '明德西校区（校区）']);
  const pruned = orgSelectTree(nodes, { rootId: 'west', selectableKinds: ['grade'], visibleKinds: ['campus', 'division', 'grade'] });
  t.deepEqual(optionIds(pruned), ['west', 'west-intl', 'west-g1']);
  t.deepEqual(orgSelectTree(nodes, { rootId: 'missing' }), []);
});

test('writable kinds per role', (t) => {
  t.true(canWriteOrgKind('group_admin', 'campus'));
  t.true(canWriteOrgKind('group_admin', 'class'));
  t.false(canWriteOrgKind('group_admin', 'school_group'));
  t.true(canWriteOrgKind('platform_admin', 'school_group'));
  t.false(canWriteOrgKind('platform_admin', 'bank'));
  t.false(canWriteOrgKind('bursar', 'class'));
  t.false(canWriteOrgKind('auditor', 'class'));
});

test('default expansion stops above grades', (t) => {
  const ids = defaultExpandedIds(nodes);
  t.true(ids.includes('east-primary'));
  t.false(ids.includes('east-g1'));
  t.false(ids.includes('east-g1-c1'));
});

test('search keeps matches and their ancestors', (t) => {
  const kept = matchingWithAncestors(nodes, '国际');
  t.deepEqual([...kept].sort(), ['bank', 'branch', 'group', 'west', 'west-intl'].sort());
  t.true(matchingWithAncestors(nodes, 'mde001').has('east'));
  t.is(matchingWithAncestors(nodes, '  ').size, 0);
});
