import test from 'ava';
import type { FeeItem } from '@campuspay/shared';
import {
  academicYearOf,
  academicYearOptions,
  blankFeeItemValues,
  feeItemFormValuesOf,
  feeItemRequestOf,
  feeItemTerms,
  feeItemUpdateOf,
  payeesFor,
  priceNodeKinds,
  priceRangeText,
  termOf,
  type FeeItemFormValues,
} from './fee-item-form.ts';

const filled: FeeItemFormValues = {
  ...blankFeeItemValues('2026-08-20', 'east'),
  name: ' 2026秋季学费 ',
  prices: [
    { nodeId: 'east-primary', amountYuan: '4800' },
    { nodeId: 'east-g1', amountYuan: '4,500.50' },
  ],
  dueDate: '2026-09-15',
  payeeAccountId: 'payee_1',
};

const item: FeeItem = {
  id: 'fee_1',
  nodeId: 'east',
  name: '2026秋季学费',
  category: 'tuition',
  period: { kind: 'term', academicYear: '2026-2027', term: 1 },
  prices: [
    { nodeId: 'east-primary', amountFen: 480000 },
    { nodeId: 'east-g1', amountFen: 450050 },
  ],
  dueDate: '2026-09-15',
  mandatory: true,
  allowPartial: false,
  minPaymentFen: null,
  refundable: true,
  payeeAccountId: 'payee_1',
  description: '',
  periodKey: '2026-2027-T1',
  periodLabel: '2026-2027学年第一学期',
  archived: false,
};

test('academic year and term follow the school calendar', (t) => {
  t.is(academicYearOf('2026-08-01'), '2026-2027');
  t.is(academicYearOf('2027-03-01'), '2026-2027');
  t.deepEqual(academicYearOptions('2026-11-22'), ['2025-2026', '2026-2027', '2027-2028', '2028-2029']);
  t.is(termOf('2026-09-01'), 1);
  t.is(termOf('2027-01-10'), 1);
  t.is(termOf('2027-03-01'), 2);
});

test('a filled form becomes the create request, amounts in fen', (t) => {
  const result = feeItemRequestOf(filled);
  t.true(result.ok);
  if (!result.ok) return;
  t.deepEqual(result.value, {
    nodeId: 'east',
    name: '2026秋季学费',
    category: 'tuition',
    period: { kind: 'term', academicYear: '2026-2027', term: 1 },
    prices: [
      { nodeId: 'east-primary', amountFen: 480000 },
      { nodeId: 'east-g1', amountFen: 450050 },
    ],
    dueDate: '2026-09-15',
    mandatory: true,
    allowPartial: false,
    minPaymentFen: null,
    refundable: true,
    payeeAccountId: 'payee_1',
    description: '',
  });
});

test('a monthly item sends the month', (t) => {
  const result = feeItemRequestOf({ ...filled, category: 'meals', periodKind: 'month', month: '2026-09' });
  t.true(result.ok);
  if (result.ok) t.deepEqual(result.value.period, { kind: 'month', month: '2026-09' });
});

test('problems point at their fields', (t) => {
  const result = feeItemRequestOf({
    ...filled,
    name: '',
    prices: [{ nodeId: 'east-g1', amountYuan: '12.345' }, { nodeId: 'east-g1', amountYuan: '0' }, { amountYuan: '10' }],
    dueDate: undefined,
    payeeAccountId: undefined,
  });
  t.false(result.ok);
  if (result.ok) return;
  const byPath = Object.fromEntries(result.issues.map((issue) => [issue.path.join('.'), issue.message]));
  t.regex(byPath['name'] ?? '', /名称/);
  t.regex(byPath['prices.0.amountYuan'] ?? '', /两位小数/);
  t.regex(byPath['prices.1.nodeId'] ?? '', /与第 1 行重复/);
  t.regex(byPath['prices.1.amountYuan'] ?? '', /大于 0/);
  t.regex(byPath['prices.2.nodeId'] ?? '', /请选择/);
  t.regex(byPath['dueDate'] ?? '', /截止日期/);
  t.regex(byPath['payeeAccountId'] ?? '', /收款账户/);
});

