import type { Page } from '@campuspay/shared';
import { itemsOf } from './list-body';
import { request } from './request';

/** A child bound to the logged-in parent, as listed by GET /parent/children. */
export interface Child {
  id: string;
  name: string;
  schoolName: string;
  campusName: string;
  className: string;
  studentNo: string;
}

export interface BindChildInput {
  schoolCode: string;
  studentNo: string;
  studentName: string;
}

/** GET /parent/children → Child[] (a `{items, …}` page is accepted too). */
export async function listChildren(): Promise<Child[]> {
  return itemsOf(await request<Child[] | Page<Child>>('GET', '/parent/children'));
}

/**
 * POST /parent/children {schoolCode, studentNo, studentName} → 201 Child.
 * Rate-limited; a wrong name and an unknown student get the same answer.
 */
export function bindChild(input: BindChildInput): Promise<Child> {
  return request<Child>('POST', '/parent/children', input);
}
