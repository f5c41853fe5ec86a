import test from 'ava';
import type { OrgNode } from '@campuspay/shared';
import { balanceImportText, campaignImportText, csvTemplate, readBaselinePeriod, readCampaignName, schoolChoices, yuanOrDash } from './insight-data-view.ts';

function node(id: string, kind: OrgNode['kind'], name: string, path: string[], sortOrder = 0, archived = false): OrgNode {
  return { id, kind, name, parentId: path.length > 1 ? path[path.length - 2]! : null, path, schoolCode: null, level: null, international: false, sortOrder, archived };
}

test('templates are header-only CSV with a BOM', (t) => {
  t.is(csvTemplate(['账号', '日期', '余额']), '\uFEFF账号,日期,余额\r\n');
});

test('schools: groups and campuses in tree order, campuses named under their group, archived ones left out', (t) => {
  const nodes = [
    node('bank', 'bank', '示范银行', ['bank']),
    node('br', 'branch', '城东支行', ['bank', 'br']),
    node('g2', 'school_group', '育才中学', ['bank', 'br', 'g2'], 2),
    node('g1', 'school_group', '明德教育集团', ['bank', 'br', 'g1'], 1),
    node('c2', 'campus', '西校区', ['bank', 'br', 'g1', 'c2'], 2),
    node('c1', 'campus', '东校区', ['bank', 'br', 'g1', 'c1'], 1),
    node('old', 'campus', '旧校区', ['bank', 'br', 'g1', 'old'], 3, true),
    node('d1', 'division', '小学部', ['bank', 'br', 'g1', 'c1', 'd1']),
  ];
  t.deepEqual(schoolChoices(nodes), [
    { value: 'g1', label: '明德教育集团' },
    { value: 'c1', label: '明德教育集团 / 东校区' },
    { value: 'c2', label: '明德教育集团 / 西校区' },
    { value: 'g2', label: '育才中学' },
  ]);
  t.deepEqual(schoolChoices([node('c9', 'campus', '北校区', ['g', 'c9'])]), [{ value: 'c9', label: '北校区' }], 'a campus whose group is out of scope keeps its own name');
});

test('a baseline period needs a school and both days, in order, within 366 days', (t) => {
  t.deepEqual(readBaselinePeriod('g1', '2026-03-01', '2026-03-31'), { ok: true, value: { nodeId: 'g1', from: '2026-03-01', to: '2026-03-31' } });
  t.deepEqual(readBaselinePeriod(undefined, '2026-03-01', '2026-03-31'), { ok: false, message: '请选择学校' });
  t.deepEqual(readBaselinePeriod('g1', '2026-03-01', undefined), { ok: false, message: '请选择基准期的开始和结束日期' });
  t.deepEqual(readBaselinePeriod('g1', '2026-04-01', '2026-03-01'), { ok: false, message: '开始日期不能晚于结束日期' });
  t.deepEqual(readBaselinePeriod('g1', '2025-01-01', '2026-03-01'), { ok: false, message: '统计期间最长 366 天' });
});

test('a campaign needs a name of 2 to 60 characters', (t) => {
  t.deepEqual(readCampaignName('  开学季办卡 '), { ok: true, value: '开学季办卡' });
  t.false(readCampaignName('卡').ok);
  t.false(readCampaignName(undefined).ok);
  t.false(readCampaignName('活'.repeat(61)).ok);
});

test('outcomes in words; money through the shared yuan helper', (t) => {
  t.is(balanceImportText({ rows: 9, accounts: 2, from: '2026-03-01', to: '2026-09-03' }), '已导入 9 条日终余额（2 个账户，2026-03-01 至 2026-09-03）');
  t.is(balanceImportText({ rows: 1, accounts: 1, from: '2026-09-02', to: '2026-09-02' }), '已导入 1 条日终余额（1 个账户，2026-09-02）');
  t.is(campaignImportText({ campaign: '开学季办卡', rows: 3, matched: 2, leadsConverted: 0 }), '「开学季办卡」3 行中 2 行匹配到本范围学校的家长；未匹配的行不保存');
  t.regex(campaignImportText({ campaign: '开学季办卡', rows: 3, matched: 2, leadsConverted: 1 }), /1 条已授权线索标记为已转化/);
  t.is(yuanOrDash(null), '—');
  t.is(yuanOrDash(252_000_000), '¥2,520,000.00');
});
