import test from 'ava';
import { amountHint, amountRule, buildCheckout, defaultAmountText, orderRequestOf, parseAmountInput, reconcileSelection, selectionKey } from './checkout-selection';
import { aBill } from './test-fixtures';

const partial = aBill({ id: 'meal', allowPartial: true, minPaymentFen: 50_000, outstandingFen: 120_000, amountDueFen: 120_000 });

test('amount rule: whole bills pay exactly what is outstanding; partial ones from the minimum (capped at what is left) up to it', (t) => {
  t.deepEqual(amountRule(aBill()), { minFen: 300_000, maxFen: 300_000, partial: false });
  t.deepEqual(amountRule(partial), { minFen: 50_000, maxFen: 120_000, partial: true });
  // The last instalment may be smaller than the minimum.
  t.deepEqual(amountRule({ ...partial, outstandingFen: 30_000 }), { minFen: 30_000, maxFen: 30_000, partial: true });
  // No minimum set: one fen.
  t.is(amountRule({ ...partial, minPaymentFen: null }).minFen, 1);
  t.is(amountHint(partial), '最低 ¥500.00，最多 ¥1,200.00');
  t.is(defaultAmountText(partial), '1200.00');
});

test('amount input: yuan text to exact fen, never through floating point', (t) => {
  t.deepEqual(parseAmountInput('500', partial), { ok: true, fen: 50_000 });
  t.deepEqual(parseAmountInput(' 600.5 ', partial), { ok: true, fen: 60_050 });
  t.deepEqual(parseAmountInput('¥1200.00', partial), { ok: true, fen: 120_000 });
  t.deepEqual(parseAmountInput('700.', partial), { ok: true, fen: 70_000 });
  // 0.1 + 0.2 style amounts stay exact.
  t.deepEqual(parseAmountInput('1000.30', partial), { ok: true, fen: 100_030 });
  t.deepEqual(parseAmountInput('1000.29', partial), { ok: true, fen: 100_029 });
});

test('amount input: the messages say what is wrong', (t) => {
  t.deepEqual(parseAmountInput('', partial), { ok: false, message: '请输入缴费金额' });
  t.deepEqual(parseAmountInput('abc', partial), { ok: false, message: '请输入正确的金额' });
  t.deepEqual(parseAmountInput('-5', partial), { ok: false, message: '请输入正确的金额' });
  t.deepEqual(parseAmountInput('1,000', partial), { ok: false, message: '请输入正确的金额' });
  t.deepEqual(parseAmountInput('600.555', partial), { ok: false, message: '金额最多保留两位小数' });
  t.deepEqual(parseAmountInput('0', partial), { ok: false, message: '缴费金额须大于 0' });
  t.deepEqual(parseAmountInput('499.99', partial), { ok: false, message: '单次最低缴费 ¥500.00' });
  t.deepEqual(parseAmountInput('1200.01', partial), { ok: false, message: '最多可缴 ¥1,200.00' });
});

test('selection: compulsory bills are ticked when first seen, optional ones (选缴) are not; ticks of payable bills are kept', (t) => {
  const tuition = aBill({ id: 'tuition' });
  const insurance = aBill({ id: 'insurance', mandatory: false });
  const paid = aBill({ id: 'paid', outstandingFen: 0, paidFen: 300_000, status: 'paid' });
  const cancelled = aBill({ id: 'cancelled', status: 'cancelled' });
  const first = reconcileSelection(new Set(), new Set(), [tuition, insurance, paid, cancelled]);
  t.deepEqual([...first], ['tuition']);

  // The parent unticks the tuition and ticks the insurance; a reload keeps that, and a new compulsory bill is ticked.
  const seen = new Set(['tuition', 'insurance', 'paid', 'cancelled']);
  const books = aBill({ id: 'books' });
  const again = reconcileSelection(new Set(['insurance']), seen, [tuition, insurance, books, paid]);
  t.deepEqual([...again].sort(), ['books', 'insurance']);

  // A ticked bill that got paid (elsewhere) drops out.
  const afterPaid = reconcileSelection(new Set(['insurance']), seen, [{ ...insurance, outstandingFen: 0, status: 'paid' }]);
  t.deepEqual([...afterPaid], []);
});

test('checkout: lines in the order shown, partial amounts as typed or the whole outstanding amount, total in fen', (t) => {
  const tuition = aBill({ id: 'tuition' });
  const optional = aBill({ id: 'optional', mandatory: false, outstandingFen: 8_000 });
  const bills = [tuition, partial, optional];

  const whole = buildCheckout(bills, new Set(['meal', 'tuition']), {});
  t.deepEqual(whole.lines, [
    { billId: 'tuition', amountFen: 300_000 },
    { billId: 'meal', amountFen: 120_000 },
  ]);
  t.is(whole.totalFen as number, 420_000);
  t.true(whole.valid);
  t.deepEqual(orderRequestOf(whole.lines), { billIds: ['tuition', 'meal'], amountsFen: [300_000, 120_000] });

  const part = buildCheckout(bills, new Set(['tuition', 'meal', 'optional']), { meal: '500.10' });
  t.deepEqual(part.lines.map((l) => l.amountFen), [300_000, 50_010, 8_000]);
  t.is(part.totalFen as number, 358_010);

  const bad = buildCheckout(bills, new Set(['tuition', 'meal']), { meal: '100' });
  t.false(bad.valid);
  t.deepEqual(bad.errors, { meal: '单次最低缴费 ¥500.00' });
  t.is(bad.totalFen as number, 300_000, 'the total counts what can be paid');

  t.false(buildCheckout(bills, new Set(), {}).valid, 'nothing ticked');
});

test('selection key: same bills, amounts and outstanding amounts give the same key; a landed payment changes it', (t) => {
  const bills = [aBill({ id: 'a' }), { ...partial }];
  const lines = buildCheckout(bills, new Set(['a', 'meal']), { meal: '600' }).lines;
  const key = selectionKey(lines, bills);
  t.is(key, 'a:300000:300000,meal:60000:120000');
  t.is(selectionKey(buildCheckout(bills, new Set(['meal', 'a']), { meal: '600.00' }).lines, bills), key);
  t.not(selectionKey(buildCheckout(bills, new Set(['a', 'meal']), { meal: '700' }).lines, bills), key);
  // After ¥600 of the meal bill is paid, paying ¥600 again is a new intent.
  const afterPayment = [bills[0]!, { ...partial, paidFen: 60_000, outstandingFen: 60_000, status: 'partially_paid' as const }];
  t.not(selectionKey(buildCheckout(afterPayment, new Set(['a', 'meal']), { meal: '600' }).lines, afterPayment), key);
});
