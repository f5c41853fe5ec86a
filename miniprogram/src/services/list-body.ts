import type { Page } from '@campuspay/shared';

/**
 * The items of a list response. The API convention is `{items, total, page,
 * pageSize}`, but small parent lists may come back as a bare array (the
 * server's GET /parent/children does): accept both.
 */
export function itemsOf<T>(body: T[] | Page<T> | null | undefined): T[] {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.items)) return body.items;
  return [];
}
