import test from 'ava';
import { createHash, createPrivateKey } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { buildRequestSignMessage, signSha256WithRsa } from '../crypto/signing.ts';
import type { SandboxMerchantInfo } from '../identity/merchants.ts';
import { newOutTradeNo, placeOrder, placePaidOrder } from '../test-support/flows.ts';
import { SandboxPay } from '../test-support/sandbox-pay-client.ts';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox-fixture.ts';
import { DAY_MS, shanghaiDate, shanghaiDayStart } from '../time/shanghai-time.ts';
import { fee, yuan } from './bill-csv.ts';
import { feeFor } from './orders.ts';

let env: TestSandbox;
let pay: SandboxPay;
let otherPay: SandboxPay;
let merchant: SandboxMerchantInfo;
let today: string;
const paid: { outTradeNo: string; transactionId: string; total: number }[] = [];
const notifyUrl = 'https://notify.campuspay.invalid/api/v1/wechatpay/notify/transaction';

/** The bill as lines of values, backticks removed; headers keep their names. */
function parseBill(csv: string): { header: string[]; rows: string[][]; summaryHeader: string[]; summary: string[] } {
  check(csv.endsWith('\r\n'), 'lines end in CRLF');
  const lines = csv.slice(0, -2).split('\r\n');
  const summaryAt = lines.findIndex((line, index) => index > 0 && !line.startsWith('`'));
  const values = (line: string) => line.split(',').map((v) => {
    check(v.startsWith('`'), `every value is backticked: ${line}`);
    return v.slice(1);
  });
  return {
    header: (lines[0] ?? '').split(','),
    rows: lines.slice(1, summaryAt).map(values),
    summaryHeader: (lines[summaryAt] ?? '').split(','),
    summary: values(lines[summaryAt + 1] ?? ''),
  };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

async function refundAndWait(outTradeNo: string, refund: number, total: number): Promise<void> {
  const outRefundNo = newOutTradeNo('RF');
  await pay.refunds({ out_trade_no: outTradeNo, out_refund_no: outRefundNo, amount: { refund, total, currency: 'CNY' } });
  for (let i = 0; i < 200; i += 1) {
    if ((await pay.find_refunds(outRefundNo)).data?.status === 'SUCCESS') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('refund did not succeed');
}

async function download(url: string): Promise<string | Buffer> {
  const result = await pay.downloadBill(url);
  if (result.status !== 200) throw new Error(`download failed ${result.status} ${String(result.error)}`);
  return result.data as string | Buffer;
}

test.before(async () => {
  env = await startTestSandbox({ merchants: 2, billsReadyImmediately: true, feeRate: '0.60%' });
  const [first, second] = env.sandbox.merchants;
  if (!first || !second) throw new Error('two merchants expected');
  merchant = first;
  pay = new SandboxPay(env.sandbox.url, first);
  otherPay = new SandboxPay(env.sandbox.url, second);
  const openid = (await env.control.createUser()).openid;
  for (const total of [100, 250, 83]) {
    const order = await placePaidOrder(pay, env.control, { openid, notifyUrl, total });
    paid.push({ ...order, total });
  }
  await placeOrder(pay, { openid, notifyUrl });
  await refundAndWait(paid[1]?.outTradeNo ?? '', 30, 250);
  await refundAndWait(paid[0]?.outTradeNo ?? '', 100, 100);
  today = shanghaiDate(Date.now());
});
test.after.always(() => env.stop());

test('fees are rounded half up to the fen and printed with five decimals', (t) => {
  t.is(feeFor(100, 60), 1);
  t.is(feeFor(250, 60), 2);
  t.is(feeFor(83, 60), 0);
  t.is(yuan(433), '4.33');
  t.is(yuan(-5), '-0.05');
  t.is(fee(2), '0.02000');
  t.is(fee(-1), '-0.01000');
});

test('the ALL trade bill lists the day\'s payments and refunds with a consistent summary; SHA1 matches', async (t) => {
  const applied = await pay.tradebill({ bill_date: today, bill_type: 'ALL' });
  t.is(applied.status, 200);
  t.is(applied.data.hash_type, 'SHA1');
  t.true(applied.data.download_url.startsWith(`${env.sandbox.url}/v3/billdownload/file?token=`));
  const csv = await download(applied.data.download_url);
  t.is(typeof csv, 'string');
  t.is(createHash('sha1').update(csv as string).digest('hex'), applied.data.hash_value);
  const bill = parseBill(csv as string);
  t.is(bill.header.length, 27);
  t.deepEqual(bill.header.slice(0, 3), ['交易时间', '公众账号ID', '商户号']);
  t.is(bill.header[22], '手续费');
  t.is(bill.rows.length, 5);
  for (const row of bill.rows) t.is(row.length, 27);
  const payment = bill.rows.find((row) => row[5] === paid[1]?.transactionId && row[9] === 'SUCCESS');
  t.deepEqual(payment?.slice(1, 4), [merchant.appid, merchant.mchid, '0']);
  t.deepEqual(payment?.slice(8, 14), ['JSAPI', 'SUCCESS', 'OTHERS', 'CNY', '2.50', '0.00']);
  t.deepEqual(payment?.slice(22, 26), ['0.02000', '0.60%', '2.50', '0.00']);
  t.regex(payment?.[0] ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const refund = bill.rows.find((row) => row[6] === paid[0]?.outTradeNo && row[9] === 'REFUND');
  t.deepEqual(refund?.slice(12, 14), ['0.00', '0.00']);
  t.deepEqual(refund?.slice(16, 20), ['1.00', '0.00', 'ORIGINAL', 'SUCCESS']);
  t.deepEqual(refund?.slice(22, 26), ['-0.01000', '0.60%', '0.00', '1.00']);
  t.deepEqual(bill.summaryHeader, ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额']);
  t.deepEqual(bill.summary, ['5', '4.33', '1.30', '0.00', '0.02000', '4.33', '1.30']);
});

test('SUCCESS and REFUND bills have their own columns; GZIP gives the same bill compressed', async (t) => {
  const success = parseBill((await download((await pay.tradebill({ bill_date: today, bill_type: 'SUCCESS' })).data.download_url)) as string);
  t.is(success.header.length, 20);
  t.is(success.rows.length, 3);
  t.deepEqual(success.summaryHeader, ['总交易单数', '应结订单总金额', '手续费总金额', '订单总金额']);
  t.deepEqual(success.summary, ['3', '4.33', '0.03000', '4.33']);

  const refunds = parseBill((await download((await pay.tradebill({ bill_date: today, bill_type: 'REFUND' })).data.download_url)) as string);
  t.is(refunds.header.length, 29);
  t.deepEqual(refunds.header.slice(14, 16), ['退款申请时间', '退款成功时间']);
  t.is(refunds.rows.length, 2);
  t.deepEqual(refunds.summary, ['2', '0.00', '1.30', '0.00', '-0.01000', '0.00', '1.30']);

  const plain = await pay.tradebill({ bill_date: today, bill_type: 'ALL' });
  const gzipped = await pay.tradebill({ bill_date: today, bill_type: 'ALL', tar_type: 'GZIP' });
  t.is(gzipped.data.hash_value, plain.data.hash_value, 'the hash is over the bill, not the archive');
  const archive = await download(gzipped.data.download_url);
  t.true(Buffer.isBuffer(archive));
  const unpacked = gunzipSync(archive as Buffer).toString('utf8');
  t.is(createHash('sha1').update(unpacked).digest('hex'), gzipped.data.hash_value);
});

test('the fund-flow bill follows the basic account: payments, fees, refunds, returned fees and the balance', async (t) => {
  const applied = await pay.fundflowbill({ bill_date: today, account_type: 'BASIC' });
  t.is(applied.status, 200);
  const csv = (await download(applied.data.download_url)) as string;
  t.is(createHash('sha1').update(csv).digest('hex'), applied.data.hash_value);
  const bill = parseBill(csv);
  t.deepEqual(bill.header, ['记账时间', '微信支付业务单号', '资金流水单号', '业务名称', '业务类型', '收支类型', '收支金额(元)', '账户结余(元)', '资金变更提交申请人', '备注', '业务凭证号']);
  t.is(bill.rows.length, 8);
  t.is(bill.rows.at(-1)?.[7], '3.01');
  t.deepEqual(bill.summary, ['8', '4', '4.34', '4', '1.33']);
  t.deepEqual(
    bill.rows.map((row) => `${row[3]}:${row[5]}:${row[6]}`).sort(),
    ['交易:收入:0.83', '交易:收入:1.00', '交易:收入:2.50', '扣除交易手续费:支出:0.01', '扣除交易手续费:支出:0.02', '退款:支出:0.30', '退款:支出:1.00', '退还交易手续费:收入:0.01'].sort(),
  );
  const again = await pay.fundflowbill({ bill_date: today, account_type: 'BASIC' });
  t.is(again.data.hash_value, applied.data.hash_value, 'the same day gives the same file');
  const operation = await pay.fundflowbill({ bill_date: today, account_type: 'OPERATION' });
  t.like(JSON.parse(operation.error), { code: 'NO_STATEMENT_EXIST' });
});

test('bill dates are checked, a day without trades has no bill, and only the applying merchant may download', async (t) => {
  const future = await pay.tradebill({ bill_date: shanghaiDate(Date.now() + DAY_MS), bill_type: 'ALL' });
  t.like(JSON.parse(future.error), { code: 'PARAM_ERROR', detail: { field: 'bill_date', location: 'query' } });
  t.like(JSON.parse((await pay.tradebill({ bill_date: '2025/01/01', bill_type: 'ALL' })).error), { code: 'PARAM_ERROR' });
  t.like(JSON.parse((await pay.tradebill({ bill_date: shanghaiDate(Date.now() - 100 * DAY_MS), bill_type: 'ALL' })).error), { code: 'INVALID_REQUEST' });
  t.like(JSON.parse((await pay.tradebill({ bill_date: shanghaiDate(Date.now() - DAY_MS), bill_type: 'ALL' })).error), { code: 'NO_STATEMENT_EXIST' });
  t.like(JSON.parse((await otherPay.tradebill({ bill_date: today, bill_type: 'ALL' })).error), { code: 'NO_STATEMENT_EXIST' });
  t.like(JSON.parse((await pay.tradebill({ bill_date: today, bill_type: 'EVERYTHING' })).error), { code: 'PARAM_ERROR' });

  const applied = await pay.tradebill({ bill_date: today, bill_type: 'ALL' });
  const stolen = await otherPay.downloadBill(applied.data.download_url);
  t.is(stolen.status, 403);
  t.like(JSON.parse(stolen.error), { code: 'NO_AUTH' });
  const unsigned = await fetch(applied.data.download_url, { headers: { Accept: 'application/json', 'User-Agent': 'test' } });
  t.is(unsigned.status, 401);
});

test.serial('a download_url lives 30 seconds', async (t) => {
  const applied = await pay.tradebill({ bill_date: today, bill_type: 'ALL' });
  await env.control.clock({ skewSeconds: 31 });
  try {
    const expired = await pay.downloadBill(applied.data.download_url);
    t.is(expired.status, 400);
    t.like(JSON.parse(expired.error), { code: 'INVALID_REQUEST' });
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
});

test.serial('without billsReadyImmediately a day\'s bill exists from 10:00 the next day', async (t) => {
  await env.control.settings({ billsReadyImmediately: false });
  t.teardown(() => env.control.settings({ billsReadyImmediately: true }).then(() => undefined));
  const notYet = await pay.tradebill({ bill_date: today, bill_type: 'ALL' });
  t.like(JSON.parse(notYet.error), { code: 'STATEMENT_CREATING' });
  // Move WeChat's clock and sign with a timestamp from that moment, as a merchant living then would.
  const ask = async (at: number) => {
    await env.control.clock({ skewSeconds: (at - Date.now()) / 1000 });
    const path = `/v3/bill/tradebill?bill_date=${today}`;
    const timestamp = String(Math.floor(at / 1000));
    const signature = signSha256WithRsa(buildRequestSignMessage('GET', path, timestamp, 'n0nce', ''), createPrivateKey(merchant.privateKeyPem));
    const response = await fetch(env.sandbox.url + path, {
      headers: {
        Accept: 'application/json',
        'User-Agent': 'bill-test',
        Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${merchant.mchid}",nonce_str="n0nce",timestamp="${timestamp}",serial_no="${merchant.serialNo}",signature="${signature}"`,
      },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const nextDay = (shanghaiDayStart(today) ?? 0) + DAY_MS;
  try {
    t.like(await ask(nextDay + 9 * 60 * 60 * 1000 + 59 * 60 * 1000), { status: 400, body: { code: 'STATEMENT_CREATING' } });
    const ready = await ask(nextDay + 10 * 60 * 60 * 1000 + 60 * 1000);
    t.is(ready.status, 200);
    t.is(ready.body['hash_type'], 'SHA1');
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
});
