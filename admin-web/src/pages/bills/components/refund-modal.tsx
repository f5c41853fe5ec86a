import { useEffect, useRef, useState } from 'react';
import { Alert, App, Descriptions, Form, Input, Modal, Skeleton, Tag } from 'antd';
import { displayYuan, type Bill } from '@campuspay/shared';
import { readYuan, yuanText } from '../../../billing/amounts.ts';
import { REFUND_STATUS_COLORS, REFUND_STATUS_LABELS, refundOutcomeText } from '../../../billing/refund-display.ts';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import * as billingService from '../../../services/billing.ts';
import { describeError } from '../../../services/describe-error.ts';
import { keyForAttempt, releaseAttempt, type AttemptKeys } from '../../../services/idempotency-key.ts';
import * as refundsService from '../../../services/refunds.ts';
import { isAbortError, isApiError } from '../../../services/request.ts';
import { outstandingAfterRefundFen, refundRequestOf, refundableFen } from '../bill-actions.ts';

interface RefundModalProps {
  bill: Bill | null;
  onClose(): void;
  onDone(refund: refundsService.Refund): void;
}

/**
 * 退款: up to what is refundable (paid, less refunded and refunds under way),
 * with a reason. Money goes back the way it came; above the threshold a
 * WeChat refund waits for a group admin.
 */
export function RefundModal({ bill, onClose, onDone }: RefundModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ amountYuan: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [maxFen, setMaxFen] = useState<number | null>(null);
  const [refundable, setRefundable] = useState<boolean | null>(null);
  const [inFlight, setInFlight] = useState<refundsService.Refund[]>([]);
  const keysRef = useRef<AttemptKeys>({});
  const typed = readYuan(Form.useWatch('amountYuan', form) as string | undefined);

  useEffect(() => {
    if (!bill) return;
    setError(null);
    setMaxFen(null);
    setRefundable(null);
    setInFlight([]);
    keysRef.current = {};
    form.resetFields();
    const controller = new AbortController();
    Promise.all([refundsService.listRefunds({ billId: bill.id }, controller.signal), billingService.getFeeItem(bill.feeItemId, controller.signal).catch(() => null)])
      .then(([refunds, feeItem]) => {
        const max = refundableFen(bill, refunds);
        setMaxFen(max);
        setInFlight(refunds.filter((r) => ['PENDING_APPROVAL', 'SUBMITTING', 'PROCESSING', 'ABNORMAL'].includes(r.status)));
        setRefundable(feeItem ? feeItem.refundable : null);
        form.setFieldsValue({ amountYuan: max > 0 ? yuanText(max) : '' });
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, [bill, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!bill || !values || maxFen === null) return;
    const request = refundRequestOf(bill, maxFen, values);
    if (!request.ok) {
      showFieldErrors(form, request.issues);
      return;
    }
    // One key per attempt: a retry after a lost answer is recognised by the server.
    const { key, keys } = keyForAttempt(keysRef.current, bill.id, request.value);
    keysRef.current = keys;
    setBusy(true);
    setError(null);
    try {
      const refund = await refundsService.requestRefund(request.value, key);
      keysRef.current = releaseAttempt(keysRef.current, bill.id);
      const text = refundOutcomeText(refund.status);
      if (refund.status === 'SUCCESS') message.success(text);
      else if (refund.status === 'ABNORMAL') message.error(text);
      else message.info(text);
      onDone(refund);
    } catch (err) {
      // A refusal is final for this request; a lost answer is retried with the same key.
      if (isApiError(err) && err.status < 500) keysRef.current = releaseAttempt(keysRef.current, bill.id);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={bill ? `退款：${bill.studentName} · ${bill.feeItemName}` : '退款'}
      open={bill !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="提交退款"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ disabled: maxFen === null || maxFen <= 0, 'data-testid': 'refund-submit' } as never}
      destroyOnHidden
      data-testid="refund-modal"
    >
      {bill && maxFen === null && !error && <Skeleton active paragraph={{ rows: 2 }} />}
      {bill && maxFen !== null && (
        <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="已缴">{displayYuan(bill.paidFen)}</Descriptions.Item>
          <Descriptions.Item label="已退">{displayYuan(bill.refundedFen)}</Descriptions.Item>
          <Descriptions.Item label="可退">
            <span data-testid="refund-max" data-value={maxFen}>
              {displayYuan(maxFen)}
            </span>
          </Descriptions.Item>
        </Descriptions>
      )}
      {inFlight.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={
            <span>
              已有 {inFlight.length} 笔退款在处理：
              {inFlight.map((r) => (
                <Tag key={r.id} color={REFUND_STATUS_COLORS[r.status]} bordered={false} style={{ marginInlineStart: 4 }}>
                  {displayYuan(r.amountFen)} {REFUND_STATUS_LABELS[r.status]}
                </Tag>
              ))}
            </span>
          }
        />
      )}
      {refundable === false && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="该收费项目设置为不可退费，服务器会拒绝此退款。" />}
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message="款项按原支付方式退回：微信支付原路退回，柜台收款当场退现。超过审批额度的微信退款需集团管理员审批。" />
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)}>
        <Form.Item name="amountYuan" label="退款金额" rules={[{ required: true, message: '请填写退款金额' }]}>
          <Input prefix="¥" suffix="元" inputMode="decimal" data-testid="refund-amount" />
        </Form.Item>
        {bill && typed.ok && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="refund-reopens"
            message={`退款后该账单待缴将变为 ${displayYuan(outstandingAfterRefundFen(bill, typed.fen))}。如家长无需再缴，请在退款完成后「调整金额」或「减免」。`}
          />
        )}
        <Form.Item name="reason" label="退款原因" rules={[{ required: true, whitespace: true, message: '请填写退款原因' }, { min: 2, message: '请填写退款原因' }]}>
          <Input.TextArea rows={2} maxLength={80} showCount data-testid="refund-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
