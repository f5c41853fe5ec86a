import test from 'ava';
import { SandboxControlError } from '../control-client.ts';
import type { SandboxMerchantInfo } from '../identity/merchants.ts';
import { newOutTradeNo, placeOrder, placePaidOrder } from '../test-support/flows.ts';
import { SandboxPay } from '../test-support/sandbox-pay-client.ts';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox-fixture.ts';

let env: TestSandbox;
let pay: SandboxPay;
let merchant: SandboxMerchantInfo;
let openid: string;
const notifyUrl = 'https://notify.campuspay.invalid/api/v1/wechatpay/notify/transaction';

test.before(async () => {
  env = await startTestSandbox();
  const first = env.sandbox.merchants[0];
  if (!first) throw new Error('no merchant');
  merchant = first;
  pay = new SandboxPay(env.sandbox.url, merchant);
  openid = (await env.control.createUser({ nickname: '王家长' })).openid;
});
test.after.always(() => env.stop());

test.serial('POST /sandbox/users creates a user once per openid; an unknown appid is refused', async (t) => {
  const created = await env.control.createUser({ openid: 'oFixedOpenid0000000000000001', nickname: '李家长' });
  t.like(created, { openid: 'oFixedOpenid0000000000000001', nickname: '李家长', appid: merchant.appid });
  const again = await env.control.createUser({ openid: 'oFixedOpenid0000000000000001', nickname: '别名' });
  t.is(again.nickname, '李家长');
  t.regex((await env.control.createUser()).openid, /^o[A-Za-z0-9_-]{27}$/);
  await t.throwsAsync(env.control.createUser({ appid: 'wx0000000000000000' }), { instanceOf: SandboxControlError, message: /no merchant is bound/ });
});

test.serial('POST /sandbox/pay: CANCEL and FAIL leave the order NOTPAY and send nothing; bad input is refused', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl });
  t.is((await env.control.pay(order.prepayId, { result: 'CANCEL' })).errMsg, 'requestPayment:fail cancel');
  const failed = await env.control.pay(order.prepayId, { result: 'FAIL', bankType: 'CMB_CREDIT' });
  t.regex(failed.errMsg, /^requestPayment:fail /);
  t.like(failed.transaction, { trade_state: 'NOTPAY' });
  const paid = await env.control.pay(order.prepayId);
  t.like(paid.transaction, { trade_state: 'SUCCESS', bank_type: 'OTHERS' });
  await t.throwsAsync(env.control.pay(order.prepayId), { message: '订单已支付' });
  const state = await env.control.state();
  const stored = state.orders.find((o) => o.outTradeNo === order.outTradeNo);
  t.deepEqual(stored?.payerActions.map((a) => a.result), ['CANCEL', 'FAIL', 'SUCCESS']);
  t.is(state.notifications.filter((n) => n.outTradeNo === order.outTradeNo).length, 1);
  await t.throwsAsync(env.control.pay('wx_no_such_prepay'), { message: 'prepay_id不存在' });
  const response = await fetch(`${env.sandbox.url}/sandbox/pay`, { method: 'POST', body: JSON.stringify({ prepay_id: order.prepayId, result: 'MAYBE' }) });
  t.is(response.status, 400);
});

test.serial('api-error faults fail the next N calls with WeChat\'s code and status, then stop', async (t) => {
  const faults = await env.control.faults([
    { type: 'api-error', api: 'jsapi', code: 'FREQUENCY_LIMITED' },
    { type: 'api-error', api: 'query', count: 2 },
    { type: 'api-error', api: 'refund', code: 'NOT_ENOUGH', message: '基本账户余额不足' },
    { type: 'api-error', api: 'close', code: 'SYSTEM_ERROR', status: 502 },
  ]);
  t.is(faults.length, 4);
  t.is((await env.control.listFaults()).length, 4);
  const limited = await placeOrder(pay, { openid, notifyUrl }).catch((error: Error) => error);
  t.regex(String(limited), /order failed: 429 .*FREQUENCY_LIMITED/);
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl });
  for (let i = 0; i < 2; i += 1) {
    const failed = await pay.query({ out_trade_no: order.outTradeNo });
    t.is(failed.status, 500);
    t.like(JSON.parse(failed.error), { code: 'SYSTEM_ERROR', message: '系统错误' });
  }
  t.is((await pay.query({ out_trade_no: order.outTradeNo })).status, 200);
  const refund = await pay.refunds({ out_trade_no: order.outTradeNo, out_refund_no: newOutTradeNo('RF'), amount: { refund: 1, total: 100, currency: 'CNY' } });
  t.is(refund.status, 403);
  t.like(JSON.parse(refund.error), { code: 'NOT_ENOUGH', message: '基本账户余额不足' });
  t.is((await pay.close(order.outTradeNo)).status, 502);
  t.deepEqual(await env.control.listFaults(), []);
});

