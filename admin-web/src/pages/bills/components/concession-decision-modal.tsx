import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Space } from 'antd';
import { CONCESSION_KIND_LABELS, displayYuan, type Bill } from '@campuspay/shared';
import * as billingService from '../../../services/billing.ts';
import { describeError } from '../../../services/describe-error.ts';

export interface ConcessionDecisionTarget {
  bill: Bill;
  concession: Bill['concessions'][number];
}

interface ConcessionDecisionModalProps {
  target: ConcessionDecisionTarget | null;
  onClose(): void;
  onDone(bill: Bill): void;
}

/** 审批优惠 (group admins): approve or reject a pending concession, with an opinion. */
export function ConcessionDecisionModal({ target, onClose, onDone }: ConcessionDecisionModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!target) return;
    setError(null);
    form.resetFields();
  }, [target, form]);

  const decide = async (approve: boolean) => {
    const values = await form.validateFields().catch(() => null);
    if (!target || !values) return;
    setBusy(approve ? 'approve' : 'reject');
    setError(null);
    try {
      const updated = await billingService.decideConcession(target.bill.id, target.concession.id, { approve, reason: values.reason.trim() });
      message.success(approve ? `已批准优惠 ${displayYuan(target.concession.amountFen)}` : '已驳回该优惠申请');
      onDone(updated);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  const c = target?.concession;
  return (
    <Modal
      title="审批优惠申请"
      open={target !== null}
      onCancel={onClose}
      destroyOnHidden
      data-testid="concession-decision-modal"
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button danger loading={busy === 'reject'} disabled={busy !== null} onClick={() => void decide(false)} data-testid="concession-reject">
            驳回
          </Button>
          <Button type="primary" loading={busy === 'approve'} disabled={busy !== null} onClick={() => void decide(true)} data-testid="concession-approve">
            批准
          </Button>
        </Space>
      }
    >
      {target && c && (
        <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label="学生">{`${target.bill.studentName}（${target.bill.studentNo}）`}</Descriptions.Item>
          <Descriptions.Item label="收费项目">{target.bill.feeItemName}</Descriptions.Item>
          <Descriptions.Item label="优惠">{`${c.label}（${CONCESSION_KIND_LABELS[c.kind]}）`}</Descriptions.Item>
          <Descriptions.Item label="金额">{displayYuan(c.amountFen)}</Descriptions.Item>
          <Descriptions.Item label="申请原因" span={2}>
            {c.reason}
          </Descriptions.Item>
          <Descriptions.Item label="当前待缴" span={2}>
            {displayYuan(target.bill.outstandingFen)}（批准后 {displayYuan(Math.max(0, target.bill.outstandingFen - c.amountFen))}）
          </Descriptions.Item>
        </Descriptions>
      )}
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label="审批意见" rules={[{ required: true, whitespace: true, message: '请填写审批意见' }, { min: 2, message: '请填写审批意见' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="concession-decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
