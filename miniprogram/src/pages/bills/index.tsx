import { useCallback, useMemo, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReady, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { displayYuan } from '@campuspay/shared';
import BillCard from '../../components/bill-card';
import StateBlock from '../../components/state-block';
import { requestPayment } from '../../platform/payment';
import { routeParam, routes } from '../../routes';
import { isUnpaid, listBills, summarizeBills, type Bill } from '../../services/bills';
import { checkoutErrorAction } from '../../services/checkout-errors';
import { forgetIdempotencyKey, idempotencyKeyFor } from '../../services/checkout-keys';
import {
  amountHint,
  buildCheckout,
  defaultAmountText,
  orderRequestOf,
  reconcileSelection,
  selectionKey,
  type CheckoutDraft,
} from '../../services/checkout-selection';
import { encodeOrderIds } from '../../services/checkout-sequence';
import { rememberOrders } from '../../services/order-history';
import { canPayOrder, createOrders, fetchOrderPatiently, getOrder, ordersOf, type OrderView } from '../../services/orders';
import { describeError, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

type Tab = 'unpaid' | 'settled';

type BillsState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; bills: Bill[] };

/** What the parent typed for a partial-payment bill, and the outstanding amount it was typed against. */
type AmountDrafts = Record<string, { text: string; forOutstandingFen: number }>;

/**
 * A child's bills. 待缴: compulsory bills are ticked, optional ones (选缴) are
 * not; bills that allow partial payment take an amount; 去支付 creates the
 * orders (one per payee account) and pays one directly, or several one after
 * another on the checkout page.
 *
 * For e2e (h5): `#bill-<id>` ticks, `#amount-<id>` amounts, `#checkout-total`
 * the total, `#pay-button` 去支付.
 */
export default function BillsPage() {
  const { params } = useRouter();
  const studentId = routeParam(params, 'studentId');
  const studentName = routeParam(params, 'studentName');

  const [state, setState] = useState<BillsState>({ kind: 'loading' });
  const [tab, setTab] = useState<Tab>('unpaid');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [amountDrafts, setAmountDrafts] = useState<AmountDrafts>({});
  const [paying, setPaying] = useState(false);
  const payingRef = useRef(false);
  /** Bills shown before: a compulsory bill is ticked only the first time it appears. */
  const seen = useRef<ReadonlySet<string>>(new Set());

  useReady(() => {
    if (studentName) void Taro.setNavigationBarTitle({ title: `${studentName}的账单` });
  });

  const load = useCallback(async () => {
    if (!studentId) {
      setState({ kind: 'error', message: '缺少学生信息，请从首页进入' });
      return;
    }
    setState((prev) => (prev.kind === 'ready' ? prev : { kind: 'loading' }));
    try {
      const bills = await listBills(studentId);
      const seenBefore = seen.current;
      seen.current = new Set(bills.map((b) => b.id));
      setState({ kind: 'ready', bills });
      setSelected((prev) => reconcileSelection(prev, seenBefore, bills));
      // An amount typed against an outstanding amount that has since changed no longer means anything.
      const outstanding = new Map(bills.map((b) => [b.id, b.outstandingFen]));
      setAmountDrafts((prev) =>
        Object.fromEntries(Object.entries(prev).filter(([id, d]) => outstanding.get(id) === d.forOutstandingFen)),
      );
    } catch (err) {
      if (isSessionExpired(err)) {
        showError(err);
        return;
      }
      setState({ kind: 'error', message: describeError(err, '账单加载失败，请稍后重试') });
    }
  }, [studentId]);

  useDidShow(() => {
    void load();
  });

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const bills = state.kind === 'ready' ? state.bills : [];
  const summary = useMemo(() => summarizeBills(bills), [bills]);
  const unpaidBills = useMemo(() => bills.filter(isUnpaid), [bills]);
  const settledBills = useMemo(() => bills.filter((b) => !isUnpaid(b)), [bills]);
  const shown = tab === 'unpaid' ? unpaidBills : settledBills;
  /** Totals only once the bills are in, so a failed load never reads as "nothing owed". */
  const amount = (fen: number) => (state.kind === 'ready' ? displayYuan(fen) : '—');

  const amountTexts = useMemo(
    () => Object.fromEntries(Object.entries(amountDrafts).map(([id, d]) => [id, d.text])),
    [amountDrafts],
  );
  const draft: CheckoutDraft = useMemo(() => buildCheckout(unpaidBills, selected, amountTexts), [unpaidBills, selected, amountTexts]);
  const selectedCount = unpaidBills.filter((b) => selected.has(b.id)).length;
  const allSelected = unpaidBills.length > 0 && selectedCount === unpaidBills.length;

  const toggle = (bill: Bill) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(bill.id)) next.delete(bill.id);
      else next.add(bill.id);
      return next;
    });
  };

  const toggleAll = () => {
    setSelected(allSelected ? new Set() : new Set(unpaidBills.map((b) => b.id)));
  };

  const typeAmount = (bill: Bill, text: string) => {
    setAmountDrafts((prev) => ({ ...prev, [bill.id]: { text, forOutstandingFen: bill.outstandingFen } }));
  };

  const openDetail = (bill: Bill) => {
    void Taro.navigateTo({ url: routes.billDetail({ billId: bill.id, studentId, studentName }) });
  };

  /**
   * POST /parent/orders with this selection's Idempotency-Key. A reused key
   * gets the first answer replayed, as it was then: the orders are looked at
   * again, and if they have closed (or been paid) in the meantime the key is
   * dropped and, for closed ones, new orders are created.
   */
  const createFor = async (current: CheckoutDraft, selection: string, first: { key: string; reused: boolean }): Promise<OrderView[] | 'BILLS_CHANGED'> => {
    const body = orderRequestOf(current.lines);
    let orders = ordersOf(await createOrders(body, first.key));
    if (!first.reused) return orders;
    orders = await Promise.all(orders.map((o) => fetchOrderPatiently(getOrder, o.orderId)));
    if (orders.every((o) => o.status === 'PENDING')) return orders;
    forgetIdempotencyKey(selection);
    if (orders.some((o) => o.status === 'PAID' || o.status === 'REFUNDED' || o.status === 'PARTIALLY_REFUNDED')) return 'BILLS_CHANGED';
    return ordersOf(await createOrders(body, idempotencyKeyFor(selection).key));
  };

  const pay = async (): Promise<void> => {
    if (payingRef.current || !draft.valid) {
      const firstError = Object.values(draft.errors)[0];
      if (firstError) void Taro.showToast({ title: firstError, icon: 'none' });
      return;
    }
    const current = draft;
    const selection = selectionKey(current.lines, bills);
    const key = idempotencyKeyFor(selection);
    payingRef.current = true;
    setPaying(true);
    let failure: unknown = null;
    try {
      const created = await createFor(current, selection, key);
      if (created === 'BILLS_CHANGED') {
        void Taro.showToast({ title: '账单状态已更新，请核对后再缴费', icon: 'none' });
        void load();
        return;
      }
      rememberOrders(created);
      const orderIds = encodeOrderIds(created.map((o) => o.orderId));
      if (created.length > 1) {
        // Different payees (school, canteen, …): paid one after another on the checkout page.
        void Taro.navigateTo({ url: routes.checkout({ orderIds, studentId, studentName }) });
        return;
      }
      const order = created[0]!;
      const resultPage = routes.payResult({ orderId: order.orderId, studentId, studentName });
      if (!canPayOrder(order) || !order.payParams) {
        void Taro.navigateTo({ url: resultPage });
        return;
      }
      const outcome = await requestPayment({ orderId: order.orderId, payParams: order.payParams, resultPage });
      // h5: the browser is leaving for the payer page and comes back to resultPage.
      if (outcome === 'REDIRECTED') return;
      // weapp: the result page asks the server, whatever the sheet said.
      void Taro.navigateTo({ url: `${resultPage}&payResult=${outcome}` });
    } catch (err) {
      failure = err;
    } finally {
      payingRef.current = false;
      setPaying(false);
    }
    if (failure !== null) await presentFailure(failure, selection, key.reused);
  };

  const presentFailure = async (err: unknown, selection: string, keyReused: boolean) => {
    if (isSessionExpired(err)) {
      showError(err);
      return;
    }
    const action = checkoutErrorAction(err, { keyReused });
    if (action.forgetKey) forgetIdempotencyKey(selection);
    if (action.reloadBills) void load();
    const { confirm } = await Taro.showModal({
      title: action.title,
      content: action.message,
      showCancel: action.retry,
      confirmText: action.retry ? '重试' : '知道了',
      cancelText: '取消',
    }).catch(() => ({ confirm: false }));
    if (action.retry && confirm) await pay();
  };

  return (
    <View className={`page bills${tab === 'unpaid' && unpaidBills.length > 0 ? ' bills--with-bar' : ''}`}>
      <View className='bills__summary'>
        <View className='bills__summary-main'>
          <Text className='bills__summary-label'>{studentName ? `${studentName} · 待缴金额` : '待缴金额'}</Text>
          <Text className='bills__summary-amount'>{amount(summary.outstandingFen)}</Text>
        </View>
        <View className='bills__summary-side'>
          <View className='bills__summary-item'>
            <Text className='bills__summary-item-value'>{state.kind === 'ready' ? summary.unpaidCount : '—'}</Text>
            <Text className='bills__summary-item-label'>待缴笔数</Text>
          </View>
          <View className='bills__summary-item'>
            <Text className='bills__summary-item-value'>{amount(summary.netPaidFen)}</Text>
            <Text className='bills__summary-item-label'>已缴金额</Text>
          </View>
        </View>
      </View>

      <View className='bills__tabs'>
        <View
          id='tab-unpaid'
          className={`bills__tab${tab === 'unpaid' ? ' bills__tab--active' : ''}`}
          onClick={() => setTab('unpaid')}
        >
          <Text>待缴{unpaidBills.length > 0 ? `（${unpaidBills.length}）` : ''}</Text>
        </View>
        <View
          id='tab-settled'
          className={`bills__tab${tab === 'settled' ? ' bills__tab--active' : ''}`}
          onClick={() => setTab('settled')}
        >
          <Text>已缴{settledBills.length > 0 ? `（${settledBills.length}）` : ''}</Text>
        </View>
      </View>

      {state.kind === 'loading' && <StateBlock kind='loading' title='正在加载账单…' />}
      {state.kind === 'error' && (
        <StateBlock kind='error' title='加载失败' description={state.message} actionText='重试' onAction={() => void load()} />
      )}
      {state.kind === 'ready' && shown.length === 0 && (
        <StateBlock
          kind='empty'
          title={tab === 'unpaid' ? '没有待缴账单' : '还没有已缴账单'}
          description={tab === 'unpaid' ? '学校发布新的账单后会显示在这里' : '缴费完成的账单会显示在这里'}
        />
      )}

      {shown.map((bill) => (
        <BillCard
          key={bill.id}
          bill={bill}
          selectable={tab === 'unpaid'}
          selected={tab === 'unpaid' && selected.has(bill.id)}
          onToggle={toggle}
          onOpen={openDetail}
          amount={
            tab === 'unpaid' && bill.allowPartial
              ? {
                  text: amountDrafts[bill.id]?.text ?? defaultAmountText(bill),
                  hint: amountHint(bill),
                  error: draft.errors[bill.id],
                  onInput: typeAmount,
                }
              : undefined
          }
        />
      ))}

      {tab === 'unpaid' && unpaidBills.length > 0 && (
        <View className='pay-bar'>
          <View className='pay-bar__select' onClick={toggleAll}>
            <View className={`pay-bar__check${allSelected ? ' pay-bar__check--on' : ''}`}>
              {allSelected && <Text className='pay-bar__check-mark'>✓</Text>}
            </View>
            <Text>全选</Text>
          </View>
          <View className='pay-bar__total'>
            <Text className='pay-bar__total-label'>{selectedCount > 0 ? `已选 ${selectedCount} 笔 合计` : '合计'}</Text>
            <Text id='checkout-total' className='pay-bar__total-amount'>
              {displayYuan(draft.totalFen)}
            </Text>
          </View>
          <Button
            id='pay-button'
            className={`btn btn--pay pay-bar__button${paying || !draft.valid ? ' btn--disabled' : ''}`}
            loading={paying}
            disabled={paying || !draft.valid}
            onClick={() => void pay()}
          >
            去支付
          </Button>
        </View>
      )}
    </View>
  );
}
