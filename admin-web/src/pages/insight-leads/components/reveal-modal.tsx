import { useEffect, useState } from 'react';
import { Alert, Descriptions, Form, Input, Modal, Typography } from 'antd';
import type { Lead } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as insightsService from '../../../services/insights.ts';

/**
 * 查看完整手机号: the reason is required and goes to the audit log with the
 * reveal. The number is held only while the modal is open; closing it
 * forgets the number, so seeing it again is a new, audited reveal.
 */
export function RevealModal({ lead, onClose }: { lead: Lead | null; onClose(): void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [revealed, setRevealed] = useState<insightsService.RevealedContact | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setRevealed(null);
    setError(null);
    form.resetFields();
  }, [lead, form]);

  const submit = async () => {
    if (!lead) return;
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      setRevealed(await insightsService.revealLead(lead.id, reason.trim()));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={lead !== null}
      title="查看完整手机号"
      onCancel={onClose}
      destroyOnHidden
      okText={revealed ? '关闭' : '查看'}
      onOk={revealed ? onClose : () => void submit()}
      confirmLoading={busy}
      cancelButtonProps={revealed ? { style: { display: 'none' } } : {}}
      okButtonProps={{ 'data-testid': revealed ? 'lead-reveal-close' : 'lead-reveal-submit' } as never}
      data-testid="lead-reveal-modal"
    >
      {lead && (
        <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
          <Descriptions.Item label="联系人">{revealed?.nameMasked ?? lead.contact.nameMasked}</Descriptions.Item>
          <Descriptions.Item label="手机号">
            {revealed ? (
              <Typography.Text strong copyable data-testid="lead-revealed-phone">
                {revealed.phone}
              </Typography.Text>
            ) : (
              lead.contact.phoneMasked
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
      {revealed ? (
        <Alert type="info" showIcon message="本次查看已连同原因记入审计日志。关闭后号码不再显示，再次查看需重新说明原因。" />
      ) : (
        <Form form={form} layout="vertical">
          <Typography.Paragraph type="secondary">家长已授权本行联系。查看完整号码须说明原因，原因与查看人、时间一并记入审计日志。</Typography.Paragraph>
          <Form.Item
            name="reason"
            label="查看原因"
            rules={[
              {
                // The server trims before checking the length, so the form does too.
                validator: async (_rule: unknown, value: string | undefined) => {
                  if ((value ?? '').trim().length < 4) throw new Error('请说明查看完整手机号的原因（至少 4 个字）');
                },
              },
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：家长预约办理信用卡，电话确认时间" data-testid="lead-reveal-reason" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} data-testid="lead-reveal-error" />}
        </Form>
      )}
    </Modal>
  );
}
