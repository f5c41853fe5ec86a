import { useEffect, useRef, useState } from 'react';
import { FilePdfOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Statistic, Table, Tag, Typography } from 'antd';
import { PAYMENT_METHOD_LABELS, businessDay, displayYuan, shanghai, type OfflinePayment } from '@campuspay/shared';
import { openReceiptPdf } from '../../../billing/receipt-pdf.ts';
import { forgetBill, useBillLookup } from '../../../billing/use-bill-lookup.ts';
import * as counterService from '../../../services/counter.ts';
import { describeError } from '../../../services/describe-error.ts';
import { keyForAttempt, releaseAttempt, type AttemptKeys } from '../../../services/idempotency-key.ts';
import { isAbortError, isApiError } from '../../../services/request.ts';
import { daySummary } from '../counter-flow.ts';

interface TodayPaymentsProps {
  cashierId: string;
  /** Bumped after each checkout. */
  refreshKey: number;
  onReversed(payment: OfflinePayment): void;
}

/** 今日收款: this cashier's counter payments today, with 冲正 (reverse, with a reason) and the receipt. */
export function TodayPayments({ cashierId, refreshKey, onReversed }: TodayPaymentsProps) {
  const { message } = App.useApp();
  const [payments, setPayments] = useState<OfflinePayment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [reversing, setReversing] = useState<OfflinePayment | null>(null);
  const [busy, setBusy] = useState(false);
  const [reverseError, setReverseError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const keysRef = useRef<AttemptKeys>({});
  const day = businessDay();
  const bills = useBillLookup((payments ?? []).map((p) => p.billId));

  useEffect(() => {
    const controller = new AbortController();
    counterService
      .listOfflinePayments({ day, cashierId }, controller.signal)
      .then((list) => {
        setPayments(list);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, [day, cashierId, refreshKey, reloadKey]);

  const summary = daySummary(payments ?? []);

  const reverse = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!reversing || !values) return;
    const reason = values.reason.trim();
    const { key, keys } = keyForAttempt(keysRef.current, reversing.id, { reason });
    keysRef.current = keys;
    setBusy(true);
    setReverseError(null);
    try {
      const reversed = await counterService.reverseOfflinePayment(reversing.id, reason, key);
      keysRef.current = releaseAttempt(keysRef.current, reversing.id);
      forgetBill(reversed.billId);
      message.success(`已冲正 ${displayYuan(reversed.amountFen)}，收据 ${reversed.receiptNo} 已作废`);
      setReversing(null);
      setReloadKey((k) => k + 1);
      onReversed(reversed);
    } catch (err) {
      if (isApiError(err) && err.status < 500) keysRef.current = releaseAttempt(keysRef.current, reversing.id);
      setReverseError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      variant="borderless"
      title={`今日我的收款（${day}）`}
      extra={<Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)} aria-label="刷新" />}
      data-testid="counter-today"
    >
      <Space size={32} wrap style={{ marginBottom: 16 }}>
        <Statistic title="笔数" value={summary.count - summary.reversed} suffix={summary.reversed ? `（另冲正 ${summary.reversed}）` : undefined} />
        <div data-testid="counter-today-total" data-value={summary.keptFen}>
          <Statistic title="合计" value={displayYuan(summary.keptFen)} />
        </div>
        <Statistic title="现金" value={displayYuan(summary.byMethod.cash)} />
        <Statistic title="POS" value={displayYuan(summary.byMethod.pos)} />
        <Statistic title="转账" value={displayYuan(summary.byMethod.transfer)} />
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Table<OfflinePayment>
        size="small"
        rowKey="id"
        loading={payments === null && !error}
        dataSource={payments ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: '今天还没有收款' }}
        onRow={(p) => ({ 'data-testid': 'counter-today-row', 'data-receipt-no': p.receiptNo, 'data-reversed': String(p.reversed) }) as never}
        columns={[
          { title: '时间', dataIndex: 'at', width: 70, render: (at: string) => shanghai(at).format('HH:mm') },
          {
            title: '学生 / 项目',
            dataIndex: 'billId',
            render: (billId: string) => {
              const bill = bills.get(billId);
              if (bill === undefined) return <Typography.Text type="secondary">…</Typography.Text>;
              if (bill === null) return <Typography.Text type="secondary">—</Typography.Text>;
              return (
                <span>
                  {bill.studentName} <Typography.Text type="secondary">{bill.studentNo}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {bill.feeItemName}
                  </Typography.Text>
                </span>
              );
            },
          },
          {
            title: '金额',
            dataIndex: 'amountFen',
            width: 110,
            align: 'right',
            render: (fen: number, p) => <Typography.Text delete={p.reversed}>{displayYuan(fen)}</Typography.Text>,
          },
          { title: '方式', dataIndex: 'method', width: 96, render: (m: OfflinePayment['method'], p) => `${PAYMENT_METHOD_LABELS[m]}${p.reference ? ` ${p.reference}` : ''}` },
          {
            title: '收据号',
            dataIndex: 'receiptNo',
            width: 190,
            render: (no: string, p) => (
              <Space size={4}>
                <Typography.Text style={{ fontSize: 12 }}>{no}</Typography.Text>
                {p.reversed ? (
                  <Tag bordered={false}>已冲正</Tag>
                ) : (
                  <Button
                    size="small"
                    type="link"
                    icon={<FilePdfOutlined />}
                    aria-label="收据 PDF"
                    onClick={() => openReceiptPdf(no).catch((err: unknown) => message.error(describeError(err)))}
                  />
                )}
              </Space>
            ),
          },
          {
            title: '',
            width: 64,
            render: (_, p) =>
              p.reversed ? null : (
                <Typography.Link
                  type="danger"
                  onClick={() => {
                    form.resetFields();
                    setReverseError(null);
                    setReversing(p);
                  }}
                  data-testid="counter-reverse"
                >
                  冲正
                </Typography.Link>
              ),
          },
        ]}
      />
      <Modal
        title={reversing ? `冲正 ${displayYuan(reversing.amountFen)}（收据 ${reversing.receiptNo}）` : '冲正'}
        open={reversing !== null}
        onCancel={() => setReversing(null)}
        onOk={() => void reverse()}
        okText="冲正"
        okButtonProps={{ danger: true, 'data-testid': 'counter-reverse-submit' } as never}
        cancelText="取消"
        confirmLoading={busy}
        destroyOnHidden
      >
        <Typography.Paragraph>冲正用于撤销录错的收款：账单恢复为待缴，收据作废。已退款的收款不能冲正。</Typography.Paragraph>
        {reverseError && <Alert type="error" showIcon role="alert" message={reverseError} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label="冲正原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }, { min: 2, message: '请填写原因' }]}>
            <Input.TextArea rows={2} maxLength={200} showCount autoFocus data-testid="counter-reverse-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
