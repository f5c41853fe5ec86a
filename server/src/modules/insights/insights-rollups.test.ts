import test from 'ava';
import { addDays, businessDay, type Bill, type BillBatch, type CardShareReport, type FeeItem, type InsightOverview, type InsightTrend, type SchoolRanking } from '@campuspay/shared';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';
import type { ApiClient } from '../../testing/index.ts';
import { ledgerService } from '../ledger/ledger.service.ts';
import { rollupsService } from './rollups.service.ts';
import { registryService } from './registry.service.ts';
import { estimatedFee } from './figures.ts';

/**
 * A day of varied sandbox payments (several banks' cards, WeChat change, one
 * order for two bills, counter payments, a reversal, online and counter
 * refunds, a payment booked the day before), then the rollups are checked
 * against sums computed here straight from the ledger and the orders.
 */

interface OrderAnswer {
  orderId: string;
  payParams: { package: string } | null;
  orders: OrderAnswer[];
}

let p: PaymentsPlatform;
let branch: ApiClient;
let platform: ApiClient;
const EAST_CLASS = 'campus_demo_east_div1_g3_c1';
const WEST_CLASS = 'campus_demo_west_div2_g1_c1';
const FEE_RATE_BP = 60;

test.before(async (t) => {
  t.timeout(5 * 60_000);
  p = await startPaymentsPlatform('insights-rollups', { insightsFoldSeconds: 3600 });
  branch = await p.server.loginAs('demo.branch');
  platform = await p.server.loginAs('demo.platform');
  const rules = await platform.get<Record<string, unknown>>('/api/v1/admin/insights/tag-rules');
  const saved = await platform.request('PUT', '/api/v1/admin/insights/tag-rules', {
    body: { ownBankCodes: ['ICBC'], wechatFeeRateBp: FEE_RATE_BP, rules: rules.body.rules, consent: { title: (rules.body.consent as { title: string }).title, text: (rules.body.consent as { text: string }).text } },
  });
  if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
});
test.after.always(() => p?.stop());

const db = () => p.server.deps.db;
const prepay = (o: OrderAnswer) => o.payParams!.package.replace('prepay_id=', '');

async function studentNos(classId: string, n: number): Promise<string[]> {
  return (await db().collection('students').find({ classId }).sort({ studentNo: 1 }).limit(n).toArray()).map((s) => String(s.studentNo));
}

async function billOf(studentNo: string, feeItemId: string): Promise<Bill> {
  const s = await db().collection('students').findOne({ studentNo });
  const bill = await db().collection('bills').findOne({ studentId: s?._id, feeItemId });
  return { id: String(bill?._id), studentId: String(s?._id) } as Bill;
}

async function payOnline(parent: ApiClient, billIds: string[], bankType: string): Promise<string> {
  const order = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds });
  if (order.status !== 201) throw new Error(JSON.stringify(order.body));
  await p.control.pay(prepay(order.body), { bankType });
  await p.waitFor('order applied', async () => (await db().collection('orders').findOne({ _id: order.body.orderId as never }))?.billsApplied === true);
  return order.body.orderId;
}

/** Issues a fee item to a class with the group admin (who may bill any campus of the group). */
async function issueWest(amountFen: number): Promise<string> {
  const item = await p.group.post<FeeItem>('/api/v1/admin/fee-items', {
    name: '国际部学费',
    category: 'tuition',
    period: { kind: 'term', academicYear: '2026-2027', term: 1 },
    prices: [{ nodeId: 'campus_demo_west', amountFen }],
    dueDate: '2026-09-10',
    mandatory: true,
    allowPartial: false,
    minPaymentFen: null,
    refundable: true,
    payeeAccountId: p.payees[0]!.id,
    nodeId: 'campus_demo_west',
  });
  if (item.status !== 201) throw new Error(JSON.stringify(item.body));
  const draft = await p.group.post<BillBatch>('/api/v1/admin/bill-batches', { feeItemId: item.body.id, target: { nodeIds: [WEST_CLASS] } });
  const published = await p.group.post<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
  await p.waitFor('west batch', async () => (await p.group.get<BillBatch>(`/api/v1/admin/bill-batches/${published.body.id}`)).body.status === 'published');
  return item.body.id;
}

