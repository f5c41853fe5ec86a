import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Radio, Typography } from 'antd';
import { RECONCILIATION_OUTCOME_LABELS, type ReconciliationLine } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as reconciliationService from '../../../services/reconciliation.ts';
import { resolutionOf } from '../../exceptions/exception-view.ts';

interface ResolveLineModalProps {
  line: ReconciliationLine | null;
  onClose(): void;
  onDone(line: ReconciliationLine): void;
}

interface ResolveFields {
  action: reconciliationService.ResolveLineRequest['action'];
  note: string;
}

/**
 * 处理差异: ask WeChat again and book what it says, or close the difference
 * with a note of what was checked. Either way the note is audited and the
 * difference's exception queue item is resolved with it.
 */
export function ResolveLineModal({ line, onClose, onDone }: ResolveLineModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ResolveFields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!line) return;
    setError(null);
    form.resetFields();
  }, [line, form]);

  const submit = async () => {
    if (!line) return;
    const note = resolutionOf(form.getFieldValue('note') as string | undefined);
    if (!note.ok) {
      form.setFields([{ name: 'note', errors: [note.message] }]);
      return;
    }
    const action = (form.getFieldValue('action') as ResolveFields['action'] | undefined) ?? 'accept';
    setBusy(true);
    setError(null);
    try {
      const resolved = await reconciliationService.resolveReconciliationLine(line.id, { action, note: note.value });
      message.success(action === 'requery' ? '已向微信查询并补记' : '差异已处理');
      onDone(resolved);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={line ? `处理对账差异：${RECONCILIATION_OUTCOME_LABELS[line.outcome]}` : '处理对账差异'}
      open={line !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确认处理"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'reconciliation-resolve-submit' } as never}
    >
      <div data-testid="reconciliation-resolve-modal">
        {line && <Typography.Paragraph>{line.summary}</Typography.Paragraph>}
        {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" initialValues={{ action: 'accept' }}>
          <Form.Item name="action" label="处理方式">
            <Radio.Group data-testid="reconciliation-resolve-action">
              <Radio.Button value="accept">核实后关闭</Radio.Button>
              <Radio.Button value="requery">向微信重新查询并补记</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="note" label="处理说明" required extra="写明核实了什么、做了什么（如已与微信核实、账簿已更正），记入审计日志。">
            <Input.TextArea rows={3} maxLength={300} showCount autoFocus data-testid="reconciliation-resolve-note" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
