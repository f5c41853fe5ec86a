import { useEffect, useState } from 'react';
import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Space, Tag, Tooltip, Typography } from 'antd';
import { describeError } from '../../../services/describe-error.ts';
import { REVEAL_REASONS, REVEAL_SECONDS, revealReasonProblem } from '../student-form.ts';

interface RevealableValueProps {
  /** The masked value (138****1234), or null when nothing is stored. */
  masked: string | null;
  /** "手机号", "身份证号": names the field in the dialog. */
  fieldLabel: string;
  /** Whose value: "监护人 曾娟". */
  ownerLabel: string;
  canReveal: boolean;
  /** Calls the audited reveal endpoint. */
  reveal(reason: string): Promise<string | null>;
  testId: string;
  /** Offer a reveal even when no masked value is known (the server may hold one). */
  revealWhenEmpty?: boolean;
  /** Shown when `masked` is null. */
  emptyText?: string;
}

/**
 * A masked personal field with a 查看明文 button: the user states a reason
 * (it goes to the audit log), then the clear value shows for a short while.
 */
export function RevealableValue(props: RevealableValueProps) {
  const { masked, fieldLabel, ownerLabel, canReveal, testId, revealWhenEmpty = false, emptyText = '未登记' } = props;
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<{ value: string | null; left: number } | null>(null);

  // Count down, then hide the clear value again.
  useEffect(() => {
    if (!revealed) return;
    if (revealed.left <= 0) {
      setRevealed(null);
      return;
    }
    const timer = setTimeout(() => setRevealed((current) => current && { ...current, left: current.left - 1 }), 1000);
    return () => clearTimeout(timer);
  }, [revealed]);

  const submit = async () => {
    const found = revealReasonProblem(reason);
    setProblem(found);
    if (found) return;
    setBusy(true);
    setError(null);
    try {
      const value = await props.reveal(reason.trim());
      setRevealed({ value, left: REVEAL_SECONDS });
      setOpen(false);
      setReason('');
      if (value === null) message.info(`未登记${fieldLabel}`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = revealed ? (
    <Space size={6}>
      <Typography.Text strong copyable={revealed.value ? { text: revealed.value } : false} data-testid={`${testId}-value`}>
        {revealed.value ?? '（未登记）'}
      </Typography.Text>
      <Tag color="orange" bordered={false} style={{ marginInlineEnd: 0 }}>
        明文 · {revealed.left} 秒后隐藏
      </Tag>
      <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => setRevealed(null)}>
        隐藏
      </Button>
    </Space>
  ) : (
    <Space size={6}>
      <Typography.Text type={masked ? undefined : 'secondary'} data-testid={`${testId}-masked`}>
        {masked ?? emptyText}
      </Typography.Text>
      {canReveal && (masked !== null || revealWhenEmpty) && (
        <Tooltip title="查看明文需说明原因，并记入审计日志">
          <Button
            type="link"
            size="small"
            icon={<EyeOutlined />}
            style={{ paddingInline: 0 }}
            onClick={() => {
              setOpen(true);
              setError(null);
              setProblem(null);
            }}
            data-testid={testId}
          >
            查看明文
          </Button>
        </Tooltip>
      )}
    </Space>
  );

  return (
    <>
      {shown}
      <Modal
        title={
          <Space>
            <LockOutlined />
            <span>{`查看${ownerLabel}的${fieldLabel}明文`}</span>
          </Space>
        }
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        okText="查看"
        cancelText="取消"
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'reveal-confirm' }}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message="个人敏感信息"
          description={`查看记录（查看人、时间、原因）将写入审计日志；明文仅显示 ${REVEAL_SECONDS} 秒。`}
        />
        {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical">
          <Form.Item label="查看原因" required validateStatus={problem ? 'error' : undefined} help={problem ?? undefined}>
            <Input.TextArea
              autoFocus
              rows={3}
              maxLength={200}
              showCount
              value={reason}
              placeholder="例如：家长来电核实身份"
              onChange={(event) => {
                setReason(event.target.value);
                if (problem) setProblem(revealReasonProblem(event.target.value));
              }}
              data-testid="reveal-reason"
            />
          </Form.Item>
        </Form>
        <Space size={[6, 6]} wrap>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            常用原因：
          </Typography.Text>
          {REVEAL_REASONS.map((text) => (
            <Tag key={text} style={{ cursor: 'pointer' }} onClick={() => { setReason(text); setProblem(null); }}>
              {text}
            </Tag>
          ))}
        </Space>
      </Modal>
    </>
  );
}