type Sums = Record<string, number>;
const ZERO = () => ({ onlineFen: 0, onlineCount: 0, counterFen: 0, counterCount: 0, reversalFen: 0, refundFen: 0, netInflowFen: 0, newPayingParents: 0, newLiveSchools: 0 });

/** The figures of one node over [from, to], computed here from the ledger and the orders, independently of the rollups. */
async function expected(nodeId: string, from: string, to: string, level: 'campus' | 'group') {
  const entries = await db().collection('ledger_entries').find({ orgPath: nodeId }).toArray();
  const orders = new Map((await db().collection('orders').find({}).toArray()).map((o) => [String(o._id), o]));
  const sums: Sums = ZERO();
  const txs = new Set<string>();
  const cards = new Map<string, { count: number; fen: number; txs: Set<string> }>();
  const firstPay = new Map<string, string>();
  const live = new Map<string, string>();
  for (const e of entries) {
    const online = e.method === 'wechat';
    if (e.kind === 'payment') {
      if (online) {
        const order = orders.get(String(e.orderId));
        const who = level === 'campus' ? `${e.campusId}|${order?.parentId}` : `${e.groupId}|${order?.parentId}`;
        if (order && (!firstPay.has(who) || e.day < firstPay.get(who)!)) firstPay.set(who, e.day);
        if (!live.has(e.campusId) || e.day < live.get(e.campusId)!) live.set(e.campusId, e.day);
      }
    }
    if (e.day < from || e.day > to) continue;
    if (e.kind === 'payment' && online) {
      sums.onlineFen! += e.amountFen;
      txs.add(String(e.transactionId));
      const c = cards.get(e.bankType) ?? { count: 0, fen: 0, txs: new Set<string>() };
      c.fen += e.amountFen;
      c.txs.add(String(e.transactionId));
      cards.set(e.bankType, c);
    } else if (e.kind === 'payment') {
      sums.counterFen! += e.amountFen;
      sums.counterCount! += 1;
    } else if (e.kind === 'reversal') sums.reversalFen! += e.amountFen;
    else sums.refundFen! += e.amountFen;
  }
  sums.onlineCount = txs.size;
  sums.netInflowFen = sums.onlineFen! + sums.counterFen! - sums.reversalFen! - sums.refundFen!;
  sums.newPayingParents = [...firstPay.values()].filter((d) => d >= from && d <= to).length;
  sums.newLiveSchools = [...live.values()].filter((d) => d >= from && d <= to).length;
  for (const c of cards.values()) c.count = c.txs.size;
  return { sums, cards, entries };
}

/** Settled inflow: counter money the same day, online money the next day net of the estimated fee. */
function expectedSettled(entries: Record<string, unknown>[], from: string, to: string): { settled: number; fee: number } {
  const onlineByDay = new Map<string, number>();
  let settled = 0;
  for (const e of entries) {
    const amount = Number(e.amountFen) * (e.kind === 'payment' ? 1 : -1);
    if (e.method === 'wechat') onlineByDay.set(String(e.day), (onlineByDay.get(String(e.day)) ?? 0) + amount);
    else if (String(e.day) >= from && String(e.day) <= to) settled += amount;
  }
  let fee = 0;
  for (const [day, net] of onlineByDay) {
    const settles = addDays(day, 1);
    if (settles < from || settles > to) continue;
    const f = estimatedFee(net, FEE_RATE_BP);
    fee += f;
    settled += net - f;
  }
  return { settled, fee };
}

async function normalisedRollups() {
  const strip = (docs: Record<string, unknown>[]) =>
    docs
      .map(({ batches: _b, version: _v, ...rest }) => rest)
      .sort((a, b) => String(a._id).localeCompare(String(b._id)))
      .map((d) => JSON.parse(JSON.stringify(d, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v))));
  return {
    days: strip(await db().collection('insight_months').find({}).toArray()),
    ranks: strip(await db().collection('insight_rank_months').find({}).toArray()),
    markers: strip(await db().collection('insight_markers').find({}).toArray()),
  };
}

const today = businessDay();
const yesterday = addDays(today, -1);

