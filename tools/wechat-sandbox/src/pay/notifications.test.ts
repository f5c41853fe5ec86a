import test from 'ava';
import { buildResponseSignMessage, verifySha256WithRsa } from '../crypto/signing.ts';
import type { SandboxMerchantInfo } from '../identity/merchants.ts';
import { placeOrder, placePaidOrder } from '../test-support/flows.ts';
import { startNotifyReceiver, type NotifyReceiver, type ReceivedNotification } from '../test-support/notify-receiver.ts';
import { SandboxPay, signedFetch } from '../test-support/sandbox-pay-client.ts';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox-fixture.ts';

let env: TestSandbox;
let pay: SandboxPay;
let merchant: SandboxMerchantInfo;
let openid: string;

test.before(async () => {
  env = await startTestSandbox();
  const first = env.sandbox.merchants[0];
  if (!first) throw new Error('no merchant');
  merchant = first;
  pay = new SandboxPay(env.sandbox.url, merchant);
  openid = (await env.control.createUser()).openid;
});
test.after.always(() => env.stop());

async function receiver(t: { teardown(fn: () => Promise<void>): void }): Promise<NotifyReceiver> {
  const created = await startNotifyReceiver();
  t.teardown(() => created.stop());
  return created;
}

interface NotificationBody {
  id: string;
  create_time: string;
  resource_type: string;
  event_type: string;
  summary: string;
  resource: { original_type: string; algorithm: string; ciphertext: string; associated_data: string; nonce: string };
}

function header(notification: ReceivedNotification, name: string): string {
  const value = notification.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** What a careful merchant does: verify with the real client against the raw body, then decrypt. */
async function verifyAndDecrypt(notification: ReceivedNotification): Promise<{ verified: boolean; resource: Record<string, unknown> }> {
  const verified = await pay
    .verifySign({
      timestamp: header(notification, 'wechatpay-timestamp'),
      nonce: header(notification, 'wechatpay-nonce'),
      body: notification.body,
      serial: header(notification, 'wechatpay-serial'),
      signature: header(notification, 'wechatpay-signature'),
      apiSecret: merchant.apiV3Key,
    })
    .catch(() => false);
  const { resource } = JSON.parse(notification.body) as NotificationBody;
  return { verified, resource: pay.decipher_gcm(resource.ciphertext, resource.associated_data, resource.nonce, merchant.apiV3Key) };
}

/** A merchant that rejects what it cannot verify, as WeChat asks. */
function careful(target: NotifyReceiver): void {
  target.answerWith(async (n) => ((await verifyAndDecrypt(n)).verified ? { status: 200 } : { status: 401, body: '{"code":"FAIL","message":"验签失败"}' }));
}

test.serial('TRANSACTION.SUCCESS arrives as WeChat sends it; the real client verifies and decrypts it', async (t) => {
  const target = await receiver(t);
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url, bankType: 'CMB_CREDIT', attach: 'a=1' });
  const [notification] = await target.waitFor(1);
  if (!notification) throw new Error('no notification');
  t.is(header(notification, 'wechatpay-serial'), merchant.platformCertificateSerial);
  t.is(header(notification, 'wechatpay-signature-type'), 'WECHATPAY2-SHA256-RSA2048');
  t.is(header(notification, 'content-type'), 'application/json');
  t.regex(header(notification, 'wechatpay-nonce'), /^[0-9A-F]{32}$/);
  const body = JSON.parse(notification.body) as NotificationBody;
  t.deepEqual(Object.keys(body), ['id', 'create_time', 'resource_type', 'event_type', 'summary', 'resource']);
  t.like(body, { resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功' });
  t.like(body.resource, { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction' });
  t.regex(body.resource.nonce, /^[A-Za-z0-9]{12}$/);
  const { verified, resource } = await verifyAndDecrypt(notification);
  t.true(verified);
  t.like(resource, {
    mchid: merchant.mchid,
    appid: merchant.appid,
    out_trade_no: order.outTradeNo,
    transaction_id: order.transactionId,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    bank_type: 'CMB_CREDIT',
    attach: 'a=1',
    payer: { openid },
    amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
  });
  // A body re-serialised by a framework no longer verifies: merchants must keep the raw bytes.
  t.false(
    verifySha256WithRsa(
      buildResponseSignMessage(header(notification, 'wechatpay-timestamp'), header(notification, 'wechatpay-nonce'), JSON.stringify(JSON.parse(notification.body), null, 1)),
      header(notification, 'wechatpay-signature'),
      (await pay.get_certificates(merchant.apiV3Key))[0]?.publicKey ?? '',
    ),
  );
  const state = await env.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === order.outTradeNo && n.status === 'DELIVERED'));
  const record = state.notifications.find((n) => n.outTradeNo === order.outTradeNo);
  t.like(record?.attempts[0], { kind: 'normal', httpStatus: 200, accepted: true, signer: 'platform' });
  t.is(record?.body, notification.body);
});

test.serial('a failing merchant is retried on the documented schedule (scaled) until it answers 2xx', async (t) => {
  const target = await receiver(t);
  target.answerWith((_n, index) => (index < 2 ? { status: 500, body: '{"code":"FAIL","message":"失败"}' } : { status: 204 }));
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  const received = await target.waitFor(3);
  // 15 s and 15 s at a time scale of 0.001.
  t.true((received[1]?.receivedAt ?? 0) - (received[0]?.receivedAt ?? 0) >= 13);
  t.true((received[2]?.receivedAt ?? 0) - (received[1]?.receivedAt ?? 0) >= 13);
  t.is(new Set(received.map((n) => n.body)).size, 1, 'every attempt carries the same bytes');
  const state = await env.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === order.outTradeNo && n.status === 'DELIVERED'));
  const record = state.notifications.find((n) => n.outTradeNo === order.outTradeNo);
  t.deepEqual(record?.attempts.map((a) => a.httpStatus), [500, 500, 204]);
  t.is(record?.retriesUsed, 2);
});

