/**
 * Tiny checks for answers whose shape is not in the shared contract yet (no
 * zod schema to parse them with). Each throws on a mismatch; the request
 * client turns the throw into `UnexpectedResponseError`.
 */
export type Shape = Record<string, unknown>;

export function objectOf(value: unknown, what: string): Shape {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${what}: expected an object`);
  return value as Shape;
}

export function arrayOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what}: expected an array`);
  return value;
}

export function stringField(shape: Shape, key: string): string {
  const value = shape[key];
  if (typeof value !== 'string') throw new TypeError(`${key}: expected a string`);
  return value;
}

export function nullableStringField(shape: Shape, key: string): string | null {
  const value = shape[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError(`${key}: expected a string or null`);
  return value;
}

export function numberField(shape: Shape, key: string): number {
  const value = shape[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${key}: expected a number`);
  return value;
}

export function nullableNumberField(shape: Shape, key: string): number | null {
  const value = shape[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${key}: expected a number or null`);
  return value;
}

export function booleanField(shape: Shape, key: string): boolean {
  const value = shape[key];
  if (typeof value !== 'boolean') throw new TypeError(`${key}: expected a boolean`);
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`${what}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}