test.serial('after a day of varied payments the rollups equal sums computed from the ledger; the dashboard reads them', async (t) => {
  t.timeout(10 * 60_000);
  const bills = await p.issue({ classId: EAST_CLASS, amountFen: 1_200_000 });
  const feeItemId = bills[0]!.feeItemId;
  const nos = await studentNos(EAST_CLASS, 8);
  const [a1, a2, b1, c1, d1, e1, f1, g1] = nos as [string, string, string, string, string, string, string, string];

  // One parent, two children, one order (one WeChat transaction) with an ICBC debit card.
  const parentA = await p.parent('ins-a', [a1, a2]);
  await payOnline(parentA, [(await billOf(a1, feeItemId)).id, (await billOf(a2, feeItemId)).id], 'ICBC_DEBIT');
  // Other banks' credit card, WeChat change, ICBC credit card.
  const parentB = await p.parent('ins-b', [b1]);
  const bBill = await billOf(b1, feeItemId);
  await payOnline(parentB, [bBill.id], 'CMB_CREDIT');
  await payOnline(await p.parent('ins-c', [c1]), [(await billOf(c1, feeItemId)).id], 'OTHERS');
  await payOnline(await p.parent('ins-d', [d1]), [(await billOf(d1, feeItemId)).id], 'ICBC_CREDIT');
  // Counter: cash and POS, one reversed, one refunded at the counter.
  const cash = await p.bursar.post<{ id: string }>('/api/v1/admin/offline-payments', { billId: (await billOf(e1, feeItemId)).id, amountFen: 1_200_000, method: 'cash' });
  t.is(cash.status, 201);
  const pos = await p.bursar.post<{ id: string }>('/api/v1/admin/offline-payments', { billId: (await billOf(f1, feeItemId)).id, amountFen: 1_200_000, method: 'pos', reference: 'POS0001' });
  t.is(pos.status, 201);
  const reversed = await p.bursar.post(`/api/v1/admin/offline-payments/${pos.body.id}/reverse`, { reason: '刷错卡' });
  t.is(reversed.status, 200);
  const counterRefund = await p.bursar.post<{ status: string }>('/api/v1/admin/refunds', { billId: (await billOf(e1, feeItemId)).id, amountFen: 50_000, reason: '多收' });
  t.is(counterRefund.body.status, 'SUCCESS');
  // An online refund back to the CMB card.
  const refund = await p.bursar.post<{ id: string }>('/api/v1/admin/refunds', { billId: bBill.id, amountFen: 200_000, reason: '退住宿' });
  t.is(refund.status, 201);
  await p.waitFor('online refund', async () => (await db().collection('refunds').findOne({ _id: refund.body.id as never }))?.status === 'SUCCESS');
  // A counter payment and a (synthetic) WeChat payment booked yesterday: settlement is T+1.
  const ledger = ledgerService(p.server.deps);
  const g1Bill = await billOf(g1, feeItemId);
  await ledger.apply({ _id: `test-cash-yesterday:${g1Bill.id}`, kind: 'payment', method: 'cash', billId: g1Bill.id, amountFen: 300_000, at: new Date(Date.now() - 86_400_000) });
  await ledger.apply({ _id: `test-wx-yesterday:${g1Bill.id}`, kind: 'payment', method: 'wechat', billId: g1Bill.id, amountFen: 400_000, at: new Date(Date.now() - 86_400_000), transactionId: 'T-YESTERDAY', bankType: 'ABC_DEBIT' });
  // The international division on the west campus, paid with another bank's debit card.
  const westItem = await issueWest(3_000_000);
  const [w1] = await studentNos(WEST_CLASS, 1);
  await payOnline(await p.parent('ins-w', [w1!]), [(await billOf(w1!, westItem)).id], 'ABC_DEBIT');

  const rollups = rollupsService(p.server.deps);
  await rollups.foldAll();
  await registryService(p.server.deps).refresh();

  for (const [nodeId, level] of [['campus_demo_east', 'campus'], ['campus_demo_west', 'campus'], ['group_demo', 'group'], ['branch_demo_sub', 'group']] as const) {
    for (const [from, to] of [[today, today], [yesterday, today], [yesterday, yesterday]] as const) {
      const res = await branch.get<InsightOverview>(`/api/v1/admin/insights/overview?nodeId=${nodeId}&from=${from}&to=${to}`);
      t.is(res.status, 200, JSON.stringify(res.body));
      const want = await expected(nodeId, from, to, level);
      t.like(res.body.figures, want.sums, `${nodeId} ${from}..${to}`);
      const settled = expectedSettled(want.entries, from, to);
      t.is(res.body.figures.settledNetFen, settled.settled, `${nodeId} settled ${from}..${to}`);
      t.is(res.body.figures.estimatedFeeFen, settled.fee);
      const cardTotal = res.body.cardShare.reduce((s, r) => s + r.amountFen, 0);
      t.is(cardTotal, want.sums.onlineFen ?? 0);
    }
  }

  const east = await branch.get<InsightOverview>(`/api/v1/admin/insights/overview?nodeId=campus_demo_east&from=${today}&to=${today}`);
  const share = Object.fromEntries(east.body.cardShare.map((r) => [r.cardClass, [r.count, r.amountFen]]));
  t.deepEqual(share, {
    own_debit: [1, 2_400_000],
    own_credit: [1, 1_200_000],
    other_debit: [0, 0],
    other_credit: [1, 1_200_000],
    balance: [1, 1_200_000],
    unknown: [0, 0],
  });
  t.is(east.body.figures.onlineCount, 4, 'one order for two bills is one transaction');
  t.is(east.body.figures.newPayingParents, 4);
  t.like(east.body.reach, { schoolsOnboarded: 1, schoolsLive: 1, parentsPaid: 4 });
  t.true(east.body.reach.students > 0);
  t.true(east.body.reach.parentsReached >= 4);

  const sub = await branch.get<InsightOverview>(`/api/v1/admin/insights/overview?from=${yesterday}&to=${today}`);
  t.is(sub.body.node.id, 'branch_demo_sub', 'the scope node by default');
  t.deepEqual(sub.body.children.map((c) => c.node.id), ['group_demo']);
  t.deepEqual(sub.body.children[0]!.figures, sub.body.figures, 'one group: the child is the whole');
  t.like(sub.body.reach, { schoolsOnboarded: 2, schoolsLive: 2 });
  const group = await branch.get<InsightOverview>(`/api/v1/admin/insights/overview?nodeId=group_demo&from=${yesterday}&to=${today}`);
  const childSum = group.body.children.reduce((s, c) => s + c.figures.netInflowFen, 0);
  t.is(childSum, group.body.figures.netInflowFen, 'campuses add up to the group');

  const trend = await branch.get<InsightTrend>(`/api/v1/admin/insights/trend?nodeId=group_demo&from=${yesterday}&to=${today}&granularity=day`);
  t.deepEqual(trend.body.points.map((x) => x.label), [yesterday, today]);
  t.is(trend.body.points.reduce((s, x) => s + x.figures.netInflowFen, 0), group.body.figures.netInflowFen);
  const weekly = await branch.get<InsightTrend>(`/api/v1/admin/insights/trend?nodeId=group_demo&from=${yesterday}&to=${today}&granularity=term`);
  t.is(weekly.body.points.reduce((s, x) => s + x.figures.settledNetFen, 0), group.body.figures.settledNetFen);

  const cards = await branch.get<CardShareReport>(`/api/v1/admin/insights/card-share?from=${today}&to=${today}`);
  t.deepEqual(cards.body.ownBankCodes, ['ICBC']);
  t.deepEqual(cards.body.byBankType.map((r) => r.bankType).sort(), ['ABC_DEBIT', 'CMB_CREDIT', 'ICBC_CREDIT', 'ICBC_DEBIT', 'OTHERS']);

  const ranking = await branch.get<SchoolRanking>(`/api/v1/admin/insights/schools?from=${yesterday}&to=${today}&sort=net`);
  t.deepEqual(ranking.body.items.map((i) => i.campus.id), ['campus_demo_east', 'campus_demo_west']);
  t.is(ranking.body.items[0]!.figures.netInflowFen, (await branch.get<InsightOverview>(`/api/v1/admin/insights/overview?nodeId=campus_demo_east&from=${yesterday}&to=${today}`)).body.figures.netInflowFen);
  t.is(ranking.body.items[1]!.groupName, '明德教育集团');
});

