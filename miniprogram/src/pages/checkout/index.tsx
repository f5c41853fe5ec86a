import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter, useUnload } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { displayYuan } from '@campuspay/shared';
import StateBlock from '../../components/state-block';
import { requestPayment } from '../../platform/payment';
import { parsePayResult } from '../../platform/payment-outcome';
import { openReceipt } from '../../platform/receipt-viewer';
import { routeParam, routes } from '../../routes';
import {
  CHECKOUT_ORDER_STATE_LABELS,
  checkoutOrderState,
  checkoutProgress,
  encodeOrderIds,
  parseOrderIds,
  payButtonLabel,
  withOrder,
  type CheckoutOrderState,
} from '../../services/checkout-sequence';
import {
  awaitsServer,
  canPayOrder,
  confirmOrder,
  fetchOrderPatiently,
  getOrder,
  isPaidOutcome,
  outcomeOf,
  reportBehind,
  type OrderOutcome,
  type OrderView,
  type ReportedOutcome,
} from '../../services/orders';
import { describeError, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

type LoadState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; orders: OrderView[] };

interface LastOutcome {
  orderId: string;
  outcome: OrderOutcome;
}

const OUTCOME_NOTES: Partial<Record<OrderOutcome, (n: number) => string>> = {
  paid: (n) => `第 ${n} 笔支付成功`,
  refunded: (n) => `第 ${n} 笔已支付（已退款）`,
  cancelled: (n) => `第 ${n} 笔已取消支付，账单仍待缴费，可重新支付`,
  failed: (n) => `第 ${n} 笔支付未完成，如已扣款请勿重复支付，稍后刷新查看`,
  pending: (n) => `第 ${n} 笔支付结果确认中，请稍后刷新，请勿重复支付`,
  closed: (n) => `第 ${n} 笔订单已关闭，相关账单可返回账单页重新缴费`,
};

/**
 * Several orders (bills of different payee accounts) paid one after another.
 * The whole checkout is in the URL (`orderIds`, in paying order), every
 * status comes from the server, and each payment is confirmed with the
 * server before the next can start. On h5 each payment is a round trip
 * through the sandbox payer page, which comes back here with
 * `orderId=<the order paid>&payResult=…`.
 *
 * For e2e (h5): `#order-<orderId>` cards (`checkout-order--current` on the one
 * to pay), `#order-state-<orderId>` (待支付 / 确认中 / 已支付 / 已关闭),
 * `#receipt-no-<orderId>` (`#receipt-pending-<orderId>` while it is being issued),
 * `#view-receipt-<orderId>`, `#checkout-progress`,
 * `#checkout-notice`, `#pay-next` (去支付 / 支付下一笔 / 重新支付),
 * `#checkout-done`, `#back-to-bills`.
 */
