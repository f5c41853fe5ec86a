import { useEffect, useState } from 'react';
import { Alert, App, Form, Modal } from 'antd';
import type { StaffAccount } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as usersService from '../../../services/users.ts';
import { PasswordField } from './password-field.tsx';

interface ResetPasswordModalProps {
  account: StaffAccount | null;
  onClose(): void;
  onDone(account: StaffAccount, password: string): void;
}

/** 重置密码: a temporary password the user must change at next sign-in; signs them out everywhere. */
export function ResetPasswordModal({ account, onClose, onDone }: ResetPasswordModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!account) return;
    setError(null);
    form.resetFields();
  }, [account, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!account || !values) return;
    setBusy(true);
    setError(null);
    try {
      await usersService.resetUserPassword(account.id, values.password);
      message.success(`已重置 ${account.displayName} 的密码`);
      onDone(account, values.password);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={account ? `重置密码：${account.displayName}（${account.username}）` : '重置密码'}
      open={account !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="重置"
      okButtonProps={{ danger: true, 'data-testid': 'reset-password-submit' }}
      cancelText="取消"
      confirmLoading={busy}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        message="重置后该用户会在所有设备上退出登录，下次登录须使用新密码并立即修改。"
      />
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <PasswordField form={form} name="password" label="新的临时密码" testId="reset-password-input" />
      </Form>
    </Modal>
  );
}
