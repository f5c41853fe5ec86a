/**
 * `Idempotency-Key` values for POSTs that move money. One key per attempt:
 * a retry of the same attempt (after a timeout or a dropped connection)
 * sends the same key, so the server applies the payment once and answers
 * the retry with the first result; a changed request gets a new key.
 */

/** 32 hex characters from the browser's CSPRNG (works on plain http too, unlike `randomUUID`). */
export function newIdempotencyKey(random: (bytes: Uint8Array) => Uint8Array = (bytes) => globalThis.crypto.getRandomValues(bytes)): string {
  const bytes = random(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Keys held per attempt, each tied to the exact request it was made for. */
export interface AttemptKeys {
  readonly [attempt: string]: { key: string; fingerprint: string } | undefined;
}

/** Stable text of a request body: same fields, same order, same text. */
export function requestFingerprint(body: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.keys(body).sort().map((key) => [key, body[key] ?? null]));
}

/**
 * The key to send for `attempt` (e.g. a bill id): the stored one when the
 * request is unchanged (a retry), otherwise a fresh one. Returns the key and
 * the keys to keep.
 */
export function keyForAttempt(
  keys: AttemptKeys,
  attempt: string,
  body: Readonly<Record<string, unknown>>,
  makeKey: () => string = newIdempotencyKey,
): { key: string; keys: AttemptKeys } {
  const fingerprint = requestFingerprint(body);
  const held = keys[attempt];
  if (held && held.fingerprint === fingerprint) return { key: held.key, keys };
  const key = makeKey();
  return { key, keys: { ...keys, [attempt]: { key, fingerprint } } };
}

/** Forgets the key of a finished attempt (succeeded, or refused for good). */
export function releaseAttempt(keys: AttemptKeys, attempt: string): AttemptKeys {
  if (!(attempt in keys)) return keys;
  const next: Record<string, { key: string; fingerprint: string } | undefined> = { ...keys };
  delete next[attempt];
  return next;
}
