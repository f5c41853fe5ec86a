import test from 'ava';
import { compactYuan, formatPercentBp, percentOfFen, readPercentBp, readYuan, yuanText } from './amounts.ts';

test('readYuan turns typed yuan into fen without floating point', (t) => {
  t.deepEqual(readYuan('1200'), { ok: true, fen: 120000 });
  t.deepEqual(readYuan(' 1,200.50 '), { ok: true, fen: 120050 });
  t.deepEqual(readYuan('¥0.1'), { ok: true, fen: 10 });
  t.deepEqual(readYuan('0.29'), { ok: true, fen: 29 }); // 0.29 * 100 = 28.999999999999996 in floats
  t.deepEqual(readYuan('1.10'), { ok: true, fen: 110 });
  t.deepEqual(readYuan('88元'), { ok: true, fen: 8800 });
});

test('readYuan refuses what is not an amount, with Chinese messages', (t) => {
  t.false(readYuan('').ok);
  t.regex((readYuan('', { label: '缴费金额' }) as { message: string }).message, /请填写缴费金额/);
  t.regex((readYuan('1.234') as { message: string }).message, /两位小数/);
  t.regex((readYuan('-5') as { message: string }).message, /数字/);
  t.regex((readYuan('abc') as { message: string }).message, /数字/);
  t.regex((readYuan('0') as { message: string }).message, /大于 0/);
  t.regex((readYuan('99999999999999999') as { message: string }).message, /超出范围/);
});

test('readYuan applies limits', (t) => {
  t.regex((readYuan('50', { minFen: 10000, label: '缴费金额' }) as { message: string }).message, /不能少于 ¥100.00/);
  t.regex((readYuan('501', { maxFen: 50000 }) as { message: string }).message, /不能超过 ¥500.00/);
  t.deepEqual(readYuan('500', { maxFen: 50000 }), { ok: true, fen: 50000 });
  t.deepEqual(readYuan('0', { minFen: 0 }), { ok: true, fen: 0 });
});

test('yuanText is the input text for an amount', (t) => {
  t.is(yuanText(120000), '1200.00');
  t.is(yuanText(5), '0.05');
});

test('percentages are basis points', (t) => {
  t.deepEqual(readPercentBp('10'), { ok: true, bp: 1000 });
  t.deepEqual(readPercentBp('12.5%'), { ok: true, bp: 1250 });
  t.deepEqual(readPercentBp('0.01'), { ok: true, bp: 1 });
  t.deepEqual(readPercentBp('100'), { ok: true, bp: 10000 });
  t.false(readPercentBp('100.01').ok);
  t.false(readPercentBp('0').ok);
  t.false(readPercentBp('1.234').ok);
  t.false(readPercentBp('').ok);
  t.is(formatPercentBp(1000), '10%');
  t.is(formatPercentBp(1250), '12.5%');
  t.is(formatPercentBp(5), '0.05%');
  t.is(formatPercentBp(10000), '100%');
  t.is(formatPercentBp(0), '0%');
  t.is(formatPercentBp(-5), '-0.05%');
  t.is(formatPercentBp(-1250), '-12.5%');
});

test('percentOfFen rounds down like the server', (t) => {
  t.is(percentOfFen(99999, 1000), 9999);
  t.is(percentOfFen(120000, 1250), 15000);
  t.is(percentOfFen(0, 1000), 0);
});

test('compactYuan for chart axes', (t) => {
  t.is(compactYuan(0), '¥0');
  t.is(compactYuan(99_999), '¥999');
  t.is(compactYuan(1_000_000), '¥1万');
  t.is(compactYuan(123_456_789), '¥123.4万');
  t.is(compactYuan(25_000_000_000), '¥2.5亿');
  t.is(compactYuan(-1_500_000), '-¥1.5万');
});
