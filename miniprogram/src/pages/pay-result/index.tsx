import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter, useUnload } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { displayYuan } from '@campuspay/shared';
import { requestPayment } from '../../platform/payment';
import { parsePayResult } from '../../platform/payment-outcome';
import PromotionBanner from '../../components/promotion-banner';
import { openReceipt } from '../../platform/receipt-viewer';
import { routeParam, routes } from '../../routes';
import { formatShanghaiDateTime } from '../../services/bill-model';
import { canPayOrder, confirmOrder, fetchOrderPatiently, getOrder, type OrderView, type ReportedOutcome } from '../../services/orders';
import { describeError, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

type ResultState =
  | { kind: 'checking' }
  | { kind: 'paid'; order: OrderView }
  | { kind: 'refunded'; order: OrderView }
  /** The sheet said SUCCESS but the server has not heard from WeChat yet. */
  | { kind: 'confirming'; order: OrderView }
  | { kind: 'unfinished'; order: OrderView | null; reason: 'cancelled' | 'failed' | 'unpaid' | 'closed' }
  | { kind: 'error'; message: string };

const UNFINISHED_NOTES: Record<Extract<ResultState, { kind: 'unfinished' }>['reason'], string> = {
  cancelled: '您已取消支付，账单仍待缴费，可重新支付',
  failed: '微信支付未能完成，账单仍待缴费。如已扣款请勿重复支付，稍后刷新查看',
  unpaid: '该订单尚未支付，账单仍待缴费，可重新支付',
  closed: '该订单已关闭，账单仍待缴费，可返回账单重新支付',
};

/**
 * The result of one order's payment, as the server sees it: the payment
 * sheet's (or sandbox payer page's) `payResult` only decides how long to keep
 * asking (up to ~10 s after a reported success).
 *
 * For e2e (h5): `#pay-result-title` (支付成功 / 支付未完成 / …), `#receipt-no`,
 * `#view-receipt` 查看收据, `#retry-pay` 重新支付, `#back-to-bills`.
 */
export default function PayResultPage() {
  const { params } = useRouter();
  const orderId = routeParam(params, 'orderId');
  const studentId = routeParam(params, 'studentId');
  const studentName = routeParam(params, 'studentName');

  const [reported, setReported] = useState<ReportedOutcome | null>(() => parsePayResult(routeParam(params, 'payResult') || undefined));
  const [view, setView] = useState<ResultState>({ kind: 'checking' });
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useUnload(() => {
    alive.current = false;
  });

  const check = useCallback(async (sheetSaid: ReportedOutcome | null) => {
    if (!orderId) {
      setView({ kind: 'error', message: '缺少订单信息' });
      return;
    }
    setView({ kind: 'checking' });
    try {
      const { order, outcome } = await confirmOrder(getOrder, orderId, sheetSaid, { isCancelled: () => !alive.current });
      if (!alive.current) return;
      switch (outcome) {
        case 'paid':
          setView({ kind: 'paid', order });
          return;
        case 'refunded':
          setView({ kind: 'refunded', order });
          return;
        case 'closed':
          setView({ kind: 'unfinished', order, reason: 'closed' });
          return;
        case 'cancelled':
          setView({ kind: 'unfinished', order, reason: 'cancelled' });
          return;
        case 'failed':
          setView({ kind: 'unfinished', order, reason: 'failed' });
          return;
        case 'pending':
          setView(sheetSaid === 'SUCCESS' ? { kind: 'confirming', order } : { kind: 'unfinished', order, reason: 'unpaid' });
          return;
      }
    } catch (err) {
      if (!alive.current) return;
      if (isSessionExpired(err)) {
        showError(err);
        return;
      }
      // Without the server's answer, still tell the parent what the payment sheet said.
      if (sheetSaid === 'CANCEL') return setView({ kind: 'unfinished', order: null, reason: 'cancelled' });
      if (sheetSaid === 'FAIL') return setView({ kind: 'unfinished', order: null, reason: 'failed' });
      setView({ kind: 'error', message: describeError(err, '暂时无法查询支付结果') });
    }
  }, [orderId]);

  useEffect(() => {
    void check(reported);
    // On arrival, with what the sheet reported; later checks are started by the buttons.
  }, [check]);

  const backToBills = () => {
    const pages = Taro.getCurrentPages();
    const previous = pages[pages.length - 2];
    if (previous?.route?.includes('pages/bills/')) {
      void Taro.navigateBack();
    } else if (studentId) {
      void Taro.redirectTo({ url: routes.bills({ studentId, studentName }) });
    } else {
      void Taro.reLaunch({ url: routes.home() });
    }
  };
  const backHome = () => void Taro.reLaunch({ url: routes.home() });

  /** 重新支付: the same order while it can still be paid; otherwise its bills are payable again from the bills page. */
  const payAgain = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const order = await fetchOrderPatiently(getOrder, orderId);
      if (order.status === 'PAID' || order.status === 'REFUNDED' || order.status === 'PARTIALLY_REFUNDED') {
        await check(null);
        return;
      }
      if (!canPayOrder(order) || !order.payParams) {
        void Taro.showToast({ title: '订单已失效，请重新选择账单缴费', icon: 'none' });
        backToBills();
        return;
      }
      const resultPage = routes.payResult({ orderId, studentId, studentName });
      const outcome = await requestPayment({ orderId, payParams: order.payParams, resultPage });
      if (outcome === 'REDIRECTED') return;
      setReported(outcome);
      await check(outcome);
    } catch (err) {
      showError(err, '发起支付失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  const viewReceipt = (receiptNo: string) => {
    openReceipt(receiptNo).catch((err: unknown) => showError(err, '收据打开失败，请稍后重试'));
  };

  const order = 'order' in view ? view.order : null;
  const presentation: Record<ResultState['kind'], { icon: string; tone: string; title: string; note: string }> = {
    checking: { icon: '…', tone: 'info', title: '正在确认支付结果', note: '请稍候，正在向服务器确认支付状态' },
    paid: { icon: '✓', tone: 'success', title: '支付成功', note: '学校已收到您的缴费，收据可在此查看，也可在账单明细中查看' },
    refunded: { icon: '↺', tone: 'info', title: '该订单已退款', note: '退款将按原支付方式退回' },
    confirming: {
      icon: '…',
      tone: 'warning',
      title: '支付结果确认中',
      note: '微信支付结果尚未送达，请稍后刷新。请勿重复缴费。',
    },
    unfinished: { icon: '!', tone: 'muted', title: '支付未完成', note: '' },
    error: { icon: '!', tone: 'danger', title: '无法查询支付结果', note: '' },
  };
  const p = presentation[view.kind];
  const note = view.kind === 'error' ? view.message : view.kind === 'unfinished' ? UNFINISHED_NOTES[view.reason] : p.note;
  const receiptNo = view.kind === 'paid' || view.kind === 'refunded' ? view.order.receiptNo : null;

  return (
    <View className='page pay-result'>
      <View className='pay-result__card'>
        <View className={`pay-result__icon pay-result__icon--${p.tone}`}>
          <Text>{p.icon}</Text>
        </View>
        <Text id='pay-result-title' className='pay-result__title'>
          {p.title}
        </Text>
        {order && <Text className='pay-result__amount'>{displayYuan(order.totalFen)}</Text>}
        <Text className='pay-result__note'>{note}</Text>
        {order && order.bills.length > 0 && (
          <View className='pay-result__lines'>
            {order.bills.map((line) => (
              <View key={line.billId} className='pay-result__line'>
                <Text className='pay-result__line-name'>
                  {line.studentName} · {line.feeItemName}
                </Text>
                <Text className='pay-result__line-amount'>{displayYuan(line.amountFen)}</Text>
              </View>
            ))}
          </View>
        )}
        {order && (
          <View className='pay-result__metas'>
            {order.payeeName && <Meta label='收款单位' value={order.payeeName} />}
            {receiptNo && <Meta id='receipt-no' label='收据号' value={receiptNo} />}
            {order.paidAt && <Meta label='支付时间' value={formatShanghaiDateTime(order.paidAt)} />}
            <Meta label='订单号' value={order.outTradeNo} />
          </View>
        )}
        {view.kind === 'paid' && !receiptNo && <Text className='pay-result__note'>收据生成中，稍后可在账单明细中查看</Text>}
      </View>

      <View className='pay-result__actions'>
        {receiptNo && (
          <Button id='view-receipt' className='btn btn--primary pay-result__action' onClick={() => viewReceipt(receiptNo)}>
            查看收据
          </Button>
        )}
        {view.kind === 'unfinished' && (
          <Button
            id='retry-pay'
            className={`btn btn--pay pay-result__action${busy ? ' btn--disabled' : ''}`}
            loading={busy}
            disabled={busy}
            onClick={() => void (view.reason === 'closed' ? backToBills() : payAgain())}
          >
            重新支付
          </Button>
        )}
        {(view.kind === 'confirming' || view.kind === 'error' || (view.kind === 'paid' && !receiptNo)) && (
          <Button id='refresh-result' className='btn btn--primary pay-result__action' onClick={() => void check(reported)}>
            刷新结果
          </Button>
        )}
        {view.kind !== 'checking' && (
          <Button id='back-to-bills' className='btn btn--plain pay-result__action' onClick={backToBills}>
            返回账单
          </Button>
        )}
        {view.kind !== 'checking' && (
          <Button className='btn btn--plain pay-result__action' onClick={backHome}>
            返回首页
          </Button>
        )}
      </View>

      {view.kind === 'paid' && <PromotionBanner slot='payment_result' />}
    </View>
  );
}

function Meta({ id, label, value }: { id?: string; label: string; value: string }) {
  return (
    <View className='pay-result__meta'>
      <Text className='pay-result__meta-label'>{label}</Text>
      <Text id={id} className='pay-result__meta-value' userSelect>
        {value}
      </Text>
    </View>
  );
}
