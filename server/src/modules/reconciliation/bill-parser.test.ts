import test from 'ava';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addExact, billFeeToMilliFen, billYuanToFen, BillRejected, formatMilliFen, milliFenToFen } from './bill-amounts.ts';
import { mergeRuns, SortedRuns } from './external-sort.ts';
import { parseFundFlowFile } from './fund-flow-parser.ts';
import { mergeJoin, type BillRecord, type PlatformRecord } from './matcher.ts';
import { parseTradeBillFile, TradeBillParser, type TradeBillRow } from './trade-bill-parser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures', 'tradebill-all-2026-09-01.csv');
const FUND_FLOW_FIXTURE = path.join(here, 'fixtures', 'fundflow-basic-2026-09-01.csv');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'campuspay-bill-test-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
function write(content: string): string {
  const file = path.join(tmp, `bill-${fileNo++}.csv`);
  writeFileSync(file, content, 'utf8');
  return file;
}

test('a trade bill written by hand in the documented layout (not by our sandbox) is read exactly, summary included', async (t) => {
  const rows: TradeBillRow[] = [];
  const result = await parseTradeBillFile(FIXTURE, { mchid: '1900000109', onRow: (r) => void rows.push(r) });
  t.is(rows.length, 4);
  t.deepEqual(
    rows.map((r) => [r.kind, r.transactionId, r.outTradeNo, r.tradeState, r.totalFen, r.settledFen, r.feeMilliFen]),
    [
      ['payment', '4200001234202609011234567890', 'CP20260901A1B2C3D4E5F60718', 'SUCCESS', 125_000, 125_000, 750_000],
      ['payment', '4200001234202609011234567891', 'CP20260901B1B2C3D4E5F60719', 'SUCCESS', 1, 1, 6],
      ['refund', '4200001234202609011234567890', 'CP20260901A1B2C3D4E5F60718', 'REFUND', 0, 0, -180_000],
      ['payment', '4200001234202609011234567892', 'CP20260901C1B2C3D4E5F60720', 'SUCCESS', 88_050, 88_050, 528_300],
    ],
  );
  const refund = rows[2]!;
  t.like(refund, { refundId: '50300001234202609011234567890', outRefundNo: 'RF0000000000000000000001', refundFen: 30_000, requestedRefundFen: 30_000, refundType: 'ORIGINAL', refundStatus: 'SUCCESS' });
  t.like(rows[0], { time: '2026-09-01 08:15:02', appid: 'wx2421b1c4370ec43b', mchid: '1900000109', bankType: 'ICBC_DEBIT', currency: 'CNY', feeRate: '0.60%', refundId: '', outRefundNo: '' });
  t.is(rows[1]!.goodsName, '餐费,校车费', 'a comma inside a value is not a separator');
  t.is(rows[3]!.attach, 'attach-x');
  t.deepEqual(result.summary, { count: 4, settledFen: 213_051, refundFen: 30_000, couponRefundFen: 0, feeMilliFen: 1_098_306, totalFen: 213_051, requestedRefundFen: 30_000 });
  t.like(result.totals, { payments: 3, refunds: 1, paymentTotalFen: 213_051, paymentSettledFen: 213_051 });
  t.is(result.lines, 7);
  t.is(milliFenToFen(result.summary.feeMilliFen), 1098, '10.98306 yuan of fees is ¥10.98 rounded');
});

test('LF line endings, a UTF-8 BOM and trailing blank lines are accepted', async (t) => {
  const text = readFileSync(FIXTURE, 'utf8').replace(/\r\n/g, '\n');
  const result = await parseTradeBillFile(write(`\uFEFF${text}\n\n`));
  t.is(result.summary.count, 4);
});

test('the documented sample row and summary (reference §7) read as one payment of ¥0.01', (t) => {
  const parser = new TradeBillParser();
  parser.push('交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注');
  const row = parser.push('`2022-03-21 13:51:31,`wx8888888888888888,`180023671,`0,`,`4200006120202203219871285471,`2021WERUN1647840687637,`oZWa5t3ZDg8ayNL0lg0KiYwc0nDU,`JSAPI,`SUCCESS,`OTHERS,`CNY,`0.01,`0.00,`0,`0,`0.00,`0.00,`,`,`商品名,`,`0.00000,`0.90%,`0.01,`0.00,`');
  t.like(row, { kind: 'payment', totalFen: 1, settledFen: 1, feeMilliFen: 0, feeRate: '0.90%', goodsName: '商品名' });
  parser.push('总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额');
  parser.push('`1,`0.01,`0.00,`0.00,`0.00000,`0.01,`0.00');
  t.is(parser.finish().summary.count, 1);
});

