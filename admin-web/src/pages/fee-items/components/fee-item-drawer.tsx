import { useEffect, useMemo, useState } from 'react';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, DatePicker, Drawer, Form, Input, Radio, Row, Select, Space, Switch, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FEE_CATEGORIES, FEE_CATEGORY_LABELS, businessDay, type FeeItem, type OrgNode, type PayeeAccount } from '@campuspay/shared';
import { yuanRule } from '../../../billing/amounts.ts';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import { orgSelectTree } from '../../../org/org-tree.ts';
import * as billingService from '../../../services/billing.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import {
  FEE_ITEM_NODE_KINDS,
  academicYearOptions,
  blankFeeItemValues,
  feeItemFormValuesOf,
  feeItemRequestOf,
  feeItemUpdateOf,
  payeesFor,
  priceNodeKinds,
  type FeeItemFormValues,
} from '../fee-item-form.ts';
import { PayeeAccountModal } from './payee-account-modal.tsx';

interface FeeItemDrawerProps {
  /** `'new'` to create, an item to edit, null when closed. */
  editing: FeeItem | 'new' | null;
  nodes: readonly OrgNode[];
  /** Offer schools under this node (the header's campus or the user's scope). */
  rootId: string | undefined;
  /** The user's scope node (for new payee accounts). */
  scopeNodeId: string | undefined;
  payees: readonly PayeeAccount[];
  /** Group admins may add a payee account from here. */
  canCreatePayee: boolean;
  onPayeeCreated(payee: PayeeAccount): void;
  onClose(): void;
  onSaved(item: FeeItem): void;
}

/** DatePicker ⇄ the form's YYYY-MM-DD / YYYY-MM text. */
function dateField(format: string) {
  return {
    getValueProps: (value: string | undefined) => ({ value: value ? dayjs(value, format) : undefined }),
    normalize: (value: Dayjs | null) => (value ? value.format(format) : undefined),
  };
}

