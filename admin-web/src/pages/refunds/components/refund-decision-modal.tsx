import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Space } from 'antd';
import { displayYuan, shanghai, type Bill } from '@campuspay/shared';
import { REFUND_CHANNEL_LABELS } from '../../../billing/refund-display.ts';
import { describeError } from '../../../services/describe-error.ts';
import * as refundsService from '../../../services/refunds.ts';
import { refundDecisionOf } from '../refund-list.ts';

interface RefundDecisionModalProps {
  refund: refundsService.Refund | null;
  bill: Bill | null | undefined;
  onClose(): void;
  onDone(refund: refundsService.Refund): void;
}

/** 审批退款 (group admins): approve sends the refund to WeChat Pay at once; reject ends it. */
export function RefundDecisionModal({ refund, bill, onClose, onDone }: RefundDecisionModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!refund) return;
    setError(null);
    form.resetFields();
  }, [refund, form]);

  const decide = async (approve: boolean) => {
    if (!refund) return;
    const decision = refundDecisionOf(approve, form.getFieldValue('reason') as string | undefined);
    if (!decision.ok) {
      form.setFields([{ name: 'reason', errors: [decision.message] }]);
      return;
    }
    setBusy(approve ? 'approve' : 'reject');
    setError(null);
    try {
      const decided = await refundsService.decideRefund(refund.id, decision.value);
      message.success(approve ? `已批准退款 ${displayYuan(refund.amountFen)}，已提交微信支付` : '已驳回该退款');
      onDone(decided);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      title="审批退款"
      open={refund !== null}
      onCancel={onClose}
      destroyOnHidden
      data-testid="refund-decision-modal"
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button danger loading={busy === 'reject'} disabled={busy !== null} onClick={() => void decide(false)} data-testid="refund-reject">
            驳回
          </Button>
          <Button type="primary" loading={busy === 'approve'} disabled={busy !== null} onClick={() => void decide(true)} data-testid="refund-approve">
            批准并退款
          </Button>
        </Space>
      }
    >
      {refund && (
        <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label="学生">{bill ? `${bill.studentName}（${bill.studentNo}）` : '—'}</Descriptions.Item>
          <Descriptions.Item label="收费项目">{bill?.feeItemName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="退款金额">{displayYuan(refund.amountFen)}</Descriptions.Item>
          <Descriptions.Item label="方式">{REFUND_CHANNEL_LABELS[refund.channel]}</Descriptions.Item>
          <Descriptions.Item label="账单已缴">{bill ? displayYuan(bill.paidFen - bill.refundedFen) : '—'}</Descriptions.Item>
          <Descriptions.Item label="申请时间">{shanghai(refund.createdAt).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
          <Descriptions.Item label="原因" span={2}>
            {refund.reason}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message="不能审批自己提交的退款。批准后款项原路退回家长的微信支付。" />
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label="审批意见" required>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="refund-decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
