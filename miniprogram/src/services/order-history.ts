import Taro from '@tarojs/taro';
import type { OrderView } from './order-model';

/**
 * The orders this device created, per bill. The parent API lists neither a
 * bill's orders nor its receipts, so the bill detail page finds the receipts
 * of online payments by asking the server about these orders (and about the
 * orders named by the bill's refunds). Payments made on another device or at
 * the counter are not listed here.
 */

const STORAGE_KEY = 'campuspay.orders.byBill';
const MAX_ORDERS_PER_BILL = 10;
const MAX_BILLS = 200;

type History = Record<string, string[]>;

function read(): History {
  try {
    const value: unknown = Taro.getStorageSync(STORAGE_KEY);
    return typeof value === 'object' && value !== null ? (value as History) : {};
  } catch {
    return {};
  }
}

export function rememberOrders(orders: readonly OrderView[]): void {
  const history = read();
  for (const order of orders) {
    for (const line of order.bills) {
      const known = (history[line.billId] ?? []).filter((id) => id !== order.orderId);
      history[line.billId] = [order.orderId, ...known].slice(0, MAX_ORDERS_PER_BILL);
    }
  }
  const kept = Object.entries(history).slice(-MAX_BILLS);
  try {
    Taro.setStorageSync(STORAGE_KEY, Object.fromEntries(kept));
  } catch {
    // Only the bill detail page's receipt list depends on this.
  }
}

/** Newest first. */
export function ordersOfBill(billId: string): string[] {
  const ids = read()[billId];
  return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
}
