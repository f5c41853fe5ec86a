import { displayYuan } from '@campuspay/shared';
import { AppError } from '../../platform/errors.ts';
import type { BillDoc } from './bill-view.ts';

/** What a payment of `amountFen` must respect on this bill, checked at the moment of writing. */
export function checkPayable(bill: BillDoc, amountFen: number): void {
  if (!bill.published) throw new AppError('BUSINESS_RULE', '账单尚未发布');
  if (bill.status === 'cancelled') throw new AppError('BUSINESS_RULE', '账单已取消');
  if (bill.outstandingFen <= 0) throw new AppError('STATE_CONFLICT', '该账单已缴清');
  if (amountFen > bill.outstandingFen) throw new AppError('BUSINESS_RULE', `缴费金额超过待缴金额 ${displayYuan(bill.outstandingFen)}`);
  if (amountFen < bill.outstandingFen) {
    if (!bill.allowPartial) throw new AppError('BUSINESS_RULE', '该收费项目不允许部分缴费');
    if (bill.minPaymentFen && amountFen < bill.minPaymentFen) throw new AppError('BUSINESS_RULE', `单次缴费不得少于 ${displayYuan(bill.minPaymentFen)}`);
  }
}

