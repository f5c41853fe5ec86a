import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { displayYuan } from '@campuspay/shared';
import StateBlock from '../../components/state-block';
import { openReceipt } from '../../platform/receipt-viewer';
import { routeParam } from '../../routes';
import {
  BILL_STATE_LABELS,
  CONCESSION_STATUS_LABELS,
  billFigures,
  billState,
  formatShanghaiDateTime,
  getBill,
  type Bill,
} from '../../services/bills';
import { amountHint } from '../../services/checkout-selection';
import { ordersOfBill } from '../../services/order-history';
import { billReceipts, getOrder, type BillReceipt } from '../../services/orders';
import { REFUND_ABNORMAL_NOTE, listRefunds, refundPresentation, type Refund } from '../../services/refunds';
import { describeError, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

type DetailState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; bill: Bill; refunds: Refund[] | null; receipts: BillReceipt[] | null };

/** Orders to look at for receipts: those this device created for the bill, and those its refunds name. */
const MAX_ORDERS_LOOKED_UP = 10;

async function receiptsFor(billId: string, refunds: Refund[] | null): Promise<BillReceipt[] | null> {
  const ids = [...new Set([...ordersOfBill(billId), ...(refunds ?? []).map((r) => r.orderId ?? '')])].filter(Boolean).slice(0, MAX_ORDERS_LOOKED_UP);
  const results = await Promise.allSettled(ids.map((id) => getOrder(id)));
  const orders = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (ids.length > 0 && orders.length === 0) return null;
  return billReceipts(orders, billId);
}

/**
 * One bill: its figures (应缴 / 优惠 / 已缴 / 已退 / 待缴), concessions, the
 * receipts of its online payments and its refunds.
 *
 * For e2e (h5): `#figure-due|concession|paid|refunded|outstanding`,
 * `#concession-<id>`, `#receipt-<receiptNo>`, `#view-receipt-<receiptNo>`,
 * `#refund-<id>`, `#refund-status-<id>` (退款中 / 已退款 / 退款异常 …).
 */
