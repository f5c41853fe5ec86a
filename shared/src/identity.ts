/**
 * Chinese resident identity numbers (GB 11643-1999) and mobile numbers:
 * validation and the masks used in every list and API response.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? '';
}

/** Explains why an identity number is invalid, or returns null when it is valid. */
export function idNumberProblem(raw: string): string | null {
  const value = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return '身份证号应为 18 位（最后一位可为 X）';
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) {
    return '身份证号中的出生日期无效';
  }
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return '身份证号校验位不正确';
  return null;
}

export function normaliseIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Mainland mobile numbers: 11 digits starting 1[3-9]; an optional +86 / 86 prefix is dropped. */
export function normalisePhone(raw: string): string {
  return raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export function phoneProblem(raw: string): string | null {
  return /^1[3-9]\d{9}$/.test(normalisePhone(raw)) ? null : '手机号格式不正确（应为 11 位大陆手机号）';
}

/** 13812341234 → 138****1234 */
export function maskPhone(phone: string): string {
  const p = normalisePhone(phone);
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****';
}

/** 110105201001011234 → 110***********1234 */
export function maskIdNumber(idNumber: string): string {
  const v = normaliseIdNumber(idNumber);
  return v.length > 7 ? `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}` : '****';
}

/** 张三丰 → 张** ; used where a name must not be shown whole (leads without reveal). */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
