import { withQuery } from './services/request';

/** Every in-app page path, in one place. */
export const routes = {
  home: () => '/pages/index/index',
  me: () => '/pages/me/index',
  bindChild: () => '/pages/bind-child/index',
  /** The parent's marketing consent for the bank (separate from paying, revocable). */
  consent: () => '/pages/consent/index',
  bills: (params: { studentId: string; studentName?: string }) => withQuery('/pages/bills/index', params),
  billDetail: (params: { billId: string; studentId: string; studentName?: string }) =>
    withQuery('/pages/bill-detail/index', params),
  /** One order's result. On h5 the payer page comes back here with `payResult` appended. */
  payResult: (params: { orderId: string; studentId: string; studentName?: string }) =>
    withQuery('/pages/pay-result/index', params),
  /**
   * Several orders paid one after another; `orderIds` (comma-separated, in
   * paying order) is the whole checkout, so the page survives the h5 round
   * trip. `orderId` names the order being paid when leaving for the payer page,
   * which comes back with `payResult` appended.
   */
  checkout: (params: { orderIds: string; studentId: string; studentName?: string; orderId?: string }) =>
    withQuery('/pages/checkout/index', params),
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
