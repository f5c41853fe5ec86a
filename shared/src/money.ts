/**
 * Money is an integer number of fen everywhere. Yuan appear only at the
 * edges: parsing WeChat's bills and typing in forms (strings → fen), and
 * display (fen → strings). Nothing here goes through floating point.
 */

declare const fenBrand: unique symbol;
/** An amount in fen (1/100 CNY), guaranteed to be a safe integer. */
export type Fen = number & { readonly [fenBrand]: true };

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** Brands a number as fen; rejects fractions, NaN, infinities and unsafe integers. */
export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`金额必须是以分为单位的安全整数，收到 ${String(value)}`);
  }
  return value as Fen;
}

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Sums amounts, refusing any result that is not a safe integer. */
export function sumFen(values: Iterable<number>): Fen {
  let total = 0;
  for (const v of values) {
    fen(v);
    total += v;
    if (!Number.isSafeInteger(total)) throw new MoneyError('金额合计超出安全整数范围');
  }
  return total as Fen;
}

export function addFen(a: number, b: number): Fen {
  return sumFen([a, b]);
}

export function subFen(a: number, b: number): Fen {
  return sumFen([a, -fen(b)]);
}

const YUAN_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a yuan string to fen exactly. Accepts at most `maxDecimals` decimals
 * (2 for amounts); extra digits must be zeros, since a bill line of "0.01000"
 * is an exact amount but "0.015" is not a whole number of fen.
 */
export function parseYuan(input: string): Fen {
  const text = input.trim();
  const m = YUAN_PATTERN.exec(text);
  if (!m) throw new MoneyError(`不是有效的金额："${input}"`);
  const [, sign, whole = '0', frac = ''] = m;
  if (/[1-9]/.test(frac.slice(2))) {
    throw new MoneyError(`金额精度超过分："${input}"`);
  }
  const cents = (frac + '00').slice(0, 2);
  const digits = (whole.replace(/^0+(?=\d)/, '') + cents).replace(/^0+(?=\d)/, '');
  const big = BigInt(digits);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError(`金额超出范围："${input}"`);
  const value = Number(big);
  return fen(sign === '-' && value !== 0 ? -value : value);
}

/**
 * Parses a decimal yuan string with up to `scale` decimals into an integer of
 * 1/10^scale yuan. WeChat reports fees with 5 decimals ("0.00600"), which this
 * keeps exact; callers decide how to round to fen.
 */
export function parseScaledYuan(input: string, scale: number): bigint {
  const m = YUAN_PATTERN.exec(input.trim());
  if (!m) throw new MoneyError(`不是有效的金额："${input}"`);
  const [, sign, whole = '0', frac = ''] = m;
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) {
    throw new MoneyError(`金额精度超过 ${scale} 位小数："${input}"`);
  }
  const units = BigInt(whole) * 10n ** BigInt(scale) + BigInt((frac + '0'.repeat(scale)).slice(0, scale) || '0');
  return sign === '-' ? -units : units;
}

/**
 * An integer count of hundredths as a decimal with exactly two places, by
 * moving the point in the digits (no division): 123456 → "1234.56". Fen as
 * yuan, basis points as percent.
 */
export function formatHundredths(value: number): string {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`不是整数：${value}`);
  const abs = String(Math.abs(value)).padStart(3, '0');
  return `${value < 0 ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/** Formats fen as a yuan string with exactly two decimals: 123456 → "1234.56". */
export function formatYuan(amount: number): string {
  return formatHundredths(fen(amount));
}

/** Display form with thousands separators and the currency sign: "¥1,234.56". */
export function displayYuan(amount: number): string {
  const plain = formatYuan(amount);
  const negative = plain.startsWith('-');
  const [whole = '0', frac = '00'] = plain.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}.${frac}`;
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '兆'];

/** Amount in Chinese capitals (大写) as printed on receipts: 123456 → "壹仟贰佰叁拾肆元伍角陆分". */
export function yuanInChineseCapitals(amount: number): string {
  const value = fen(amount);
  if (value < 0) return `负${yuanInChineseCapitals(-value)}`;
  if (value === 0) return '零元整';
  const yuan = Math.floor(value / 100);
  const jiao = Math.floor(value / 10) % 10;
  const fenDigit = value % 10;
  let integerPart = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10000)) groups.push(rest % 10000);
    let needZero = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g] ?? 0;
      if (group === 0) {
        needZero = integerPart.length > 0;
        continue;
      }
      if (needZero || (integerPart.length > 0 && group < 1000)) integerPart += '零';
      needZero = false;
      let zeroPending = false;
      for (let i = 3; i >= 0; i--) {
        const d = Math.floor(group / 10 ** i) % 10;
        if (d === 0) {
          zeroPending = integerPart.length > 0;
          continue;
        }
        if (zeroPending && !integerPart.endsWith('零')) integerPart += '零';
        zeroPending = false;
        integerPart += DIGITS[d] + (SMALL_UNITS[i] ?? '');
      }
      integerPart = integerPart.replace(/零+$/, '') + (BIG_UNITS[g] ?? '');
    }
    integerPart += '元';
  }
  if (jiao === 0 && fenDigit === 0) return `${integerPart}整`;
  let fraction = '';
  if (jiao > 0) fraction += `${DIGITS[jiao]}角`;
  else if (yuan > 0) fraction += '零';
  if (fenDigit > 0) fraction += `${DIGITS[fenDigit]}分`;
  else fraction += '整';
  return integerPart + fraction;
}
