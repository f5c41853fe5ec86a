import { useEffect, useState } from 'react';
import {
  ModalForm,
  ProFormDigit,
  ProFormSelect,
  ProFormSwitch,
  ProFormText,
} from '@ant-design/pro-components';
import { Alert, App, Form } from 'antd';
import { ORG_KIND_LABELS, type OrgNode, type OrgNodeKind } from '@campuspay/shared';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import * as orgService from '../../../services/org.ts';
import { createRequestOf, formValuesOf, updateRequestOf, type NodeFormValues } from '../node-form.ts';

export type NodeFormMode = { type: 'create'; parent: OrgNode; kinds: OrgNodeKind[] } | { type: 'edit'; node: OrgNode };

interface NodeFormModalProps {
  mode: NodeFormMode | null;
  onClose(): void;
  onSaved(node: OrgNode): void;
}

const SCHOOL_CODE_HINT = '4–16 位字母或数字，家长绑定孩子时输入，全平台唯一';

/** Create a child node, or edit one: fields follow the node's kind. */
export function NodeFormModal({ mode, onClose, onSaved }: NodeFormModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<NodeFormValues>();
  const [error, setError] = useState<string | null>(null);
  const chosenKind = Form.useWatch('kind', form);
  const kind: OrgNodeKind | undefined = mode?.type === 'edit' ? mode.node.kind : chosenKind;

  useEffect(() => {
    if (!mode) return;
    setError(null);
    form.resetFields();
    if (mode.type === 'edit') form.setFieldsValue(formValuesOf(mode.node));
    else form.setFieldsValue({ kind: mode.kinds[0], international: false });
  }, [mode, form]);

  const title =
    mode?.type === 'edit'
      ? `编辑${ORG_KIND_LABELS[mode.node.kind]}：${mode.node.name}`
      : mode
        ? `在「${mode.parent.name}」下新增`
        : '';

  const handleFinish = async (values: NodeFormValues): Promise<boolean> => {
    if (!mode) return false;
    setError(null);
    const result = mode.type === 'edit' ? updateRequestOf(mode.node, values) : createRequestOf(mode.parent, values);
    if (!result.ok) {
      showFieldErrors(form, result.issues);
      return false;
    }
    try {
      let saved: OrgNode;
      if (mode.type === 'edit') {
        if (Object.keys(result.value).length === 0) {
          message.info('没有修改任何内容');
          return true;
        }
        saved = await orgService.updateOrgNode(mode.node.id, result.value);
        message.success('已保存');
      } else {
        saved = await orgService.createOrgNode(result.value as Parameters<typeof orgService.createOrgNode>[0]);
        message.success(`已新增${ORG_KIND_LABELS[saved.kind]}「${saved.name}」`);
      }
      onSaved(saved);
      return true;
    } catch (err) {
      showFieldErrors(form, fieldIssuesOf(err));
      setError(describeError(err));
      return false;
    }
  };

  return (
    <ModalForm<NodeFormValues>
      title={title}
      form={form}
      open={mode !== null}
      width={520}
      layout="horizontal"
      labelCol={{ span: 6 }}
      wrapperCol={{ span: 16 }}
      modalProps={{ onCancel: onClose, destroyOnHidden: true, maskClosable: false }}
      onOpenChange={(open) => !open && onClose()}
      onFinish={handleFinish}
      onValuesChange={() => error && setError(null)}
      submitter={{
        searchConfig: { submitText: mode?.type === 'edit' ? '保存' : '新增', resetText: '取消' },
        submitButtonProps: { 'data-testid': 'org-form-submit' },
      }}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
      {mode?.type === 'create' && (
        <ProFormSelect
          name="kind"
          label="类型"
          options={mode.kinds.map((value) => ({ value, label: ORG_KIND_LABELS[value] }))}
          rules={[{ required: true, message: '请选择类型' }]}
          allowClear={false}
          fieldProps={{ 'data-testid': 'org-form-kind' } as object}
        />
      )}
      <ProFormText
        name="name"
        label="名称"
        placeholder={kind ? `${ORG_KIND_LABELS[kind]}名称` : '名称'}
        fieldProps={{ maxLength: 60, showCount: true, 'data-testid': 'org-form-name' } as object}
        rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
      />
      {kind === 'campus' && (
        <ProFormText
          name="schoolCode"
          label="学校代码"
          placeholder="如 MDE001"
          extra={SCHOOL_CODE_HINT}
          fieldProps={{ maxLength: 16, style: { textTransform: 'uppercase' }, 'data-testid': 'org-form-school-code' } as object}
          rules={[
            { required: true, whitespace: true, message: '校区必须设置学校代码' },
            { pattern: /^[A-Za-z0-9]{4,16}$/, message: '学校代码应为 4–16 位字母或数字' },
          ]}
        />
      )}
      {kind === 'grade' && (
        <ProFormDigit
          name="level"
          label="年级序号"
          placeholder="1–12"
          min={1}
          max={12}
          extra="本学部的第几个年级（1 = 起始年级），升年级时使用"
          fieldProps={{ precision: 0, 'data-testid': 'org-form-level' } as object}
        />
      )}
      {kind === 'division' && (
        <ProFormSwitch
          name="international"
          label="国际部"
          extra="国际部的学生会被标记为有留学意向，用于银行洞察"
          fieldProps={{ 'data-testid': 'org-form-international' } as object}
        />
      )}
      <ProFormDigit
        name="sortOrder"
        label="排序"
        placeholder="数字越小越靠前"
        fieldProps={{ precision: 0 }}
      />
    </ModalForm>
  );
}
