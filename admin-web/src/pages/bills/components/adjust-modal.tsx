import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { displayYuan, type Bill } from '@campuspay/shared';
import { yuanText } from '../../../billing/amounts.ts';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import * as billingService from '../../../services/billing.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import { adjustRequestOf, lowestAmountDueFen } from '../bill-actions.ts';

interface AdjustModalProps {
  bill: Bill | null;
  onClose(): void;
  onDone(bill: Bill): void;
}

/** 调整金额: a new amount due for this one bill (the fee item is not touched). */
export function AdjustModal({ bill, onClose, onDone }: AdjustModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ amountYuan: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!bill) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue({ amountYuan: yuanText(bill.amountDueFen) });
  }, [bill, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!bill || !values) return;
    const request = adjustRequestOf(bill, values);
    if (!request.ok) {
      showFieldErrors(form, request.issues);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await billingService.adjustBill(bill.id, request.value);
      message.success(`应缴金额已调整为 ${displayYuan(updated.amountDueFen)}`);
      onDone(updated);
    } catch (err) {
      showFieldErrors(form, fieldIssuesOf(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={bill ? `调整金额：${bill.studentName} · ${bill.feeItemName}` : '调整金额'}
      open={bill !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'adjust-submit' } as never}
    >
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      {bill && (
        <Typography.Paragraph type="secondary">
          当前应缴 {displayYuan(bill.amountDueFen)}，已优惠 {displayYuan(bill.concessionFen)}，已缴 {displayYuan(bill.paidFen - bill.refundedFen)}。调整后的应缴金额不能低于{' '}
          {displayYuan(lowestAmountDueFen(bill))}（优惠与已缴之和）。
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)}>
        <Form.Item name="amountYuan" label="新的应缴金额" rules={[{ required: true, message: '请填写应缴金额' }]}>
          <Input prefix="¥" suffix="元" inputMode="decimal" data-testid="adjust-amount" />
        </Form.Item>
        <Form.Item name="reason" label="调整原因" rules={[{ required: true, whitespace: true, message: '请填写调整原因' }, { min: 2, message: '请填写调整原因' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="adjust-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
