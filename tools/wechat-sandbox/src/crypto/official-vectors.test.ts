import test from 'ava';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { checkRequestPayment } from '../pay/pay-sign.ts';
import { startTestSandbox } from '../test-support/sandbox-fixture.ts';
import {
  OFFICIAL_BODY,
  OFFICIAL_BODY_APPID,
  OFFICIAL_BODY_OPENID,
  OFFICIAL_BODY_SIGNATURE,
  OFFICIAL_MCHID,
  OFFICIAL_NONCE,
  OFFICIAL_PATH,
  OFFICIAL_PATH_SIGNATURE,
  OFFICIAL_PAY_APPID,
  OFFICIAL_PAY_SIGN,
  OFFICIAL_PREPAY_PACKAGE,
  OFFICIAL_PRIVATE_KEY,
  OFFICIAL_RESPONSE,
  OFFICIAL_RESPONSE_PUBLIC_KEY,
  OFFICIAL_SERIAL_NO,
  OFFICIAL_TIMESTAMP,
} from '../test-support/official-vectors.ts';
import { formatRfc3339 } from '../time/shanghai-time.ts';
import {
  buildPaySignMessage,
  buildRequestSignMessage,
  buildResponseSignMessage,
  signSha256WithRsa,
  verifySha256WithRsa,
} from './signing.ts';

const officialKey = createPrivateKey(OFFICIAL_PRIVATE_KEY);
const officialPublicKey = createPublicKey(officialKey);

function officialAuthorization(signature: string, mchid = OFFICIAL_MCHID): string {
  return `WECHATPAY2-SHA256-RSA2048 mchid="${mchid}",nonce_str="${OFFICIAL_NONCE}",signature="${signature}",timestamp="${OFFICIAL_TIMESTAMP}",serial_no="${OFFICIAL_SERIAL_NO}"`;
}

test('the request message and signature reproduce WeChat\'s body and path examples byte for byte', (t) => {
  const body = buildRequestSignMessage('POST', '/v3/pay/transactions/jsapi', OFFICIAL_TIMESTAMP, OFFICIAL_NONCE, OFFICIAL_BODY);
  t.is(signSha256WithRsa(body, officialKey), OFFICIAL_BODY_SIGNATURE);
  const path = buildRequestSignMessage('GET', OFFICIAL_PATH, OFFICIAL_TIMESTAMP, OFFICIAL_NONCE, '');
  t.is(path.toString(), `GET\n${OFFICIAL_PATH}\n${OFFICIAL_TIMESTAMP}\n${OFFICIAL_NONCE}\n\n`);
  t.is(signSha256WithRsa(path, officialKey), OFFICIAL_PATH_SIGNATURE);
});

test('the paySign message reproduces WeChat\'s mini-program example, and the payment sheet check accepts only it', (t) => {
  const message = buildPaySignMessage(OFFICIAL_PAY_APPID, OFFICIAL_TIMESTAMP, OFFICIAL_NONCE, OFFICIAL_PREPAY_PACKAGE);
  t.is(signSha256WithRsa(message, officialKey), OFFICIAL_PAY_SIGN);
  const params = { timeStamp: OFFICIAL_TIMESTAMP, nonceStr: OFFICIAL_NONCE, package: OFFICIAL_PREPAY_PACKAGE, signType: 'RSA', paySign: OFFICIAL_PAY_SIGN };
  const expected = { appId: OFFICIAL_PAY_APPID, prepayId: 'wx201410272009395522657a690389285100', merchantPublicKey: officialPublicKey };
  t.is(checkRequestPayment(params, expected), undefined);
  t.is(checkRequestPayment({ ...params, nonceStr: `${OFFICIAL_NONCE.slice(0, -1)}3` }, expected), '支付验证签名失败');
  t.is(checkRequestPayment({ ...params }, { ...expected, appId: 'wx0000000000000000' }), '支付验证签名失败');
  t.is(checkRequestPayment({ ...params, timeStamp: Number(OFFICIAL_TIMESTAMP) }, expected), '缺少参数:timeStamp');
  t.is(checkRequestPayment({ ...params, signType: 'MD5' }, expected), 'signType参数错误');
});

test('the response verifier accepts WeChat\'s published response signature and nothing altered', (t) => {
  const { timestamp, nonce, body, signature } = OFFICIAL_RESPONSE;
  t.true(verifySha256WithRsa(buildResponseSignMessage(timestamp, nonce, body), signature, OFFICIAL_RESPONSE_PUBLIC_KEY));
  t.false(verifySha256WithRsa(buildResponseSignMessage(timestamp, nonce, body.replace('JyC91EIz1', 'JyC91EIz2')), signature, OFFICIAL_RESPONSE_PUBLIC_KEY));
  t.false(verifySha256WithRsa(buildResponseSignMessage(timestamp, nonce, body), `WECHATPAY/SIGNTEST/${signature}`, OFFICIAL_RESPONSE_PUBLIC_KEY));
});

test('the sandbox accepts WeChat\'s published Authorization examples over HTTP and rejects them altered', async (t) => {
  const { sandbox, control, stop } = await startTestSandbox({
    merchants: [{ mchid: OFFICIAL_MCHID, appid: OFFICIAL_BODY_APPID, privateKeyPem: OFFICIAL_PRIVATE_KEY, serialNo: OFFICIAL_SERIAL_NO }],
  });
  t.teardown(stop);
  await control.createUser({ appid: OFFICIAL_BODY_APPID, openid: OFFICIAL_BODY_OPENID });
  // The examples were signed at 1554208460: set WeChat's clock to that moment.
  await control.clock({ now: formatRfc3339(Number(OFFICIAL_TIMESTAMP) * 1000) });
  const post = (body: string, signature: string) =>
    fetch(`${sandbox.url}/v3/pay/transactions/jsapi`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'vector-test', Authorization: officialAuthorization(signature) },
      body,
    });

  const accepted = await post(OFFICIAL_BODY, OFFICIAL_BODY_SIGNATURE);
  t.is(accepted.status, 200);
  t.regex(((await accepted.json()) as { prepay_id: string }).prepay_id, /^wx\d{14}[0-9a-f]{20}$/);
  t.truthy(accepted.headers.get('wechatpay-signature'));

  const refund = await fetch(`${sandbox.url}${OFFICIAL_PATH}`, {
    headers: { Accept: 'application/json', 'User-Agent': 'vector-test', Authorization: officialAuthorization(OFFICIAL_PATH_SIGNATURE) },
  });
  // Signature accepted; the refund simply does not exist.
  t.is(refund.status, 404);
  t.like(await refund.json(), { code: 'RESOURCE_NOT_EXISTS' });

  const tampered = await post(OFFICIAL_BODY.replace('"total":100', '"total":101'), OFFICIAL_BODY_SIGNATURE);
  t.is(tampered.status, 401);
  const tamperedBody = (await tampered.json()) as { code: string; detail: { sign_information: { url: string } } };
  t.is(tamperedBody.code, 'SIGN_ERROR');
  t.is(tamperedBody.detail.sign_information.url, '/v3/pay/transactions/jsapi');
  t.is(tampered.headers.get('wechatpay-signature'), null);

  await control.clock({ skewSeconds: 0 });
  const stale = await post(OFFICIAL_BODY, OFFICIAL_BODY_SIGNATURE);
  t.is(stale.status, 401);
  t.like(await stale.json(), { code: 'SIGN_ERROR', message: 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟' });
});
