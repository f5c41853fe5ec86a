import test from 'ava';
import { verifySha256WithRsa, buildResponseSignMessage } from '../crypto/signing.ts';
import { SandboxControlError } from '../control-client.ts';
import { jsapiParams, newOutTradeNo, placeOrder } from '../test-support/flows.ts';
import { SandboxPay, signedFetch } from '../test-support/sandbox-pay-client.ts';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox-fixture.ts';
import { formatRfc3339 } from '../time/shanghai-time.ts';

let env: TestSandbox;
let pay: SandboxPay;
let openid: string;
const notifyUrl = 'https://notify.campuspay.invalid/api/v1/wechatpay/notify/transaction';

test.before(async () => {
  env = await startTestSandbox();
  const merchant = env.sandbox.merchants[0];
  if (!merchant) throw new Error('no merchant');
  pay = new SandboxPay(env.sandbox.url, merchant);
  openid = (await env.control.createUser({ nickname: '测试家长' })).openid;
});
test.after.always(() => env.stop());

test.serial('the real client creates an order; its paySign passes the payment sheet check; paying makes it SUCCESS', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl, attach: 'bill-42' });
  t.regex(order.prepayId, /^wx\d{14}[0-9a-f]{20}$/);
  const before = await pay.query({ out_trade_no: order.outTradeNo });
  t.is(before.status, 200);
  t.like(before.data, { trade_state: 'NOTPAY', trade_state_desc: '订单未支付', out_trade_no: order.outTradeNo });
  t.false('transaction_id' in before.data);
  t.false('attach' in before.data);

  const { appId: _appId, ...requestPayment } = order.payment;
  const answer = await env.control.pay(order.prepayId, { bankType: 'ICBC_DEBIT', openid, requestPayment });
  t.is(answer.errMsg, 'requestPayment:ok');

  const after = await pay.query({ out_trade_no: order.outTradeNo });
  t.like(after.data, { trade_state: 'SUCCESS', bank_type: 'ICBC_DEBIT', attach: 'bill-42', trade_type: 'JSAPI', payer: { openid } });
  t.regex(after.data.transaction_id, /^\d{28}$/);
  t.regex(after.data.success_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  t.deepEqual(after.data.amount, { currency: 'CNY', payer_currency: 'CNY', payer_total: 100, total: 100 });

  const byId = await pay.query({ transaction_id: after.data.transaction_id });
  t.is(byId.status, 200);
  t.is(byId.data.out_trade_no, order.outTradeNo);
});

test.serial('a forged paySign is refused like the payment sheet does', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl });
  const { appId: _appId, ...requestPayment } = order.payment;
  const forged = { ...requestPayment, paySign: requestPayment.paySign.replace(/^.{4}/, 'AAAA') };
  const error = await t.throwsAsync(env.control.pay(order.prepayId, { requestPayment: forged }), { instanceOf: SandboxControlError });
  t.is(error?.message, 'requestPayment:fail 支付验证签名失败');
  const state = await env.control.state();
  t.is(state.orders.find((o) => o.outTradeNo === order.outTradeNo)?.tradeState, 'NOTPAY');
});

test.serial('the same out_trade_no with the same parameters returns the same prepay_id; different parameters fail', async (t) => {
  const params = jsapiParams({ openid, notifyUrl });
  const first = await pay.transactions_jsapi(params);
  const second = await pay.transactions_jsapi({ ...params });
  t.is(first.data.package, second.data.package);
  const changed = await pay.transactions_jsapi({ ...params, amount: { total: 200, currency: 'CNY' } });
  t.is(changed.status, 403);
  t.like(JSON.parse(changed.error), { code: 'OUT_TRADE_NO_USED' });
});

