import test from 'ava';
import type { SandboxMerchantInfo } from '../identity/merchants.ts';
import { newOutTradeNo, placeOrder, placePaidOrder } from '../test-support/flows.ts';
import { startNotifyReceiver, type NotifyReceiver } from '../test-support/notify-receiver.ts';
import { SandboxPay } from '../test-support/sandbox-pay-client.ts';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox-fixture.ts';
import { MAX_REFUNDS_PER_ORDER } from './refunds.ts';

let env: TestSandbox;
let pay: SandboxPay;
let merchant: SandboxMerchantInfo;
let openid: string;
let paymentNotifications: NotifyReceiver;
let refundNotifications: NotifyReceiver;

test.before(async () => {
  env = await startTestSandbox();
  const first = env.sandbox.merchants[0];
  if (!first) throw new Error('no merchant');
  merchant = first;
  pay = new SandboxPay(env.sandbox.url, merchant);
  openid = (await env.control.createUser()).openid;
  paymentNotifications = await startNotifyReceiver();
  refundNotifications = await startNotifyReceiver();
});
test.after.always(async () => {
  await env.stop();
  await paymentNotifications.stop();
  await refundNotifications.stop();
});

function refundParams(outTradeNo: string, refund: number, extra: Record<string, unknown> = {}) {
  return {
    out_trade_no: outTradeNo,
    out_refund_no: newOutTradeNo('RF'),
    reason: '退学退费',
    notify_url: refundNotifications.url.replace('/transaction', '/refund'),
    amount: { refund, total: 100, currency: 'CNY' },
    ...extra,
  };
}

async function waitForRefund(outRefundNo: string, status: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i += 1) {
    const found = await pay.find_refunds(outRefundNo);
    if (found.data?.status === status) return found.data as unknown as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`refund ${outRefundNo} never reached ${status}`);
}

test.serial('a refund is PROCESSING, then SUCCESS with a REFUND.SUCCESS notification; the order reads REFUND', async (t) => {
  const paid = await placePaidOrder(pay, env.control, { openid, notifyUrl: paymentNotifications.url, bankType: 'ICBC_DEBIT' });
  const params = refundParams(paid.outTradeNo, 30);
  const answer = await pay.refunds(params);
  t.is(answer.status, 200);
  const created = answer.data;
  if (!created) throw new Error('no refund in the answer');
  t.like(created, {
    out_refund_no: params.out_refund_no,
    out_trade_no: paid.outTradeNo,
    transaction_id: paid.transactionId,
    status: 'PROCESSING',
    channel: 'ORIGINAL',
    amount: { refund: 30, total: 100, payer_refund: 30, payer_total: 100, currency: 'CNY' },
  });
  t.regex(created.refund_id, /^\d{29}$/);
  t.regex(created.user_received_account, /^工商银行借记卡\d{4}$/);
  t.false('success_time' in created);

  const done = await waitForRefund(params.out_refund_no, 'SUCCESS');
  t.regex(String(done['success_time']), /\+08:00$/);
  t.like((await pay.query({ out_trade_no: paid.outTradeNo })).data, { trade_state: 'REFUND', trade_state_desc: '转入退款' });

  const [notification] = await refundNotifications.waitFor(1);
  if (!notification) throw new Error('no notification');
  const body = JSON.parse(notification.body) as { event_type: string; summary: string; resource: { original_type: string; ciphertext: string; associated_data: string; nonce: string } };
  t.like(body, { event_type: 'REFUND.SUCCESS', summary: '退款成功', resource: { original_type: 'refund', associated_data: 'refund' } });
  const verified = await pay.verifySign({
    timestamp: String(notification.headers['wechatpay-timestamp']),
    nonce: String(notification.headers['wechatpay-nonce']),
    body: notification.body,
    serial: String(notification.headers['wechatpay-serial']),
    signature: String(notification.headers['wechatpay-signature']),
    apiSecret: merchant.apiV3Key,
  });
  t.true(verified);
  const resource = pay.decipher_gcm<Record<string, unknown>>(body.resource.ciphertext, body.resource.associated_data, body.resource.nonce);
  t.like(resource, {
    mchid: merchant.mchid,
    out_trade_no: paid.outTradeNo,
    transaction_id: paid.transactionId,
    out_refund_no: params.out_refund_no,
    refund_id: created.refund_id,
    refund_status: 'SUCCESS',
    amount: { total: 100, refund: 30, payer_total: 100, payer_refund: 30 },
  });
  t.false('status' in resource, 'the refund notification says refund_status, not status');
});

