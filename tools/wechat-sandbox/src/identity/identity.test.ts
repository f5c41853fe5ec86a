import test from 'ava';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { placeOrder, placePaidOrder } from '../test-support/flows.ts';
import { startNotifyReceiver } from '../test-support/notify-receiver.ts';
import { SandboxPay } from '../test-support/sandbox-pay-client.ts';
import { startTestSandbox } from '../test-support/sandbox-fixture.ts';

async function temporaryDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wechat-sandbox-identity-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

test('the first start creates a complete merchant identity, merchants.json and wechat.env', async (t) => {
  const dataDir = await temporaryDir(t);
  const env = await startTestSandbox({ dataDir, merchants: 2 });
  t.teardown(() => env.stop());
  const [first, second] = env.sandbox.merchants;
  if (!first || !second) throw new Error('two merchants expected');

  t.regex(first.mchid, /^19\d{8}$/);
  t.not(first.mchid, second.mchid);
  t.is(first.appid, second.appid, 'payee merchants of one school group share the mini-program');
  t.regex(first.appid, /^wx[0-9a-f]{16}$/);
  t.regex(first.publicKeyId, new RegExp(`^PUB_KEY_ID_01${first.mchid}\\d{16}$`));
  t.is(Buffer.byteLength(first.apiV3Key), 32);
  t.regex(first.apiV3Key, /^[A-Za-z0-9]{32}$/);

  const certificate = new X509Certificate(await readFile(first.certificatePath, 'utf8'));
  t.is(certificate.serialNumber, first.serialNo);
  t.true(certificate.checkPrivateKey(createPrivateKey(await readFile(first.privateKeyPath, 'utf8'))));
  t.is(path.basename(first.privateKeyPath), 'apiclient_key.pem');
  t.is(path.dirname(first.privateKeyPath), path.join(dataDir, first.mchid));
  t.true((await readFile(first.privateKeyPath, 'utf8')).startsWith('-----BEGIN PRIVATE KEY-----'));
  t.is(new X509Certificate(await readFile(first.platformCertificatePath, 'utf8')).serialNumber, first.platformCertificateSerial);
  t.is(createPublicKey(await readFile(first.publicKeyPath, 'utf8')).asymmetricKeyType, 'rsa');
  t.is(path.basename(first.publicKeyPath), 'pub_key.pem');

  const merchantsFile = JSON.parse(await readFile(env.sandbox.merchantsFile, 'utf8')) as Record<string, string>[];
  t.is(env.sandbox.merchantsFile, path.join(dataDir, 'merchants.json'));
  t.deepEqual(Object.keys(merchantsFile[0] ?? {}).sort(), [
    'apiV3Key', 'appSecret', 'appid', 'certificatePath', 'mchid', 'platformCertificatePath', 'platformCertificateSerial',
    'privateKeyPath', 'publicKeyId', 'publicKeyPath', 'serialNo',
  ]);
  t.is(merchantsFile.length, 2);
  for (const entry of merchantsFile) {
    for (const key of ['privateKeyPath', 'certificatePath', 'publicKeyPath', 'platformCertificatePath']) {
      t.true(path.isAbsolute(entry[key] ?? ''));
      t.true(existsSync(entry[key] ?? ''));
    }
  }

  const variables = parseEnv(await readFile(env.sandbox.envFile, 'utf8'));
  t.like(variables, {
    WECHATPAY_BASE_URL: env.sandbox.url,
    WECHATPAY_MCHID: first.mchid,
    WECHATPAY_SERIAL_NO: first.serialNo,
    WECHATPAY_PRIVATE_KEY_PATH: first.privateKeyPath,
    WECHATPAY_CERTIFICATE_PATH: first.certificatePath,
    WECHATPAY_APIV3_KEY: first.apiV3Key,
    WECHATPAY_PUBLIC_KEY_ID: first.publicKeyId,
    WECHATPAY_PUBLIC_KEY_PATH: first.publicKeyPath,
    WECHATPAY_MERCHANTS_FILE: env.sandbox.merchantsFile,
    WECHAT_APPID: first.appid,
    WECHAT_APP_SECRET: first.appSecret,
    WECHAT_API_BASE_URL: env.sandbox.url,
  });
});

test('a restart reloads the same identity and keeps orders, refunds and notifications going', async (t) => {
  const dataDir = await temporaryDir(t);
  const receiver = await startNotifyReceiver();
  t.teardown(() => receiver.stop());
  receiver.answerWith((_n, index) => ({ status: index === 0 ? 500 : 200 }));

  // A time scale of 0.05 puts the first retry 750 ms out: still pending when the sandbox stops.
  const before = await startTestSandbox({ dataDir, timeScale: 0.05, refundProcessingSeconds: 10 });
  const merchant = before.sandbox.merchants[0];
  if (!merchant) throw new Error('no merchant');
  const pay = new SandboxPay(before.sandbox.url, merchant);
  const openid = (await before.control.createUser()).openid;
  const unpaid = await placeOrder(pay, { openid, notifyUrl: receiver.url });
  const paid = await placePaidOrder(pay, before.control, { openid, notifyUrl: receiver.url });
  await pay.refunds({ out_trade_no: paid.outTradeNo, out_refund_no: 'RF-RESTART-1', amount: { refund: 10, total: 100, currency: 'CNY' } });
  await before.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === paid.outTradeNo && n.attempts.length === 1));
  await before.stop();

  const after = await startTestSandbox({ dataDir, timeScale: 0.05 });
  t.teardown(() => after.stop());
  t.deepEqual(after.sandbox.merchants, before.sandbox.merchants);
  const again = new SandboxPay(after.sandbox.url, merchant);
  t.like((await again.query({ out_trade_no: unpaid.outTradeNo })).data, { trade_state: 'NOTPAY' });
  t.like((await again.query({ out_trade_no: paid.outTradeNo })).data, { transaction_id: paid.transactionId });
  await receiver.waitFor(2);
  const delivered = await after.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === paid.outTradeNo && n.status === 'DELIVERED'));
  t.deepEqual(delivered.notifications.find((n) => n.outTradeNo === paid.outTradeNo)?.attempts.map((a) => a.httpStatus), [500, 200]);
  const refunded = await after.control.waitForState((s) => s.refunds.some((r) => r.outRefundNo === 'RF-RESTART-1' && r.status === 'SUCCESS'), 5000);
  t.like(refunded.orders.find((o) => o.outTradeNo === paid.outTradeNo), { tradeState: 'REFUND' });
});

test('asking for fewer merchants keeps the ones already created', async (t) => {
  const dataDir = await temporaryDir(t);
  const two = await startTestSandbox({ dataDir, merchants: 2 });
  const mchids = two.sandbox.merchants.map((m) => m.mchid);
  await two.stop();
  const one = await startTestSandbox({ dataDir, merchants: 1 });
  t.teardown(() => one.stop());
  t.deepEqual(one.sandbox.merchants.map((m) => m.mchid), mchids);
});