test.serial('recording an entry again, or applying it again, never counts twice; the rebuild gives the same rollups', async (t) => {
  const rollups = rollupsService(p.server.deps);
  await rollups.foldAll();
  const before = await normalisedRollups();
  t.true(before.days.length > 5);
  // Every ledger entry recorded again (as a retried write would): nothing changes.
  for (const e of await db().collection('ledger_entries').find({}).toArray()) await rollups.record({ ...(e as unknown as Record<string, unknown>), _id: String(e._id) } as never);
  await rollups.foldAll();
  t.deepEqual(await normalisedRollups(), before, 'records are idempotent');
  // A retried apply of a payment already applied.
  const entry = await db().collection('ledger_entries').findOne({ method: 'cash', kind: 'payment' });
  const again = await ledgerService(p.server.deps).apply({ _id: String(entry!._id), kind: 'payment', method: 'cash', billId: String(entry!.billId), amountFen: Number(entry!.amountFen) });
  t.false(again.applied);
  await rollups.foldAll();
  t.deepEqual(await normalisedRollups(), before, 'applies are idempotent');
  const report = await rollups.rebuild();
  t.is(report.entries, await db().collection('ledger_entries').countDocuments({}));
  t.deepEqual(await normalisedRollups(), before, 'rebuilt from the ledger: the same documents');
});

