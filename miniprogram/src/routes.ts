import { withQuery } from './services/request';

/** Every in-app page path, in one place. */
export const routes = {
  home: () => '/pages/index/index',
  me: () => '/pages/me/index',
  bindChild: () => '/pages/bind-child/index',
  bills: (params: { studentId: string; studentName?: string }) => withQuery('/pages/bills/index', params),
  payResult: (params: { orderId: string; studentId: string; studentName?: string }) =>
    withQuery('/pages/pay-result/index', params),
};

/**
 * Route params arrive URL-encoded on some targets and decoded on others;
 * decoding once more is harmless for the values we pass (ids and names).
 */
export function routeParam(params: Partial<Record<string, string>>, key: string): string {
  const raw = params[key];
  if (!raw) return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
