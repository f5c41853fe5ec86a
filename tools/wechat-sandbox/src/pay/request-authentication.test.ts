import test from 'ava';
import { createPrivateKey } from 'node:crypto';
import { buildRequestSignMessage, signSha256WithRsa } from '../crypto/signing.ts';
import { SandboxPay, signedFetch } from '../test-support/sandbox-pay-client.ts';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox-fixture.ts';
import { parseAuthorization } from './request-authentication.ts';

let env: TestSandbox;
let pay: SandboxPay;
let mchid: string;
let serialNo: string;
let privateKeyPem: string;

test.before(async () => {
  env = await startTestSandbox({ merchants: 2 });
  const merchant = env.sandbox.merchants[0];
  if (!merchant) throw new Error('no merchant');
  ({ mchid, serialNo, privateKeyPem } = merchant);
  pay = new SandboxPay(env.sandbox.url, merchant);
});
test.after.always(() => env.stop());

/** A request signed by hand so each part of the Authorization can be broken on purpose. */
async function send(options: {
  path?: string;
  method?: string;
  body?: string;
  sign?: { method?: string; path?: string; body?: string };
  timestamp?: number;
  mchid?: string;
  serial?: string;
  key?: string;
  authorization?: (header: string) => string;
  headers?: Record<string, string>;
}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/v3/certificates';
  const body = options.body ?? '';
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = 'q2s5v8y1b4e7h0k3';
  const message = buildRequestSignMessage(options.sign?.method ?? method, options.sign?.path ?? path, timestamp, nonce, options.sign?.body ?? body);
  const signature = signSha256WithRsa(message, createPrivateKey(options.key ?? privateKeyPem));
  const header = `WECHATPAY2-SHA256-RSA2048 mchid="${options.mchid ?? mchid}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${options.serial ?? serialNo}",signature="${signature}"`;
  const response = await fetch(env.sandbox.url + path, {
    method,
    headers: {
      Accept: 'application/json',
      'User-Agent': 'auth-test',
      'Content-Type': 'application/json',
      Authorization: options.authorization ? options.authorization(header) : header,
      ...options.headers,
    },
    ...(body ? { body } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

test('a correctly signed request passes, whatever the case of serial_no', async (t) => {
  t.is((await send({})).status, 200);
  t.is((await send({ serial: serialNo.toLowerCase() })).status, 200);
  // wechatpay-node-v3 reads the serial with @fidm/x509, which prints lowercase hex.
  t.is(pay.certificateSerial, serialNo.toLowerCase());
});

test('tampered signatures, bodies, URLs and methods are 401 SIGN_ERROR without Wechatpay-* headers', async (t) => {
  const otherKey = env.sandbox.merchants[1]?.privateKeyPem ?? '';
  const cases = [
    await send({ key: otherKey }),
    await send({ path: '/v3/certificates?algorithm_type=RSA', sign: { path: '/v3/certificates' } }),
    await send({ method: 'POST', path: '/v3/refund/domestic/refunds', body: '{"out_refund_no":"R1"}', sign: { body: '{"out_refund_no":"R2"}' } }),
    await send({ sign: { method: 'get' } }),
    await send({ authorization: (h) => h.replace(/signature="[^"]+"/, 'signature="WECHATPAY/SIGNTEST/abc"') }),
  ];
  for (const response of cases) {
    t.is(response.status, 401);
    t.like(response.body, { code: 'SIGN_ERROR', message: '签名错误，请检查后再试' });
    t.is(response.headers.get('wechatpay-signature'), null);
    t.truthy(response.headers.get('request-id'));
  }
});

test('a wrong serial, a stale or future timestamp and an unknown mchid are refused with WeChat\'s messages', async (t) => {
  t.like((await send({ serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' })).body, {
    code: 'SIGN_ERROR',
    message: '商户证书序列号有误。请使用签名私钥匹配的证书序列号',
  });
  // Margins of 20 s either side of the 300 s window, so a slow test machine cannot move a case across it.
  for (const offset of [-320, 320]) {
    const response = await send({ timestamp: Math.floor(Date.now() / 1000) + offset });
    t.is(response.status, 401);
    t.like(response.body, { code: 'SIGN_ERROR', message: 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟' });
  }
  t.is((await send({ timestamp: Math.floor(Date.now() / 1000) - 280 })).status, 200);
  t.is((await send({ timestamp: Math.floor(Date.now() / 1000) + 280 })).status, 200);
  t.like((await send({ mchid: '1900000000' })).body, { code: 'SIGN_ERROR', message: '商户未申请过证书。' });
  // Merchant two's own key and serial, but claiming merchant one's mchid.
  const second = env.sandbox.merchants[1];
  t.is((await send({ key: second?.privateKeyPem ?? '', serial: second?.serialNo ?? '' })).status, 401);
});

test('a missing or malformed Authorization is 401 with the format message; transactions paths word it differently', async (t) => {
  const format = 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》';
  t.like((await send({ authorization: () => '' })).body, { code: 'SIGN_ERROR', message: format });
  t.like((await send({ authorization: (h) => h.replace(/",/g, '", ') })).body, { message: format });
  t.like((await send({ authorization: (h) => h.replace(/"/g, "'") })).body, { message: format });
  t.like((await send({ authorization: (h) => h.replace(',serial_no', ',serial') })).body, { message: format });
  t.like((await send({ authorization: (h) => h.replace('WECHATPAY2-SHA256-RSA2048', 'WECHATPAY2-SHA256-RSA4096') })).body, {
    message: 'HTTP头Authorization认证类型不正确',
  });
  t.like((await send({ path: `/v3/pay/transactions/out-trade-no/ABC123456?mchid=${mchid}`, authorization: () => 'Bearer token' })).body, {
    code: 'SIGN_ERROR',
    message: '签名信息错误，验签失败',
  });
});

test('the documented header rules, unknown paths and wrong methods', async (t) => {
  const withoutAgent = await fetch(`${env.sandbox.url}/v3/certificates`, { headers: { Accept: 'application/json', 'User-Agent': '' } });
  t.is(withoutAgent.status, 400);
  t.like(await withoutAgent.json(), { code: 'INVALID_REQUEST', message: 'Http头缺少Accept或User-Agent' });
  const unknown = await fetch(`${env.sandbox.url}/v3/no/such/api`);
  t.is(unknown.status, 404);
  t.is(await unknown.text(), '');
  const wrongMethod = await fetch(`${env.sandbox.url}/v3/pay/transactions/jsapi`);
  t.is(wrongMethod.status, 405);
  const queryMchid = await signedFetch(pay, env.sandbox.url, 'GET', `/v3/pay/transactions/out-trade-no/ABC123456?mchid=1900000000`);
  t.is(queryMchid.status, 400);
  t.like(JSON.parse(queryMchid.text), { code: 'PARAM_ERROR' });
});

test('parseAuthorization takes the items in any order and nothing else', (t) => {
  const ok = parseAuthorization('WECHATPAY2-SHA256-RSA2048 signature="s",timestamp="1",serial_no="A",nonce_str="n",mchid="1"');
  t.deepEqual(ok, { ok: true, fields: { signature: 's', timestamp: '1', serial_no: 'A', nonce_str: 'n', mchid: '1' } });
  t.like(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="A"'), { ok: false });
  t.like(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",mchid="2",nonce_str="n",timestamp="1",serial_no="A",signature="s"'), { ok: false });
  t.like(parseAuthorization('WECHATPAY2-SHA256-RSA2048  mchid="1",nonce_str="n",timestamp="1",serial_no="A",signature="s"'), { ok: false });
});
