import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Col, Form, Input, InputNumber, Modal, Radio, Row, Select, TreeSelect } from 'antd';
import { CONCESSION_KINDS, CONCESSION_KIND_LABELS, FEE_CATEGORIES, FEE_CATEGORY_LABELS, type ConcessionRule, type OrgNode } from '@campuspay/shared';
import { yuanRule } from '../../../billing/amounts.ts';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import { orgSelectTree } from '../../../org/org-tree.ts';
import * as billingService from '../../../services/billing.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import { ruleRequestOf, type RuleFormValues } from '../batch-flow.ts';

interface ConcessionRuleModalProps {
  open: boolean;
  nodes: readonly OrgNode[];
  rootId: string | undefined;
  defaultNodeId: string | undefined;
  onClose(): void;
  onCreated(rule: ConcessionRule): void;
}

/** 新建优惠规则 (group admins): a percentage or a fixed amount, applied in order, for some fee categories. */
export function ConcessionRuleModal({ open, nodes, rootId, defaultNodeId, onClose, onCreated }: ConcessionRuleModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mode = Form.useWatch('mode', form);
  const schoolTree = useMemo(
    () => orgSelectTree(nodes, { rootId, visibleKinds: ['school_group', 'campus'], selectableKinds: ['school_group', 'campus'] }),
    [nodes, rootId],
  );

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue({ nodeId: defaultNodeId, kind: 'sibling', mode: 'percent', order: 10, categories: [] });
  }, [open, defaultNodeId, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const request = ruleRequestOf(values);
    if (!request.ok) {
      showFieldErrors(form, request.issues);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await billingService.createConcessionRule(request.value);
      message.success(`已新建优惠规则「${created.label}」`);
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
      title="新建优惠规则"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      width={560}
      okButtonProps={{ 'data-testid': 'concession-rule-submit' } as never}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="多个规则按顺序叠加：比例优惠按前面规则扣减后的余额计算，金额向下取整到分。发布时系统只能自动识别「多子女优惠」（同一监护人有多名在读子女）；其他类型请在账单上逐个给予。"
      />
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="nodeId" label="适用学校" rules={[{ required: true, message: '请选择适用学校' }]}>
              <TreeSelect treeData={schoolTree} treeDefaultExpandAll treeNodeLabelProp="fullTitle" data-testid="concession-rule-node" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
              <Select options={CONCESSION_KINDS.map((value) => ({ value, label: CONCESSION_KIND_LABELS[value] }))} data-testid="concession-rule-kind" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="label" label="规则名称" rules={[{ required: true, whitespace: true, message: '请填写规则名称' }]}>
              <Input maxLength={40} placeholder="例如：二孩学费九折" data-testid="concession-rule-label" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="mode" label="优惠方式">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'percent', label: '按比例' },
                  { value: 'amount', label: '固定金额' },
                ]}
                data-testid="concession-rule-mode"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            {mode === 'amount' ? (
              <Form.Item name="amountYuan" label="减免金额" rules={[{ required: true, message: '请填写金额' }, yuanRule({ label: '金额' })]}>
                <Input prefix="¥" inputMode="decimal" data-testid="concession-rule-amount" />
              </Form.Item>
            ) : (
              <Form.Item name="percent" label="减免比例" rules={[{ required: true, message: '请填写比例' }]}>
                <Input suffix="%" inputMode="decimal" placeholder="10" data-testid="concession-rule-percent" />
              </Form.Item>
            )}
          </Col>
          <Col span={6}>
            <Form.Item name="order" label="顺序" tooltip="数字小的先计算">
              <InputNumber min={0} max={999} precision={0} style={{ width: '100%' }} data-testid="concession-rule-order" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="categories" label="适用类别" extra="不选则适用于所有类别">
              <Select mode="multiple" allowClear options={FEE_CATEGORIES.map((value) => ({ value, label: FEE_CATEGORY_LABELS[value] }))} data-testid="concession-rule-categories" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