test.serial('the same out_refund_no refunds once; changed amounts with it are refused', async (t) => {
  const paid = await placePaidOrder(pay, env.control, { openid, notifyUrl: paymentNotifications.url });
  const params = refundParams(paid.outTradeNo, 40);
  const first = await pay.refunds(params);
  const retry = await pay.refunds({ ...params });
  t.is(retry.status, 200);
  t.is(retry.data?.refund_id, first.data?.refund_id);
  const changed = await pay.refunds({ ...params, amount: { refund: 41, total: 100, currency: 'CNY' } });
  t.is(changed.status, 400);
  t.like(JSON.parse(changed.error), { code: 'INVALID_REQUEST' });
  const state = await env.control.state();
  t.is(state.refunds.filter((r) => r.outTradeNo === paid.outTradeNo).length, 1);
});

test.serial('refunds may not exceed what was paid, and total must match the order', async (t) => {
  const paid = await placePaidOrder(pay, env.control, { openid, notifyUrl: paymentNotifications.url });
  t.is((await pay.refunds(refundParams(paid.outTradeNo, 60))).status, 200);
  const tooMuch = await pay.refunds(refundParams(paid.outTradeNo, 41));
  t.is(tooMuch.status, 400);
  t.like(JSON.parse(tooMuch.error), { code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
  t.is((await pay.refunds(refundParams(paid.outTradeNo, 40))).status, 200);
  const wrongTotal = await pay.refunds({ ...refundParams(paid.outTradeNo, 1), amount: { refund: 1, total: 99, currency: 'CNY' } });
  t.like(JSON.parse(wrongTotal.error), { code: 'INVALID_REQUEST', message: '您的请求参数与订单信息不一致' });
  const byTransaction = await pay.refunds({
    transaction_id: paid.transactionId,
    out_refund_no: newOutTradeNo('RF'),
    amount: { refund: 1, total: 100, currency: 'CNY' },
  });
  t.like(JSON.parse(byTransaction.error), { code: 'INVALID_REQUEST' }, 'the order is fully refunded');
});

test.serial('an unpaid or unknown order cannot be refunded; bad parameters are PARAM_ERROR', async (t) => {
  const unpaid = await placeOrder(pay, { openid, notifyUrl: paymentNotifications.url });
  const refused = await pay.refunds(refundParams(unpaid.outTradeNo, 1));
  t.is(refused.status, 404);
  t.like(JSON.parse(refused.error), { code: 'RESOURCE_NOT_EXISTS' });
  const paid = await placePaidOrder(pay, env.control, { openid, notifyUrl: paymentNotifications.url });
  const cases: [Record<string, unknown>, string][] = [
    [{ amount: { refund: 0, total: 100, currency: 'CNY' } }, '/amount/refund'],
    [{ amount: { refund: 1, total: 100 } }, '/amount/currency'],
    [{ out_refund_no: 'has space' }, '/out_refund_no'],
    [{ notify_url: 'http://merchant.example.com/refund' }, '/notify_url'],
    [{ reason: '退'.repeat(81) }, '/reason'],
  ];
  for (const [override, field] of cases) {
    const result = await pay.refunds({ ...refundParams(paid.outTradeNo, 1), ...override });
    t.is(result.status, 400, field);
    t.like(JSON.parse(result.error), { code: 'PARAM_ERROR', detail: { field } });
  }
  const missing = await pay.find_refunds('NO_SUCH_REFUND');
  t.is(missing.status, 404);
});

test.serial(`at most ${MAX_REFUNDS_PER_ORDER} partial refunds per payment`, async (t) => {
  const paid = await placePaidOrder(pay, env.control, { openid, notifyUrl: paymentNotifications.url });
  for (let i = 0; i < MAX_REFUNDS_PER_ORDER; i += 1) {
    const params = refundParams(paid.outTradeNo, 1);
    delete (params as { notify_url?: string }).notify_url;
    t.is((await pay.refunds(params)).status, 200);
  }
  const over = await pay.refunds(refundParams(paid.outTradeNo, 1));
  t.is(over.status, 403);
  t.like(JSON.parse(over.error), { code: 'RULE_LIMIT' });
});

test.serial('a refund-outcome fault ends the next refund ABNORMAL with REFUND.ABNORMAL', async (t) => {
  const paid = await placePaidOrder(pay, env.control, { openid, notifyUrl: paymentNotifications.url });
  await env.control.faults({ type: 'refund-outcome', status: 'ABNORMAL', outTradeNo: paid.outTradeNo });
  const params = refundParams(paid.outTradeNo, 100);
  const before = refundNotifications.received.length;
  await pay.refunds(params);
  const done = await waitForRefund(params.out_refund_no, 'ABNORMAL');
  t.false('success_time' in done);
  await refundNotifications.waitFor(before + 1);
  t.like(JSON.parse(refundNotifications.received.at(-1)?.body ?? '{}'), { event_type: 'REFUND.ABNORMAL', summary: '退款异常' });
  t.like((await pay.query({ out_trade_no: paid.outTradeNo })).data, { trade_state: 'SUCCESS' });
});
