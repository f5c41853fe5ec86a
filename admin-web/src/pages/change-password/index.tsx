import { useState } from 'react';
import { ProForm, ProFormText } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Typography } from 'antd';
import { Navigate, useNavigate } from 'react-router-dom';
import { AuthPageFrame } from '../../components/auth-page-frame.tsx';
import { useDocumentTitle } from '../../components/use-document-title.ts';
import * as authService from '../../services/auth.ts';
import { describeError } from '../../services/describe-error.ts';
import { HOME_PATH, LOGIN_PATH } from '../../session/redirect.ts';
import { useSession } from '../../session/session-context.tsx';
import { newPasswordProblem, PASSWORD_HINT, PASSWORD_MAX_LENGTH } from './password-policy.ts';

interface ChangePasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * Change the own password. Forced (no way around it but signing out) when the
 * account still has an initial or reset password.
 */
export default function ChangePasswordPage() {
  useDocumentTitle('修改密码');
  const { user, signIn, signOut } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = ProForm.useForm<ChangePasswordValues>();
  const [error, setError] = useState<string | null>(null);

  if (!user) return <Navigate to={LOGIN_PATH} replace />;
  const forced = user.mustChangePassword;

  const handleFinish = async (values: ChangePasswordValues): Promise<boolean> => {
    setError(null);
    try {
      // Every old session is revoked; the answer carries the new token.
      signIn(
        await authService.changePassword({
          currentPassword: values.currentPassword,
          newPassword: values.newPassword,
        }),
      );
      message.success('密码已修改');
      navigate(HOME_PATH, { replace: true });
      return true;
    } catch (err) {
      setError(describeError(err));
      return false;
    }
  };

  return (
    <AuthPageFrame>
      <Card variant="borderless" style={{ boxShadow: '0 6px 24px rgba(29, 91, 216, 0.08)' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          修改密码
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {user.displayName}（{user.username}）
        </Typography.Paragraph>
        {forced && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message="为保障账户安全，请先修改初始密码后再继续使用。"
          />
        )}
        {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={error} />}
        <ProForm<ChangePasswordValues>
          form={form}
          layout="vertical"
          onFinish={handleFinish}
          onValuesChange={() => error && setError(null)}
          submitter={{
            searchConfig: { submitText: '确认修改' },
            resetButtonProps: false,
            submitButtonProps: { block: true, size: 'large' },
            render: (_props, dom) => dom,
          }}
        >
          <ProFormText.Password
            name="currentPassword"
            label="当前密码"
            placeholder="当前密码"
            fieldProps={{ autoComplete: 'current-password', maxLength: 256 }}
            rules={[{ required: true, message: '请输入当前密码' }]}
          />
          <ProFormText.Password
            name="newPassword"
            label="新密码"
            placeholder="新密码"
            extra={PASSWORD_HINT}
            fieldProps={{ autoComplete: 'new-password', maxLength: PASSWORD_MAX_LENGTH }}
            rules={[
              { required: true, message: '请输入新密码' },
              {
                validator: async (_rule, value: string | undefined) => {
                  if (!value) return;
                  const problem = newPasswordProblem(value, {
                    currentPassword: form.getFieldValue('currentPassword') as string | undefined,
                    username: user.username,
                  });
                  if (problem) throw new Error(problem);
                },
              },
            ]}
          />
          <ProFormText.Password
            name="confirmPassword"
            label="确认新密码"
            placeholder="再次输入新密码"
            dependencies={['newPassword']}
            fieldProps={{ autoComplete: 'new-password', maxLength: PASSWORD_MAX_LENGTH }}
            rules={[
              { required: true, message: '请再次输入新密码' },
              {
                validator: async (_rule, value: string | undefined) => {
                  if (value && value !== form.getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
                },
              },
            ]}
          />
        </ProForm>
        <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 8 }}>
          {forced ? (
            <span />
          ) : (
            <Button type="link" style={{ paddingInline: 0 }} onClick={() => navigate(HOME_PATH)}>
              返回工作台
            </Button>
          )}
          <Button
            type="link"
            style={{ paddingInline: 0 }}
            onClick={() => void signOut('logout').then(() => navigate(LOGIN_PATH, { replace: true }))}
          >
            退出登录
          </Button>
        </div>
      </Card>
    </AuthPageFrame>
  );
}
