/**
 * Amounts as staff type and read them: yuan text in forms becomes integer
 * fen through the shared `parseYuan` (never floating point), percentages
 * become basis points, and fen come back as text through `formatYuan` /
 * `displayYuan`. Pure and unit tested.
 */
import { displayYuan, formatHundredths, formatYuan, MoneyError, parseScaledYuan, parseYuan } from '@campuspay/shared';

export type AmountCheck = { ok: true; fen: number } | { ok: false; message: string };

export interface AmountLimits {
  /** Smallest accepted amount in fen (default 1: more than zero). */
  minFen?: number;
  /** Largest accepted amount in fen. */
  maxFen?: number;
  /** Wording for the field in messages, e.g. 缴费金额. */
  label?: string;
}

/**
 * Reads a yuan amount typed in a form ("1200", "1,200.50", "¥88.8") as fen.
 * Thousands separators, a currency sign and spaces are tolerated; more than
 * two decimals, signs and anything else are refused with a Chinese message.
 */
export function readYuan(input: string | undefined | null, limits: AmountLimits = {}): AmountCheck {
  const label = limits.label ?? '金额';
  const text = (input ?? '').replace(/[\s,，¥￥]/g, '').replace(/元$/, '');
  if (text === '') return { ok: false, message: `请填写${label}` };
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, message: `${label}应为数字，最多两位小数` };
  let fen: number;
  try {
    fen = parseYuan(text);
  } catch (error) {
    if (error instanceof MoneyError) {
      return { ok: false, message: /精度/.test(error.message) ? `${label}最多两位小数（精确到分）` : `${label}超出范围` };
    }
    throw error;
  }
  const minFen = limits.minFen ?? 1;
  if (fen < minFen) return { ok: false, message: minFen <= 1 ? `${label}必须大于 0` : `${label}不能少于 ${displayYuan(minFen)}` };
  if (limits.maxFen !== undefined && fen > limits.maxFen) return { ok: false, message: `${label}不能超过 ${displayYuan(limits.maxFen)}` };
  return { ok: true, fen };
}

/** An antd form rule checking a yuan field with `readYuan` (empty passes; pair with `required`). */
export function yuanRule(limits: AmountLimits | (() => AmountLimits) = {}) {
  return {
    validator: async (_rule: unknown, value: unknown) => {
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return;
      const checked = readYuan(String(value), typeof limits === 'function' ? limits() : limits);
      if (!checked.ok) throw new Error(checked.message);
    },
  };
}

/** Fen as the plain text a yuan input starts with: 120000 → "1200.00". */
export function yuanText(fen: number): string {
  return formatYuan(fen);
}

/** Reads a percentage ("10", "12.5", "7.25%") as basis points (1000 = 10%); 0.01%–100%. */
export function readPercentBp(input: string | undefined | null): { ok: true; bp: number } | { ok: false; message: string } {
  const text = (input ?? '').replace(/[\s%％]/g, '');
  if (text === '') return { ok: false, message: '请填写优惠比例' };
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { ok: false, message: '比例应为 0.01–100 之间的数字，最多两位小数' };
  const bp = Number(parseScaledYuan(text, 2));
  if (bp < 1 || bp > 10000) return { ok: false, message: '比例应在 0.01% 到 100% 之间' };
  return { ok: true, bp };
}

/** Basis points as a percentage with two decimals, for rates and shares in tables: 9523 → "95.23%", 2150 → "21.50%". */
export function fixedPercentBp(bp: number): string {
  return `${formatHundredths(bp)}%`;
}

/** Basis points as a percentage without trailing zeros: 1000 → "10%", 1250 → "12.5%", 5 → "0.05%". */
export function formatPercentBp(bp: number): string {
  return `${formatHundredths(bp).replace(/\.?0+$/, '')}%`;
}

/**
 * What a percentage concession gives on `baseFen`, as the server computes it:
 * base × bp ÷ 10000 rounded down to whole fen, in integers.
 */
export function percentOfFen(baseFen: number, bp: number): number {
  if (baseFen <= 0) return 0;
  return Number((BigInt(baseFen) * BigInt(bp)) / 10000n);
}

/** Short yuan for chart axes: 123456789 fen → "¥123.5万"; below 1万元 the full amount. Integers only. */
export function compactYuan(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const sign = negative ? '-' : '';
  if (abs >= 10_000_000_000) {
    // 1亿元 = 10^10 fen
    const tenths = Math.floor(abs / 1_000_000_000);
    return `${sign}¥${Math.floor(tenths / 10)}${tenths % 10 ? `.${tenths % 10}` : ''}亿`;
  }
  if (abs >= 1_000_000) {
    const tenths = Math.floor(abs / 100_000);
    return `${sign}¥${Math.floor(tenths / 10)}${tenths % 10 ? `.${tenths % 10}` : ''}万`;
  }
  return `${sign}¥${formatYuan(abs).slice(0, -3)}`;
}