test.serial('the JSAPI parameter rules answer PARAM_ERROR with a detail pointer', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ out_trade_no: 'abc12' }, '/out_trade_no'],
    [{ out_trade_no: 'has space 123' }, '/out_trade_no'],
    [{ out_trade_no: 'x'.repeat(33) }, '/out_trade_no'],
    [{ amount: { total: 0, currency: 'CNY' } }, '/amount/total'],
    [{ amount: { total: 1.5, currency: 'CNY' } }, '/amount/total'],
    [{ time_expire: '20250101120000' }, '/time_expire'],
    [{ time_expire: '2025-02-30T10:00:00+08:00' }, '/time_expire'],
    [{ payer: {} }, '/payer/openid'],
    [{ notify_url: 'http://campuspay.example.com/notify' }, '/notify_url'],
    [{ notify_url: 'https://campuspay.example.com/notify?order=1' }, '/notify_url'],
    [{ description: '学费🎉' }, '/description'],
  ];
  for (const [override, field] of cases) {
    const result = await pay.transactions_jsapi({ ...jsapiParams({ openid, notifyUrl }), ...override });
    t.is(result.status, 400, field);
    const body = JSON.parse(result.error) as { code: string; detail: { field: string; location: string } };
    t.is(body.code, 'PARAM_ERROR', field);
    t.is(body.detail.field, field);
    t.is(body.detail.location, 'body');
  }
  const unknownPayer = await pay.transactions_jsapi(jsapiParams({ openid: 'oNotAUserOfThisMiniProgram00', notifyUrl }));
  t.like(JSON.parse(unknownPayer.error), { code: 'PARAM_ERROR', message: '无效的openid' });
  const loopback = await pay.transactions_jsapi(jsapiParams({ openid, notifyUrl: 'http://127.0.0.1:3000/api/v1/wechatpay/notify/transaction' }));
  t.is(loopback.status, 200, 'plain http is accepted on the loopback interface');
});

test.serial('appid and body mchid must belong to the signing merchant', async (t) => {
  const wrongApp = await pay.transactions_jsapi({ ...jsapiParams({ openid, notifyUrl }), appid: 'wx0000000000000000' });
  t.is(wrongApp.status, 400);
  t.like(JSON.parse(wrongApp.error), { code: 'APPID_MCHID_NOT_MATCH' });
  const wrongMchid = await pay.transactions_jsapi({ ...jsapiParams({ openid, notifyUrl }), mchid: '1900000000' });
  t.is(wrongMchid.status, 400);
  t.like(JSON.parse(wrongMchid.error), { code: 'PARAM_ERROR', message: 'http header中的mchid与post payload中的mchid不匹配' });
});

test.serial('close answers 204, again 204, and a paid order cannot be closed', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl });
  t.is((await pay.close(order.outTradeNo)).status, 204);
  t.is((await pay.close(order.outTradeNo)).status, 204);
  t.like((await pay.query({ out_trade_no: order.outTradeNo })).data, { trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
  const reorder = await pay.transactions_jsapi(jsapiParams({ openid, notifyUrl, outTradeNo: order.outTradeNo }));
  t.like(JSON.parse(reorder.error), { code: 'ORDER_CLOSED' });
  await t.throwsAsync(env.control.pay(order.prepayId), { message: '订单已关闭' });

  const paid = await placeOrder(pay, { openid, notifyUrl });
  await env.control.pay(paid.prepayId);
  const refused = await pay.close(paid.outTradeNo);
  t.is(refused.status, 400);
  t.like(JSON.parse(refused.error), { code: 'INVALID_REQUEST' });
  t.is((await pay.close('NO_SUCH_ORDER_1')).status, 404);
  t.is((await pay.query({ out_trade_no: 'NO_SUCH_ORDER_2' })).status, 404);
});

test.serial('an order expires at time_expire (never sooner than a minute) and then reads CLOSED', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl, timeExpire: formatRfc3339(Date.now() + 10 * 60 * 1000) });
  await env.control.clock({ skewSeconds: 9 * 60 });
  t.is((await env.control.pay(order.prepayId, { result: 'CANCEL' })).errMsg, 'requestPayment:fail cancel');
  await env.control.clock({ skewSeconds: 11 * 60 });
  try {
    // The client signs with real time; only WeChat's clock moved, so check through the state endpoint.
    const state = await env.control.state();
    t.like(state.orders.find((o) => o.outTradeNo === order.outTradeNo), { tradeState: 'CLOSED', closeReason: 'EXPIRED' });
    await t.throwsAsync(env.control.pay(order.prepayId), { message: '订单已关闭' });
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
  const soon = await placeOrder(pay, { openid, notifyUrl, timeExpire: formatRfc3339(Date.now() - 60 * 1000) });
  const state = await env.control.state();
  const stored = state.orders.find((o) => o.outTradeNo === soon.outTradeNo);
  t.true((stored?.timeExpire ?? 0) - (stored?.createdAt ?? 0) >= 60 * 1000);
});

