import Taro from '@tarojs/taro';
import { newIdempotencyKey } from './idempotency-key';

/**
 * One Idempotency-Key per intent to pay (checkout-selection's selectionKey),
 * kept in storage so that it survives the H5 round trip through the payer
 * page: paying the same bills with the same amounts again reuses the key and
 * gets the same orders back. Keys are dropped after KEY_TTL_MS (before the
 * server's 30-minute order lifetime runs out) or when the orders they created
 * turned out closed or paid.
 */

const STORAGE_KEY = 'campuspay.checkout.keys';
const KEY_TTL_MS = 25 * 60 * 1000;
const MAX_ENTRIES = 20;

type KeyStore = Record<string, { key: string; at: number }>;

function read(): KeyStore {
  try {
    const value: unknown = Taro.getStorageSync(STORAGE_KEY);
    return typeof value === 'object' && value !== null ? (value as KeyStore) : {};
  } catch {
    return {};
  }
}

function write(store: KeyStore): void {
  try {
    Taro.setStorageSync(STORAGE_KEY, store);
  } catch {
    // Without storage the key only lives for this call: still correct, just not reused.
  }
}

function fresh(store: KeyStore, now: number): KeyStore {
  const entries = Object.entries(store)
    .filter(([, v]) => typeof v?.key === 'string' && typeof v.at === 'number' && now - v.at < KEY_TTL_MS)
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, MAX_ENTRIES);
  return Object.fromEntries(entries);
}

/** The key for this selection: the one used before (reused: true) or a new one. */
export function idempotencyKeyFor(selection: string, now: number = Date.now()): { key: string; reused: boolean } {
  const store = fresh(read(), now);
  const existing = store[selection];
  if (existing) return { key: existing.key, reused: true };
  const key = newIdempotencyKey();
  store[selection] = { key, at: now };
  write(store);
  return { key, reused: false };
}

export function forgetIdempotencyKey(selection: string): void {
  const store = read();
  if (!(selection in store)) return;
  delete store[selection];
  write(store);
}
