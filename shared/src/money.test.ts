import test from 'ava';
import fc from 'fast-check';
import {
  addFen,
  displayYuan,
  fen,
  formatHundredths,
  formatYuan,
  MoneyError,
  parseScaledYuan,
  parseYuan,
  subFen,
  sumFen,
  yuanInChineseCapitals,
} from './money.ts';

test('fen() accepts safe integers and rejects everything else', (t) => {
  t.is<number, number>(fen(0), 0);
  t.is<number, number>(fen(-5), -5);
  t.is<number, number>(fen(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  for (const bad of [0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
    t.throws(() => fen(bad), { instanceOf: MoneyError });
  }
});

test('parseYuan converts exactly, without floating point', (t) => {
  t.is<number, number>(parseYuan('1234.50'), 123450);
  t.is<number, number>(parseYuan('0.01'), 1);
  t.is<number, number>(parseYuan('0.1'), 10);
  t.is<number, number>(parseYuan('12'), 1200);
  t.is<number, number>(parseYuan('-3.07'), -307);
  t.is<number, number>(parseYuan(' 0.29 '), 29, 'a float would give 28.999999999999996');
  t.is<number, number>(parseYuan('1.10000'), 110, 'trailing zeros beyond fen are exact');
  t.is<number, number>(parseYuan('-0.00'), 0);
  t.is<number, number>(parseYuan('90071992547409.91'), 9007199254740991);
});

test('parseYuan rejects malformed and sub-fen amounts with the input named', (t) => {
  for (const bad of ['', 'abc', '1,000.00', '1.2.3', '¥5', '.5', '1e3', '0.015', '90071992547409.92']) {
    const error = t.throws(() => parseYuan(bad), { instanceOf: MoneyError });
    t.true(error.message.includes(`"${bad}"`), bad);
  }
});

test('yuan ↔ fen round trip holds for every safe amount', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (amount) => {
      return parseYuan(formatYuan(amount)) === amount;
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('fen → yuan → fen holds for strings written any way WeChat might', (t) => {
  fc.assert(
    fc.property(fc.nat({ max: 10 ** 12 }), fc.integer({ min: 0, max: 99 }), fc.nat({ max: 3 }), (yuan, cents, extraZeros) => {
      const text = `${yuan}.${String(cents).padStart(2, '0')}${'0'.repeat(extraZeros)}`;
      return parseYuan(text) === yuan * 100 + cents && formatYuan(parseYuan(text)) === `${yuan}.${String(cents).padStart(2, '0')}`;
    }),
  );
  t.pass();
});

test('formatYuan and displayYuan', (t) => {
  t.is(formatYuan(0), '0.00');
  t.is(formatYuan(5), '0.05');
  t.is(formatYuan(123456), '1234.56');
  t.is(formatYuan(-307), '-3.07');
  t.is(displayYuan(123456789), '¥1,234,567.89');
  t.is(displayYuan(-100), '-¥1.00');
  t.throws(() => formatYuan(1.5), { instanceOf: MoneyError });
});

test('sums refuse unsafe totals and non-integers', (t) => {
  t.is<number, number>(sumFen([1, 2, 3]), 6);
  t.is<number, number>(addFen(100, 250), 350);
  t.is<number, number>(subFen(100, 250), -150);
  t.throws(() => sumFen([Number.MAX_SAFE_INTEGER, 1]), { instanceOf: MoneyError });
  t.throws(() => sumFen([1, 0.5]), { instanceOf: MoneyError });
});

test('fees with five decimals stay exact in scaled units', (t) => {
  t.is(parseScaledYuan('0.00600', 5), 600n);
  t.is(parseScaledYuan('12.3', 5), 1230000n);
  t.is(parseScaledYuan('-0.00001', 5), -1n);
  t.throws(() => parseScaledYuan('0.000001', 5), { instanceOf: MoneyError });
});

test('amounts in Chinese capitals as printed on receipts', (t) => {
  t.is(yuanInChineseCapitals(0), '零元整');
  t.is(yuanInChineseCapitals(100), '壹元整');
  t.is(yuanInChineseCapitals(123456), '壹仟贰佰叁拾肆元伍角陆分');
  t.is(yuanInChineseCapitals(1000000), '壹万元整');
  t.is(yuanInChineseCapitals(10010000), '壹拾万零壹佰元整');
  t.is(yuanInChineseCapitals(800000000), '捌佰万元整');
  t.is(yuanInChineseCapitals(1800000000), '壹仟捌佰万元整');
  t.is(yuanInChineseCapitals(100000100), '壹佰万零壹元整');
  t.is(yuanInChineseCapitals(105), '壹元零伍分');
  t.is(yuanInChineseCapitals(5), '伍分');
  t.is(yuanInChineseCapitals(50), '伍角整');
  t.is(yuanInChineseCapitals(1005000), '壹万零伍拾元整');
  t.is(yuanInChineseCapitals(10000000000), '壹亿元整');
  t.is(yuanInChineseCapitals(10000010000), '壹亿零壹佰元整');
});

test('formatHundredths moves the point in the digits: basis points as percent, negatives, and no non-integers', (t) => {
  t.is(formatHundredths(9523), '95.23');
  t.is(formatHundredths(5), '0.05');
  t.is(formatHundredths(-2150), '-21.50');
  t.is(formatHundredths(0), '0.00');
  t.throws(() => formatHundredths(0.5));
});
