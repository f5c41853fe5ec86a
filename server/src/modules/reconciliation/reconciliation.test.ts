import test, { type ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { businessDay, type Bill, type Reconciliation, type ReconciliationPeriod } from '@campuspay/shared';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';
import type { ApiClient } from '../../testing/index.ts';
import { ledgerService } from '../ledger/ledger.service.ts';
import { checkPaymentInvariants } from '../payments/payment-invariants.ts';
import type { BillStream, WechatPayGateway } from '../wechatpay/wechatpay-gateway.ts';
import { ReconciliationLineModel } from './reconciliation-line.model.ts';
import { ReconciliationModel } from './reconciliation.model.ts';
import { reconciliationService } from './reconciliation.service.ts';

interface OrderAnswer {
  orderId: string;
  outTradeNo: string;
  totalFen: number;
  payParams: { package: string } | null;
}

let p: PaymentsPlatform;
const today = businessDay();

test.before(async () => {
  // No background sweep: only the reconciliation may find a payment whose notification was dropped.
  p = await startPaymentsPlatform('reconciliation', { paymentSweepSeconds: 3600, orderQueryAfterSeconds: 86_400 });
});
test.after.always(async () => {
  await p?.stop();
});
test.afterEach.always(() => p.control.clearFaults());

async function booksBalance(t: ExecutionContext) {
  const report = await checkPaymentInvariants(p.server.deps.db);
  t.deepEqual(report.problems, [], 'bills = orders = ledger');
}

const prepayOf = (o: OrderAnswer) => o.payParams!.package.replace('prepay_id=', '');
const db = () => p.server.deps.db;

async function studentsOf(classId: string): Promise<string[]> {
  return (await db().collection('students').find({ classId }).sort({ studentNo: 1 }).limit(6).toArray()).map((s) => String(s.studentNo));
}

async function billOf(parent: ApiClient, studentNo: string, feeItemId: string): Promise<Bill> {
  const s = await db().collection('students').findOne({ studentNo });
  const bills = (await parent.get<{ items: Bill[] }>(`/api/v1/parent/bills?studentId=${s?._id}`)).body.items;
  return bills.find((b) => b.feeItemId === feeItemId)!;
}

async function applied(orderId: string) {
  return p.waitFor('order applied', async () => (await db().collection('orders').findOne({ _id: orderId as never }))?.billsApplied === true);
}

async function refundDone(id: string) {
  return p.waitFor('refund done', async () => (await db().collection('refunds').findOne({ _id: id as never }))?.status === 'SUCCESS');
}

/** Presses the button for a payee account's merchant and waits for the job; returns the reconciliation. */
async function reconcile(payee: number, client: ApiClient = p.bursar, date = today): Promise<Reconciliation> {
  const started = await client.post<{ items: { reconciliationId: string; jobId: string }[] }>('/api/v1/admin/reconciliations', { date, payeeAccountId: p.payees[payee]!.id });
  if (started.status !== 202) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  const [item] = started.body.items;
  await p.waitFor('reconciliation job', async () => {
    const job = await p.server.deps.jobs.get(item!.jobId);
    return job.status === 'succeeded' || job.status === 'failed';
  }, 60_000);
  const res = await client.get<Reconciliation>(`/api/v1/admin/reconciliations/${item!.reconciliationId}`);
  if (res.status !== 200) throw new Error(`get: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const fee = (fen: number) => Math.floor((fen * 60 + 5000) / 10000); // the sandbox's 0.60%, rounded half up to the fen

let dropped: { orderId: string; outTradeNo: string; totalFen: number } | null = null;
let first: Reconciliation;

test.serial('a day of sandbox activity reconciles: payments, partial refunds, a double payment refunded automatically, and a dropped notification found and fixed', async (t) => {
  const classId = 'campus_demo_east_div1_g2_c1';
  const [tuition] = await p.issue({ classId, amountFen: 80_000 });
  const [a, b, c] = await studentsOf(classId);
  const parent = await p.parent('recon-day', [a!, b!, c!]);
  const pay = async (no: string) => {
    const bill = await billOf(parent, no, tuition!.feeItemId);
    return (await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill.id] })).body;
  };

  // 1. a normal payment, then a partial refund of it
  const o1 = await pay(a!);
  await p.control.pay(prepayOf(o1), { bankType: 'ICBC_DEBIT' });
  await applied(o1.orderId);
  const bill1 = await billOf(parent, a!, tuition!.feeItemId);
  const partial = await p.bursar.post<{ id: string }>('/api/v1/admin/refunds', { billId: bill1.id, amountFen: 30_000, reason: '部分退费' });
  t.is(partial.status, 201);
  await refundDone(partial.body.id);

  // 2. a payment whose notification WeChat drops: nobody asks about it, the books miss it
  const o2 = await pay(b!);
  await p.control.faults({ type: 'notify-drop', count: 1, outTradeNo: o2.outTradeNo });
  await p.control.pay(prepayOf(o2));
  await p.waitFor('drop recorded', async () => (await p.control.state()).orders.some((o) => o.outTradeNo === o2.outTradeNo && o.tradeState === 'SUCCESS'));
  t.is((await db().collection('orders').findOne({ _id: o2.orderId as never }))?.status, 'PENDING');
  dropped = { orderId: o2.orderId, outTradeNo: o2.outTradeNo, totalFen: o2.totalFen };

  // 3. a bill paid twice (the open-order mark lost): the second payment is refunded automatically
  const o3 = await pay(c!);
  const bill3 = await billOf(parent, c!, tuition!.feeItemId);
  await db().collection('bills').updateOne({ _id: bill3.id as never }, { $set: { openOrderId: null } });
  await db().collection('orders').updateOne({ _id: o3.orderId as never }, { $set: { parentId: 'someone-else' } });
  const o3b = (await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill3.id] })).body;
  await p.control.pay(prepayOf(o3b));
  // One after the other: two notifications for two orders of one bill applied at the same moment may both see it overpaid.
  await applied(o3b.orderId);
  await p.control.pay(prepayOf(o3));
  await p.waitFor('auto refund', async () => (await db().collection('refunds').findOne({ billId: bill3.id, automatic: true, status: 'SUCCESS' })) !== null);

  const recon = await reconcile(0);
  first = recon;
  t.is(recon.status, 'clean', JSON.stringify(recon.lines));
  t.is(recon.day, today);
  t.like(recon.counts, { billLines: 6, wechatPayments: 4, wechatRefunds: 2, platformPayments: 4, platformRefunds: 2, matched: 5, wechatOnly: 1, autoFixed: 1, open: 0, platformOnly: 0, amountDiffers: 0, statusDiffers: 0 });
  const paid = 4 * 80_000;
  const refunded = 30_000 + 80_000;
  const fees = 4 * fee(80_000) - fee(30_000) - fee(80_000);
  t.deepEqual(recon.amounts, {
    wechatPaymentsFen: paid,
    wechatSettledFen: paid,
    wechatRefundsFen: refunded,
    wechatFeeMilliFen: fees * 1000,
    wechatFeeFen: fees,
    platformPaymentsFen: paid,
    platformRefundsFen: refunded,
    matchedNetFen: paid - refunded,
    differenceFen: 0,
    netSettlementFen: paid - refunded - fees,
  });
  t.like(recon.fundFlow, { accountType: 'BASIC', netFen: paid - refunded - fees, expectedNetFen: paid - refunded - fees, differenceFen: 0 });
  t.like(recon.bill, { hashType: 'SHA1', lines: 9 });

  // The dropped payment: found in WeChat only, queried and applied through the normal path, marked resolved.
  t.is(recon.lines?.length, 1);
  t.like(recon.lines![0], { kind: 'payment', outcome: 'wechat_only', resolution: 'auto_fixed', outTradeNo: o2.outTradeNo, resolvedBy: 'system', exceptionId: null });
  t.like(recon.lines![0]!.wechat, { amountFen: 80_000, status: 'SUCCESS' });
  t.like(recon.lines![0]!.platform, { amountFen: 80_000, day: today });
  const order2 = await db().collection('orders').findOne({ _id: o2.orderId as never });
  t.like(order2, { status: 'PAID', billsApplied: true });
  t.truthy(order2?.receiptNo, 'the normal path issued the receipt');
  t.like(await billOf(parent, b!, tuition!.feeItemId), { paidFen: 80_000, status: 'paid' });
  t.is(await db().collection('payment_exceptions').countDocuments({ kind: 'reconciliation_difference' }), 0);
  await booksBalance(t);
});

test.serial('re-running the day is safe and gives the same result', async (t) => {
  const ledgerBefore = await db().collection('ledger_entries').countDocuments({});
  const linesBefore = await ReconciliationLineModel(db()).find({ reconciliationId: first.id }).lean();
  const again = await reconcile(0, p.group);
  t.is(again.id, first.id, 'the same record (id per merchant and day)');
  t.is(again.runs, first.runs + 1);
  t.is(again.status, first.status);
  t.deepEqual(again.counts, first.counts);
  t.deepEqual(again.amounts, first.amounts);
  t.deepEqual(again.lines, first.lines);
  t.is(await db().collection('ledger_entries').countDocuments({}), ledgerBefore, 'nothing applied twice');
  t.deepEqual(await ReconciliationLineModel(db()).find({ reconciliationId: first.id }).lean(), linesBefore);
  t.is(await ReconciliationModel(db()).countDocuments({ _id: first.id }), 1);
  await booksBalance(t);
});

let differences: Reconciliation;
let restore: (() => Promise<void>) | null = null;

test.serial('injected differences are reported exactly: an amount altered in the platform, a payment only in the platform', async (t) => {
  const classId = 'campus_demo_east_div1_g3_c1';
  const [item] = await p.issue({ classId, amountFen: 50_000, payee: 1, category: 'meals' });
  const [a, b, c] = await studentsOf(classId);
  const parent = await p.parent('recon-diff', [a!, b!, c!]);
  const order = async (no: string) => (await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [(await billOf(parent, no, item!.feeItemId)).id] })).body;

  // A matched payment, to show what is not a difference.
  const ok = await order(c!);
  await p.control.pay(prepayOf(ok));
  await applied(ok.orderId);

  // 1. The platform's books hold 490.00 for a payment WeChat took 500.00 for.
  const altered = await order(a!);
  await p.control.pay(prepayOf(altered));
  await applied(altered.orderId);
  const entry = await db().collection('ledger_entries').findOne({ orderId: altered.orderId });
  await db().collection('ledger_entries').updateOne({ _id: entry!._id }, { $set: { amountFen: 49_000 } });
  restore = async () => {
    await db().collection('ledger_entries').updateOne({ _id: entry!._id }, { $set: { amountFen: 50_000 } });
  };

  // 2. The platform believes a payment succeeded that WeChat never took (the order was never paid at WeChat).
  const ghost = await order(b!);
  const ghostTx = '4200000000202601019999999999';
  const ghostBill = (await billOf(parent, b!, item!.feeItemId)).id;
  await db().collection('orders').updateOne({ _id: ghost.orderId as never }, { $set: { status: 'PAID', transactionId: ghostTx, paidAt: new Date(), billsApplied: true }, $inc: { version: 1 } });
  await db().collection('bills').updateOne({ _id: ghostBill as never }, { $set: { openOrderId: null }, $inc: { version: 1 } });
  await ledgerService(p.server.deps).apply({ _id: `wxpay:${ghostTx}:${ghostBill}`, kind: 'payment', method: 'wechat', billId: ghostBill, amountFen: 50_000, at: new Date(), orderId: ghost.orderId, transactionId: ghostTx });

  differences = await reconcile(1);
  t.is(differences.status, 'differences');
  t.like(differences.counts, { wechatPayments: 2, platformPayments: 3, matched: 1, amountDiffers: 1, platformOnly: 1, wechatOnly: 0, open: 2 });
  t.like(differences.amounts, { wechatPaymentsFen: 100_000, platformPaymentsFen: 149_000, differenceFen: -49_000 });
  const byOutcome = Object.fromEntries(differences.lines!.map((l) => [l.outcome, l]));
  t.like(byOutcome.amount_differs, { kind: 'payment', resolution: 'open', outTradeNo: altered.outTradeNo, wechat: { amountFen: 50_000 }, platform: { amountFen: 49_000, orderId: altered.orderId } });
  t.like(byOutcome.platform_only, { kind: 'payment', resolution: 'open', transactionId: ghostTx, outTradeNo: ghost.outTradeNo, wechat: null, platform: { amountFen: 50_000, orderId: ghost.orderId } });
  t.regex(byOutcome.amount_differs!.summary, /金额不一致.*微信 ¥500\.00，平台 ¥490\.00/);

  // Both entered the exception queue of the payments issue, with their evidence.
  const queue = await p.bursar.get<{ id: string; kind: string; evidence: Record<string, unknown>; orderId: string | null }[]>('/api/v1/admin/exceptions?kind=reconciliation_difference&status=open');
  t.deepEqual(queue.body.map((e) => e.id).sort(), differences.lines!.map((l) => l.exceptionId).sort());
  const ghostException = queue.body.find((e) => e.orderId === ghost.orderId)!;
  t.like(ghostException.evidence, { outcome: 'platform_only', wechatQuery: { trade_state: 'NOTPAY' } });

  // Idempotent with differences too: the same lines, no second queue entry.
  const again = await reconcile(1);
  t.deepEqual(again.counts, differences.counts);
  t.deepEqual(again.lines, differences.lines);
  t.is(await db().collection('payment_exceptions').countDocuments({ kind: 'reconciliation_difference' }), 2);

  // The injected alteration is undone (the recorded differences stay until someone resolves them).
  await restore!();
  await booksBalance(t);
});

test.serial('bursars resolve differences with audited actions; the day turns clean once nothing is open', async (t) => {
  const ghostLine = differences.lines!.find((l) => l.outcome === 'platform_only')!;
  const amountLine = differences.lines!.find((l) => l.outcome === 'amount_differs')!;
  const missingNote = await p.bursar.post(`/api/v1/admin/reconciliation-lines/${ghostLine.id}/resolve`, { action: 'accept' });
  t.is(missingNote.status, 400);
  const requery = await p.bursar.post<{ message: string }>(`/api/v1/admin/reconciliation-lines/${ghostLine.id}/resolve`, { action: 'requery', note: '请微信再确认' });
  t.is(requery.status, 422, 'WeChat still has no such payment: the difference stays open');
  t.regex(requery.body.message, /NOTPAY/);
  const accepted = await p.bursar.post<{ resolution: string; action: string }>(`/api/v1/admin/reconciliation-lines/${ghostLine.id}/resolve`, { action: 'accept', note: '测试注入的虚假支付，已线下核实' });
  t.is(accepted.status, 200);
  t.like(accepted.body, { resolution: 'resolved', action: '测试注入的虚假支付，已线下核实' });
  const twice = await p.bursar.post(`/api/v1/admin/reconciliation-lines/${ghostLine.id}/resolve`, { action: 'accept', note: '再次处理' });
  t.is(twice.status, 409);
  const audit = (action: string) => p.group.get<{ items: { action: string; objectId: string; reason: string | null }[] }>(`/api/v1/admin/audit-logs?action=${action}`);
  t.true((await audit('reconciliation-line.resolve')).body.items.some((e) => e.objectId === ghostLine.id && e.reason === '测试注入的虚假支付，已线下核实'));
  t.true((await audit('reconciliation-line.requery')).body.items.some((e) => e.objectId === ghostLine.id));
  const exception = await db().collection('payment_exceptions').findOne({ _id: ghostLine.exceptionId as never });
  t.is(exception?.status, 'resolved', 'the queue item is resolved with it');

  // The other one is resolved in the exception queue itself: the reconciliation shows it resolved too.
  await p.bursar.post(`/api/v1/admin/exceptions/${amountLine.exceptionId}/resolve`, { resolution: '账簿金额录入错误，已更正' });
  const now = (await p.bursar.get<Reconciliation>(`/api/v1/admin/reconciliations/${differences.id}`)).body;
  t.is(now.status, 'clean');
  t.like(now.counts, { open: 0, resolved: 2 });
  t.like(now.lines!.find((l) => l.id === amountLine.id), { resolution: 'resolved', action: '账簿金额录入错误，已更正' });

  // The books were put right: a re-run finds the amount agreeing, and keeps the people's resolutions.
  const rerun = await reconcile(1);
  t.is(rerun.status, 'clean');
  t.like(rerun.counts, { amountDiffers: 1, platformOnly: 1, resolved: 2, open: 0 });
  await booksBalance(t);
});

/** The real gateway, with the bill's bytes changed on the way (a test double around the real client, not a mock of our logic). */
function tamperedGateway(real: WechatPayGateway, change: (content: Buffer) => { content: Buffer; rehash: boolean }): WechatPayGateway {
  return {
    ...real,
    async streamBill(mchid, kind, day): Promise<BillStream | null> {
      const bill = await real.streamBill(mchid, kind, day);
      if (!bill || kind !== 'tradebill') return bill;
      const chunks: Buffer[] = [];
      for await (const chunk of bill.body) chunks.push(chunk as Buffer);
      const { content, rehash } = change(Buffer.concat(chunks));
      return { hashType: bill.hashType, hashValue: rehash ? createHash('sha1').update(content).digest('hex') : bill.hashValue, body: Readable.from([content]) };
    },
  };
}

test.serial('a hash mismatch or a malformed bill is rejected with a clear error, and nothing is recorded', async (t) => {
  const real = p.server.deps.wechatPay!;
  // A payment the bill would fix automatically if it were used.
  const classId = 'campus_demo_east_div1_g4_c1';
  const [item] = await p.issue({ classId, amountFen: 12_345 });
  const [no] = await studentsOf(classId);
  const parent = await p.parent('recon-tamper', [no!]);
  const o = (await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [(await billOf(parent, no!, item!.feeItemId)).id] })).body;
  await p.control.faults({ type: 'notify-drop', count: 1, outTradeNo: o.outTradeNo });
  await p.control.pay(prepayOf(o));
  await p.waitFor('paid at WeChat', async () => (await p.control.state()).orders.some((x) => x.outTradeNo === o.outTradeNo && x.tradeState === 'SUCCESS'));

  const cases: [string, WechatPayGateway, RegExp][] = [
    ['hash mismatch', tamperedGateway(real, (c) => ({ content: Buffer.from(c.toString('utf8').replace('`123.45,', '`123.46,')), rehash: false })), /交易账单 SHA1 校验失败：微信给出 [0-9a-f]{40}，下载内容为 [0-9a-f]{40}/],
    ['summary off', tamperedGateway(real, (c) => ({ content: Buffer.from(c.toString('utf8').replace(/\r\n`(\d+),/, (_m, n: string) => `\r\n\`${Number(n) + 1},`)), rehash: true })), /账单汇总与明细不符：总交易单数/],
    ['truncated', tamperedGateway(real, (c) => ({ content: c.subarray(0, Math.floor(c.length / 2)), rehash: true })), /账单|第 \d+ 行/],
  ];
  const recon = await ReconciliationModel(db()).findOne({ mchid: p.sandbox.merchants[0]!.mchid, day: today }).lean();
  const linesBefore = await ReconciliationLineModel(db()).find({ reconciliationId: recon!._id }).lean();
  const exceptionsBefore = await db().collection('payment_exceptions').countDocuments({});
  const ledgerBefore = await db().collection('ledger_entries').countDocuments({});
  for (const [what, gateway, message] of cases) {
    const service = reconciliationService(p.server.deps, gateway);
    const jobId = `test-${what}`;
    await ReconciliationModel(db()).updateOne({ _id: recon!._id }, { $set: { status: 'pending', pendingReason: 'queued', jobId } });
    await service.runJob({ reconciliationId: recon!._id }, { jobId, progress: async () => undefined });
    const after = (await p.bursar.get<Reconciliation>(`/api/v1/admin/reconciliations/${recon!._id}`)).body;
    t.is(after.status, 'failed', what);
    t.regex(after.lastError ?? '', message, what);
    t.deepEqual(after.counts, first.counts, `${what}: the last good result is kept, not replaced`);
    t.deepEqual(await ReconciliationLineModel(db()).find({ reconciliationId: recon!._id }).lean(), linesBefore, `${what}: no lines`);
    t.is(await db().collection('payment_exceptions').countDocuments({}), exceptionsBefore, `${what}: no exceptions`);
    t.is(await db().collection('ledger_entries').countDocuments({}), ledgerBefore, `${what}: nothing applied`);
    t.is((await db().collection('orders').findOne({ _id: o.orderId as never }))?.status, 'PENDING', `${what}: no automatic fix from a rejected bill`);
  }

  // The real bill, once more: the dropped payment is fixed and the day is clean again.
  const fixed = await reconcile(0);
  t.is(fixed.status, 'clean');
  t.like(fixed.counts, { wechatOnly: 2, autoFixed: 2, open: 0 });
  t.is((await db().collection('orders').findOne({ _id: o.orderId as never }))?.status, 'PAID');
  await booksBalance(t);
});

