import type { Page } from '@campuspay/shared';
import { request, withQuery } from './request';

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

/** GET /parent/children → {items, total, page, pageSize} */
export async function listChildren(): Promise<Child[]> {
  const page = await request<Page<Child>>('GET', withQuery('/parent/children', { pageSize: 200 }));
  return page.items;
}

/** POST /parent/children {schoolCode, studentNo, studentName} (rate-limited server-side). */
export function bindChild(input: BindChildInput): Promise<unknown> {
  return request<unknown>('POST', '/parent/children', input);
}
