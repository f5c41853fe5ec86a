import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../../testing/index.ts';
import { TEST_KEYS } from '../../testing/index.ts';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';

const serverMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main.ts');

let p: PaymentsPlatform;
test.before(async () => {
  // The in-process server only seeds and administers; the process under test is started below.
  p = await startPaymentsPlatform('crash', { jobsEnabled: false });
});
test.after.always(() => p?.stop());

function startServerProcess(port: number): { child: ChildProcess; exited: Promise<void> } {
  const cfg = p.server.deps.config;
  const child = spawn(process.execPath, ['--import', 'tsx', serverMain], {
    env: {
      ...process.env,
      CAMPUSPAY_PROFILE: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      MONGODB_URI: cfg.mongodbUri,
      LOG_LEVEL: 'silent',
      DATA_ENCRYPTION_KEY: TEST_KEYS.dataEncryptionKey,
      LOOKUP_HASH_KEY: TEST_KEYS.lookupHashKey,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      WECHATPAY_BASE_URL: cfg.wechatPayBaseUrl,
      WECHATPAY_MERCHANTS_FILE: cfg.wechatPayMerchantsFile,
      WECHAT_APPID: cfg.wechatAppId,
      WECHAT_APP_SECRET: cfg.wechatAppSecret,
      WECHAT_API_BASE_URL: cfg.wechatApiBaseUrl,
      PAYMENT_SWEEP_SECONDS: '1',
      ORDER_QUERY_AFTER_SECONDS: '2',
      JOB_POLL_MS: '100',
      JOB_LEASE_MS: '5000',
    },
    stdio: 'ignore',
  });
  return { child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

async function ready(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server process did not become ready');
}

test('the server killed (SIGKILL) while applying notifications under load: after a restart every payment is recorded once and the books balance', async (t) => {
  // A restart waits out the dead process's leases and locks: slower than most tests by design.
  t.timeout(300_000);
  const port = p.server.port + 1;
  const url = `http://127.0.0.1:${port}`;
  let proc = startServerProcess(port);
  await ready(url);
  const api = new ApiClient(url);

  const bills = await p.issue({ classId: 'campus_demo_east_div1_g1_c1', amountFen: 123_400 });
  const orders: { orderId: string; outTradeNo: string; prepayId: string }[] = [];
  for (const [i, bill] of bills.slice(0, 24).entries()) {
    const s = await p.server.deps.db.collection('students').findOne({ _id: bill.studentId as never });
    const { code } = await p.control.loginCode(`crash-parent-${i}`);
    const login = await api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code });
    const parent = api.withToken(login.body.token);
    await parent.post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: s?.studentNo, studentName: s?.name });
    const order = await parent.post<{ orderId: string; outTradeNo: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [bill.id] });
    t.is(order.status, 201, JSON.stringify(order.body));
    orders.push({ orderId: order.body.orderId, outTradeNo: order.body.outTradeNo, prepayId: order.body.payParams.package.replace('prepay_id=', '') });
  }

  // Every notification arrives three times at once; all payers pay together; the server dies in the middle.
  await p.control.faults({ type: 'notify-duplicate', count: orders.length, copies: 3 });
  const paying = Promise.all(orders.map((o) => p.control.pay(o.prepayId, { bankType: 'CMB_DEBIT' })));
  await p.waitFor('some payments applied', async () => (await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: { $in: orders.map((o) => o.orderId) } })) >= 3, 60_000);
  proc.child.kill('SIGKILL');
  await proc.exited;
  await paying;
  const appliedAtKill = await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: { $in: orders.map((o) => o.orderId) } });
  t.log(`${appliedAtKill} of ${orders.length} payments applied when the server was killed`);

  proc = startServerProcess(port);
  t.teardown(async () => {
    proc.child.kill('SIGTERM');
    await proc.exited;
  });
  await ready(url);
  // WeChat's retries and the server's own sweep both work on what is left.
  await p.waitFor(
    'every order applied',
    async () => (await p.server.deps.db.collection('orders').countDocuments({ _id: { $in: orders.map((o) => o.orderId) as never[] }, billsApplied: true })) === orders.length,
    120_000,
  );
  t.is(await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: { $in: orders.map((o) => o.orderId) } }), orders.length, 'each payment recorded once');
  for (const o of orders) {
    const order = await p.server.deps.db.collection('orders').findOne({ _id: o.orderId as never });
    const bill = await p.server.deps.db.collection('bills').findOne({ _id: order?.allocations[0].billId as never });
    t.is(bill?.paidFen, 123_400);
  }
  const report = await p.invariants();
  t.deepEqual(report.problems, []);
});