test.serial('a day whose bill is not out yet, or WeChat fails, shows as pending (not clean) and is retried later', async (t) => {
  await p.control.faults({ type: 'api-error', api: 'tradebill', count: 1, code: 'SYSTEM_ERROR', status: 500, message: '系统繁忙' });
  const busy = await reconcile(1);
  t.is(busy.status, 'pending');
  t.is(busy.pendingReason, 'wechat_error');
  t.regex(busy.lastError ?? '', /微信支付繁忙/);
  t.truthy(busy.retryAt);

  const list = await p.bursar.get<ReconciliationPeriod>(`/api/v1/admin/reconciliations?from=${today}&to=${today}`);
  t.is(list.body.days[0]!.status, 'pending', 'the day is not shown as clean');
  t.is(list.body.totals.pendingDays, 1);

  await p.control.faults({ type: 'api-error', api: 'billdownload', count: 1, code: 'SYSTEM_ERROR', status: 500 });
  const download = await reconcile(1);
  t.like(download, { status: 'pending', pendingReason: 'wechat_error' });

  await p.control.settings({ billsReadyImmediately: false });
  try {
    const early = await reconcile(1);
    t.like(early, { status: 'pending', pendingReason: 'bill_not_ready' });
    t.true(new Date(early.retryAt!).getTime() > Date.now(), 'retried after WeChat publishes it (10:00 the next day)');
  } finally {
    await p.control.settings({ billsReadyImmediately: true });
  }

  // The retry job: nothing is due yet; once the retry time has come, the day is run again.
  const service = reconciliationService(p.server.deps);
  t.is((await service.retryPending()).retried, 0);
  const later = new Date(Date.now() + 2 * 86_400_000);
  t.is((await service.retryPending(later)).retried, 1);
  const recon = await ReconciliationModel(db()).findOne({ _id: busy.id }).lean();
  await p.waitFor('retried run', async () => {
    const job = await p.server.deps.jobs.get(recon!.jobId!);
    return job.status === 'succeeded';
  });
  const done = (await p.bursar.get<Reconciliation>(`/api/v1/admin/reconciliations/${busy.id}`)).body;
  t.is(done.status, 'clean');
  await booksBalance(t);
});