test.serial('a prepay_id opens the payment sheet for two hours', async (t) => {
  const order = await placeOrder(pay, { openid, notifyUrl });
  await env.control.clock({ skewSeconds: 2 * 60 * 60 + 1 });
  try {
    await t.throwsAsync(env.control.pay(order.prepayId), { message: /prepay_id已过期/ });
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
  await t.throwsAsync(env.control.pay(order.prepayId, { openid: 'oSomeoneElse000000000000000' }), { message: '下单账号与支付账号不一致' });
});

test.serial('2xx answers are signed with the platform certificate, or with the public key when the request names PUB_KEY_ID', async (t) => {
  const merchant = env.sandbox.merchants[0];
  if (!merchant) throw new Error('no merchant');
  const certificates = await pay.get_certificates(merchant.apiV3Key);
  const platformKey = certificates[0]?.publicKey ?? '';
  t.is(certificates[0]?.serial_no, merchant.platformCertificateSerial);
  const order = await placeOrder(pay, { openid, notifyUrl });
  const path = `/v3/pay/transactions/out-trade-no/${order.outTradeNo}?mchid=${merchant.mchid}`;

  const platform = await signedFetch(pay, env.sandbox.url, 'GET', path);
  t.is(platform.headers.get('wechatpay-serial'), merchant.platformCertificateSerial);
  const verify = (response: typeof platform, key: string) =>
    verifySha256WithRsa(
      buildResponseSignMessage(response.headers.get('wechatpay-timestamp') ?? '', response.headers.get('wechatpay-nonce') ?? '', response.text),
      response.headers.get('wechatpay-signature') ?? '',
      key,
    );
  t.true(verify(platform, platformKey));
  t.true(
    await pay.verifySign({
      timestamp: platform.headers.get('wechatpay-timestamp') ?? '',
      nonce: platform.headers.get('wechatpay-nonce') ?? '',
      body: platform.text,
      serial: platform.headers.get('wechatpay-serial') ?? '',
      signature: platform.headers.get('wechatpay-signature') ?? '',
    }),
  );

  const publicKeyMode = await signedFetch(pay, env.sandbox.url, 'GET', path, { headers: { 'Wechatpay-Serial': merchant.publicKeyId } });
  t.is(publicKeyMode.headers.get('wechatpay-serial'), merchant.publicKeyId);
  t.true(verify(publicKeyMode, merchant.publicKeyPem));
  t.false(verify(publicKeyMode, platformKey));

  const closed = await signedFetch(pay, env.sandbox.url, 'POST', `/v3/pay/transactions/out-trade-no/${order.outTradeNo}/close`, { body: { mchid: merchant.mchid } });
  t.is(closed.status, 204);
  t.is(closed.text, '');
  t.true(verify(closed, platformKey), '204 is signed over an empty body');

  const wrongSerial = await signedFetch(pay, env.sandbox.url, 'GET', path, { headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_0000' } });
  t.is(wrongSerial.status, 400);
  t.like(JSON.parse(wrongSerial.text), { code: 'PARAM_ERROR', message: '平台证书序列号Wechatpay-Serial错误' });
});

test.serial('an out_trade_no with | and * works when the client encodes the path it signs', async (t) => {
  const merchant = env.sandbox.merchants[0];
  if (!merchant) throw new Error('no merchant');
  const outTradeNo = `${newOutTradeNo('A|B*')}`.slice(0, 32);
  const order = await placeOrder(pay, { openid, notifyUrl, outTradeNo });
  t.is(order.outTradeNo, outTradeNo);
  const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${merchant.mchid}`;
  const response = await signedFetch(pay, env.sandbox.url, 'GET', path);
  t.is(response.status, 200);
  t.is(JSON.parse(response.text).out_trade_no, outTradeNo);
});
