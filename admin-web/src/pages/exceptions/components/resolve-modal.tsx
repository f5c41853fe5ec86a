import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { describeError } from '../../../services/describe-error.ts';
import * as exceptionsService from '../../../services/exceptions.ts';
import { exceptionKindLabel, resolutionOf } from '../exception-view.ts';

interface ResolveModalProps {
  item: exceptionsService.PaymentException | null;
  onClose(): void;
  onDone(): void;
}

/** 处理: closes a queue item with a note of what was done (audited). */
export function ResolveModal({ item, onClose, onDone }: ResolveModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ resolution: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!item) return;
    setError(null);
    form.resetFields();
  }, [item, form]);

  const submit = async () => {
    if (!item) return;
    const note = resolutionOf(form.getFieldValue('resolution') as string | undefined);
    if (!note.ok) {
      form.setFields([{ name: 'resolution', errors: [note.message] }]);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await exceptionsService.resolveException(item.id, note.value);
      message.success('已标记为已处理');
      onDone();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={item ? `处理异常：${exceptionKindLabel(item.kind)}` : '处理异常'}
      open={item !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="标记为已处理"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'exception-resolve-submit' } as never}
    >
      {item && <Typography.Paragraph>{item.summary}</Typography.Paragraph>}
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message="请写明已做的处理（如已线下退款、已联系家长、已与微信核实），处理说明记入审计日志。" />
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="resolution" label="处理说明" required>
          <Input.TextArea rows={3} maxLength={300} showCount autoFocus data-testid="exception-resolution" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