test.serial('an earlier payment folded later takes over the "first payment" credit, as the rebuild would give it', async (t) => {
  t.timeout(5 * 60_000);
  const rollups = rollupsService(p.server.deps);
  const bills = await p.issue({ classId: 'campus_demo_east_div1_g3_c2', amountFen: 100_000 });
  const [no] = await studentNos('campus_demo_east_div1_g3_c2', 1);
  const parent = await p.parent('ins-late', [no!]);
  const bill = await billOf(no!, bills[0]!.feeItemId);
  await payOnline(parent, [bill.id], 'CCB_DEBIT');
  await rollups.foldAll();
  // A payment by the same parent booked two days ago reaches the ledger only now (a late notification).
  const order = await db().collection('orders').findOne({ parentId: { $exists: true }, 'allocations.billId': bill.id });
  await db().collection('orders').insertOne({ ...order!, _id: 'late-order' as never, outTradeNo: 'LATEORDER01', transactionId: 'T-LATE', allocations: [{ billId: bill.id, amountFen: 1 }] });
  await ledgerService(p.server.deps).apply({ _id: 'wxpay:T-LATE:late', kind: 'payment', method: 'wechat', billId: bill.id, amountFen: 1, at: new Date(Date.now() - 2 * 86_400_000), orderId: 'late-order', transactionId: 'T-LATE', bankType: 'CCB_DEBIT' });
  await rollups.foldAll();
  const twoDaysAgo = addDays(today, -2);
  const res = await branch.get<InsightOverview>(`/api/v1/admin/insights/overview?nodeId=campus_demo_east&from=${twoDaysAgo}&to=${twoDaysAgo}`);
  t.is(res.body.figures.newPayingParents, 1, 'the parent first paid two days ago');
  const live = await normalisedRollups();
  await rollups.rebuild();
  t.deepEqual(await normalisedRollups(), live);
});

test.serial('branch scoping: outside the scope is missing; school staff have no insights', async (t) => {
  const other = await branch.get<{ code: string }>('/api/v1/admin/insights/overview?nodeId=campus_other');
  const missing = await branch.get<{ code: string }>('/api/v1/admin/insights/overview?nodeId=no_such_node');
  t.is(other.status, 404);
  t.deepEqual([other.status, other.body.code], [missing.status, missing.body.code]);
  t.is((await branch.get('/api/v1/admin/insights/overview?nodeId=bank_demo')).status, 404, 'a branch manager does not see the bank above');
  t.is((await branch.get('/api/v1/admin/insights/overview?nodeId=campus_demo_east_div1')).status, 400, 'divisions are not dashboard nodes');
  t.is((await p.bursar.get('/api/v1/admin/insights/overview')).status, 403);
  t.is((await p.group.get('/api/v1/admin/insights/card-share')).status, 403);
  const bank = await platform.get<InsightOverview>('/api/v1/admin/insights/overview');
  t.is(bank.body.node.id, 'bank_demo');
  t.deepEqual(bank.body.children.map((c) => c.node.id), ['branch_demo_city']);
  const sub = await branch.get<InsightOverview>('/api/v1/admin/insights/overview');
  t.is(bank.body.figures.netInflowFen, sub.body.figures.netInflowFen);
});