export default function BillDetailPage() {
  const { params } = useRouter();
  const billId = routeParam(params, 'billId');
  const studentId = routeParam(params, 'studentId');

  const [state, setState] = useState<DetailState>({ kind: 'loading' });

  const load = useCallback(async () => {
    if (!billId || !studentId) {
      setState({ kind: 'error', message: '缺少账单信息，请从账单列表进入' });
      return;
    }
    setState((prev) => (prev.kind === 'ready' ? prev : { kind: 'loading' }));
    try {
      const [bill, refunds] = await Promise.all([getBill(studentId, billId), listRefunds(billId).catch(() => null)]);
      if (!bill) {
        setState({ kind: 'error', message: '未找到该账单，可能已被学校撤销' });
        return;
      }
      const receipts = await receiptsFor(billId, refunds);
      setState({ kind: 'ready', bill, refunds, receipts });
      void Taro.setNavigationBarTitle({ title: bill.feeItemName });
    } catch (err) {
      if (isSessionExpired(err)) {
        showError(err);
        return;
      }
      setState({ kind: 'error', message: describeError(err, '账单加载失败，请稍后重试') });
    }
  }, [billId, studentId]);

  useDidShow(() => {
    void load();
  });

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const viewReceipt = (receiptNo: string) => {
    openReceipt(receiptNo).catch((err: unknown) => showError(err, '收据打开失败，请稍后重试'));
  };

  if (state.kind === 'loading') {
    return (
      <View className='page bill-detail'>
        <StateBlock kind='loading' title='正在加载账单…' />
      </View>
    );
  }
  if (state.kind === 'error') {
    return (
      <View className='page bill-detail'>
        <StateBlock kind='error' title='加载失败' description={state.message} actionText='重试' onAction={() => void load()} />
      </View>
    );
  }

  const { bill, refunds, receipts } = state;
  const billStateNow = billState(bill);
  const concessions = bill.concessions ?? [];

  return (
    <View className='page bill-detail'>
      <View className='bill-detail__head'>
        <View className='bill-detail__title-line'>
          <Text className='bill-detail__title'>{bill.feeItemName}</Text>
          {!bill.mandatory && <Text className='bill-detail__tag bill-detail__tag--optional'>选缴</Text>}
          <Text className={`bill-detail__tag bill-detail__tag--${billStateNow.toLowerCase()}`}>{BILL_STATE_LABELS[billStateNow]}</Text>
        </View>
        <Text className='bill-detail__sub'>
          {[bill.studentName, bill.periodLabel || bill.period, bill.dueDate ? `缴费截止 ${bill.dueDate}` : ''].filter(Boolean).join(' · ')}
        </Text>
        {bill.allowPartial && bill.outstandingFen > 0 && (
          <Text className='bill-detail__sub'>可分次缴费，{amountHint(bill)}</Text>
        )}
      </View>

      <View id='bill-figures' className='bill-detail__card'>
        {billFigures(bill).map((f) => (
          <View key={f.key} className={`bill-detail__figure bill-detail__figure--${f.key}${f.minus ? ' bill-detail__figure--minus' : ''}`}>
            <Text className='bill-detail__figure-label'>{f.label}</Text>
            <Text id={`figure-${f.key}`} className='bill-detail__figure-value'>
              {f.minus ? `-${displayYuan(f.fen)}` : displayYuan(f.fen)}
            </Text>
          </View>
        ))}
      </View>

      {concessions.length > 0 && (
        <>
          <View className='section-title'>
            <Text className='section-title__text'>优惠</Text>
          </View>
          <View className='bill-detail__card'>
            {concessions.map((c) => (
              <View key={c.id} id={`concession-${c.id}`} className='bill-detail__item'>
                <View className='bill-detail__item-main'>
                  <Text className='bill-detail__item-title'>{c.label}</Text>
                  {c.reason && <Text className='bill-detail__item-sub'>{c.reason}</Text>}
                </View>
                <View className='bill-detail__item-side'>
                  <Text className='bill-detail__item-amount'>-{displayYuan(c.amountFen)}</Text>
                  <Text className={`bill-detail__status bill-detail__status--${c.status}`}>{CONCESSION_STATUS_LABELS[c.status] ?? c.status}</Text>
                </View>
              </View>
            ))}
          </View>
        </>
      )}

      <View className='section-title'>
        <Text className='section-title__text'>缴费收据</Text>
      </View>
      <View className='bill-detail__card'>
        {receipts === null && <Text className='bill-detail__empty'>收据暂时无法查询，请下拉刷新重试</Text>}
        {receipts !== null && receipts.length === 0 && (
          <Text className='bill-detail__empty'>
            {bill.paidFen > 0 ? '本机暂无该账单的线上缴费收据；柜台缴费或在其他设备缴费的收据请向学校财务索取' : '暂无缴费记录'}
          </Text>
        )}
        {receipts?.map((r) => (
          <View key={r.receiptNo} id={`receipt-${r.receiptNo}`} className='bill-detail__item'>
            <View className='bill-detail__item-main'>
              <Text className='bill-detail__item-title' userSelect>
                收据号 {r.receiptNo}
              </Text>
              <Text className='bill-detail__item-sub'>
                {[formatShanghaiDateTime(r.paidAt), r.payeeName, r.refund === 'full' ? '已退款' : r.refund === 'partial' ? '部分退款' : ''].filter(Boolean).join(' · ')}
              </Text>
            </View>
            <View className='bill-detail__item-side'>
              <Text className='bill-detail__item-amount'>{displayYuan(r.amountFen)}</Text>
              <Text id={`view-receipt-${r.receiptNo}`} className='bill-detail__link' onClick={() => viewReceipt(r.receiptNo)}>
                查看收据
              </Text>
            </View>
          </View>
        ))}
      </View>

      {(refunds === null || refunds.length > 0 || bill.refundedFen > 0) && (
        <>
          <View className='section-title'>
            <Text className='section-title__text'>退款</Text>
          </View>
          <View className='bill-detail__card'>
            {refunds === null && <Text className='bill-detail__empty'>退款进度暂时无法查询，请下拉刷新重试</Text>}
            {refunds !== null && refunds.length === 0 && <Text className='bill-detail__empty'>暂无退款记录</Text>}
            {refunds?.map((r) => {
              const p = refundPresentation(r.status);
              return (
                <View key={r.id} id={`refund-${r.id}`} className='bill-detail__item'>
                  <View className='bill-detail__item-main'>
                    <Text className='bill-detail__item-title'>{r.reason || '退款'}</Text>
                    <Text className='bill-detail__item-sub'>
                      申请于 {formatShanghaiDateTime(r.createdAt)}
                      {r.completedAt ? `，完成于 ${formatShanghaiDateTime(r.completedAt)}` : ''}
                    </Text>
                    {r.status === 'ABNORMAL' && <Text className='bill-detail__item-warn'>{REFUND_ABNORMAL_NOTE}</Text>}
                  </View>
                  <View className='bill-detail__item-side'>
                    <Text className='bill-detail__item-amount'>{displayYuan(r.amountFen)}</Text>
                    <Text id={`refund-status-${r.id}`} className={`bill-detail__status bill-detail__status--${p.tone}`}>
                      {p.label}
                    </Text>
                  </View>
                </View>
              );
            })}
          </View>
        </>
      )}
    </View>
  );
}
