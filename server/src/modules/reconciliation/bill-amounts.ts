import { MoneyError, parseScaledYuan, parseYuan } from '@campuspay/shared';
import { AppError } from '../../platform/errors.ts';

/**
 * WeChat's bill (or its download) is not what WeChat documents: a wrong hash,
 * a broken layout, a value that is not an amount, a summary that does not add
 * up. Nothing of such a bill is used, and the message says exactly where.
 */
export class BillRejected extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('UPSTREAM_ERROR', message, { details });
  }
}

const YUAN_2 = /^-?\d+\.\d{2}$/;
const YUAN_5 = /^-?\d+\.\d{5}$/;

/** 1 fen = 1000 thousandths of a fen = 0.01000 yuan, the unit of WeChat's 5-decimal fees. */
export const MILLI_FEN_PER_FEN = 1000;

/**
 * A bill amount ("12.34", "-0.01", exactly two decimals as WeChat writes them)
 * to fen, exactly: the digits are read as an integer, never as a float.
 */
export function billYuanToFen(text: string, where: string): number {
  if (!YUAN_2.test(text)) throw new BillRejected(`${where}：“${text}”不是两位小数的金额`, { where, value: text });
  try {
    return parseYuan(text);
  } catch (error) {
    throw new BillRejected(`${where}：${(error as MoneyError).message}`, { where, value: text });
  }
}

/** A 5-decimal fee ("0.00600", "-1.23457") to thousandths of a fen, exactly. */
export function billFeeToMilliFen(text: string, where: string): number {
  if (!YUAN_5.test(text)) throw new BillRejected(`${where}：“${text}”不是五位小数的手续费`, { where, value: text });
  const units = parseScaledYuan(text, 5);
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER)) throw new BillRejected(`${where}：手续费超出范围`, { where, value: text });
  return Number(units);
}

/** Thousandths of a fen to fen, half away from zero (0.5 fen → 1 fen, −0.5 fen → −1 fen), in integers. */
export function milliFenToFen(milliFen: number): number {
  const abs = Math.abs(milliFen);
  const rounded = Math.floor((abs + MILLI_FEN_PER_FEN / 2) / MILLI_FEN_PER_FEN);
  return milliFen < 0 ? -rounded : rounded;
}

/** Thousandths of a fen as WeChat writes a fee: 600 → "0.00600". */
export function formatMilliFen(milliFen: number): string {
  const negative = milliFen < 0;
  const digits = String(Math.abs(milliFen)).padStart(6, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -5)}.${digits.slice(-5)}`;
}

/** A sum that refuses to leave the safe-integer range instead of losing fen. */
export function addExact(a: number, b: number): number {
  const total = a + b;
  if (!Number.isSafeInteger(total)) throw new BillRejected('金额合计超出安全整数范围');
  return total;
}