export default function CheckoutPage() {
  const { params } = useRouter();
  const orderIdsParam = routeParam(params, 'orderIds');
  const studentId = routeParam(params, 'studentId');
  const studentName = routeParam(params, 'studentName');
  const returnedOrderId = routeParam(params, 'orderId');
  const returnedReport = parsePayResult(routeParam(params, 'payResult') || undefined);

  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [lastOutcome, setLastOutcome] = useState<LastOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useUnload(() => {
    alive.current = false;
  });

  const orderIds = parseOrderIds(orderIdsParam);

  const update = (fresh: OrderView) => {
    setState((prev) => (prev.kind === 'ready' ? { kind: 'ready', orders: withOrder(prev.orders, fresh) } : prev));
  };

  /** Asks the server about one order until it settles (up to ~10 s after a reported success). */
  const confirm = useCallback(async (orderId: string, reported: ReportedOutcome | null) => {
    setConfirming(orderId);
    try {
      const { order, outcome } = await confirmOrder(getOrder, orderId, reported, { isCancelled: () => !alive.current });
      if (!alive.current) return;
      update(order);
      setLastOutcome({ orderId, outcome });
    } finally {
      if (alive.current) setConfirming(null);
    }
  }, []);

  const load = useCallback(async () => {
    const ids = parseOrderIds(orderIdsParam);
    if (ids.length === 0) {
      setState({ kind: 'error', message: '缺少订单信息，请返回账单重新缴费' });
      return;
    }
    setState((prev) => (prev.kind === 'ready' ? prev : { kind: 'loading' }));
    try {
      const orders = await Promise.all(ids.map((id) => fetchOrderPatiently(getOrder, id)));
      if (!alive.current) return;
      setState({ kind: 'ready', orders });
      return orders;
    } catch (err) {
      if (!alive.current) return;
      if (isSessionExpired(err)) {
        showError(err);
        return;
      }
      setState({ kind: 'error', message: describeError(err, '订单加载失败，请稍后重试') });
    }
    return undefined;
  }, [orderIdsParam]);

  /** Loads the orders and, back from the payer page (h5), confirms the order just paid with the server. */
  const arrive = useCallback(async () => {
    const orders = await load();
    if (!orders || !returnedOrderId || !returnedReport) return;
    const returned = orders.find((o) => o.orderId === returnedOrderId);
    if (!returned) return;
    const outcome = outcomeOf(returned.status, returnedReport);
    // Not yet paid as far as the server knows, or paid with the receipt still being issued: ask again.
    if (awaitsServer(returned, outcome)) {
      await confirm(returned.orderId, returnedReport).catch((err: unknown) => showError(err, '暂时无法确认支付结果'));
    } else {
      setLastOutcome({ orderId: returned.orderId, outcome });
    }
  }, [load, confirm, returnedOrderId, returnedReport]);

  useEffect(() => {
    void arrive();
  }, [arrive]);

  const orders = state.kind === 'ready' ? state.orders : [];
  const progress = checkoutProgress(orders);
  const buttonLabel = confirming ? null : payButtonLabel(progress, lastOutcome);

  const payNext = async () => {
    const next = progress.next;
    if (busy || !next || confirming) return;
    setBusy(true);
    try {
      // Look again right before paying: the order may have been paid or closed meanwhile.
      const fresh = await fetchOrderPatiently(getOrder, next.orderId);
      update(fresh);
      if (!canPayOrder(fresh) || !fresh.payParams) {
        setLastOutcome({ orderId: fresh.orderId, outcome: outcomeOf(fresh.status, null) });
        return;
      }
      const resultPage = routes.checkout({ orderIds: encodeOrderIds(orderIds), studentId, studentName, orderId: fresh.orderId });
      const outcome = await requestPayment({ orderId: fresh.orderId, payParams: fresh.payParams, resultPage });
      if (outcome === 'REDIRECTED') return; // h5: back here with payResult.
      await confirm(fresh.orderId, outcome);
    } catch (err) {
      showError(err, '发起支付失败，请稍后重试');
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  /** 刷新: the orders again; what the last payment's sheet said still explains an order that is unpaid. */
  const refresh = () => {
    void load().then((fresh) => {
      if (!fresh || !lastOutcome) return;
      const order = fresh.find((o) => o.orderId === lastOutcome.orderId);
      if (order) setLastOutcome({ orderId: order.orderId, outcome: outcomeOf(order.status, reportBehind(lastOutcome.outcome)) });
    });
  };

  const backToBills = () => {
    const pages = Taro.getCurrentPages();
    const previous = pages[pages.length - 2];
    if (previous?.route?.includes('pages/bills/')) void Taro.navigateBack();
    else if (studentId) void Taro.redirectTo({ url: routes.bills({ studentId, studentName }) });
    else void Taro.reLaunch({ url: routes.home() });
  };

  const viewReceipt = (receiptNo: string) => {
    openReceipt(receiptNo).catch((err: unknown) => showError(err, '收据打开失败，请稍后重试'));
  };

  if (state.kind === 'loading') {
    return (
      <View className='page checkout'>
        <StateBlock kind='loading' title='正在加载订单…' />
      </View>
    );
  }
  if (state.kind === 'error') {
    return (
      <View className='page checkout'>
        <StateBlock kind='error' title='加载失败' description={state.message} actionText='重试' onAction={() => void arrive()} />
      </View>
    );
  }

  const lastIndex = lastOutcome ? orders.findIndex((o) => o.orderId === lastOutcome.orderId) : -1;
  const notice =
    confirming !== null
      ? `正在确认第 ${orders.findIndex((o) => o.orderId === confirming) + 1} 笔支付结果…`
      : lastOutcome && lastIndex >= 0
        ? (OUTCOME_NOTES[lastOutcome.outcome]?.(lastIndex + 1) ?? '')
        : '';

  return (
    <View className='page checkout checkout--with-bar'>
      <View className='checkout__intro'>
        <Text className='checkout__title'>需分 {progress.totalCount} 笔支付</Text>
        <Text className='checkout__subtitle'>所选账单属于不同的收款单位，请按顺序逐笔完成支付</Text>
        <View id='checkout-progress' className='checkout__progress'>
          <Text>
            已支付 {progress.paidCount}/{progress.totalCount} 笔
          </Text>
          <Text className='checkout__progress-amount'>
            {displayYuan(progress.paidFen)} / {displayYuan(progress.totalFen)}
          </Text>
        </View>
      </View>

      {notice !== '' && (
        <View id='checkout-notice' className={`checkout__notice checkout__notice--${lastOutcome?.outcome ?? 'pending'}`}>
          <Text>{notice}</Text>
        </View>
      )}

      {orders.map((order, index) => {
        const orderState: CheckoutOrderState = confirming === order.orderId ? 'confirming' : checkoutOrderState(order);
        const current = progress.next?.orderId === order.orderId;
        return (
          <View
            key={order.orderId}
            id={`order-${order.orderId}`}
            className={`checkout-order${current ? ' checkout-order--current' : ''}`}
          >
            <View className='checkout-order__head'>
              <Text className='checkout-order__index'>第 {index + 1} 笔</Text>
              <Text className='checkout-order__payee'>收款单位：{order.payeeName || '—'}</Text>
              <Text id={`order-state-${order.orderId}`} className={`checkout-order__state checkout-order__state--${orderState}`}>
                {CHECKOUT_ORDER_STATE_LABELS[orderState]}
              </Text>
            </View>
            <View className='checkout-order__lines'>
              {order.bills.map((line) => (
                <View key={line.billId} className='checkout-order__line'>
                  <Text className='checkout-order__line-name'>
                    {line.studentName} · {line.feeItemName}
                  </Text>
                  <Text className='checkout-order__line-amount'>{displayYuan(line.amountFen)}</Text>
                </View>
              ))}
            </View>
            <View className='checkout-order__foot'>
              <Text className='checkout-order__total-label'>小计</Text>
              <Text className='checkout-order__total'>{displayYuan(order.totalFen)}</Text>
            </View>
            {!order.receiptNo && isPaidOutcome(outcomeOf(order.status, null)) && (
              <View className='checkout-order__receipt'>
                <Text id={`receipt-pending-${order.orderId}`} className='checkout-order__receipt-label'>
                  收据生成中，稍后点「刷新」查看
                </Text>
              </View>
            )}
            {order.receiptNo && (
              <View className='checkout-order__receipt'>
                <Text className='checkout-order__receipt-label'>收据号</Text>
                <Text id={`receipt-no-${order.orderId}`} className='checkout-order__receipt-no' userSelect>
                  {order.receiptNo}
                </Text>
                <Text
                  id={`view-receipt-${order.orderId}`}
                  className='checkout-order__receipt-link'
                  onClick={() => viewReceipt(order.receiptNo!)}
                >
                  查看收据
                </Text>
              </View>
            )}
          </View>
        );
      })}

      {progress.finished && (
        <View id='checkout-done' className='checkout__done'>
          <Text className='checkout__done-title'>{progress.allPaid ? '全部支付完成' : '支付已结束'}</Text>
          {!progress.allPaid && progress.closedCount > 0 && (
            <Text className='checkout__done-note'>有订单已关闭，其账单仍待缴费，可返回账单页重新缴费</Text>
          )}
        </View>
      )}

      <View className='checkout-bar'>
        <Button className='btn btn--plain checkout-bar__secondary' onClick={refresh}>
          刷新
        </Button>
        {buttonLabel ? (
          <Button
            id='pay-next'
            className={`btn btn--pay checkout-bar__primary${busy ? ' btn--disabled' : ''}`}
            loading={busy}
            disabled={busy}
            onClick={() => void payNext()}
          >
            {buttonLabel}
          </Button>
        ) : (
          <Button
            id='back-to-bills'
            className={`btn btn--primary checkout-bar__primary${confirming ? ' btn--disabled' : ''}`}
            disabled={confirming !== null}
            onClick={backToBills}
          >
            返回账单
          </Button>
        )}
      </View>
    </View>
  );
}