test('partial payment needs a minimum no higher than the lowest price', (t) => {
  const missing = feeItemRequestOf({ ...filled, allowPartial: true });
  t.false(missing.ok);
  if (!missing.ok) t.is(missing.issues[0]?.path.join('.'), 'minPaymentYuan');
  const tooHigh = feeItemRequestOf({ ...filled, allowPartial: true, minPaymentYuan: '5000' });
  t.false(tooHigh.ok);
  if (!tooHigh.ok) t.regex(tooHigh.issues[0]?.message ?? '', /不能高于最低价格 ¥4,500.50/);
  const fine = feeItemRequestOf({ ...filled, allowPartial: true, minPaymentYuan: '1000' });
  t.true(fine.ok);
  if (fine.ok) t.is(fine.value.minPaymentFen, 100000);
  // Switched off again: the typed minimum is not sent.
  const off = feeItemRequestOf({ ...filled, allowPartial: false, minPaymentYuan: '1000' });
  t.true(off.ok);
  if (off.ok) t.is(off.value.minPaymentFen, null);
});

test('an item round-trips through the form and an unchanged form patches nothing', (t) => {
  const values = feeItemFormValuesOf(item, '2026-11-22');
  t.is(values.prices?.[1]?.amountYuan, '4500.50');
  const update = feeItemUpdateOf(item, values);
  t.deepEqual(update, { ok: true, value: {} });
});

test('the patch carries only what changed, partial payment with its minimum', (t) => {
  const values = { ...feeItemFormValuesOf(item, '2026-11-22'), dueDate: '2026-09-30', allowPartial: true, minPaymentYuan: '500' };
  const update = feeItemUpdateOf(item, values);
  t.deepEqual(update, { ok: true, value: { dueDate: '2026-09-30', allowPartial: true, minPaymentFen: 50000, description: '' } });
});

test('every patch carries the description (the server would otherwise reset it)', (t) => {
  const described = { ...item, description: '含教材' };
  const update = feeItemUpdateOf(described, { ...feeItemFormValuesOf(described, '2026-11-22'), dueDate: '2026-10-01' });
  t.deepEqual(update, { ok: true, value: { dueDate: '2026-10-01', description: '含教材' } });
});

test('price rows name levels below the item school', (t) => {
  t.deepEqual(priceNodeKinds('campus'), ['division', 'grade', 'class']);
  t.deepEqual(priceNodeKinds('school_group'), ['campus', 'division', 'grade', 'class']);
});

test('payee accounts of the school or above it', (t) => {
  const payees = [
    { id: 'a', name: '集团账户', mchid: '1900000001', bankName: '示范银行', bankAccountMasked: '****1234', nodeId: 'group' },
    { id: 'b', name: '东校区账户', mchid: '1900000002', bankName: '示范银行', bankAccountMasked: '****5678', nodeId: 'east' },
    { id: 'c', name: '西校区账户', mchid: '1900000003', bankName: '示范银行', bankAccountMasked: '****9012', nodeId: 'west' },
  ];
  t.deepEqual(payeesFor(payees, { path: ['bank', 'group', 'east'] }).map((p) => p.id), ['a', 'b']);
  t.deepEqual(payeesFor(payees, undefined), []);
});

test('list texts', (t) => {
  t.is(priceRangeText(item), '¥4,500.50 – ¥4,800.00');
  t.is(priceRangeText({ prices: [{ nodeId: 'x', amountFen: 100 }] }), '¥1.00');
  t.deepEqual(feeItemTerms(item), ['必缴', '可退费']);
  t.deepEqual(feeItemTerms({ mandatory: false, allowPartial: true, minPaymentFen: 50000, refundable: false }), ['选缴', '可部分缴费（最低 ¥500.00）', '不可退费']);
});