test.serial('the reconciliation report per day and period, in JSON and as an audited .xlsx', async (t) => {
  const report = await p.bursar.get<ReconciliationPeriod>(`/api/v1/admin/reconciliations/report?from=${today}&to=${today}`);
  t.is(report.status, 200);
  t.is(report.body.items.length, 2, 'both merchants');
  t.is(report.body.days.length, 1);
  t.like(report.body.days[0], { day: today, merchants: 2, status: 'clean' });
  const sum = report.body.items.reduce((n, i) => n + i.amounts!.wechatPaymentsFen, 0);
  t.is(report.body.totals.amounts.wechatPaymentsFen, sum);

  const file = await p.bursar.get<string>(`/api/v1/admin/reconciliations/report?from=${today}&to=${today}&format=xlsx`);
  t.is(file.status, 200);
  t.regex(file.headers.get('content-type') ?? '', /spreadsheetml/);
  const raw = await fetch(new URL(`/api/v1/admin/reconciliations/report?from=${today}&to=${today}&format=xlsx`, p.server.url), {
    headers: { authorization: `Bearer ${(p.bursar as unknown as { token: string }).token}` },
  });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await raw.arrayBuffer()) as never);
  t.deepEqual(workbook.worksheets.map((w) => w.name), ['按日汇总', '按商户', '差异明细']);
  t.true(workbook.getWorksheet('差异明细')!.rowCount >= 5 + 3, 'the differences are listed');
  const audit = await p.group.get<{ items: { action: string; objectId: string }[] }>('/api/v1/admin/audit-logs?action=report.export');
  t.true(audit.body.items.some((e) => e.objectId === 'reconciliation'));

  // A branch manager has no reconciliation access; another school's bursar sees none of these.
  const branch = await p.server.loginAs('demo.branch');
  t.is((await branch.get(`/api/v1/admin/reconciliations/${first.id}`)).status, 403);
  const other = await p.server.loginAs('other.bursar');
  t.is((await other.get(`/api/v1/admin/reconciliations/${first.id}`)).status, 404);
  t.is((await other.get<ReconciliationPeriod>(`/api/v1/admin/reconciliations?from=${today}&to=${today}`)).body.items.length, 0);
});

test.serial('the daily schedule queues yesterday for every merchant; a day without a bill yet is pending', async (t) => {
  const service = reconciliationService(p.server.deps);
  const { queued } = await service.daily();
  t.is(queued, 2);
  const yesterday = (await ReconciliationModel(db()).find({ day: { $ne: today } }).lean()).map((r) => r._id);
  t.is(yesterday.length, 2);
  for (const id of yesterday) {
    const recon = await ReconciliationModel(db()).findById(id).lean();
    await p.waitFor('daily run', async () => (await p.server.deps.jobs.get(recon!.jobId!)).status === 'succeeded');
    const after = await ReconciliationModel(db()).findById(id).lean();
    // Nothing happened yesterday in the sandbox, so WeChat has no bill; before 10:00 today that means "not out yet".
    t.true(after!.status === 'pending' || after!.status === 'clean', after!.status);
    if (after!.status === 'clean') t.like(after!.counts, { billLines: 0, platformPayments: 0, open: 0 });
  }
});
