/**
 * Temporary passwords for new accounts and resets: easy to read out over the
 * phone (no 0/O, 1/l/I), and always valid under the shared `passwordSchema`.
 */
const LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALPHABET = LETTERS + DIGITS;

export const TEMPORARY_PASSWORD_LENGTH = 12;

/** `randomInts(n)` gives n uniformly random non-negative integers (crypto in the app). */
export type RandomInts = (count: number) => number[];

export const cryptoRandomInts: RandomInts = (count) => Array.from(globalThis.crypto.getRandomValues(new Uint32Array(count)));

export function temporaryPassword(randomInts: RandomInts = cryptoRandomInts, length = TEMPORARY_PASSWORD_LENGTH): string {
  const values = randomInts(length + 2);
  const chars = values.slice(0, length).map((value) => ALPHABET[value % ALPHABET.length] as string);
  // Guarantee at least one letter and one digit, at positions chosen by the random source.
  const letterAt = (values[length] ?? 0) % length;
  let digitAt = (values[length + 1] ?? 1) % length;
  if (digitAt === letterAt) digitAt = (digitAt + 1) % length;
  if (!/[A-Za-z]/.test(chars.join(''))) chars[letterAt] = LETTERS[(values[letterAt] ?? 0) % LETTERS.length] as string;
  if (!/\d/.test(chars.join(''))) chars[digitAt] = DIGITS[(values[digitAt] ?? 0) % DIGITS.length] as string;
  return chars.join('');
}
