import test from 'ava';
import ExcelJS from 'exceljs';
import { businessDay, parseYuan, type Bill, type CollectionReport, type CollectionRow, type DailyTakingsReport, type UnpaidReport } from '@campuspay/shared';
import { DEMO_PASSWORD } from '../demo/demo-seed.ts';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';
import { checkBillLedgerInvariants } from '../ledger/invariants.ts';
import { bookOnline, counterPay, createFeeItem, createPayee, issue } from './report-test-support.ts';
import { collectionRateBp } from './reports.service.ts';
import { exactDecimalCell, rateCell, yuanCell } from './report-workbook.ts';

let server: SeededServer;
let group: ApiClient;
let bursar: ApiClient;
let west: ApiClient;
const tokens: Record<string, string> = {};
const ids = { tuition: '', dorm: '', westTuition: '' };
const shanghaiAt = (day: string, time = '10:00:00') => new Date(`${day}T${time}+08:00`);

async function token(username: string): Promise<string> {
  if (!tokens[username]) {
    const res = await server.api.post<{ token: string }>('/api/v1/admin/auth/login', { username, password: DEMO_PASSWORD });
    tokens[username] = res.body.token;
  }
  return tokens[username]!;
}

async function download(username: string, path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${await token(username)}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function workbook(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb.worksheets[0]!;
}

/** A yuan cell read back as fen, exactly: the cell's number printed as Excel would read it. */
function cellFen(value: ExcelJS.CellValue): number {
  return parseYuan(String(value));
}

test.before(async () => {
  server = await startSeededServer('reports');
  group = await server.loginAs('demo.group');
  bursar = await server.loginAs('demo.bursar');
  west = await server.loginAs('demo.bursar.west');
  const payee = await createPayee(group);
  const tuition = await createFeeItem(bursar, payee, {
    name: '学费',
    nodeId: 'campus_demo_east',
    allowPartial: true,
    minPaymentFen: 100_000,
    prices: [
      { nodeId: 'campus_demo_east_div1', amountFen: 800_000 },
      { nodeId: 'campus_demo_east_div1_g1', amountFen: 750_000 },
    ],
  });
  const dorm = await createFeeItem(bursar, payee, { name: '住宿费', category: 'dormitory', nodeId: 'campus_demo_east', prices: [{ nodeId: 'campus_demo_east_div2', amountFen: 300_000 }] });
  const westTuition = await createFeeItem(group, payee, { name: '学费', nodeId: 'campus_demo_west', prices: [{ nodeId: 'campus_demo_west', amountFen: 900_001 }] });
  Object.assign(ids, { tuition: tuition.id, dorm: dorm.id, westTuition: westTuition.id });

  const a = await issue(bursar, tuition.id, ['campus_demo_east_div1_g1']);
  const b = await issue(bursar, dorm.id, ['campus_demo_east_div2_g1_c1']);
  const c = await issue(group, westTuition.id, ['campus_demo_west_div1_g1_c1']);
  const [a0, a1, a2, a3, a4, a5] = a as [Bill, Bill, Bill, Bill, Bill, Bill];
  // Counter: cash in full; POS then transfer; cash reversed.
  await counterPay(bursar, a0.id, 750_000, 'cash');
  await counterPay(bursar, a1.id, 300_000, 'pos');
  await counterPay(bursar, a1.id, 450_000, 'transfer');
  const wrong = await counterPay(bursar, a3.id, 200_000, 'cash');
  const reversed = await bursar.post(`/api/v1/admin/offline-payments/${wrong.id}/reverse`, { reason: '收错账单' });
  if (reversed.status !== 200) throw new Error(JSON.stringify(reversed.body));
  // Online: paid in full then partly refunded, on earlier business days; a concession then a partial online payment.
  await bookOnline(server, a2.id, 'payment', 750_000, shanghaiAt('2026-09-01', '09:00:00'), 'a2-pay');
  await bookOnline(server, a2.id, 'refund', 100_000, shanghaiAt('2026-09-03', '23:59:59'), 'a2-refund');
  const concession = await bursar.post(`/api/v1/admin/bills/${a4.id}/concessions`, { kind: 'scholarship', amountFen: 50_000, reason: '奖学金' });
  if (concession.status !== 200) throw new Error(JSON.stringify(concession.body));
  await bookOnline(server, a4.id, 'payment', 200_000, shanghaiAt('2026-09-02', '00:00:00'), 'a4-pay');
  const waived = await group.post(`/api/v1/admin/bills/${a5.id}/waive`, { reason: '特困家庭全免' });
  if (waived.status !== 200) throw new Error(JSON.stringify(waived.body));
  // Dormitory: one cancelled, one paid online.
  const cancelled = await bursar.post(`/api/v1/admin/bills/${b[0]!.id}/cancel`, { reason: '未入住' });
  if (cancelled.status !== 200) throw new Error(JSON.stringify(cancelled.body));
  await bookOnline(server, b[1]!.id, 'payment', 300_000, shanghaiAt('2026-09-02', '23:30:00'), 'b1-pay');
  // West campus: cash at the counter.
  await counterPay(group, c[0]!.id, 900_001, 'cash');
});
test.after.always(() => server?.stop());
// The tests run one at a time: this check reads every bill and then every entry, and a test writing between
// the two reads would make the books look unbalanced.
test.afterEach.always(async (t) => {
  const report = await checkBillLedgerInvariants(server.deps.db);
  t.deepEqual(report.problems, [], 'bills = ledger');
});

type RawBill = { _id: string; orgPath: string[]; campusId: string; feeItemId: string; amountDueFen: number; concessionFen: number; outstandingFen: number; status: string; published: boolean; studentId: string };
type RawEntry = { kind: string; method: string; amountFen: number; day: string; orgPath: string[]; campusId: string; feeItemId: string };

/** The report computed a second way: every document read raw, filtered and summed in the test. */
let rawBooks: Promise<{ bills: RawBill[]; entries: RawEntry[] }> | undefined;
/** Every bill and ledger entry, read raw once: the tests that compare against them change nothing. */
function books() {
  rawBooks ??= (async () => ({
    bills: (await server.deps.db.collection('bills').find({}).toArray()) as unknown as RawBill[],
    entries: (await server.deps.db.collection('ledger_entries').find({}).toArray()) as unknown as RawEntry[],
  }))();
  return rawBooks;
}

async function expectedCollection(root: string, groupBy: string, filter: { feeItemId?: string; from?: string; to?: string } = {}) {
  const { bills, entries } = await books();
  const keyOf = (d: { orgPath: string[]; campusId: string; feeItemId: string }) =>
    groupBy === 'campus' ? d.campusId : groupBy === 'feeItem' ? d.feeItemId : d.orgPath[d.orgPath.length - { division: 3, grade: 2, class: 1 }[groupBy as 'class']]!;
  const rows = new Map<string, { bills: number; billedFen: number; concessionFen: number; collectedOnlineFen: number; collectedOfflineFen: number; refundedFen: number; outstandingFen: number }>();
  const row = (key: string) => {
    if (!rows.has(key)) rows.set(key, { bills: 0, billedFen: 0, concessionFen: 0, collectedOnlineFen: 0, collectedOfflineFen: 0, refundedFen: 0, outstandingFen: 0 });
    return rows.get(key)!;
  };
  for (const b of bills) {
    if (!b.orgPath.includes(root) || (filter.feeItemId && b.feeItemId !== filter.feeItemId) || b.status === 'cancelled' || !b.published) continue;
    const r = row(keyOf(b));
    r.bills += 1;
    r.billedFen += b.amountDueFen;
    r.concessionFen += b.concessionFen;
    r.outstandingFen += b.outstandingFen;
  }
  for (const e of entries) {
    if (!e.orgPath.includes(root) || (filter.feeItemId && e.feeItemId !== filter.feeItemId)) continue;
    if ((filter.from && e.day < filter.from) || (filter.to && e.day > filter.to)) continue;
    const r = row(keyOf(e));
    if (e.kind === 'refund') r.refundedFen += e.amountFen;
    else if (e.method === 'wechat') r.collectedOnlineFen += e.kind === 'payment' ? e.amountFen : -e.amountFen;
    else r.collectedOfflineFen += e.kind === 'payment' ? e.amountFen : -e.amountFen;
  }
  return rows;
}

function figures(r: CollectionRow) {
  const { key: _k, label: _l, rateBp: _r, ...rest } = r;
  return rest;
}

test.serial('collection report: every grouping ties out with sums computed from the raw bills and ledger, per scope', async (t) => {
  const cases: [ApiClient, string, string][] = [
    [group, 'group_demo', ''],
    [bursar, 'campus_demo_east', ''],
    [bursar, 'campus_demo_east_div1', '&nodeId=campus_demo_east_div1'],
    [west, 'campus_demo_west', ''],
  ];
  for (const [api, root, narrowing] of cases) {
    const groupBys = ['campus', 'division', 'grade', 'class', 'feeItem'];
    const answers = await Promise.all(groupBys.map((groupBy) => api.get<CollectionReport>(`/api/v1/admin/reports/collection?groupBy=${groupBy}${narrowing}`)));
    for (const [i, groupBy] of groupBys.entries()) {
      const res = answers[i]!;
      t.is(res.status, 200, `${root} ${groupBy}`);
      const expected = await expectedCollection(root, groupBy);
      t.deepEqual(Object.fromEntries(res.body.rows.map((r) => [r.key, figures(r)])), Object.fromEntries(expected), `${root} by ${groupBy}`);
      for (const r of [...res.body.rows, res.body.totals]) {
        t.is(r.billedFen - r.concessionFen, r.collectedOnlineFen + r.collectedOfflineFen - r.refundedFen + r.outstandingFen, `${root} ${groupBy} ${r.label}: the books tie out`);
        t.is(r.rateBp, collectionRateBp(r.collectedOnlineFen + r.collectedOfflineFen - r.refundedFen, r.billedFen - r.concessionFen));
      }
      t.is(res.body.totals.billedFen, [...expected.values()].reduce((n, r) => n + r.billedFen, 0));
    }
  }

  const east = (await bursar.get<CollectionReport>('/api/v1/admin/reports/collection?groupBy=class')).body;
  t.is(east.scope.label, '明德教育集团 / 明德东校区');
  t.true(east.rows.some((r) => r.label === '小学部 / 一年级 / 1班'), 'class labels run from below the scope');
  t.true(east.rows.every((r) => !r.key.startsWith('campus_demo_west')), 'a campus bursar sees only their campus');
  const totals = (await group.get<CollectionReport>('/api/v1/admin/reports/collection')).body.totals;
  t.like(totals, { collectedOnlineFen: 750_000 + 200_000 + 300_000, refundedFen: 100_000, collectedOfflineFen: 750_000 + 750_000 + 900_001 });
  // Only the figures of bills the platform holds: the sum of paid − refunded over all bills.
  const raw = (await server.deps.db.collection('bills').find({}).toArray()) as unknown as { paidFen: number; refundedFen: number }[];
  t.is(totals.collectedOnlineFen + totals.collectedOfflineFen - totals.refundedFen, raw.reduce((n, b) => n + b.paidFen - b.refundedFen, 0));

  const byItem = await bursar.get<CollectionReport>(`/api/v1/admin/reports/collection?groupBy=class&feeItemId=${ids.tuition}`);
  t.deepEqual(Object.fromEntries(byItem.body.rows.map((r) => [r.key, figures(r)])), Object.fromEntries(await expectedCollection('campus_demo_east', 'class', { feeItemId: ids.tuition })));

  const period = await group.get<CollectionReport>('/api/v1/admin/reports/collection?groupBy=feeItem&from=2026-09-01&to=2026-09-02');
  t.deepEqual(Object.fromEntries(period.body.rows.map((r) => [r.key, figures(r)])), Object.fromEntries(await expectedCollection('group_demo', 'feeItem', { from: '2026-09-01', to: '2026-09-02' })));
  t.is(period.body.totals.refundedFen, 0, 'the refund on 09-03 is outside the period');
  t.is(period.body.totals.collectedOnlineFen, 1_250_000);

  t.is((await west.get('/api/v1/admin/reports/collection?nodeId=campus_demo_east')).status, 404, 'another campus does not exist for them');
  t.is((await west.get(`/api/v1/admin/reports/collection?feeItemId=${ids.tuition}`)).status, 404);
  t.is((await group.get('/api/v1/admin/reports/collection?groupBy=school')).status, 400);
  t.is((await group.get('/api/v1/admin/reports/collection?from=2026-09-05&to=2026-09-01')).status, 400);
  t.is((await (await server.loginAs('demo.branch')).get('/api/v1/admin/reports/collection')).status, 403, 'branch managers see no school reports');
});

test.serial('collection report as .xlsx: Chinese headers, exact yuan amounts, totals row, title with scope and period; audited', async (t) => {
  const query = `groupBy=class&from=2026-09-01&to=${businessDay()}`;
  const json = (await group.get<CollectionReport>(`/api/v1/admin/reports/collection?${query}`)).body;
  const file = await download('demo.group', `/api/v1/admin/reports/collection?${query}&format=xlsx`);
  t.is(file.status, 200);
  t.is(file.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  t.regex(file.headers.get('content-disposition') ?? '', /^attachment; filename="collection-report-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''%E6%94%B6/);
  const sheet = await workbook(file.bytes);
  t.is(sheet.getCell('A1').value, '收费汇总表（按班级）');
  t.regex(String(sheet.getCell('A2').value), /^范围：明德教育集团　/);
  t.regex(String(sheet.getCell('A2').value), new RegExp(`实收统计期间：2026-09-01 至 ${businessDay()}`));
  const headers = (sheet.getRow(4).values as ExcelJS.CellValue[]).slice(1);
  t.deepEqual(headers, ['班级', '账单数', '应收金额（元）', '优惠减免（元）', '应缴净额（元）', '线上实收（元）', '线下实收（元）', '退款（元）', '实收净额（元）', '未缴金额（元）', '收缴率']);
  const dataRows = json.rows.length;
  for (let i = 0; i <= dataRows; i++) {
    const row = sheet.getRow(5 + i);
    const r = i < dataRows ? json.rows[i]! : json.totals;
    t.is(row.getCell(1).value, i < dataRows ? r.label : '合计');
    t.is(row.getCell(2).value, r.bills);
    const amounts = [r.billedFen, r.concessionFen, r.billedFen - r.concessionFen, r.collectedOnlineFen, r.collectedOfflineFen, r.refundedFen, r.collectedOnlineFen + r.collectedOfflineFen - r.refundedFen, r.outstandingFen];
    amounts.forEach((fenValue, k) => {
      const cell = row.getCell(3 + k);
      t.is(typeof cell.value, 'number', 'amounts are numeric cells');
      t.is(cell.numFmt, '#,##0.00');
      t.is(cellFen(cell.value), fenValue, `${r.label} column ${k + 3}`);
    });
    const rate = row.getCell(11);
    if (r.rateBp === null) t.is(rate.value, '—');
    else t.is(Math.round((rate.value as number) * 10000), r.rateBp);
  }
  t.is(sheet.getRow(5 + dataRows + 1).getCell(1).value, null, 'nothing after the totals row');
  t.is(cellFen(sheet.getRow(5 + dataRows).getCell(3).value), json.totals.billedFen);
  t.is(cellFen(sheet.getRow(5 + dataRows).getCell(7).value), 750_000 + 750_000 + 900_001, 'the west campus fen survives as 9000.01');

  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ items: { action: string; objectId: string; after: Record<string, unknown>; actor: { username: string } }[] }>('/api/v1/admin/audit-logs?action=report.export');
  t.true(logs.body.items.some((e) => e.objectId === 'collection' && e.actor.username === 'demo.group' && e.after.groupBy === 'class' && e.after.from === '2026-09-01'));
  t.is((await download('demo.platform', '/api/v1/admin/reports/collection?format=xlsx')).status, 403, 'exporting needs reports.export');
  t.is((await download('demo.auditor', '/api/v1/admin/reports/collection?format=xlsx')).status, 200);
});

test.serial('exact cells: yuan and rates go into the file as the decimal digits, never rounded floats', (t) => {
  for (const fenValue of [0, 1, 5, 10, 99, 100, 12_345, 900_001, 123_456_789_012, -250, 1_000_000_000_000_01]) {
    const cell = yuanCell(fenValue);
    t.is(typeof cell, 'number');
    t.is(parseYuan(String(cell)) as number, fenValue, `${fenValue} fen`);
  }
  t.is(yuanCell(Number.MAX_SAFE_INTEGER), '90071992547409.91', 'too many digits for a double: written as text rather than rounded');
  t.is(rateCell(9512), 0.9512);
  t.is(rateCell(10000), 1);
  t.is(rateCell(1), 0.0001);
  t.is(rateCell(null), '—');
  t.is(exactDecimalCell('0.10'), 0.1);
  t.is(collectionRateBp(2, 3), 6666, 'rounded down, in integers');
  t.is(collectionRateBp(1, 0), null);
  t.is(collectionRateBp(9_000_000_000_000_00, 9_000_000_000_000_01), 9999, 'no overflow on a province’s totals');
});

test.serial('unpaid bills: every open bill with masked guardian phones; .xlsx with totals; audited', async (t) => {
  const raw = ((await server.deps.db.collection('bills').find({}).toArray()) as unknown as RawBill[]).filter(
    (b) => b.orgPath.includes('campus_demo_east') && (b.status === 'unpaid' || b.status === 'partially_paid'),
  );
  const first = await bursar.get<UnpaidReport>('/api/v1/admin/reports/unpaid?pageSize=20');
  t.is(first.status, 200);
  t.is(first.body.total, raw.length);
  t.is(first.body.totals.outstandingFen, raw.reduce((n, b) => n + b.outstandingFen, 0));
  t.is(first.body.items.length, 20);
  const pages = await Promise.all(Array.from({ length: Math.ceil(raw.length / 200) }, (_, i) => bursar.get<UnpaidReport>(`/api/v1/admin/reports/unpaid?pageSize=200&page=${i + 1}`)));
  const all = pages.flatMap((p) => p.body.items);
  t.deepEqual(all.map((i) => i.billId).sort(), raw.map((b) => b._id).sort());
  const partial = all.find((i) => i.status === 'partially_paid' && i.concessionFen > 0)!;
  t.like(partial, { amountDueFen: 750_000, concessionFen: 50_000, netPaidFen: 200_000, outstandingFen: 500_000, campusName: '明德东校区' });
  t.regex(partial.className, /^小学部 \/ 一年级 \/ \d班$/);
  t.true(all.every((i) => i.guardians.length === 2 && i.guardians.every((g) => /^1\d{2}\*{4}\d{4}$/.test(g.phoneMasked))), 'guardians with masked phones');
  t.true(all.every((i) => i.guardians[0]!.primary), 'the primary guardian first');
  t.true(all.every((i) => i.guardians.every((g) => Object.keys(g).sort().join() === 'name,phoneMasked,primary,relationship')), 'no phone number in the clear');
  t.true(all.every((i) => i.overdue), 'due 2026-09-10, so overdue today');

  const overdueOnly = await bursar.get<UnpaidReport>(`/api/v1/admin/reports/unpaid?overdueOnly=true&feeItemId=${ids.dorm}`);
  t.is(overdueOnly.body.total, raw.filter((b) => b.feeItemId === ids.dorm).length);
  t.is((await west.get(`/api/v1/admin/reports/unpaid?nodeId=campus_demo_east_div1`)).status, 404);

  const file = await download('demo.bursar', '/api/v1/admin/reports/unpaid?format=xlsx');
  t.is(file.status, 200);
  const sheet = await workbook(file.bytes);
  t.is(sheet.getCell('A1').value, '欠费明细表');
  t.deepEqual((sheet.getRow(4).values as ExcelJS.CellValue[]).slice(1), ['学号', '姓名', '校区', '班级', '收费项目', '期间', '截止日期', '状态', '应收金额（元）', '优惠减免（元）', '已缴金额（元）', '未缴金额（元）', '监护人（手机号已脱敏）']);
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const row = sheet.getRow(5 + i);
    sum += cellFen(row.getCell(12).value);
    t.regex(String(row.getCell(13).value), /^[^；]+（(父亲|母亲)）1\d{2}\*{4}\d{4}；[^；]+（(父亲|母亲)）1\d{2}\*{4}\d{4}$/);
  }
  t.is(sum, first.body.totals.outstandingFen);
  const totalsRow = sheet.getRow(5 + raw.length);
  t.is(totalsRow.getCell(1).value, '合计');
  t.is(cellFen(totalsRow.getCell(12).value), first.body.totals.outstandingFen);
  t.is(totalsRow.getCell(12).numFmt, '#,##0.00');
  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ items: { objectId: string; actor: { username: string }; after: { rows: number } }[] }>('/api/v1/admin/audit-logs?action=report.export');
  t.true(logs.body.items.some((e) => e.objectId === 'unpaid' && e.actor.username === 'demo.bursar' && e.after.rows === raw.length));
});

