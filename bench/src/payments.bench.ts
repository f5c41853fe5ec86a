/**
 * Payments per second through the whole path — create order (HTTP) → the
 * payer confirms in the WeChat sandbox → WeChat's notification → applied to
 * the bill — at 50 and 200 concurrent parents, with p50/p99 of order
 * creation. Baseline in the same run: the same number of JSAPI orders sent
 * straight to the sandbox through the same WeChat Pay client, i.e. the
 * external floor without any platform logic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, provideDatabase } from '@campuspay/dev';
import { startPaymentsPlatform } from '@campuspay/server/testing/payments';
import type { ApiClient } from '@campuspay/server/testing';
import { percentile, round } from './stats.ts';

const LEVELS = (process.env.BENCH_CONCURRENCY ?? '50,200').split(',').map(Number);
const dataDir = mkdtempSync(path.join(tmpdir(), 'campuspay-bench-pay-'));
// MONGODB_URI (e.g. FerretDB over PostgreSQL, or MongoDB) is used when set, in a database of this run's own, dropped at the end.
const external = Boolean(process.env.MONGODB_URI);
const db = await provideDatabase({ port: await freePort(), dataDir, dbName: external ? `bench_payments_${Date.now()}` : 'bench_payments', local: !external });
// Production's job poll (the test profile polls every 50 ms).
const p = await startPaymentsPlatform('bench', { mongodbUri: db.uri, logLevel: 'silent', paymentSweepSeconds: 30, orderQueryAfterSeconds: 600, jobPollMs: 1000 });
const students = p.server.deps.db.collection('students');

try {
  const need = Math.max(...LEVELS);
  const classes = (await p.server.deps.db.collection('org_nodes').find({ kind: 'class', path: 'campus_demo_east' }).toArray()).map((c) => String(c._id));
  const bills = [];
  for (const classId of classes) bills.push(...(await p.issue({ classId, amountFen: 350_000 })));
  console.log(`setup: ${bills.length} bills issued; signing in ${need} parents...`);
  const parents: { api: ApiClient; billId: string; openid: string }[] = [];
  for (const bill of bills.slice(0, need * LEVELS.length)) {
    const s = await students.findOne({ _id: bill.studentId as never });
    const openid = `bench-${randomBytes(4).toString('hex')}`;
    const { code } = await p.control.loginCode(openid);
    const login = await p.server.api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code });
    const api = p.server.api.withToken(login.body.token);
    await api.post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: s?.studentNo, studentName: s?.name });
    parents.push({ api, billId: bill.id, openid });
  }

  const rows: string[] = [];
  let offset = 0;
  for (const level of LEVELS) {
    const batch = parents.slice(offset, offset + level);
    offset += level;
    const createMs: number[] = [];
    const started = performance.now();
    const orderIds = await Promise.all(
      batch.map(async ({ api, billId }) => {
        const t0 = performance.now();
        const order = await api.post<{ orderId: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [billId] });
        createMs.push(performance.now() - t0);
        if (order.status !== 201) throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`);
        await p.control.pay(order.body.payParams.package.replace('prepay_id=', ''), { bankType: 'ICBC_DEBIT' });
        return order.body.orderId;
      }),
    );
    const orders = p.server.deps.db.collection('orders');
    while ((await orders.countDocuments({ _id: { $in: orderIds as never[] }, billsApplied: true })) < orderIds.length) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;

    // Baseline: the same number of JSAPI orders, straight to the sandbox through the same client.
    const gateway = p.server.deps.wechatPay!;
    const mchid = p.sandbox.merchants[0]!.mchid;
    const b0 = performance.now();
    await Promise.all(
      batch.map(({ openid }, i) =>
        gateway.createJsapiOrder(mchid, {
          outTradeNo: `BASE${level}${i}${randomBytes(4).toString('hex')}`,
          description: 'baseline',
          totalFen: 350_000,
          // An openid the sandbox issued for the app: it refuses others, as WeChat does.
          openid,
          notifyUrl: `${p.server.url}/api/v1/wechatpay/notify/transaction`,
          timeExpire: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
        }),
      ),
    );
    const baselineSeconds = (performance.now() - b0) / 1000;
    const report = await p.invariants();
    if (!report.ok) throw new Error(`invariants broken: ${report.problems.slice(0, 3).join('; ')}`);
    rows.push(
      `${level} concurrent parents: ${round(level / seconds)} payments/s end to end (${round(seconds, 2)} s for ${level}); ` +
        `order creation p50 ${round(percentile(createMs, 50))} ms, p99 ${round(percentile(createMs, 99))} ms; ` +
        `baseline ${round(level / baselineSeconds)} bare sandbox orders/s (${round(baselineSeconds, 2)} s); ratio ${round(seconds / baselineSeconds, 1)}× the external floor`,
    );
    console.log(rows[rows.length - 1]);
  }
    const info = (await p.server.deps.db.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
  const backend = external ? `MONGODB_URI: ${info.ferretdbVersion ? `FerretDB${info.ferretdbVersion === 'unknown' ? '' : ` ${info.ferretdbVersion}`}` : `MongoDB ${info.version ?? ''}`}` : 'embedded FerretDB over SQLite';
  console.log(`\ndatabase: ${backend}; invariants: bills = orders = ledger held after every level`);
} finally {
  if (external) await p.server.deps.db.dropDatabase();
  await p.stop();
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
