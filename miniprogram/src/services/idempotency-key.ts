/**
 * A fresh Idempotency-Key for a POST that moves money. Keys only need to be
 * unique per parent (the server scopes them), so 128 random bits from
 * Math.random plus the time are plenty; crypto.randomUUID is not available
 * in every mini-program base library.
 */
export function newIdempotencyKey(): string {
  let random = '';
  for (let i = 0; i < 4; i++) {
    random += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  }
  return `mp-${Date.now().toString(36)}-${random}`;
}
