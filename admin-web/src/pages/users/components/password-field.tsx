import { ThunderboltOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space, type FormInstance } from 'antd';
import { newPasswordProblem, PASSWORD_HINT, PASSWORD_MAX_LENGTH } from '../../change-password/password-policy.ts';
import { temporaryPassword } from '../temporary-password.ts';

/** A temporary-password field with a generator; the user must change it at first sign-in. */
export function PasswordField({ form, name, label, testId }: { form: FormInstance; name: string; label: string; testId: string }) {
  return (
    <Form.Item label={label} required extra={`${PASSWORD_HINT}；用户首次登录时须修改`}>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item
          name={name}
          noStyle
          rules={[
            { required: true, message: '请设置密码' },
            {
              validator: async (_rule, value: string | undefined) => {
                const problem = value ? newPasswordProblem(value) : null;
                if (problem) throw new Error(problem);
              },
            },
          ]}
        >
          <Input maxLength={PASSWORD_MAX_LENGTH} autoComplete="new-password" data-testid={testId} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Button
          icon={<ThunderboltOutlined />}
          onClick={() => {
            form.setFieldValue(name, temporaryPassword());
            void form.validateFields([name]);
          }}
        >
          随机生成
        </Button>
      </Space.Compact>
    </Form.Item>
  );
}
