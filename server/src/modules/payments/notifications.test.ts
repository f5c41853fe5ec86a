import test from 'ava';
import { createCipheriv, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bill } from '@campuspay/shared';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';

let p: PaymentsPlatform;
test.before(async () => {
  p = await startPaymentsPlatform('notify');
});
test.after.always(() => p?.stop());

/** Plays WeChat: an encrypted, signed TRANSACTION.SUCCESS notification, with knobs to get it wrong. */
function notification(resource: Record<string, unknown>, opts: { key?: string; serial?: string; timestamp?: number; tamper?: boolean; signature?: string } = {}) {
  const merchant = p.sandbox.merchants[0]!;
  const dir = path.dirname(merchant.privateKeyPath);
  const platformKey = opts.key ?? readFileSync(path.join(dir, 'wechat-side', 'platform_key.pem'), 'utf8');
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(merchant.apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(resource)), cipher.final(), cipher.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: randomUUID(),
    create_time: new Date().toISOString(),
    event_type: 'TRANSACTION.SUCCESS',
    resource_type: 'encrypt-resource',
    summary: '支付成功',
    resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'transaction', nonce },
  });
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const headerNonce = randomBytes(16).toString('hex');
  const signer = createSign('RSA-SHA256');
  signer.update(`${timestamp}\n${headerNonce}\n${body}\n`);
  const signature = opts.signature ?? signer.sign(platformKey, 'base64');
  const sent = opts.tamper ? body.replace('"支付成功"', '"支付成功 "') : body;
  return {
    body: sent,
    headers: {
      'content-type': 'application/json',
      'wechatpay-serial': opts.serial ?? merchant.platformCertificateSerial,
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': headerNonce,
      'wechatpay-signature': signature,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
  };
}

test('forged, tampered, wrong-serial, stale and probe notifications are refused with WeChat’s FAIL answer and change nothing; the genuine one is applied', async (t) => {
  const [bill] = await p.issue({ classId: 'campus_demo_east_div1_g6_c2', amountFen: 88_800 });
  const s = await p.server.deps.db.collection('students').findOne({ _id: (bill as Bill).studentId as never });
  const parent = await p.parent('notify-parent', [String(s?.studentNo)]);
  const order = await parent.post<{ orderId: string; outTradeNo: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [bill!.id] });
  const merchant = p.sandbox.merchants[0]!;
  // Paid at WeChat, but WeChat's own notification is lost: only our crafted ones reach the server.
  await p.control.faults({ type: 'notify-drop', count: 1, outTradeNo: order.body.outTradeNo });
  const paid = await p.control.pay(order.body.payParams.package.replace('prepay_id=', ''));
  const tx = paid.transaction as Record<string, unknown>;
  await p.server.deps.db.collection('orders').updateOne({ _id: order.body.orderId as never }, { $set: { createdAt: new Date() } });

  const send = (n: ReturnType<typeof notification>) => p.server.api.request<{ code: string }>('POST', '/api/v1/wechatpay/notify/transaction', { rawBody: n.body, headers: n.headers });
  const forgerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cases = {
    forged: notification(tx, { key: forgerKey }),
    tampered: notification(tx, { tamper: true }),
    wrongSerial: notification(tx, { serial: 'DEADBEEF00000000000000000000000000000000' }),
    stale: notification(tx, { timestamp: Math.floor(Date.now() / 1000) - 400 }),
    probe: notification(tx, { signature: 'WECHATPAY/SIGNTEST/' + randomBytes(64).toString('base64') }),
    wrongAmount: notification({ ...tx, amount: { ...(tx.amount as object), total: 1 } }),
    wrongMerchant: notification({ ...tx, mchid: p.sandbox.merchants[1]!.mchid }),
  };
  for (const [name, n] of Object.entries(cases)) {
    const res = await send(n);
    t.true(res.status >= 400 && res.status < 600, `${name}: ${res.status}`);
    t.deepEqual(res.body, { code: 'FAIL', message: '失败' }, name);
    const o = await p.server.deps.db.collection('orders').findOne({ _id: order.body.orderId as never });
    t.is(o?.status, 'PENDING', `${name} changed nothing`);
  }
  t.is(await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: order.body.orderId }), 0);
  const queue = await p.bursar.get<{ kind: string }[]>('/api/v1/admin/exceptions');
  t.true(queue.body.filter((e) => e.kind === 'notification_rejected').length >= 3, 'failed verifications are queued with evidence');
  t.true(queue.body.some((e) => e.kind === 'amount_mismatch'));

  const genuine = await send(notification(tx));
  t.is(genuine.status, 204);
  const again = await send(notification(tx));
  t.is(again.status, 204, 'a duplicate is answered with success');
  const o = await p.server.deps.db.collection('orders').findOne({ _id: order.body.orderId as never });
  t.is(o?.status, 'PAID');
  t.is(await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: order.body.orderId }), 1);

  // Public-key mode: a notification signed with WeChat Pay's public key, named by its PUB_KEY_ID, is accepted too.
  const pubKeyOrder = await p.issue({ classId: 'campus_demo_east_div1_g6_c2', amountFen: 1_000 });
  const mine = pubKeyOrder.find((b) => b.studentId === bill!.studentId)!;
  const second = await parent.post<{ orderId: string; outTradeNo: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [mine.id] });
  await p.control.faults({ type: 'notify-drop', count: 1, outTradeNo: second.body.outTradeNo });
  const paid2 = await p.control.pay(second.body.payParams.package.replace('prepay_id=', ''));
  const pubKey = readFileSync(path.join(path.dirname(merchant.privateKeyPath), 'wechat-side', 'pub_key_private.pem'), 'utf8');
  const viaPublicKey = await send(notification(paid2.transaction as Record<string, unknown>, { key: pubKey, serial: merchant.publicKeyId }));
  t.is(viaPublicKey.status, 204);
  const report = await p.invariants();
  t.deepEqual(report.problems, []);
});
