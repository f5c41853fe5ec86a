import { forwardRef, useState } from 'react';
import { CheckCircleFilled, DownloadOutlined, PrinterOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Space, Typography } from 'antd';
import { PAYMENT_METHOD_LABELS, displayYuan } from '@campuspay/shared';
import { openReceiptPdf, saveReceiptPdf } from '../../../billing/receipt-pdf.ts';
import { describeError } from '../../../services/describe-error.ts';
import type { TakenPayment } from '../../../services/counter.ts';

interface ReceiptPanelProps {
  studentName: string;
  payments: TakenPayment[];
  /** Bill id → fee item name. */
  feeItemNames: ReadonlyMap<string, string>;
  onNext(): void;
}

/** The receipts of a checkout: number and verification code for each payment, with 打印 / 下载 PDF. */
export const ReceiptPanel = forwardRef<HTMLButtonElement, ReceiptPanelProps>(function ReceiptPanel({ studentName, payments, feeItemNames, onNext }, nextRef) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const total = payments.reduce((sum, p) => sum + p.amountFen, 0);

  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    try {
      await action();
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card variant="borderless" data-testid="counter-receipt" style={{ borderTop: '3px solid #2f9e44' }}>
      <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Space align="start">
          <CheckCircleFilled style={{ color: '#2f9e44', fontSize: 28 }} />
          <div>
            <Typography.Title level={4} style={{ margin: 0 }}>
              收款成功 {displayYuan(total)}
            </Typography.Title>
            <Typography.Text type="secondary">
              {studentName}，共 {payments.length} 笔，每笔一张收据。收据上的验证码可供家长在线核验真伪。
            </Typography.Text>
          </div>
        </Space>
        <Button ref={nextRef} type="primary" size="large" icon={<UserSwitchOutlined />} onClick={onNext} data-testid="counter-next">
          下一位（回车）
        </Button>
      </Space>
      <Space direction="vertical" size={12} style={{ width: '100%', marginTop: 16 }}>
        {payments.map((payment) => (
          <Descriptions
            key={payment.id}
            size="small"
            bordered
            column={{ xs: 1, md: 3 }}
            data-testid="counter-receipt-item"
            data-bill-id={payment.billId}
            title={feeItemNames.get(payment.billId) ?? '缴费'}
            extra={
              <Space>
                <Button icon={<PrinterOutlined />} loading={busy === `open:${payment.receiptNo}`} onClick={() => void run(`open:${payment.receiptNo}`, () => openReceiptPdf(payment.receiptNo))} data-testid="counter-receipt-pdf">
                  打印
                </Button>
                <Button icon={<DownloadOutlined />} loading={busy === `save:${payment.receiptNo}`} onClick={() => void run(`save:${payment.receiptNo}`, () => saveReceiptPdf(payment.receiptNo))} data-testid="counter-receipt-download">
                  下载 PDF
                </Button>
              </Space>
            }
          >
            <Descriptions.Item label="收据号">
              <Typography.Text strong copyable data-testid="counter-receipt-no">
                {payment.receiptNo}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="验证码">
              <Typography.Text code copyable data-testid="counter-receipt-code">
                {payment.receiptVerificationCode}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="金额">
              {displayYuan(payment.amountFen)}（{PAYMENT_METHOD_LABELS[payment.method]}
              {payment.reference ? ` ${payment.reference}` : ''}）
            </Descriptions.Item>
          </Descriptions>
        ))}
      </Space>
    </Card>
  );
});

/** Payments of the checkout that did not go through, with 重试 (same Idempotency-Key). */
export function FailedPayments({
  failures,
  feeItemNames,
  retrying,
  onRetry,
}: {
  failures: { billId: string; amountFen: number; message: string }[];
  feeItemNames: ReadonlyMap<string, string>;
  retrying: boolean;
  onRetry(): void;
}) {
  return (
    <Alert
      type="error"
      showIcon
      data-testid="counter-failed"
      message={`${failures.length} 笔收款未完成`}
      description={
        <Space direction="vertical" size={4}>
          {failures.map((f) => (
            <span key={f.billId}>
              {feeItemNames.get(f.billId) ?? f.billId}：{displayYuan(f.amountFen)} —— {f.message}
            </span>
          ))}
          <Typography.Text type="secondary">重试会使用同一请求编号，服务器已收到的款项不会重复入账。</Typography.Text>
        </Space>
      }
      action={
        <Button danger autoFocus loading={retrying} onClick={onRetry} data-testid="counter-retry">
          重试
        </Button>
      }
    />
  );
}
