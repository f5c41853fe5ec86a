import { useEffect, useState } from 'react';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Form, Input, Modal, Row, Select, TreeSelect, Typography } from 'antd';
import { STAFF_ROLE_LABELS, type OrgNode, type StaffAccount, type StaffRole } from '@campuspay/shared';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import * as usersService from '../../../services/users.ts';
import {
  createAccountRequestOf,
  GRANTABLE_ROLES,
  grantNodeTree,
  roleNodeKindsText,
  updateAccountRequestOf,
  type AccountFormValues,
} from '../grant-rules.ts';
import { PasswordField } from './password-field.tsx';

export type AccountFormMode = { type: 'create' } | { type: 'edit'; account: StaffAccount; isSelf: boolean };

interface AccountFormModalProps {
  mode: AccountFormMode | null;
  nodes: readonly OrgNode[];
  scopeNodeId: string;
  grantorRole: StaffRole;
  onClose(): void;
  onSaved(account: StaffAccount, created: { initialPassword: string } | null): void;
}

function GrantRow({
  index,
  name,
  nodes,
  scopeNodeId,
  roles,
  disabled,
  onRemove,
}: {
  index: number;
  name: number;
  nodes: readonly OrgNode[];
  scopeNodeId: string;
  roles: readonly StaffRole[];
  disabled: boolean;
  onRemove?: () => void;
}) {
  const form = Form.useFormInstance<AccountFormValues>();
  const role = Form.useWatch(['grants', name, 'role'], form) as StaffRole | undefined;
  return (
    <Row gutter={8} align="top" data-testid="user-form-grant">
      <Col flex="180px">
        <Form.Item name={[name, 'role']} rules={[{ required: true, message: '请选择角色' }]} style={{ marginBottom: 8 }}>
          <Select
            placeholder="角色"
            disabled={disabled}
            options={roles.map((value) => ({ value, label: STAFF_ROLE_LABELS[value] }))}
            onChange={() => form.setFieldValue(['grants', name, 'nodeId'], undefined)}
            data-testid={`user-form-grant-role-${index}`}
          />
        </Form.Item>
      </Col>
      <Col flex="auto">
        <Form.Item
          name={[name, 'nodeId']}
          rules={[{ required: true, message: '请选择授权范围' }]}
          style={{ marginBottom: 8 }}
          extra={role ? `可授权在${roleNodeKindsText(role)}` : undefined}
        >
          <TreeSelect
            // A modal opens with a zoom animation; do not let the popup take the half-scaled width.
            styles={{ popup: { root: { minWidth: 320 } } }}
            placeholder={role ? '授权范围' : '先选择角色'}
            disabled={disabled || !role}
            treeData={grantNodeTree(nodes, scopeNodeId, role)}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="label"
            treeNodeLabelProp="fullTitle"
            listHeight={320}
            data-testid={`user-form-grant-node-${index}`}
          />
        </Form.Item>
      </Col>
      {onRemove && (
        <Col flex="32px">
          <Button type="text" danger icon={<DeleteOutlined />} onClick={onRemove} disabled={disabled} aria-label="删除此授权" />
        </Col>
      )}
    </Row>
  );
}

/** 新建账号 / 编辑账号: name, initial password, and one or more grants (role + node). */
export function AccountFormModal({ mode, nodes, scopeNodeId, grantorRole, onClose, onSaved }: AccountFormModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AccountFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const roles = GRANTABLE_ROLES[grantorRole];
  const isSelf = mode?.type === 'edit' && mode.isSelf;

  useEffect(() => {
    if (!mode) return;
    setError(null);
    form.resetFields();
    if (mode.type === 'edit') {
      form.setFieldsValue({
        displayName: mode.account.displayName,
        grants: mode.account.grants.map(({ role, nodeId }) => ({ role, nodeId })),
      });
    } else {
      form.setFieldsValue({ grants: [{ role: roles.includes('bursar') ? 'bursar' : roles[0] }] });
    }
  }, [mode, form, roles]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!mode || !values) return;
    const result = mode.type === 'edit' ? updateAccountRequestOf(mode.account, values) : createAccountRequestOf(values);
    if (!result.ok) {
      showFieldErrors(form, result.issues);
      const general = result.issues.find((issue) => issue.path.length === 1 && issue.path[0] === 'grants');
      if (general) setError(general.message);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (mode.type === 'edit') {
        const body = result.value as usersService.UpdateStaffAccountRequest;
        if (Object.keys(body).length === 0) {
          message.info('没有修改任何内容');
          onClose();
          return;
        }
        onSaved(await usersService.updateUser(mode.account.id, body), null);
        message.success(body.grants ? '已保存；该用户需重新登录后按新授权使用' : '已保存');
      } else {
        const body = result.value as usersService.CreateStaffAccountRequest;
        onSaved(await usersService.createUser(body), { initialPassword: body.initialPassword });
      }
    } catch (err) {
      showFieldErrors(form, fieldIssuesOf(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={mode?.type === 'edit' ? `编辑账号：${mode.account.displayName}（${mode.account.username}）` : '新建账号'}
      open={mode !== null}
      width={680}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={mode?.type === 'edit' ? '保存' : '创建'}
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'user-form-submit' }}
      maskClosable={false}
    >
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)}>
        <Row gutter={16}>
          {mode?.type === 'create' && (
            <Col span={12}>
              <Form.Item
                name="username"
                label="用户名"
                extra="登录用，创建后不能修改"
                rules={[
                  { required: true, whitespace: true, message: '请填写用户名' },
                  { pattern: /^\s*[a-z0-9._-]{3,40}\s*$/, message: '用户名应为 3–40 位小写字母、数字、点、下划线或短横线' },
                ]}
              >
                <Input maxLength={40} placeholder="如 wang.fang" autoComplete="off" data-testid="user-form-username" />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="displayName" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
              <Input maxLength={40} placeholder="如 东校区出纳 王芳" data-testid="user-form-display-name" />
            </Form.Item>
          </Col>
        </Row>
        {mode?.type === 'create' && <PasswordField form={form} name="initialPassword" label="初始密码" testId="user-form-password" />}

        <Typography.Title level={5} style={{ marginTop: 8 }}>
          角色与管辖范围
        </Typography.Title>
        {isSelf ? (
          <Alert type="info" showIcon message="不能修改自己的授权，请联系上级管理员。" style={{ marginBottom: 12 }} />
        ) : (
          <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
            一个账号可以有多个授权（例如东校区出纳 + 集团审计员），登录后在页面右上角切换。修改授权会让该用户在所有设备上退出登录。
          </Typography.Paragraph>
        )}
        <Form.List name="grants">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <GrantRow
                  key={field.key}
                  index={index}
                  name={field.name}
                  nodes={nodes}
                  scopeNodeId={scopeNodeId}
                  roles={roles}
                  disabled={isSelf}
                  {...(fields.length > 1 ? { onRemove: () => remove(field.name) } : {})}
                />
              ))}
              {!isSelf && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block data-testid="user-form-add-grant">
                  添加授权
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
