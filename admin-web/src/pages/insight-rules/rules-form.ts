/**
 * The insight rules form: the bank's settings as flat form fields, with
 * money thresholds as yuan text read back into integer fen through
 * `readYuan` (never floating point). Pure and unit tested.
 */
import type { BankInsightSettings, UpdateBankInsightSettings } from '@campuspay/shared';
import { readYuan, yuanText } from '../../billing/amounts.ts';

export interface RulesFormValues {
  ownBankCodes: string[];
  wechatFeeRateBp: number;
  highNetWorthEnabled: boolean;
  annualFeesYuan: string;
  singleBillYuan: string;
  highNetWorthInternational: boolean;
  studyAbroadEnabled: boolean;
  studyAbroadInternational: boolean;
  feeItemKeywords: string[];
  otherBankCardEnabled: boolean;
  otherBankCardMinPayments: number;
  multiChildEnabled: boolean;
  multiChildMinChildren: number;
  payrollProspectEnabled: boolean;
  consentTitle: string;
  consentText: string;
}

export type RulesFormField = keyof RulesFormValues;

export function rulesFormValues(settings: BankInsightSettings): RulesFormValues {
  const { rules } = settings;
  return {
    ownBankCodes: [...settings.ownBankCodes],
    wechatFeeRateBp: settings.wechatFeeRateBp,
    highNetWorthEnabled: rules.highNetWorth.enabled,
    annualFeesYuan: yuanText(rules.highNetWorth.annualFeesFen),
    singleBillYuan: yuanText(rules.highNetWorth.singleBillFen),
    highNetWorthInternational: rules.highNetWorth.internationalDivision,
    studyAbroadEnabled: rules.studyAbroad.enabled,
    studyAbroadInternational: rules.studyAbroad.internationalDivision,
    feeItemKeywords: [...rules.studyAbroad.feeItemKeywords],
    otherBankCardEnabled: rules.otherBankCard.enabled,
    otherBankCardMinPayments: rules.otherBankCard.minPayments,
    multiChildEnabled: rules.multiChild.enabled,
    multiChildMinChildren: rules.multiChild.minChildren,
    payrollProspectEnabled: rules.payrollProspect.enabled,
    consentTitle: settings.consent.title,
    consentText: settings.consent.text,
  };
}

export type RulesFormResult = { ok: true; input: UpdateBankInsightSettings } | { ok: false; field: RulesFormField; message: string };

/** The PUT body from the form, or the first field that cannot be read. */
export function readRulesForm(values: RulesFormValues): RulesFormResult {
  const annual = readYuan(values.annualFeesYuan, { label: '年缴费门槛' });
  if (!annual.ok) return { ok: false, field: 'annualFeesYuan', message: annual.message };
  const single = readYuan(values.singleBillYuan, { label: '单笔账单门槛' });
  if (!single.ok) return { ok: false, field: 'singleBillYuan', message: single.message };
  const codes = [...new Set(values.ownBankCodes.map((code) => code.trim().toUpperCase()).filter(Boolean))];
  if (codes.length === 0) return { ok: false, field: 'ownBankCodes', message: '请至少填写一个本行银行代码（如 ICBC）' };
  const badCode = codes.find((code) => !/^[A-Z0-9]{2,16}$/.test(code));
  if (badCode) return { ok: false, field: 'ownBankCodes', message: `银行代码为 2–16 位大写字母或数字：${badCode}` };
  return {
    ok: true,
    input: {
      ownBankCodes: codes,
      wechatFeeRateBp: values.wechatFeeRateBp,
      rules: {
        highNetWorth: { enabled: values.highNetWorthEnabled, annualFeesFen: annual.fen, singleBillFen: single.fen, internationalDivision: values.highNetWorthInternational },
        studyAbroad: {
          enabled: values.studyAbroadEnabled,
          internationalDivision: values.studyAbroadInternational,
          feeItemKeywords: [...new Set(values.feeItemKeywords.map((word) => word.trim()).filter(Boolean))],
        },
        otherBankCard: { enabled: values.otherBankCardEnabled, minPayments: values.otherBankCardMinPayments },
        multiChild: { enabled: values.multiChildEnabled, minChildren: values.multiChildMinChildren },
        payrollProspect: { enabled: values.payrollProspectEnabled },
      },
      consent: { title: values.consentTitle.trim(), text: values.consentText.trim() },
    },
  };
}

/** Changing the consent title or text publishes a new version that parents must read and agree to again. */
export function consentChanged(settings: BankInsightSettings, values: Pick<RulesFormValues, 'consentTitle' | 'consentText'>): boolean {
  return settings.consent.title !== values.consentTitle.trim() || settings.consent.text !== values.consentText.trim();
}
