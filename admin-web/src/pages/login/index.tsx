import { useState } from 'react';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { LoginForm, ProFormText } from '@ant-design/pro-components';
import { Alert, Typography } from 'antd';
import { staffLoginRequestSchema, type StaffLoginRequest } from '@campuspay/shared';
import { Navigate, useSearchParams } from 'react-router-dom';
import { AuthPageFrame } from '../../components/auth-page-frame.tsx';
import { BrandLogo } from '../../components/brand-logo.tsx';
import { useDocumentTitle } from '../../components/use-document-title.ts';
import * as authService from '../../services/auth.ts';
import { describeError } from '../../services/describe-error.ts';
import { safeRedirect } from '../../session/redirect.ts';
import { useSession } from '../../session/session-context.tsx';

export default function LoginPage() {
  useDocumentTitle('登录');
  const { session, signIn, signOutReason } = useSession();
  const [searchParams] = useSearchParams();
  const [error, setError] = useState<string | null>(null);

  // Signed in (now or already): go where the user was heading. The session
  // guard sends a user who must change the password there first.
  if (session) return <Navigate to={safeRedirect(searchParams.get('redirect'))} replace />;

  const notice = signOutReason === 'expired' ? '登录状态已失效，请重新登录。' : null;

  async function handleFinish(values: StaffLoginRequest): Promise<boolean> {
    setError(null);
    const parsed = staffLoginRequestSchema.safeParse(values);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '请输入用户名和密码');
      return false;
    }
    try {
      signIn(await authService.login(parsed.data));
      return true;
    } catch (err) {
      setError(describeError(err));
      return false;
    }
  }

  return (
    <AuthPageFrame>
      <LoginForm<StaffLoginRequest>
        logo={<BrandLogo size={44} />}
        title="CampusPay"
        subTitle="校园缴费管理后台"
        message={
          error ? (
            <Alert type="error" showIcon message={error} style={{ marginBottom: 24 }} role="alert" />
          ) : notice ? (
            <Alert type="info" showIcon message={notice} style={{ marginBottom: 24 }} />
          ) : (
            false
          )
        }
        submitter={{ searchConfig: { submitText: '登录' }, submitButtonProps: { size: 'large', block: true } }}
        onFinish={handleFinish}
        onValuesChange={() => error && setError(null)}
      >
        <ProFormText
          name="username"
          placeholder="用户名"
          fieldProps={{ size: 'large', prefix: <UserOutlined />, autoComplete: 'username', autoFocus: true, maxLength: 64 }}
          rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
        />
        <ProFormText.Password
          name="password"
          placeholder="密码"
          fieldProps={{ size: 'large', prefix: <LockOutlined />, autoComplete: 'current-password', maxLength: 256 }}
          rules={[{ required: true, message: '请输入密码' }]}
        />
        <Typography.Paragraph type="secondary" style={{ marginBottom: 24, fontSize: 13 }}>
          忘记密码请联系本单位管理员重置。
        </Typography.Paragraph>
      </LoginForm>
    </AuthPageFrame>
  );
}
