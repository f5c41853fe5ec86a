import test from 'ava';
import { addDays, businessDay, type Bill, type CashReport, type Reconciliation, type SettlementView } from '@campuspay/shared';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';
import type { ApiClient } from '../../testing/index.ts';
import { checkPaymentInvariants } from '../payments/payment-invariants.ts';

let p: PaymentsPlatform;
const today = businessDay();
const fee = (fen: number) => Math.floor((fen * 60 + 5000) / 10000);

test.before(async () => {
  p = await startPaymentsPlatform('settlement');
});
test.after.always(() => p?.stop());

async function raw(client: ApiClient, path: string): Promise<Response> {
  return fetch(new URL(path, p.server.url), { headers: { authorization: `Bearer ${(client as unknown as { token: string }).token}` } });
}

test.serial('settlement per payee account and day, and the cash report per cashier, from one day of online and counter activity', async (t) => {
  const db = p.server.deps.db;
  const classId = 'campus_demo_east_div1_g5_c1';
  const bills = await p.issue({ classId, amountFen: 80_000, allowPartial: true, minPaymentFen: 1_000 });
  const byStudent = async (i: number): Promise<Bill> => bills.sort((a, b) => a.studentId.localeCompare(b.studentId))[i]!;
  const [a, b, c] = [await byStudent(0), await byStudent(1), await byStudent(2)];

  // Online: A pays 800.00 through WeChat, 200.00 of it is refunded.
  const student = await db.collection('students').findOne({ _id: a.studentId as never });
  const parent = await p.parent('settle-a', [String(student?.studentNo)]);
  const order = await parent.post<{ orderId: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [a.id] });
  await p.control.pay(order.body.payParams.package.replace('prepay_id=', ''));
  await p.waitFor('paid', async () => (await db.collection('orders').findOne({ _id: order.body.orderId as never }))?.billsApplied === true);
  const online = await p.bursar.post<{ id: string }>('/api/v1/admin/refunds', { billId: a.id, amountFen: 20_000, reason: '部分退费' });
  await p.waitFor('refund', async () => (await db.collection('refunds').findOne({ _id: online.body.id as never }))?.status === 'SUCCESS');

  // Counter: the bursar takes cash, POS and a transfer, reverses the cash; the group admin hands back 100.00 in cash.
  const cash = await p.bursar.post<{ id: string }>('/api/v1/admin/offline-payments', { billId: b.id, amountFen: 30_000, method: 'cash', payerName: '家长乙' });
  t.is(cash.status, 201);
  t.is((await p.bursar.post('/api/v1/admin/offline-payments', { billId: b.id, amountFen: 20_000, method: 'pos', reference: 'POS-0001' })).status, 201);
  t.is((await p.bursar.post('/api/v1/admin/offline-payments', { billId: c.id, amountFen: 80_000, method: 'transfer', reference: 'TRF-0001' })).status, 201);
  t.is((await p.bursar.post(`/api/v1/admin/offline-payments/${cash.body.id}/reverse`, { reason: '收错学生' })).status, 200);
  const counterRefund = await p.group.post<{ channel: string }>('/api/v1/admin/refunds', { billId: c.id, amountFen: 10_000, reason: '多收退回' });
  t.is(counterRefund.status, 201);
  t.is(counterRefund.body.channel, 'counter');

  // Before reconciliation the fee is not known yet.
  const payee = p.payees[0]!.id;
  const early = await p.group.get<SettlementView>(`/api/v1/admin/settlements?from=${today}&to=${today}&payeeAccountId=${payee}`);
  t.is(early.status, 200);
  t.like(early.body.rows[0], { day: today, payeeAccountId: payee, onlineGrossFen: 80_000, onlineRefundFen: 20_000, wechatFeeFen: null, netSettlementFen: 60_000, reconciliationStatus: null });

  const started = await p.bursar.post<{ items: { reconciliationId: string; jobId: string }[] }>('/api/v1/admin/reconciliations', { date: today, payeeAccountId: payee });
  t.is(started.status, 202);
  await p.waitFor('reconciled', async () => (await p.server.deps.jobs.get(started.body.items[0]!.jobId)).status === 'succeeded');
  const recon = (await p.bursar.get<Reconciliation>(`/api/v1/admin/reconciliations/${started.body.items[0]!.reconciliationId}`)).body;
  t.is(recon.status, 'clean');

  const fees = fee(80_000) - fee(20_000);
  const view = await p.group.get<SettlementView>(`/api/v1/admin/settlements?from=${addDays(today, -1)}&to=${today}&payeeAccountId=${payee}`);
  t.is(view.body.rows.length, 2, 'one row per day of the period');
  t.deepEqual(view.body.rows[0], {
    day: today,
    payeeAccountId: payee,
    payeeName: '学校基本户',
    mchid: p.sandbox.merchants[0]!.mchid,
    onlineGrossFen: 80_000,
    onlineRefundFen: 20_000,
    wechatFeeFen: fees,
    netSettlementFen: 60_000 - fees,
    settlementDate: addDays(today, 1),
    cashFen: 30_000 - 30_000 - 10_000,
    posFen: 20_000,
    transferFen: 80_000,
    counterNetFen: 90_000,
    reconciliationStatus: 'clean',
    fundFlowNetFen: 60_000 - fees,
    fundFlowDifferenceFen: 0,
  });
  t.like(view.body.rows[1], { day: addDays(today, -1), onlineGrossFen: 0, counterNetFen: 0 });
  t.like(view.body.totals, { onlineGrossFen: 80_000, netSettlementFen: 60_000 - fees, counterNetFen: 90_000, fundFlowDifferenceFen: 0 });

  // The branch manager sees the same money figures for the schools of the branch; another bank's staff see nothing of it.
  const branch = await p.server.loginAs('demo.branch');
  t.like((await branch.get<SettlementView>(`/api/v1/admin/settlements?from=${today}&to=${today}`)).body.totals, { onlineGrossFen: 80_000 + 0 });
  const other = await p.server.loginAs('other.bursar');
  t.is((await other.get(`/api/v1/admin/settlements?payeeAccountId=${payee}`)).status, 404);

  // The cash report: per cashier, payments, reversals and refunds by method, and what each hands over.
  const report = await p.group.get<CashReport>(`/api/v1/admin/cash-report?day=${today}`);
  t.is(report.status, 200);
  const bursar = report.body.cashiers.find((x) => x.cashierName === '东校区出纳 王芳')!;
  const admin = report.body.cashiers.find((x) => x.cashierName === '集团财务总监 陈静')!;
  t.truthy(bursar);
  t.truthy(admin);
  t.deepEqual(bursar.payments, { cashFen: 30_000, posFen: 20_000, transferFen: 80_000, totalFen: 130_000 });
  t.deepEqual(bursar.reversals, { cashFen: 30_000, posFen: 0, transferFen: 0, totalFen: 30_000 });
  t.deepEqual(bursar.net, { cashFen: 0, posFen: 20_000, transferFen: 80_000, totalFen: 100_000 });
  t.deepEqual(admin.refunds, { cashFen: 10_000, posFen: 0, transferFen: 0, totalFen: 10_000 });
  t.deepEqual(report.body.totals.net, { cashFen: -10_000, posFen: 20_000, transferFen: 80_000, totalFen: 90_000 });
  t.deepEqual(bursar.lines.map((l) => [l.kind, l.method, l.amountFen, l.reversed]), [
    ['payment', 'cash', 30_000, true],
    ['payment', 'pos', 20_000, false],
    ['payment', 'transfer', 80_000, false],
    ['reversal', 'cash', -30_000, false],
  ]);
  t.truthy(bursar.lines[0]!.receiptNo);
  t.is(bursar.lines[1]!.reference, 'POS-0001');
  t.is(report.body.totals.net.totalFen, view.body.rows[0]!.counterNetFen, 'the cash report agrees with the settlement view');

  // Printable, and exported as .xlsx; both audited.
  const pdf = await raw(p.bursar, `/api/v1/admin/cash-report?day=${today}&format=pdf`);
  t.is(pdf.status, 200);
  t.is(pdf.headers.get('content-type'), 'application/pdf');
  t.is(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  const xlsx = await raw(p.bursar, `/api/v1/admin/cash-report?day=${today}&format=xlsx`);
  t.is(xlsx.status, 200);
  t.regex(xlsx.headers.get('content-type') ?? '', /spreadsheetml/);
  const audit = await p.group.get<{ items: { objectId: string; after: { format: string } }[] }>('/api/v1/admin/audit-logs?action=report.export');
  t.deepEqual(audit.body.items.filter((e) => e.objectId === 'cash-report').map((e) => e.after.format).sort(), ['pdf', 'xlsx']);

  // A bursar of one campus sees only that campus's counter; another school's bursar sees an empty report.
  const west = await p.server.loginAs('demo.bursar.west');
  t.is((await west.get<CashReport>(`/api/v1/admin/cash-report?day=${today}`)).body.cashiers.length, 0);
  t.is((await other.get<CashReport>(`/api/v1/admin/cash-report?day=${today}`)).body.cashiers.length, 0);
  t.is((await other.get(`/api/v1/admin/cash-report?day=${today}&nodeId=campus_demo_east`)).status, 404);

  t.deepEqual((await checkPaymentInvariants(db)).problems, []);
});