test.serial('api-error on a mini-program API answers errcode/errmsg', async (t) => {
  await env.control.faults({ type: 'api-error', api: 'jscode2session', errcode: 45011, errmsg: 'api minute-quota reach limit' });
  const { code } = await env.control.loginCode(openid);
  const query = new URLSearchParams({ appid: merchant.appid, secret: merchant.appSecret, js_code: code, grant_type: 'authorization_code' });
  const limited = (await (await fetch(`${env.sandbox.url}/sns/jscode2session?${query}`)).json()) as Record<string, unknown>;
  t.is(limited['errcode'], 45011);
  const ok = (await (await fetch(`${env.sandbox.url}/sns/jscode2session?${query}`)).json()) as Record<string, unknown>;
  t.is(ok['openid'], openid, 'the faulted call did not spend the code');
  await env.control.faults({ type: 'api-error', api: 'token' });
  const token = (await (await fetch(`${env.sandbox.url}/cgi-bin/token?grant_type=client_credential&appid=${merchant.appid}&secret=${merchant.appSecret}`)).json()) as Record<string, unknown>;
  t.is(token['errcode'], -1);
});

test.serial('api-timeout hangs then drops the connection; with processed WeChat acted before the answer was lost', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl });
  await env.control.faults({ type: 'api-timeout', api: 'close', ms: 150 });
  const started = Date.now();
  const lost = await pay.close(order.outTradeNo);
  t.falsy(lost.status, 'no HTTP answer at all');
  t.true(Date.now() - started >= 140);
  t.like((await pay.query({ out_trade_no: order.outTradeNo })).data, { trade_state: 'NOTPAY' });

  await env.control.pay(order.prepayId);
  await env.control.faults({ type: 'api-timeout', api: 'refund', ms: 50, processed: true });
  const outRefundNo = newOutTradeNo('RF');
  const params = { out_trade_no: order.outTradeNo, out_refund_no: outRefundNo, amount: { refund: 100, total: 100, currency: 'CNY' } };
  t.falsy((await pay.refunds(params)).status);
  t.is((await pay.find_refunds(outRefundNo)).status, 200, 'the refund exists although its answer was lost');
  const retried = await pay.refunds(params);
  t.is(retried.status, 200, 'retrying with the same out_refund_no is safe');

  await env.control.faults({ type: 'api-timeout', api: 'stable_token', ms: 50 });
  await t.throwsAsync(fetch(`${env.sandbox.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: merchant.appid, secret: merchant.appSecret }) }));
});

test.serial('api-delay answers normally, late', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl });
  await env.control.faults({ type: 'api-delay', api: 'query', ms: 200 });
  const started = Date.now();
  t.is((await pay.query({ out_trade_no: order.outTradeNo })).status, 200);
  t.true(Date.now() - started >= 190);
});

test.serial('a fault body that makes no sense is refused; DELETE clears all faults', async (t) => {
  for (const body of [{ type: 'explode' }, { type: 'api-error', api: 'nope' }, { type: 'notify-duplicate', copies: 1 }, { type: 'api-delay', api: 'query' }, { type: 'refund-outcome', status: 'SUCCESS' }, { type: 'notify-drop', count: 0 }]) {
    const response = await fetch(`${env.sandbox.url}/sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
    t.is(response.status, 400, JSON.stringify(body));
    t.like(await response.json(), { code: 'INVALID_FAULT' });
  }
  await env.control.faults([{ type: 'notify-drop', count: 3 }, { type: 'api-error', api: 'tradebill' }]);
  await env.control.clearFaults();
  t.deepEqual(await env.control.listFaults(), []);
});

test.serial('POST /sandbox/clock skews WeChat\'s clock by seconds or to a given moment', async (t) => {
  const skewed = await env.control.clock({ skewSeconds: 3600 });
  t.is(skewed.skewSeconds, 3600);
  t.true(Math.abs(Date.parse(skewed.now) - (Date.now() + 3600_000)) < 2000);
  // An hour ahead, every correctly signed request is now stale.
  const stale = await pay.query({ out_trade_no: 'ANY_ORDER_1' });
  t.is(stale.status, 401);
  const fixed = await env.control.clock({ now: '2030-01-01T10:00:00+08:00' });
  t.is(fixed.now, '2030-01-01T10:00:00+08:00');
  const reset = await env.control.clock({ skewSeconds: 0 });
  t.is(reset.skewSeconds, 0);
  await t.throwsAsync(env.control.clock({ now: 'tomorrow' } as { now: string }), { instanceOf: SandboxControlError });
});

