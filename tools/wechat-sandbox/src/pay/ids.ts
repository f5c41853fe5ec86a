import { randomInt } from 'node:crypto';
import { shanghaiCompactDateTime } from '../time/shanghai-time.ts';
import { randomHex } from '../crypto/signing.ts';

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(randomInt(10));
  return out;
}

/** `wx` + yyyyMMddHHmmss + 20 hex, e.g. wx201410272009395522657a690389285100 (36 characters). */
export function newPrepayId(now: number): string {
  return `wx${shanghaiCompactDateTime(now)}${randomHex(10).toLowerCase()}`;
}

/** 28 digits with the date inside, e.g. 4200000985202103031441826014. */
export function newTransactionId(now: number): string {
  return `4200${digits(6)}${shanghaiCompactDateTime(now).slice(0, 8)}${digits(10)}`;
}

/** 29 digits with the date inside, e.g. 50000000382019052709732678859. */
export function newRefundId(now: number): string {
  return `50${digits(8)}${shanghaiCompactDateTime(now).slice(0, 8)}${digits(11)}`;
}
