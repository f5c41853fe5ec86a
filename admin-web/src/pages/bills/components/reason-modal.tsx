import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { displayYuan, type Bill } from '@campuspay/shared';
import * as billingService from '../../../services/billing.ts';
import { describeError } from '../../../services/describe-error.ts';

export type ReasonAction = 'cancel' | 'waive';

interface ReasonModalProps {
  target: { action: ReasonAction; bill: Bill } | null;
  onClose(): void;
  onDone(bill: Bill): void;
}

const COPY: Record<ReasonAction, { title: string; ok: string; explain: (bill: Bill) => string }> = {
  cancel: {
    title: '取消账单',
    ok: '取消账单',
    explain: () => '取消后家长不再看到这张账单，也不能缴费。只有尚未缴费的账单可以取消。',
  },
  waive: {
    title: '减免剩余金额',
    ok: '减免',
    explain: (bill) => `将剩余待缴 ${displayYuan(bill.outstandingFen)} 全部减免（记为困难减免）。超过审批额度时需集团管理员审批后生效。`,
  },
};

/** 取消 / 减免: actions that need only a reason. */
export function ReasonModal({ target, onClose, onDone }: ReasonModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!target) return;
    setError(null);
    form.resetFields();
  }, [target, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!target || !values) return;
    setBusy(true);
    setError(null);
    try {
      const reason = values.reason.trim();
      const updated = target.action === 'cancel' ? await billingService.cancelBill(target.bill.id, reason) : await billingService.waiveBill(target.bill.id, reason);
      if (target.action === 'cancel') message.success('账单已取消');
      else if (updated.concessions.some((c) => c.status === 'pending_approval' && !target.bill.concessions.some((old) => old.id === c.id))) {
        message.warning('减免超过审批额度，已提交，待集团管理员审批');
      } else message.success('已减免剩余待缴金额');
      onDone(updated);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const copy = target ? COPY[target.action] : null;
  return (
    <Modal
      title={target && copy ? `${copy.title}：${target.bill.studentName} · ${target.bill.feeItemName}` : ''}
      open={target !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={copy?.ok ?? '确定'}
      okButtonProps={{ danger: target?.action === 'cancel', 'data-testid': `${target?.action ?? 'reason'}-submit` } as never}
      cancelText="返回"
      confirmLoading={busy}
      destroyOnHidden
    >
      {target && copy && <Typography.Paragraph>{copy.explain(target.bill)}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label="原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }, { min: 2, message: '请填写原因' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="将记入审计日志" data-testid="bill-action-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