/** The fixture with one line replaced (1-based), or lines removed/added. */
function mutated(edit: (lines: string[]) => string[]): string {
  const lines = readFileSync(FIXTURE, 'utf8').split('\r\n');
  return write(edit(lines).join('\r\n'));
}

const malformed: [string, () => string, RegExp][] = [
  ['an empty file', () => write(''), /账单为空/],
  ['another bill type (SUCCESS layout)', () => mutated((l) => [l[0]!.replace(',微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态', ''), ...l.slice(1)]), /第 1 行不是交易账单/],
  ['a value without its backtick', () => mutated((l) => [l[0]!, l[1]!.slice(1), ...l.slice(2)]), /第 2 行明细的值没有以反引号开头/],
  ['a missing column', () => mutated((l) => [l[0]!, l[1]!.replace(',`0.60%', ''), ...l.slice(2)]), /第 2 行明细应有 27 列，实际 26 列/],
  ['an amount with three decimals', () => mutated((l) => [l[0]!, l[1]!.replace('`1250.00,`0.00,`0,', '`1250.005,`0.00,`0,'), ...l.slice(2)]), /第 2 行“应结订单金额”：“1250\.005”不是两位小数的金额/],
  ['an amount in scientific notation', () => mutated((l) => [l[0]!, l[1]!.replace('`1250.00,`0.00,`0,', '`1.25e3,`0.00,`0,'), ...l.slice(2)]), /不是两位小数的金额/],
  ['a fee with two decimals', () => mutated((l) => [l[0]!, l[1]!.replace('`7.50000', '`7.50'), ...l.slice(2)]), /第 2 行“手续费”：“7\.50”不是五位小数的手续费/],
  ['a bad time', () => mutated((l) => [l[0]!, l[1]!.replace('2026-09-01 08:15:02', '2026/09/01 08:15'), ...l.slice(2)]), /交易时间/],
  ['a row of another merchant', () => mutated((l) => [l[0]!, l[1]!.replace('`1900000109', '`1900000110'), ...l.slice(2)]), /账单属于商户 1900000110/],
  ['a refund row without its refund number', () => mutated((l) => [...l.slice(0, 3), l[3]!.replace('`RF0000000000000000000001', '`0'), ...l.slice(4)]), /退款行缺少/],
  ['no summary', () => mutated((l) => l.slice(0, 5)), /缺少汇总/],
  ['a summary count that is off', () => mutated((l) => [...l.slice(0, 6), l[6]!.replace('`4,', '`5,'), ...l.slice(7)]), /总交易单数 汇总为 5，明细合计为 4/],
  ['a summary amount that is off by a fen', () => mutated((l) => [...l.slice(0, 6), l[6]!.replace('`2130.51,`300.00', '`2130.52,`300.00'), ...l.slice(7)]), /订单总金额 汇总为 213052，明细合计为 213051/],
  ['a summary fee that is off by 0.00001', () => mutated((l) => [...l.slice(0, 6), l[6]!.replace('10.98306', '10.98307'), ...l.slice(7)]), /手续费总金额 汇总为 1098307，明细合计为 1098306/],
  ['a detail row dropped (the summary no longer adds up)', () => mutated((l) => [l[0]!, ...l.slice(2)]), /汇总与明细不符/],
  ['lines after the summary', () => mutated((l) => [...l.slice(0, 7), '`extra', '']), /汇总行之后还有内容/],
  ['a blank line among the details', () => mutated((l) => [l[0]!, l[1]!, '', ...l.slice(2)]), /空行/],
  ['a binary file (e.g. gzip not unpacked)', () => write('\u001f\u008b\u0008\u0000garbage'), /第 1 行不是交易账单/],
];
for (const [what, file, message] of malformed) {
  test(`a malformed bill is rejected with a clear error: ${what}`, async (t) => {
    const error = await t.throwsAsync(parseTradeBillFile(file(), { mchid: '1900000109' }), { instanceOf: BillRejected });
    t.regex(error!.message, message);
    t.is(error!.code, 'UPSTREAM_ERROR');
  });
}

test('the fund-flow bill written by hand is read and its summary checked', async (t) => {
  const totals = await parseFundFlowFile(FUND_FLOW_FIXTURE);
  t.deepEqual(totals, { entries: 4, incomeCount: 2, incomeFen: 125_180, expenseCount: 2, expenseFen: 30_750 });
  t.is(totals.incomeFen - totals.expenseFen, 125_000 - 750 - 30_000 + 180, 'net: payment − its fee − refund + the fee returned');
  const broken = write(readFileSync(FUND_FLOW_FIXTURE, 'utf8').replace('`4,`2,`1251.80', '`4,`2,`1251.81'));
  await t.throwsAsync(parseFundFlowFile(broken), { message: /资金账单汇总与明细不符/ });
});

