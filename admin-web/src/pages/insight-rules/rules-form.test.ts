import test from 'ava';
import type { BankInsightSettings } from '@campuspay/shared';
import { consentChanged, readRulesForm, rulesFormValues } from './rules-form.ts';

const settings: BankInsightSettings = {
  bankId: 'bank_demo',
  bankName: '示范商业银行',
  ownBankCodes: ['ICBC'],
  wechatFeeRateBp: 60,
  rules: {
    highNetWorth: { enabled: true, annualFeesFen: 5_000_000, singleBillFen: 3_000_001, internationalDivision: true },
    studyAbroad: { enabled: true, internationalDivision: false, feeItemKeywords: ['留学', '游学'] },
    otherBankCard: { enabled: true, minPayments: 1 },
    multiChild: { enabled: false, minChildren: 2 },
    payrollProspect: { enabled: true },
  },
  consent: { title: '同意示范商业银行联系我', text: '我同意示范商业银行根据我的缴费汇总情况联系我介绍金融服务。', version: 3 },
  version: 7,
  updatedAt: null,
  updatedBy: null,
};

test('settings round-trip through the form unchanged, thresholds as yuan text', (t) => {
  const values = rulesFormValues(settings);
  t.is(values.annualFeesYuan, '50000.00');
  t.is(values.singleBillYuan, '30000.01');
  const read = readRulesForm(values);
  if (!read.ok) return t.fail(read.message);
  t.deepEqual(read.input, {
    ownBankCodes: settings.ownBankCodes,
    wechatFeeRateBp: settings.wechatFeeRateBp,
    rules: settings.rules,
    consent: { title: settings.consent.title, text: settings.consent.text },
  });
  t.false(consentChanged(settings, values));
});

test('yuan thresholds become exact fen; a fraction of a fen is refused', (t) => {
  const read = readRulesForm({ ...rulesFormValues(settings), annualFeesYuan: '1,234.56', singleBillYuan: '¥20000' });
  t.true(read.ok);
  if (read.ok) {
    t.is(read.input.rules.highNetWorth.annualFeesFen, 123_456);
    t.is(read.input.rules.highNetWorth.singleBillFen, 2_000_000);
  }
  t.like(readRulesForm({ ...rulesFormValues(settings), annualFeesYuan: '0.015' }), { ok: false, field: 'annualFeesYuan' });
  t.like(readRulesForm({ ...rulesFormValues(settings), singleBillYuan: '0' }), { ok: false, field: 'singleBillYuan', message: '单笔账单门槛必须大于 0' });
});

test('bank codes are upper-cased and de-duplicated; keywords trimmed; nonsense is refused', (t) => {
  const read = readRulesForm({ ...rulesFormValues(settings), ownBankCodes: ['icbc', ' ICBC ', 'abc'], feeItemKeywords: [' 留学 ', '留学', ''] });
  t.true(read.ok);
  if (read.ok) {
    t.deepEqual(read.input.ownBankCodes, ['ICBC', 'ABC']);
    t.deepEqual(read.input.rules.studyAbroad.feeItemKeywords, ['留学']);
  }
  t.like(readRulesForm({ ...rulesFormValues(settings), ownBankCodes: [] }), { ok: false, field: 'ownBankCodes' });
  t.like(readRulesForm({ ...rulesFormValues(settings), ownBankCodes: ['工商银行'] }), { ok: false, field: 'ownBankCodes' });
});

test('a changed consent text is noticed (it publishes a new version)', (t) => {
  t.true(consentChanged(settings, { consentTitle: settings.consent.title, consentText: `${settings.consent.text}补充。` }));
  t.false(consentChanged(settings, { consentTitle: ` ${settings.consent.title} `, consentText: settings.consent.text }));
});
