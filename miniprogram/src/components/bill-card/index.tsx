import { Input, Text, View } from '@tarojs/components';
import type { ITouchEvent } from '@tarojs/components';
import { displayYuan } from '@campuspay/shared';
import { BILL_STATE_LABELS, billState, isOverdue, isUnpaid, type Bill } from '../../services/bill-model';
import './index.scss';

/** The amount to pay now, for a ticked bill that allows partial payment. */
export interface BillAmountInput {
  /** What the input shows (yuan). */
  text: string;
  /** `最低 ¥…，最多 ¥…` */
  hint: string;
  error?: string | undefined;
  onInput: (bill: Bill, text: string) => void;
}

export interface BillCardProps {
  bill: Bill;
  /** Present when the bill can be picked for payment. */
  selectable?: boolean;
  selected?: boolean;
  onToggle?: (bill: Bill) => void;
  /** Opens the bill's detail page (明细). */
  onOpen?: (bill: Bill) => void;
  amount?: BillAmountInput | undefined;
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

const stop = (e: ITouchEvent) => e.stopPropagation();

/**
 * One bill: fee item, period, the amounts that make up what is owed, and its
 * state. For e2e (h5): the card is `#bill-card-<id>`, its tick `#bill-<id>`
 * (class `bill-card__check--on` when ticked), the partial amount input
 * `#amount-<id>`, the detail link `#bill-detail-<id>`.
 */
export default function BillCard({ bill, selectable = false, selected = false, onToggle, onOpen, amount }: BillCardProps) {
  const state = billState(bill);
  const overdue = isOverdue(bill);
  const unpaid = isUnpaid(bill);

  return (
    <View
      id={`bill-card-${bill.id}`}
      className={`bill-card${selected ? ' bill-card--selected' : ''}`}
      onClick={selectable && onToggle ? () => onToggle(bill) : undefined}
    >
      <View className='bill-card__head'>
        {selectable && (
          <View id={`bill-${bill.id}`} className={`bill-card__check${selected ? ' bill-card__check--on' : ''}`}>
            {selected && <Text className='bill-card__check-mark'>✓</Text>}
          </View>
        )}
        <View className='bill-card__title-block'>
          <View className='bill-card__title-line'>
            <Text className='bill-card__title'>{bill.feeItemName}</Text>
            {!bill.mandatory && <Text className='bill-card__tag bill-card__tag--optional'>选缴</Text>}
          </View>
          <Text className='bill-card__period'>{bill.periodLabel || bill.period}</Text>
        </View>
        <Text className={`bill-card__tag bill-card__tag--${state.toLowerCase()}`}>{BILL_STATE_LABELS[state]}</Text>
      </View>

      <View className='bill-card__body'>
        <AmountRow label='应缴金额' fen={bill.amountDueFen} />
        {bill.concessionFen > 0 && <AmountRow label='优惠' fen={bill.concessionFen} tone='minus' />}
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

      {selected && amount && (
        <View className={`bill-card__amount${amount.error ? ' bill-card__amount--invalid' : ''}`} onClick={stop}>
          <View className='bill-card__amount-line'>
            <Text className='bill-card__amount-label'>本次缴费（元）</Text>
            <Input
              id={`amount-${bill.id}`}
              className='bill-card__amount-input'
              type='digit'
              value={amount.text}
              maxlength={12}
              placeholder='请输入金额'
              placeholderClass='bill-card__placeholder'
              onInput={(e) => amount.onInput(bill, e.detail.value)}
            />
          </View>
          <Text className={amount.error ? 'bill-card__amount-error' : 'bill-card__amount-hint'}>
            {amount.error ?? `可分次缴费，${amount.hint}`}
          </Text>
        </View>
      )}

      {onOpen && (
        <View className='bill-card__links'>
          <Text
            id={`bill-detail-${bill.id}`}
            className='bill-card__link'
            onClick={(e) => {
              e.stopPropagation();
              onOpen(bill);
            }}
          >
            明细 ›
          </Text>
        </View>
      )}
    </View>
  );
}