/** 新建 / 编辑收费项目. */
export function FeeItemDrawer({ editing, nodes, rootId, scopeNodeId, payees, canCreatePayee, onPayeeCreated, onClose, onSaved }: FeeItemDrawerProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FeeItemFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [addingPayee, setAddingPayee] = useState(false);
  const today = businessDay();
  const item = editing && editing !== 'new' ? editing : null;

  const nodeId = Form.useWatch('nodeId', form);
  const periodKind = Form.useWatch('periodKind', form);
  const allowPartial = Form.useWatch('allowPartial', form);
  const schoolNode = nodes.find((node) => node.id === nodeId);

  // Editing: the item's school may lie above the header's campus; offer the whole scope.
  const treeRootId = item ? scopeNodeId : rootId;
  const schoolTree = useMemo(
    () => orgSelectTree(nodes, { rootId: treeRootId, visibleKinds: FEE_ITEM_NODE_KINDS, selectableKinds: FEE_ITEM_NODE_KINDS }),
    [nodes, treeRootId],
  );
  const priceTree = useMemo(
    () =>
      nodeId
        ? orgSelectTree(nodes, {
            rootId: nodeId,
            visibleKinds: ['school_group', 'campus', 'division', 'grade', 'class'],
            selectableKinds: priceNodeKinds(schoolNode?.kind),
          })
        : [],
    [nodes, nodeId, schoolNode?.kind],
  );
  const payeeOptions = useMemo(() => payeesFor(payees, schoolNode), [payees, schoolNode]);

  useEffect(() => {
    if (!editing) return;
    setError(null);
    form.resetFields();
    const onlySchool = schoolTree.length === 1 && schoolTree[0]?.selectable && !schoolTree[0].children ? schoolTree[0].value : undefined;
    form.setFieldsValue(item ? feeItemFormValuesOf(item, today) : blankFeeItemValues(today, rootId && nodes.find((n) => n.id === rootId && FEE_ITEM_NODE_KINDS.includes(n.kind)) ? rootId : onlySchool));
    // Only when the drawer opens for another item.
  }, [editing]);

  // A payee account that does not fit the chosen school is cleared.
  useEffect(() => {
    const chosen = form.getFieldValue('payeeAccountId') as string | undefined;
    if (chosen && schoolNode && !payeeOptions.some((payee) => payee.id === chosen)) form.setFieldValue('payeeAccountId', undefined);
    if (!chosen && payeeOptions.length === 1) form.setFieldValue('payeeAccountId', payeeOptions[0]?.id);
  }, [payeeOptions, schoolNode, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    if (item) {
      const update = feeItemUpdateOf(item, values);
      if (!update.ok) {
        showFieldErrors(form, update.issues);
        return;
      }
      if (Object.keys(update.value).length === 0) {
        message.info('没有需要保存的修改');
        onClose();
        return;
      }
      setBusy(true);
      try {
        const saved = await billingService.updateFeeItem(item.id, update.value);
        message.success(`已保存「${saved.name}」，之后发布的账单按新设置`);
        onSaved(saved);
      } catch (err) {
        showFieldErrors(form, fieldIssuesOf(err));
        setError(describeError(err));
      } finally {
        setBusy(false);
      }
      return;
    }
    const request = feeItemRequestOf(values);
    if (!request.ok) {
      showFieldErrors(form, request.issues);
      return;
    }
    setBusy(true);
    try {
      const created = await billingService.createFeeItem(request.value);
      message.success(`已新建收费项目「${created.name}」`);
      onSaved(created);
    } catch (err) {
      showFieldErrors(form, fieldIssuesOf(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      title={item ? `编辑收费项目：${item.name}` : '新建收费项目'}
      open={editing !== null}
      width={760}
      onClose={onClose}
      destroyOnHidden
      maskClosable={false}
      data-testid="fee-item-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="fee-item-form-submit">
            保存
          </Button>
        </Space>
      }
    >
      {item && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="fee-item-edit-notice"
          message="修改只影响之后发布的账单"
          description="已发布的账单保留发布时的金额、截止日期和缴费规则，不会因本次修改而变化。如需更改个别账单，请在「账单」中调整金额、优惠或减免。"
        />
      )}
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => error && setError(null)} requiredMark>
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item name="name" label="项目名称" rules={[{ required: true, whitespace: true, message: '请填写收费项目名称' }, { max: 40, message: '最多 40 个字' }]}>
              <Input maxLength={40} placeholder="例如：2026 学年秋季学费" data-testid="fee-item-form-name" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
              <Select options={FEE_CATEGORIES.map((value) => ({ value, label: FEE_CATEGORY_LABELS[value] }))} data-testid="fee-item-form-category" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="nodeId"
              label="适用学校 / 校区"
              rules={[{ required: true, message: '请选择适用的学校或校区' }]}
              extra={item ? '创建后不能更改适用学校' : '集团级项目适用于各校区；价格表按学部、年级、班级设置'}
            >
              <TreeSelect
                treeData={schoolTree}
                treeDefaultExpandAll
                treeNodeLabelProp="fullTitle"
                placeholder="选择集团或校区"
                disabled={Boolean(item)}
                onChange={() => form.setFieldValue('prices', [{}])}
                data-testid="fee-item-form-node"
              />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>收费期间</Typography.Title>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="periodKind" label="按">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'term', label: '学期' },
                  { value: 'month', label: '月份' },
                ]}
                data-testid="fee-item-form-period-kind"
              />
            </Form.Item>
          </Col>
          {periodKind === 'month' ? (
            <Col span={8}>
              <Form.Item name="month" label="月份" rules={[{ required: true, message: '请选择月份' }]} {...dateField('YYYY-MM')}>
                <DatePicker picker="month" style={{ width: '100%' }} data-testid="fee-item-form-month" />
              </Form.Item>
            </Col>
          ) : (
            <>
              <Col span={8}>
                <Form.Item name="academicYear" label="学年" rules={[{ required: true, message: '请选择学年' }]}>
                  <Select options={academicYearOptions(today).map((value) => ({ value, label: `${value} 学年` }))} data-testid="fee-item-form-academic-year" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="term" label="学期" rules={[{ required: true, message: '请选择学期' }]}>
                  <Select
                    options={[
                      { value: 1, label: '第一学期（秋季）' },
                      { value: 2, label: '第二学期（春季）' },
                    ]}
                    data-testid="fee-item-form-term"
                  />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>

        <Typography.Title level={5}>价格表</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          学生按所在班级匹配最具体的一行：班级优先于年级，年级优先于学部。未匹配到价格的学生发布时会被跳过。
        </Typography.Paragraph>
        <Form.List name="prices">
          {(fields, { add, remove }) => (
            <div data-testid="fee-item-form-prices">
              {fields.map((field, index) => (
                <Row gutter={12} key={field.key} align="top" data-testid="fee-item-form-price-row">
                  <Col span={14}>
                    <Form.Item name={[field.name, 'nodeId']} rules={[{ required: true, message: '请选择学部、年级或班级' }]}>
                      <TreeSelect
                        treeData={priceTree}
                        placeholder={nodeId ? '学部 / 年级 / 班级' : '请先选择适用学校'}
                        disabled={!nodeId}
                        showSearch
                        treeNodeFilterProp="label"
                        treeNodeLabelProp="fullTitle"
                        listHeight={320}
                        data-testid={`fee-item-form-price-node-${index}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item name={[field.name, 'amountYuan']} rules={[{ required: true, message: '请填写金额' }, yuanRule({ label: '金额' })]}>
                      <Input prefix="¥" suffix="元" inputMode="decimal" placeholder="0.00" data-testid={`fee-item-form-price-amount-${index}`} />
                    </Form.Item>
                  </Col>
                  <Col span={2}>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label="删除此行"
                      disabled={fields.length <= 1}
                      onClick={() => remove(field.name)}
                    />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 24 }} data-testid="fee-item-form-add-price">
                添加价格
              </Button>
            </div>
          )}
        </Form.List>

        <Typography.Title level={5}>缴费规则</Typography.Title>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="dueDate" label="缴费截止日期" rules={[{ required: true, message: '请选择缴费截止日期' }]} {...dateField('YYYY-MM-DD')}>
              <DatePicker style={{ width: '100%' }} data-testid="fee-item-form-due-date" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="mandatory" label="缴费要求">
              <Radio.Group
                optionType="button"
                options={[
                  { value: true, label: '必缴' },
                  { value: false, label: '选缴' },
                ]}
                data-testid="fee-item-form-mandatory"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="refundable" label="可退费" valuePropName="checked">
              <Switch checkedChildren="可退" unCheckedChildren="不可退" data-testid="fee-item-form-refundable" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="allowPartial" label="允许部分缴费" valuePropName="checked">
              <Switch data-testid="fee-item-form-partial" />
            </Form.Item>
          </Col>
          {allowPartial && (
            <Col span={8}>
              <Form.Item
                name="minPaymentYuan"
                label="单次最低缴费"
                rules={[{ required: true, message: '请填写最低缴费金额' }, yuanRule({ label: '最低缴费金额' })]}
                extra="剩余金额低于该值时可一次缴清"
              >
                <Input prefix="¥" suffix="元" inputMode="decimal" placeholder="0.00" data-testid="fee-item-form-min-payment" />
              </Form.Item>
            </Col>
          )}
        </Row>

        <Form.Item
          name="payeeAccountId"
          label="收款账户"
          rules={[{ required: true, message: '请选择收款账户' }]}
          extra={nodeId && payeeOptions.length === 0 ? (canCreatePayee ? '该学校还没有收款账户，请先新建' : '该学校还没有收款账户，请联系集团管理员创建') : undefined}
        >
          <Select
            placeholder={nodeId ? '选择收款账户' : '请先选择适用学校'}
            disabled={!nodeId}
            options={payeeOptions.map((payee) => ({ value: payee.id, label: `${payee.name}（商户号 ${payee.mchid}，${payee.bankName} ${payee.bankAccountMasked}）` }))}
            data-testid="fee-item-form-payee"
            popupRender={(menu) => (
              <>
                {menu}
                {canCreatePayee && (
                  <Button type="link" icon={<PlusOutlined />} onClick={() => setAddingPayee(true)} data-testid="fee-item-form-new-payee-inline">
                    新建收款账户
                  </Button>
                )}
              </>
            )}
          />
        </Form.Item>
        {canCreatePayee && (
          <Button type="link" icon={<PlusOutlined />} style={{ marginTop: -16, marginBottom: 16, paddingInline: 0 }} onClick={() => setAddingPayee(true)} data-testid="fee-item-form-new-payee">
            新建收款账户
          </Button>
        )}

        <Form.Item name="description" label="说明" rules={[{ max: 200, message: '最多 200 个字' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="选填，家长缴费时可见" data-testid="fee-item-form-description" />
        </Form.Item>
      </Form>
      <PayeeAccountModal
        open={addingPayee}
        nodes={nodes}
        rootId={scopeNodeId}
        defaultNodeId={nodeId}
        onClose={() => setAddingPayee(false)}
        onCreated={(payee) => {
          setAddingPayee(false);
          onPayeeCreated(payee);
          form.setFieldValue('payeeAccountId', payee.id);
        }}
      />
    </Drawer>
  );
}
