import test from 'ava';
import ExcelJS from 'exceljs';
import type { BalancesReport, InsightOverview } from '@campuspay/shared';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { registryService } from './registry.service.ts';
import { decodeCsv, normaliseDay, parseCsv } from './tabular-file.ts';
import { productOf } from './campaigns.service.ts';

let server: SeededServer;
let branch: ApiClient;
const SCHOOL_ACCOUNT = '6222 0000 1111 2222';
const CANTEEN_ACCOUNT = '6222000033334444';

test.before(async (t) => {
  t.timeout(5 * 60_000);
  server = await startSeededServer('insights-imports');
  const group = await server.loginAs('demo.group');
  for (const [name, bankAccount] of [
    ['学校基本户', SCHOOL_ACCOUNT.replace(/ /g, '')],
    ['食堂收款户', CANTEEN_ACCOUNT],
  ]) {
    const res = await group.post('/api/v1/admin/payee-accounts', { name, mchid: '1900000109', bankName: '示范银行城东支行', bankAccount, nodeId: 'group_demo' });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
  branch = await server.loginAs('demo.branch');
  await registryService(server.deps).refresh();
});
test.after.always(() => server?.stop());

async function upload(api: ApiClient, path: string, filename: string, bytes: Buffer | string, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([bytes]), filename);
  const res = await fetch(new URL(path, server.url), { method: 'POST', body: form, headers: { authorization: `Bearer ${(api as unknown as { token: string }).token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { details?: { errors: { row: number; field: string; message: string }[]; errorCount: number } } };
}

async function xlsx(rows: (string | number | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('余额');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test.serial('balances: one bad row refuses the whole file, and nothing is written', async (t) => {
  const csv = ['账号,日期,余额', `${SCHOOL_ACCOUNT},2026-09-01,"1,000.00"`, '6222999999999999,2026-09-01,5.00', `${SCHOOL_ACCOUNT},2026-02-30,5.00`, `${CANTEEN_ACCOUNT},2026-09-01,12.345`, `${SCHOOL_ACCOUNT},2026/9/1,7.00`].join('\n');
  const res = await upload(branch, '/api/v1/admin/insights/balances/import', 'balances.csv', csv);
  t.is(res.status, 422);
  t.is(res.body.code, 'IMPORT_INVALID');
  t.deepEqual(
    res.body.details!.errors.map((e) => [e.row, e.field]),
    [
      [3, '账号'],
      [4, '日期'],
      [5, '余额'],
      [6, '日期'],
    ],
  );
  t.is(await server.deps.db.collection('insight_account_balances').countDocuments({}), 0);
  t.is((await upload(await server.loginAs('demo.bursar'), '/api/v1/admin/insights/balances/import', 'b.csv', csv)).status, 403);
  t.is((await upload(branch, '/api/v1/admin/insights/balances/import', 'b.pdf', '%PDF-1.4')).status, 415);
});

test.serial('balances: averages over the period against each school\'s baseline give the uplift; corrections replace a day', async (t) => {
  const file = await xlsx([
    ['账号', '日期', '余额'],
    [SCHOOL_ACCOUNT, '2026-03-01', 1_000_000],
    [SCHOOL_ACCOUNT, '2026-03-02', 1_000_000],
    [SCHOOL_ACCOUNT, '2026-03-03', 1_000_000.5],
    [SCHOOL_ACCOUNT, '2026-09-01', 3_000_000],
    [SCHOOL_ACCOUNT, '2026-09-02', '3,500,000.50'],
    [SCHOOL_ACCOUNT, '20260903', 4_000_000],
    [CANTEEN_ACCOUNT, '2026-09-01', 20_000],
    [CANTEEN_ACCOUNT, '2026-09-02', 20_000],
    [CANTEEN_ACCOUNT, '2026-09-03', 20_000],
  ]);
  const res = await upload(branch, '/api/v1/admin/insights/balances/import', 'core-balances.xlsx', file);
  t.is(res.status, 201, JSON.stringify(res.body));
  t.like(res.body, { rows: 9, accounts: 2, from: '2026-03-01', to: '2026-09-03' });
  t.truthy(await server.deps.db.collection('audit_logs').findOne({ action: 'insights.balances.import' }));
  const stored = JSON.stringify(await server.deps.db.collection('insight_accounts').find({}).toArray());
  t.false(stored.includes('62220000111122'), 'account numbers are kept as hashes and masks only');

  const baseline = await branch.request<{ averageBalanceFen: number }>('PUT', '/api/v1/admin/insights/baselines', { body: { nodeId: 'group_demo', from: '2026-03-01', to: '2026-03-31' } });
  t.is(baseline.status, 200, JSON.stringify(baseline.body));
  t.is(baseline.body.averageBalanceFen, 100_000_017, '(1,000,000.00 × 2 + 1,000,000.50) / 3, half up');
  const overview = await branch.get<InsightOverview>('/api/v1/admin/insights/overview?nodeId=group_demo&from=2026-09-01&to=2026-09-03');
  // (3,020,000 + 3,520,000.50 + 4,020,000) / 3 = 3,520,000.1666… yuan
  t.like(overview.body.balances, { averageBalanceFen: 352_000_017, baselineAverageFen: 100_000_017, upliftFen: 252_000_000, daysWithData: 3, accounts: 2, schoolsWithBaseline: 1 });
  const sub = await branch.get<InsightOverview>('/api/v1/admin/insights/overview?from=2026-09-01&to=2026-09-03');
  t.deepEqual(sub.body.balances, overview.body.balances, 'the branch sums its schools');
  const campus = await branch.get<InsightOverview>('/api/v1/admin/insights/overview?nodeId=campus_demo_east&from=2026-09-01&to=2026-09-03');
  t.like(campus.body.balances, { averageBalanceFen: null, upliftFen: null });

  const fix = await upload(branch, '/api/v1/admin/insights/balances/import', 'fix.csv', `\uFEFF账号,日期,余额\n${SCHOOL_ACCOUNT},2026-09-02,3000000.00\n`);
  t.is(fix.status, 201);
  const report = await branch.get<BalancesReport>('/api/v1/admin/insights/balances?from=2026-09-01&to=2026-09-03');
  t.is(report.status, 200);
  t.like(report.body.summary, { averageBalanceFen: 335_333_333 });
  t.deepEqual(
    report.body.schools.map((s) => [s.node.id, s.accounts, s.averageBalanceFen, s.baseline?.averageBalanceFen, s.upliftFen]),
    [['group_demo', 2, 335_333_333, 100_000_017, 235_333_316]],
  );
  t.is((await branch.request('PUT', '/api/v1/admin/insights/baselines', { body: { nodeId: 'campus_other', from: '2026-03-01', to: '2026-03-31' } })).status, 404);
});

test.serial('campaign results match parents by hashed phone and count as conversion; bad files are refused whole', async (t) => {
  const cipher = personalDataCipher(server.deps);
  const guardians = await server.deps.db.collection('guardians').find({ groupId: 'group_demo' }).limit(2).toArray();
  const [g1, g2] = guardians.map((g) => cipher.decrypt(String(g.phoneEnc)));
  const bad = await upload(branch, '/api/v1/admin/insights/campaign-results/import', 'c.csv', `手机号,产品,日期\n${g1},信用卡,2026-09-05\n123,借记卡,2026-09-05\n`, { campaign: '开学季办卡' });
  t.is(bad.status, 422);
  t.deepEqual(bad.body.details!.errors.map((e) => e.row), [3]);
  t.is(await server.deps.db.collection('insight_campaign_results').countDocuments({}), 0);
  const csv = `手机号,产品,日期\n${g1},信用卡,2026-09-05\n+86 ${g2},借记卡,2026/9/6\n13700009999,信用卡,2026-09-06\n`;
  const ok = await upload(branch, '/api/v1/admin/insights/campaign-results/import', 'campaign.csv', csv, { campaign: '开学季办卡' });
  t.is(ok.status, 201, JSON.stringify(ok.body));
  t.like(ok.body, { campaign: '开学季办卡', rows: 3, matched: 2, leadsConverted: 0 });
  const again = await upload(branch, '/api/v1/admin/insights/campaign-results/import', 'campaign.csv', csv, { campaign: '开学季办卡' });
  t.like(again.body, { matched: 2 });
  t.is(await server.deps.db.collection('insight_campaign_results').countDocuments({}), 2, 're-importing changes nothing; unmatched rows are not kept');
  const stored = JSON.stringify(await server.deps.db.collection('insight_campaign_results').find({}).toArray());
  t.false(stored.includes(g1!) || stored.includes('13700009999'), 'phones are never stored');
  const overview = await branch.get<InsightOverview>('/api/v1/admin/insights/overview?nodeId=group_demo');
  t.like(overview.body.campaigns, { openedFamilies: 2, conversionBp: null });
  t.deepEqual(overview.body.campaigns.opened.map((o) => o.count), [1, 1]);
  const outside = await upload(await server.loginAs('demo.platform'), '/api/v1/admin/insights/campaign-results/import', 'none.csv', 'phone,product,date\n13700009998,credit,2026-09-06\n', { campaign: '总行活动' });
  t.like(outside.body, { matched: 0 });
  t.is((await upload(branch, '/api/v1/admin/insights/campaign-results/import', 'c.csv', csv)).status, 400, 'a campaign name is required');
});

test('CSV: quotes, commas, line breaks, BOM and GB18030', (t) => {
  t.deepEqual(parseCsv('a,"b,1","c ""q"""\r\n"multi\nline",2,\n'), [
    ['a', 'b,1', 'c "q"'],
    ['multi\nline', '2', ''],
  ]);
  t.is(decodeCsv(Buffer.from('\uFEFF账号,余额', 'utf8')), '账号,余额');
  const gbk = Buffer.from([0xd5, 0xcb, 0xba, 0xc5]); // 账号 in GB18030
  t.is(decodeCsv(gbk), '账号');
  t.is(normaliseDay('2026/9/1'), '2026-09-01');
  t.is(normaliseDay('2026年9月1日'), '2026-09-01');
  t.is(normaliseDay('20260901'), '2026-09-01');
  t.is(normaliseDay('2026-02-30'), null);
  t.is(productOf('信用卡'), 'credit_card');
  t.is(productOf('储蓄卡'), 'debit_card');
  t.is(productOf('理财'), 'other');
  t.is(productOf(''), null);
});
