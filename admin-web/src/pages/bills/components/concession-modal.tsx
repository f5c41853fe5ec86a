import { useEffect, useState } from 'react';
import { Alert, App, Col, Descriptions, Form, Input, Modal, Radio, Row, Select, Typography } from 'antd';
import { CONCESSION_KINDS, CONCESSION_KIND_LABELS, displayYuan, type Bill } from '@campuspay/shared';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import * as billingService from '../../../services/billing.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import { concessionBaseFen, concessionPreviewFen, concessionRequestOf, type ConcessionFormValues } from '../bill-actions.ts';

interface ConcessionModalProps {
  bill: Bill | null;
  onClose(): void;
  onDone(bill: Bill): void;
}

/** 优惠: a percentage of what is left or a fixed amount, with a reason; large ones wait for a group admin. */
export function ConcessionModal({ bill, onClose, onDone }: ConcessionModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ConcessionFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const values = Form.useWatch([], form) as ConcessionFormValues | undefined;
  const mode = values?.mode ?? 'percent';
  const preview = bill && values ? concessionPreviewFen(bill, values) : null;

  useEffect(() => {
    if (!bill) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue({ kind: 'hardship', mode: 'percent' });
  }, [bill, form]);

  const submit = async () => {
    const current = await form.validateFields().catch(() => null);
    if (!bill || !current) return;
    const request = concessionRequestOf(bill, current);
    if (!request.ok) {
      showFieldErrors(form, request.issues);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await billingService.applyConcession(bill.id, request.value);
      const added = updated.concessions.find((c) => !bill.concessions.some((old) => old.id === c.id));
      if (added?.status === 'pending_approval') {
        message.warning(`优惠 ${displayYuan(added.amountFen)} 超过审批额度，已提交，待集团管理员审批`);
      } else {
        message.success(`已给予优惠 ${displayYuan(added?.amountFen ?? 0)}`);
      }
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
      title={bill ? `优惠：${bill.studentName} · ${bill.feeItemName}` : '优惠'}
      open={bill !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'concession-submit' } as never}
      data-testid="concession-modal"
    >
      {bill && (
        <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="应缴">{displayYuan(bill.amountDueFen)}</Descriptions.Item>
          <Descriptions.Item label="已优惠">{displayYuan(bill.concessionFen)}</Descriptions.Item>
          <Descriptions.Item label="待缴">{displayYuan(bill.outstandingFen)}</Descriptions.Item>
        </Descriptions>
      )}
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message="超过审批额度的优惠由集团管理员审批后生效，审批前不影响待缴金额。" />
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="kind" label="优惠类型" rules={[{ required: true, message: '请选择优惠类型' }]}>
              <Select options={CONCESSION_KINDS.map((value) => ({ value, label: CONCESSION_KIND_LABELS[value] }))} data-testid="concession-kind" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="label" label="名称（选填）">
              <Input maxLength={40} placeholder="默认为优惠类型" data-testid="concession-label" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="mode" label="优惠方式">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'percent', label: '按比例' },
                  { value: 'amount', label: '固定金额' },
                ]}
                data-testid="concession-mode"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            {mode === 'amount' ? (
              <Form.Item name="amountYuan" label="优惠金额" rules={[{ required: true, message: '请填写优惠金额' }]}>
                <Input prefix="¥" suffix="元" inputMode="decimal" placeholder="0.00" data-testid="concession-amount" />
              </Form.Item>
            ) : (
              <Form.Item name="percent" label="优惠比例" rules={[{ required: true, message: '请填写优惠比例' }]} extra={bill ? `按剩余 ${displayYuan(concessionBaseFen(bill))} 计算` : undefined}>
                <Input suffix="%" inputMode="decimal" placeholder="10" data-testid="concession-percent" />
              </Form.Item>
            )}
          </Col>
          <Col span={24}>
            <Form.Item name="reason" label="原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }, { min: 2, message: '请填写原因' }]}>
              <Input.TextArea rows={2} maxLength={200} showCount placeholder="将记入审计日志" data-testid="concession-reason" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {bill && (
        <Typography.Text data-testid="concession-preview" data-value={preview ?? ''}>
          本次优惠：<Typography.Text strong>{preview === null ? '—' : displayYuan(preview)}</Typography.Text>
          {preview !== null && (
            <Typography.Text type="secondary">（优惠后待缴 {displayYuan(Math.max(0, bill.outstandingFen - preview))}）</Typography.Text>
          )}
        </Typography.Text>
      )}
    </Modal>
  );
}
