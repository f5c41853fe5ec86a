/**
 * The header's campus choice ("a group admin switches campuses"), kept per
 * user and scope so a reload keeps it and another grant starts fresh. Pure:
 * the storage is passed in.
 */
import type { OrgNode } from '@campuspay/shared';
import type { KeyValueStorage } from '../session/session-store.ts';

export const CAMPUS_FILTER_STORAGE_PREFIX = 'campuspay.admin.campus';

export function campusFilterKey(userId: string, scopeNodeId: string): string {
  return `${CAMPUS_FILTER_STORAGE_PREFIX}:${userId}:${scopeNodeId}`;
}

/**
 * The stored campus if it is still one of `campuses` (a campus may have been
 * archived, or the user's scope changed); otherwise null, i.e. all campuses.
 */
export function restoreCampus(stored: string | null, campuses: readonly Pick<OrgNode, 'id'>[]): string | null {
  if (!stored) return null;
  return campuses.some((campus) => campus.id === stored) ? stored : null;
}

/** Whether to offer the picker: only when the scope spans more than one campus. */
export function offersCampusChoice(campuses: readonly unknown[]): boolean {
  return campuses.length > 1;
}

export function readStoredCampus(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writeStoredCampus(storage: KeyValueStorage | null, key: string, campusId: string | null): void {
  try {
    if (campusId) storage?.setItem(key, campusId);
    else storage?.removeItem(key);
  } catch {
    // Storage full or disabled: the choice lasts until reload.
  }
}