// ---- yuan and fees: exact, never through floating point ----

test('amounts that floating point gets wrong are exact', (t) => {
  // 0.29 * 100 = 28.999999999999996, 1.15 * 100 = 114.99999999999999 … in doubles.
  for (const [text, fen] of [['0.29', 29], ['1.15', 115], ['4.35', 435], ['1.00', 100], ['9007199254740.99', 900_719_925_474_099], ['-0.07', -7], ['0.00', 0], ['-0.00', 0]] as const) {
    t.is(billYuanToFen(text, 'x'), fen, text);
  }
  t.throws(() => billYuanToFen('90071992547409.93', 'x'), { instanceOf: BillRejected }, 'beyond the safe integer range');
  t.is(billFeeToMilliFen('0.00006', 'x'), 6);
  t.is(billFeeToMilliFen('-1.80000', 'x'), -180_000);
});

test('property: any fen amount written as WeChat writes yuan (2 decimals) reads back exactly', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (amount) => {
      const abs = BigInt(Math.abs(amount));
      const text = `${amount < 0 ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
      return billYuanToFen(text, 'x') === amount;
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('property: any string of digits with two decimals is read as exactly its integer reading, without rounding', (t) => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{1,13}$/), fc.stringMatching(/^[0-9]{2}$/), fc.boolean(), (whole, frac, negative) => {
      const text = `${negative ? '-' : ''}${whole}.${frac}`;
      const expected = BigInt(whole) * 100n + BigInt(frac);
      const fen = billYuanToFen(text, 'x');
      return BigInt(fen) === (negative ? -expected : expected) || (expected === 0n && fen === 0);
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('property: anything but exactly two decimals is refused, never rounded', (t) => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{1,6}$/), fc.stringMatching(/^[0-9]{0,1}$|^[0-9]{3,6}$/), (whole, frac) => {
      const text = frac === '' ? whole : `${whole}.${frac}`;
      try {
        billYuanToFen(text, 'x');
        return false;
      } catch (error) {
        return error instanceof BillRejected;
      }
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('property: fees with 5 decimals round-trip exactly, and round to fen half away from zero like integer arithmetic', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -1e13, max: 1e13 }), (milliFen) => {
      if (billFeeToMilliFen(formatMilliFen(milliFen), 'x') !== milliFen) return false;
      const big = BigInt(Math.abs(milliFen));
      const rounded = Number((big + 500n) / 1000n);
      return milliFenToFen(milliFen) === (milliFen < 0 ? -rounded : rounded) || (rounded === 0 && milliFenToFen(milliFen) === 0);
    }),
    { numRuns: 5000 },
  );
  t.is(milliFenToFen(500), 1);
  t.is(milliFenToFen(499), 0);
  t.is(milliFenToFen(-500), -1);
  t.throws(() => addExact(Number.MAX_SAFE_INTEGER, 1), { instanceOf: BillRejected });
});

// ---- the streaming machinery ----

test('external sort: many runs (merged in levels) come back in key order, complete', async (t) => {
  const dir = mkdtempSync(path.join(tmp, 'sort-'));
  const runs = new SortedRuns<{ k: string; n: number }>(dir, 'x', (r) => r.k, 100);
  const n = 12_345;
  for (let i = 0; i < n; i++) await runs.add({ k: `K${String((i * 7919) % n).padStart(6, '0')}`, n: i });
  const files = await runs.finish();
  t.true(files.length <= 32, `fan-in kept to 32 (got ${files.length} files from ${Math.ceil(n / 100)} runs)`);
  let previous = '';
  let count = 0;
  for await (const r of mergeRuns<{ k: string; n: number }>(files, (r) => r.k)) {
    t.true(r.k > previous || count === 0);
    previous = r.k;
    count += 1;
  }
  t.is(count, n);
});

test('merge join: each key goes to exactly one of matched, bill only, platform only', async (t) => {
  const bill = (k: string) => ({ k, t: 'p', amountFen: 1 }) as unknown as BillRecord;
  const platform = (k: string) => ({ k, t: 'p', amountFen: 1 }) as unknown as PlatformRecord;
  async function* of<T>(items: T[]) {
    yield* items;
  }
  const seen: string[] = [];
  await mergeJoin(of(['P:1', 'P:3', 'P:4', 'R:9'].map(bill)), of(['P:2', 'P:3', 'P:5', 'R:9', 'R:A'].map(platform)), {
    matched: (b) => void seen.push(`=${b.k}`),
    billOnly: (b) => void seen.push(`W${b.k}`),
    platformOnly: (p) => void seen.push(`P${p.k}`),
  });
  t.deepEqual(seen, ['WP:1', 'PP:2', '=P:3', 'WP:4', 'PP:5', '=R:9', 'PR:A']);
});