test.serial('after 15 retries WeChat gives up; a redelivery from the controls starts again', async (t) => {
  await env.control.settings({ timeScale: 0.00001 });
  t.teardown(() => env.control.settings({ timeScale: 0.001 }).then(() => undefined));
  const target = await receiver(t);
  target.answerWith(() => ({ status: 503 }));
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  const failed = await env.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === order.outTradeNo && n.status === 'FAILED'), 10_000);
  const record = failed.notifications.find((n) => n.outTradeNo === order.outTradeNo);
  t.is(record?.attempts.length, 16);
  t.is(record?.retriesUsed, 15);
  target.answerWith(() => ({ status: 200 }));
  const redelivered = await env.control.redeliver(record?.id ?? '');
  t.is(redelivered.status, 'DELIVERED');
  t.like(redelivered.attempts.at(-1), { kind: 'manual', accepted: true });
});

test.serial('notify-drop loses the next notification (for the given order only); the order still reads SUCCESS', async (t) => {
  const target = await receiver(t);
  const dropped = await placeOrder(pay, { openid, notifyUrl: target.url });
  await env.control.faults({ type: 'notify-drop', outTradeNo: dropped.outTradeNo });
  const other = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  await env.control.pay(dropped.prepayId);
  await target.waitFor(1);
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.is(target.received.length, 1);
  t.is((await verifyAndDecrypt(target.received[0] as ReceivedNotification)).resource['out_trade_no'], other.outTradeNo);
  const state = await env.control.state();
  t.like(state.notifications.find((n) => n.outTradeNo === dropped.outTradeNo), { status: 'DROPPED', attempts: [] });
  t.like((await pay.query({ out_trade_no: dropped.outTradeNo })).data, { trade_state: 'SUCCESS' });
  t.deepEqual(await env.control.listFaults(), []);
});

test.serial('notify-delay holds the first delivery back', async (t) => {
  const target = await receiver(t);
  await env.control.faults({ type: 'notify-delay', ms: 300 });
  const started = Date.now();
  await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  const [notification] = await target.waitFor(1);
  t.true((notification?.receivedAt ?? 0) - started >= 290);
});

test.serial('notify-duplicate sends N copies of the same notification concurrently', async (t) => {
  const target = await receiver(t);
  target.answerWith(() => ({ status: 200, delayMs: 100 }));
  await env.control.faults({ type: 'notify-duplicate', copies: 3 });
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  const received = await target.waitFor(3);
  t.is(new Set(received.map((n) => (JSON.parse(n.body) as NotificationBody).id)).size, 1);
  const spread = Math.max(...received.map((n) => n.receivedAt)) - Math.min(...received.map((n) => n.receivedAt));
  t.true(spread < 100, 'the copies overlap instead of following each other');
  const state = await env.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === order.outTradeNo && n.status === 'DELIVERED'));
  t.deepEqual(state.notifications.find((n) => n.outTradeNo === order.outTradeNo)?.attempts.map((a) => a.kind).sort(), ['duplicate', 'duplicate', 'normal']);
});

