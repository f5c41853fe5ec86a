import type { Bill } from './bill-model';
import type { OrderView } from './order-model';

/** Test data for the unit tests beside these modules (not shipped: only tests import it). */

export function aBill(overrides: Partial<Bill> = {}): Bill {
  return {
    id: 'bill_1',
    studentId: 'stu_1',
    studentName: '李明',
    feeItemName: '学费',
    period: '2026-2027-1',
    periodLabel: '2026-2027 学年第一学期',
    payeeAccountId: 'payee_school',
    mandatory: true,
    allowPartial: false,
    minPaymentFen: null,
    amountDueFen: 300_000,
    concessionFen: 0,
    paidFen: 0,
    refundedFen: 0,
    outstandingFen: 300_000,
    status: 'unpaid',
    concessions: [],
    dueDate: '2026-09-10',
    ...overrides,
  };
}

export function anOrder(overrides: Partial<OrderView> = {}): OrderView {
  return {
    orderId: 'ord_1',
    outTradeNo: 'CP20260901AAAA',
    status: 'PENDING',
    totalFen: 300_000,
    refundedFen: 0,
    payeeAccountId: 'payee_school',
    payeeName: '学校基本户',
    bills: [{ billId: 'bill_1', feeItemName: '学费', studentName: '李明', amountFen: 300_000 }],
    payParams: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' },
    expiresAt: '2099-01-01T00:00:00.000Z',
    paidAt: null,
    transactionId: null,
    receiptNo: null,
    ...overrides,
  };
}
