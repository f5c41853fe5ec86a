import { useCallback, useEffect, useRef, useState } from 'react';
import { CloseOutlined, PayCircleOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Col, Form, Input, Radio, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { displayYuan, type Bill, type Student } from '@campuspay/shared';
import { forgetBill } from '../../billing/use-bill-lookup.ts';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import * as billingService from '../../services/billing.ts';
import * as counterService from '../../services/counter.ts';
import { describeError } from '../../services/describe-error.ts';
import { keyForAttempt, releaseAttempt, type AttemptKeys } from '../../services/idempotency-key.ts';
import { isApiError, type ApiError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { BillLines } from './components/bill-lines.tsx';
import { FailedPayments, ReceiptPanel } from './components/receipt-panel.tsx';
import { StudentSearch, type StudentSearchHandle } from './components/student-search.tsx';
import { TodayPayments } from './components/today-payments.tsx';
import {
  COUNTER_METHODS,
  COUNTER_METHOD_LABELS,
  REFERENCE_LABELS,
  checkoutPlan,
  failedRequests,
  initialLines,
  outstandingBills,
  paidPayments,
  referenceRequired,
  selectedTotalFen,
  type Checkout,
  type CounterLines,
  type CounterMethod,
  type LineOutcome,
} from './counter-flow.ts';
import type { CreateOfflinePaymentRequest } from '../../services/counter.ts';

/** A refusal the server will repeat (a business rule) versus a lost answer worth retrying. */
function isRetryable(error: unknown): boolean {
  if (!isApiError(error)) return true;
  const e = error as ApiError;
  return e.status >= 500 || e.status === 429 || (e.code === 'STATE_CONFLICT' && /处理中/.test(e.message));
}

/**
 * 柜台收费: the cashier's screen for the start-of-term queue. Search a
 * student (Enter), tick the bills being paid, choose cash / POS / transfer,
 * 收款: each bill is one payment with its own receipt and its own
 * Idempotency-Key (kept for a retry, so a lost answer never takes the money
 * twice). Then 下一位.
 */
export default function CounterPage() {
  const { user } = useSession();
  const { nodes } = useOrgNodes();
  const campusFilter = useCampusFilter();
  const searchRef = useRef<StudentSearchHandle>(null);
  const payRef = useRef<HTMLButtonElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  const keysRef = useRef<AttemptKeys>({});

  const [student, setStudent] = useState<Student | null>(null);
  const [bills, setBills] = useState<Bill[] | null>(null);
  const [billsError, setBillsError] = useState<string | null>(null);
  const [lines, setLines] = useState<CounterLines>({});
  const [method, setMethod] = useState<CounterMethod>('cash');
  const [reference, setReference] = useState('');
  const [payerName, setPayerName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [lineProblems, setLineProblems] = useState<Record<string, string>>({});
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [paying, setPaying] = useState(false);
  const [todayKey, setTodayKey] = useState(0);
  /** Fee item names of bills paid in this checkout (they leave the outstanding list). */
  const [feeItemNames, setFeeItemNames] = useState<Map<string, string>>(new Map());

  // F2 anywhere on the page: back to the search box.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'F2') {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const loadBills = useCallback(async (studentId: string, resetLines: boolean) => {
    setBillsError(null);
    try {
      const page = await billingService.listBills({ studentId, pageSize: 200 });
      const open = outstandingBills(page.items);
      setBills(open);
      setFeeItemNames((names) => new Map([...names, ...page.items.map((b) => [b.id, b.feeItemName] as const)]));
      if (resetLines) setLines(initialLines(open));
      return open;
    } catch (err) {
      setBillsError(describeError(err));
      return null;
    }
  }, []);

  const pick = async (picked: Student) => {
    setStudent(picked);
    setBills(null);
    setCheckout(null);
    setProblem(null);
    setLineProblems({});
    setPayerName('');
    setReference('');
    keysRef.current = {};
    const open = await loadBills(picked.id, true);
    if (open && open.length > 0) setTimeout(() => payRef.current?.focus(), 0);
  };

  const next = () => {
    setStudent(null);
    setBills(null);
    setCheckout(null);
    setProblem(null);
    setLineProblems({});
    setLines({});
    setPayerName('');
    setReference('');
    setMethod('cash');
    keysRef.current = {};
    searchRef.current?.clear();
    setTimeout(() => searchRef.current?.focus(), 0);
  };

  /** Sends the requests one by one, each with its attempt's key. */
  const send = async (requests: CreateOfflinePaymentRequest[], previous: Checkout | null) => {
    const outcomes: Record<string, LineOutcome> = { ...(previous?.outcomes ?? {}) };
    for (const r of requests) outcomes[r.billId] = { state: 'sending' };
    const base: Checkout = { requests: previous?.requests ?? requests, outcomes: { ...outcomes } };
    setCheckout(base);
    setPaying(true);
    for (const request of requests) {
      const { key, keys } = keyForAttempt(keysRef.current, request.billId, { ...request });
      keysRef.current = keys;
      try {
        const payment = await counterService.takeOfflinePayment(request, key);
        keysRef.current = releaseAttempt(keysRef.current, request.billId);
        outcomes[request.billId] = { state: 'paid', payment };
      } catch (err) {
        const retryable = isRetryable(err);
        if (!retryable) keysRef.current = releaseAttempt(keysRef.current, request.billId);
        outcomes[request.billId] = { state: 'failed', message: describeError(err), retryable };
      }
      forgetBill(request.billId);
      setCheckout({ requests: base.requests, outcomes: { ...outcomes } });
    }
    setPaying(false);
    setTodayKey((k) => k + 1);
    if (student) await loadBills(student.id, true);
    const done = base.requests.every((r) => outcomes[r.billId]?.state === 'paid');
    setTimeout(() => (done ? nextRef.current : payRef.current)?.focus(), 0);
  };

  const pay = async () => {
    if (!bills || paying) return;
    const plan = checkoutPlan(bills, lines, { method, reference, payerName });
    if (!plan.ok) {
      setLineProblems(plan.lineProblems);
      setProblem(plan.problem ?? (Object.keys(plan.lineProblems).length ? '请先修正标红的金额' : null));
      return;
    }
    setProblem(null);
    setLineProblems({});
    await send(plan.requests, null);
  };

  const retry = async () => {
    if (!checkout) return;
    await send(failedRequests(checkout), checkout);
  };

  const updateLine = (billId: string, patch: { selected?: boolean; amountText?: string }) => {
    setLines((current) => ({ ...current, [billId]: { selected: false, amountText: '', ...current[billId], ...patch } }));
    setLineProblems((current) => {
      const { [billId]: _dropped, ...rest } = current;
      return rest;
    });
    setProblem(null);
  };

  const total = bills ? selectedTotalFen(bills, lines) : 0;
  const paid = checkout ? paidPayments(checkout) : [];
  const failures = checkout
    ? failedRequests(checkout).map((r) => {
        const outcome = checkout.outcomes[r.billId];
        return { billId: r.billId, amountFen: r.amountFen, message: outcome?.state === 'failed' ? outcome.message : '' };
      })
    : [];
  const finished = checkout !== null && !paying && failures.length === 0 && paid.length > 0;
  const rootId = campusFilter.campusId ?? user?.scope.nodeId;
  const names = feeItemNames;

  return (
    <PageContainer title="柜台收费" subTitle="现金 / POS / 转账；每笔收款出具一张收据">
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card variant="borderless">
          <StudentSearch ref={searchRef} nodes={nodes} rootId={rootId} onPick={(s) => void pick(s)} />
        </Card>

        {failures.length > 0 && !paying && <FailedPayments failures={failures} feeItemNames={names} retrying={paying} onRetry={() => void retry()} />}
        {paid.length > 0 && student && (
          <ReceiptPanel ref={nextRef} studentName={student.name} payments={paid} feeItemNames={names} onNext={next} />
        )}
        {finished && bills && bills.length > 0 && (
          <Typography.Text type="secondary">该学生还有 {bills.length} 张待缴账单，可继续收款或点击「下一位」。</Typography.Text>
        )}
        {student && (
          <Card
            variant="borderless"
            data-testid="counter-student"
            data-student-no={student.studentNo}
            title={
              <Space>
                <Typography.Text strong style={{ fontSize: 18 }}>
                  {student.name}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {student.studentNo} · {student.campusName} / {student.gradeName}
                  {student.className}
                </Typography.Text>
                {student.status !== 'enrolled' && <Tag bordered={false}>非在读</Tag>}
              </Space>
            }
            extra={<Button type="text" icon={<CloseOutlined />} onClick={next} aria-label="换一位学生" />}
          >
            {billsError && <Alert type="error" showIcon message={billsError} style={{ marginBottom: 12 }} />}
            {bills === null && !billsError ? (
              <Skeleton active paragraph={{ rows: 3 }} />
            ) : (
              bills && (
                <Space direction="vertical" size={16} style={{ width: '100%' }}>
                  <BillLines bills={bills} lines={lines} disabled={paying} onChange={updateLine} onSubmit={() => void pay()} />
                  {Object.keys(lineProblems).length > 0 && (
                    <Alert
                      type="error"
                      showIcon
                      message={Object.entries(lineProblems)
                        .map(([id, text]) => `${bills.find((b) => b.id === id)?.feeItemName ?? id}：${text}`)
                        .join('；')}
                    />
                  )}
                  {bills.length > 0 && (
                    <Form layout="vertical" disabled={paying}>
                      <Row gutter={16}>
                        <Col xs={24} md={10}>
                          <Form.Item label="收款方式" style={{ marginBottom: 12 }}>
                            <Radio.Group
                              optionType="button"
                              buttonStyle="solid"
                              size="large"
                              value={method}
                              onChange={(event) => {
                                setMethod(event.target.value as CounterMethod);
                                setProblem(null);
                              }}
                              options={COUNTER_METHODS.map((value) => ({ value, label: COUNTER_METHOD_LABELS[value] }))}
                              data-testid="counter-method"
                            />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={7}>
                          <Form.Item label={REFERENCE_LABELS[method]} required={referenceRequired(method)} style={{ marginBottom: 12 }}>
                            <Input
                              size="large"
                              maxLength={64}
                              value={reference}
                              onChange={(event) => {
                                setReference(event.target.value);
                                setProblem(null);
                              }}
                              onPressEnter={() => void pay()}
                              data-testid="counter-reference"
                            />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={7}>
                          <Form.Item label="缴款人（选填）" style={{ marginBottom: 12 }}>
                            <Input size="large" maxLength={30} value={payerName} onChange={(event) => setPayerName(event.target.value)} onPressEnter={() => void pay()} placeholder="印在收据上" data-testid="counter-payer" />
                          </Form.Item>
                        </Col>
                      </Row>
                    </Form>
                  )}
                  {problem && <Alert type="error" showIcon role="alert" message={problem} data-testid="counter-problem" />}
                  {bills.length > 0 && (
                    <Button
                      ref={payRef}
                      type="primary"
                      size="large"
                      block
                      icon={<PayCircleOutlined />}
                      loading={paying}
                      disabled={total <= 0}
                      onClick={() => void pay()}
                      style={{ height: 52, fontSize: 18 }}
                      data-testid="counter-pay"
                      data-total={total}
                    >
                      收款 {displayYuan(total)}
                    </Button>
                  )}
                </Space>
              )
            )}
          </Card>
        )}

        {user && <TodayPayments cashierId={user.id} refreshKey={todayKey} onReversed={() => student && void loadBills(student.id, true)} />}
      </Space>
    </PageContainer>
  );
}
