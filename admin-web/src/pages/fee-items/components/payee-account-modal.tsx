import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Form, Input, Modal, TreeSelect } from 'antd';
import { createPayeeAccountSchema, type OrgNode, type PayeeAccount } from '@campuspay/shared';
import { showFieldErrors, zodRule } from '../../../forms/zod-rule.ts';
import { orgSelectTree } from '../../../org/org-tree.ts';
import * as billingService from '../../../services/billing.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';

interface PayeeAccountModalProps {
  open: boolean;
  nodes: readonly OrgNode[];
  /** Offer schools under this node (the user's scope). */
  rootId: string | undefined;
  /** Preselect this school (the fee item's). */
  defaultNodeId: string | undefined;
  onClose(): void;
  onCreated(payee: PayeeAccount): void;
}

interface PayeeFormValues {
  name: string;
  mchid: string;
  bankName: string;
  bankAccount: string;
  nodeId: string;
}

const shape = createPayeeAccountSchema.shape;

/** 新建收款账户 (group admins): the WeChat Pay merchant and the bank account the money settles to. */
export function PayeeAccountModal({ open, nodes, rootId, defaultNodeId, onClose, onCreated }: PayeeAccountModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PayeeFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const schoolTree = useMemo(
    () => orgSelectTree(nodes, { rootId, visibleKinds: ['school_group', 'campus'], selectableKinds: ['school_group', 'campus'] }),
    [nodes, rootId],
  );

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (defaultNodeId) form.setFieldValue('nodeId', defaultNodeId);
  }, [open, defaultNodeId, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      const created = await billingService.createPayeeAccount({
        name: values.name.trim(),
        mchid: values.mchid.trim(),
        bankName: values.bankName.trim(),
        bankAccount: values.bankAccount.replace(/\s+/g, ''),
        nodeId: values.nodeId,
      });
      message.success(`已新建收款账户「${created.name}」`);
      onCreated(created);
    } catch (err) {
      showFieldErrors(form, fieldIssuesOf(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="新建收款账户"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'payee-form-submit' } as never}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="家长在线缴费的款项由该微信支付商户收取，并结算到下列银行账户。建在集团的账户各校区都可使用。"
      />
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)}>
        <Form.Item name="nodeId" label="所属学校" rules={[{ required: true, message: '请选择所属学校或校区' }]}>
          <TreeSelect treeData={schoolTree} treeDefaultExpandAll treeNodeLabelProp="fullTitle" placeholder="集团或校区" data-testid="payee-form-node" />
        </Form.Item>
        <Form.Item name="name" label="账户名称" rules={[{ required: true, whitespace: true, message: '请填写收款账户名称' }, zodRule(shape.name)]}>
          <Input maxLength={40} placeholder="例如：明德东校区学费账户" data-testid="payee-form-name" />
        </Form.Item>
        <Form.Item name="mchid" label="微信支付商户号" rules={[{ required: true, message: '请填写商户号' }, zodRule(shape.mchid)]}>
          <Input maxLength={12} inputMode="numeric" placeholder="8–12 位数字" data-testid="payee-form-mchid" />
        </Form.Item>
        <Form.Item name="bankName" label="开户行" rules={[{ required: true, whitespace: true, message: '请填写开户行' }, zodRule(shape.bankName)]}>
          <Input maxLength={40} data-testid="payee-form-bank" />
        </Form.Item>
        <Form.Item
          name="bankAccount"
          label="银行账号"
          extra="保存后只显示末四位"
          rules={[{ required: true, message: '请填写银行账号' }, zodRule({ safeParse: (v: unknown) => shape.bankAccount.safeParse(String(v).replace(/\s+/g, '')) })]}
        >
          <Input maxLength={36} inputMode="numeric" autoComplete="off" data-testid="payee-form-account" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