test.serial('notify-reorder holds the next N notifications and delivers them newest first', async (t) => {
  const target = await receiver(t);
  await env.control.faults({ type: 'notify-reorder', count: 3 });
  const paid = [];
  for (let i = 0; i < 3; i += 1) paid.push((await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url })).outTradeNo);
  const received = await target.waitFor(3);
  const order = await Promise.all(received.map(async (n) => (await verifyAndDecrypt(n)).resource['out_trade_no']));
  t.deepEqual(order, [...paid].reverse());
});

test.serial('clearing faults releases notifications still held for reordering', async (t) => {
  const target = await receiver(t);
  await env.control.faults({ type: 'notify-reorder', count: 5 });
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  t.like((await env.control.state()).notifications.find((n) => n.outTradeNo === order.outTradeNo), { status: 'HELD' });
  await env.control.clearFaults();
  await target.waitFor(1);
  t.deepEqual(await env.control.listFaults(), []);
});

test.serial('notify-signtest sends a WECHATPAY/SIGNTEST/ probe first; a verifying merchant rejects it and gets the real one', async (t) => {
  const target = await receiver(t);
  careful(target);
  await env.control.faults({ type: 'notify-signtest' });
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  const received = await target.waitFor(2);
  t.true(header(received[0] as ReceivedNotification, 'wechatpay-signature').startsWith('WECHATPAY/SIGNTEST/'));
  t.false(header(received[1] as ReceivedNotification, 'wechatpay-signature').startsWith('WECHATPAY/SIGNTEST/'));
  const state = await env.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === order.outTradeNo && n.status === 'DELIVERED'));
  t.like(state.notifications.find((n) => n.outTradeNo === order.outTradeNo)?.attempts, [
    { kind: 'signtest', httpStatus: 401, accepted: false },
    { kind: 'normal', httpStatus: 200, accepted: true },
  ]);

  const careless = await receiver(t);
  await env.control.faults({ type: 'notify-signtest' });
  const second = await placePaidOrder(pay, env.control, { openid, notifyUrl: careless.url });
  await careless.waitFor(2);
  const after = await env.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === second.outTradeNo && n.attempts.length === 2));
  t.like(after.notifications.find((n) => n.outTradeNo === second.outTradeNo)?.attempts[0], { kind: 'signtest', accepted: true });
});

test.serial('notifications switch to the WeChat Pay public key for a merchant in public-key mode', async (t) => {
  const target = await receiver(t);
  await env.control.setNotificationSigner(merchant.mchid, 'public_key');
  t.teardown(() => env.control.setNotificationSigner(merchant.mchid, 'auto').then(() => undefined));
  await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  const [notification] = await target.waitFor(1);
  if (!notification) throw new Error('no notification');
  t.is(header(notification, 'wechatpay-serial'), merchant.publicKeyId);
  const message = buildResponseSignMessage(header(notification, 'wechatpay-timestamp'), header(notification, 'wechatpay-nonce'), notification.body);
  t.true(verifySha256WithRsa(message, header(notification, 'wechatpay-signature'), merchant.publicKeyPem));
  const runtime = await env.control.setNotificationSigner(merchant.mchid, 'auto');
  t.is(runtime.notificationSigner, 'auto');
});

test.serial('in auto mode a request naming the PUB_KEY_ID moves the merchant\'s notifications to the public key', async (t) => {
  const target = await receiver(t);
  const paid = await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  t.is(header((await target.waitFor(1))[0] as ReceivedNotification, 'wechatpay-serial'), merchant.platformCertificateSerial);
  await signedFetch(pay, env.sandbox.url, 'GET', `/v3/pay/transactions/out-trade-no/${paid.outTradeNo}?mchid=${merchant.mchid}`, {
    headers: { 'Wechatpay-Serial': merchant.publicKeyId },
  });
  await placePaidOrder(pay, env.control, { openid, notifyUrl: target.url });
  t.is(header((await target.waitFor(2))[1] as ReceivedNotification, 'wechatpay-serial'), merchant.publicKeyId);
  const state = await env.control.state();
  t.like(state.merchants[0], { usesPublicKey: true, notificationSigner: 'auto' });
});

test.serial('a skewed WeChat clock shows in Wechatpay-Timestamp, so the merchant\'s ±5 min check can be exercised', async (t) => {
  const target = await receiver(t);
  const order = await placeOrder(pay, { openid, notifyUrl: target.url });
  await env.control.clock({ skewSeconds: -600 });
  try {
    await env.control.pay(order.prepayId);
    const [notification] = await target.waitFor(1);
    const skew = Number(header(notification as ReceivedNotification, 'wechatpay-timestamp')) - Date.now() / 1000;
    t.true(skew < -590 && skew > -610);
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
});
