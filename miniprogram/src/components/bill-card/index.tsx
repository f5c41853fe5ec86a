import { Text, View } from '@tarojs/components';
import { displayYuan } from '@campuspay/shared';
import { BILL_STATE_LABELS, billState, isOverdue, isUnpaid, type Bill } from '../../services/bills';
import './index.scss';

export interface BillCardProps {
  bill: Bill;
  /** Present when the bill can be picked for payment. */
  selectable?: boolean;
  selected?: boolean;
  onToggle?: (bill: Bill) => void;
}

function AmountRow({ label, fen, tone }: { label: string; fen: number; tone?: 'minus' | 'strong' }) {
  return (
    <View className={`bill-card__row${tone ? ` bill-card__row--${tone}` : ''}`}>
      <Text className='bill-card__row-label'>{label}</Text>
      <Text className='bill-card__row-value'>
        {tone === 'minus' ? `-${displayYuan(fen)}` : displayYuan(fen)}
      </Text>
    </View>
  );
}

/** One bill: fee item, period, the amounts that make up what is owed, and its state. */
export default function BillCard({ bill, selectable = false, selected = false, onToggle }: BillCardProps) {
  const state = billState(bill);
  const overdue = isOverdue(bill);
  const unpaid = isUnpaid(bill);

  return (
    <View
      className={`bill-card${selected ? ' bill-card--selected' : ''}`}
      onClick={selectable && onToggle ? () => onToggle(bill) : undefined}
    >
      <View className='bill-card__head'>
        {selectable && (
          <View className={`bill-card__check${selected ? ' bill-card__check--on' : ''}`}>
            {selected && <Text className='bill-card__check-mark'>✓</Text>}
          </View>
        )}
        <View className='bill-card__title-block'>
          <Text className='bill-card__title'>{bill.feeItemName}</Text>
          <Text className='bill-card__period'>{bill.period}</Text>
        </View>
        <Text className={`bill-card__tag bill-card__tag--${state.toLowerCase()}`}>{BILL_STATE_LABELS[state]}</Text>
      </View>

      <View className='bill-card__body'>
        <AmountRow label='应缴金额' fen={bill.amountDueFen} />
        {bill.concessionFen > 0 && <AmountRow label='减免' fen={bill.concessionFen} tone='minus' />}
        {bill.paidFen > 0 && <AmountRow label='已缴' fen={bill.paidFen} />}
        {bill.refundedFen > 0 && <AmountRow label='已退费' fen={bill.refundedFen} />}
      </View>

      <View className='bill-card__foot'>
        <Text className={`bill-card__due${overdue ? ' bill-card__due--overdue' : ''}`}>
          {bill.dueDate ? `缴费截止 ${bill.dueDate}${overdue ? '（已逾期）' : ''}` : ''}
        </Text>
        {unpaid ? (
          <View className='bill-card__outstanding'>
            <Text className='bill-card__outstanding-label'>待缴</Text>
            <Text className='bill-card__outstanding-value'>{displayYuan(bill.outstandingFen)}</Text>
          </View>
        ) : null}
      </View>
    </View>
  );
}