test.serial('POST /sandbox/settings changes the fee rate for later payments and validates what it gets', async (t) => {
  const settings = await env.control.settings({ feeRate: '1.00%' });
  t.is(settings.feeRateBasisPoints, 100);
  t.teardown(() => env.control.settings({ feeRate: '0.60%' }).then(() => undefined));
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl, total: 250 });
  const state = await env.control.state();
  t.like(state.orders.find((o) => o.outTradeNo === order.outTradeNo), { feeFen: 3, feeRateBasisPoints: 100 });
  await t.throwsAsync(env.control.settings({ feeRate: '1%%' }), { instanceOf: SandboxControlError });
  await t.throwsAsync(env.control.settings({ timeScale: -1 }), { instanceOf: SandboxControlError });
});

test.serial('POST /sandbox/merchants/:mchid only knows auto, platform and public_key', async (t) => {
  await t.throwsAsync(env.control.setNotificationSigner(merchant.mchid, 'both' as 'auto'), { message: /notificationSigner/ });
  await t.throwsAsync(env.control.setNotificationSigner('1900000000', 'auto'), { instanceOf: SandboxControlError, message: /no merchant/ });
});

test.serial('GET /sandbox/state and the dashboard show merchants, orders, notifications with attempts, and messages', async (t) => {
  const order = await placePaidOrder(pay, env.control, { openid, notifyUrl, description: '校服费<script>' });
  const state = await env.control.waitForState((s) => s.notifications.some((n) => n.outTradeNo === order.outTradeNo && n.attempts.length > 0));
  t.like(state.merchants[0], { mchid: merchant.mchid, name: merchant.name, appid: merchant.appid });
  t.false(JSON.stringify(state).includes('PRIVATE KEY'), 'no keys in the state');
  t.like(state.notifications.find((n) => n.outTradeNo === order.outTradeNo)?.attempts[0], { kind: 'normal', accepted: false });
  const page = await fetch(`${env.sandbox.url}/sandbox/`);
  t.is(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await page.text();
  t.true(html.includes(order.outTradeNo));
  t.true(html.includes(merchant.name));
  t.true(html.includes('校服费&lt;script&gt;'));
  t.false(html.includes('校服费<script>'));
  t.true(html.includes('通知'));
});

test.serial('the payer page shows the sheet with real buttons and sends the payer back with payResult in the hash route', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl, total: 3500 });
  const redirect = 'http://127.0.0.1:3000/h5/#/pages/pay/result?orderId=abc';
  const response = await fetch(`${env.sandbox.url}/sandbox/payer?${new URLSearchParams({ prepay_id: order.prepayId, redirect })}`);
  t.is(response.status, 200);
  const html = await response.text();
  t.regex(html, /<button type="button" class="confirm" data-testid="confirm-pay" data-result="SUCCESS">确认支付<\/button>/);
  t.regex(html, /<button type="button" class="cancel" data-testid="cancel-pay" data-result="CANCEL">取消<\/button>/);
  t.true(html.includes('¥35.00'));
  t.true(html.includes(merchant.name));
  const config = JSON.parse(/const config = (.*);\n/.exec(html)?.[1] ?? '{}') as { prepayId: string; targets: Record<string, string> };
  t.is(config.prepayId, order.prepayId);
  t.deepEqual(config.targets, {
    SUCCESS: `${redirect}&payResult=SUCCESS`,
    CANCEL: `${redirect}&payResult=CANCEL`,
    FAIL: `${redirect}&payResult=FAIL`,
  });
  t.true(html.includes("fetch('/sandbox/pay'"));
  for (const value of ['OTHERS', 'ICBC_DEBIT', 'CMB_CREDIT']) t.true(html.includes(`value="${value}"`));
  t.is((await fetch(`${env.sandbox.url}/sandbox/payer?prepay_id=wx_missing`)).status, 404);
  const unsafe = await fetch(`${env.sandbox.url}/sandbox/payer?${new URLSearchParams({ prepay_id: order.prepayId, redirect: 'javascript:alert(1)' })}`);
  t.is(unsafe.status, 400);
  await env.control.pay(order.prepayId);
  const done = await (await fetch(`${env.sandbox.url}/sandbox/payer?prepay_id=${order.prepayId}`)).text();
  t.true(done.includes('data-testid="pay-unavailable"'));
  t.false(done.includes('data-testid="confirm-pay"'));
});

test.serial('controls answer CORS preflights and carry Access-Control-Allow-Origin', async (t) => {
  const preflight = await fetch(`${env.sandbox.url}/sandbox/pay`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://127.0.0.1:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  t.is(preflight.status, 204);
  t.is(preflight.headers.get('access-control-allow-origin'), '*');
  t.regex(preflight.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  const state = await fetch(`${env.sandbox.url}/sandbox/state`, { headers: { Origin: 'http://localhost:5173' } });
  t.is(state.headers.get('access-control-allow-origin'), '*');
  const missing = await fetch(`${env.sandbox.url}/sandbox/nothing-here`);
  t.is(missing.status, 404);
  t.is(missing.headers.get('access-control-allow-origin'), '*');
});