test.serial('daily takings per Asia/Shanghai day: methods, refunds and net from the ledger; every day listed; .xlsx', async (t) => {
  const res = await group.get<DailyTakingsReport>('/api/v1/admin/reports/daily-takings?from=2026-09-01&to=2026-09-05');
  t.is(res.status, 200);
  t.deepEqual(res.body.rows.map((r) => r.day), ['2026-09-01', '2026-09-02', '2026-09-03', '2026-09-04', '2026-09-05']);
  t.like(res.body.rows[0], { onlineFen: 750_000, cashFen: 0, refundFen: 0, netFen: 750_000, entries: 1 });
  t.like(res.body.rows[1], { onlineFen: 500_000, netFen: 500_000, entries: 2 }, '00:00:00 and 23:30 Shanghai both fall on 09-02');
  t.like(res.body.rows[2], { onlineFen: 0, refundFen: 100_000, netFen: -100_000, entries: 1 }, '23:59:59 Shanghai is still 09-03');
  t.like(res.body.totals, { onlineFen: 1_250_000, refundFen: 100_000, netFen: 1_150_000, entries: 4 });

  // Today: the counter takings, computed again from the raw ledger.
  const today = (await server.deps.db.collection('ledger_entries').find({ method: { $ne: 'wechat' } }).toArray()) as unknown as RawEntry[];
  const day = today[0]!.day;
  const expected = { cashFen: 0, posFen: 0, transferFen: 0 };
  for (const e of today.filter((x) => x.day === day && x.orgPath.includes('campus_demo_east'))) {
    const key = `${e.method}Fen` as keyof typeof expected;
    expected[key] += e.kind === 'payment' ? e.amountFen : -e.amountFen;
  }
  const east = await bursar.get<DailyTakingsReport>(`/api/v1/admin/reports/daily-takings?from=${day}&to=${day}`);
  t.like(east.body.rows[0], { ...expected, netFen: expected.cashFen + expected.posFen + expected.transferFen });
  t.like(east.body.rows[0], { cashFen: 750_000, posFen: 300_000, transferFen: 450_000 }, 'the reversed cash payment nets out on its day');
  t.is(east.body.rows[0]!.entries, 5);
  const defaults = await bursar.get<DailyTakingsReport>('/api/v1/admin/reports/daily-takings');
  t.is(defaults.body.rows.length, 30, 'the last 30 days by default');
  t.is((await group.get('/api/v1/admin/reports/daily-takings?from=2025-01-01&to=2026-09-05')).status, 400, 'at most 366 days');

  const file = await download('demo.group', '/api/v1/admin/reports/daily-takings?from=2026-09-01&to=2026-09-05&format=xlsx');
  t.is(file.status, 200);
  const sheet = await workbook(file.bytes);
  t.is(sheet.getCell('A1').value, '每日收款汇总表');
  t.regex(String(sheet.getCell('A2').value), /期间：2026-09-01 至 2026-09-05/);
  t.deepEqual((sheet.getRow(4).values as ExcelJS.CellValue[]).slice(1), ['日期', '微信支付（元）', '现金（元）', 'POS 刷卡（元）', '银行转账（元）', '退款（元）', '净收入（元）', '笔数']);
  t.deepEqual((sheet.getRow(7).values as ExcelJS.CellValue[]).slice(1), ['2026-09-03', 0, 0, 0, 0, 1000, -1000, 1]);
  t.deepEqual((sheet.getRow(10).values as ExcelJS.CellValue[]).slice(1), ['合计', 12500, 0, 0, 0, 1000, 11500, 4]);
});
