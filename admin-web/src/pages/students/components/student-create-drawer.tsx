import { useEffect, useMemo, useState } from 'react';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Drawer, Form, Input, Radio, Row, Select, Space, TreeSelect, Typography } from 'antd';
import {
  GUARDIAN_RELATIONSHIPS,
  RELATIONSHIP_LABELS,
  idNumberProblem,
  phoneProblem,
  type OrgNode,
  type Student,
} from '@campuspay/shared';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import { orgSelectTree } from '../../../org/org-tree.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import * as studentsService from '../../../services/students.ts';
import { createStudentRequestOf, GENDER_LABELS, type CreateStudentFormValues } from '../student-form.ts';

const MAX_GUARDIANS = 4;

interface StudentCreateDrawerProps {
  open: boolean;
  nodes: readonly OrgNode[];
  /** Offer classes under this node (the header's campus, or the user's scope). */
  rootId: string | undefined;
  onClose(): void;
  onCreated(student: Student): void;
}

function problemRule(check: (value: string) => string | null) {
  return {
    validator: async (_rule: unknown, value: string | undefined) => {
      const problem = value?.trim() ? check(value) : null;
      if (problem) throw new Error(problem);
    },
  };
}

/** 新增学生: the student, the class and up to four guardians. */
export function StudentCreateDrawer({ open, nodes, rootId, onClose, onCreated }: StudentCreateDrawerProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateStudentFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const classTree = useMemo(
    () => orgSelectTree(nodes, { rootId, visibleKinds: ['campus', 'division', 'grade', 'class'], selectableKinds: ['class'] }),
    [nodes, rootId],
  );

  // The drawer unmounts its form when closed, so each opening starts blank.
  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const result = createStudentRequestOf(values);
    if (!result.ok) {
      showFieldErrors(form, result.issues);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await studentsService.createStudent(result.value);
      message.success(`已新增学生 ${created.name}（${created.studentNo}）`);
      onCreated(created);
    } catch (err) {
      showFieldErrors(form, fieldIssuesOf(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      title="新增学生"
      open={open}
      width={720}
      onClose={onClose}
      destroyOnHidden
      maskClosable={false}
      data-testid="student-create-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="student-create-submit">
            保存
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onValuesChange={() => error && setError(null)}
        initialValues={{ guardians: [{ relationship: 'mother', primary: true }] }}
      >
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          学生信息
        </Typography.Title>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="studentNo"
              label="学号"
              rules={[
                { required: true, whitespace: true, message: '请填写学号' },
                { pattern: /^\s*[A-Za-z0-9-]{1,32}\s*$/, message: '学号应为 1–32 位字母、数字或短横线' },
              ]}
            >
              <Input maxLength={32} placeholder="本校区内唯一" data-testid="student-form-no" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写学生姓名' }]}>
              <Input maxLength={30} data-testid="student-form-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="gender" label="性别">
              <Radio.Group options={(['male', 'female'] as const).map((value) => ({ value, label: GENDER_LABELS[value] }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="idNumber" label="身份证号" rules={[problemRule(idNumberProblem)]}>
              <Input maxLength={18} placeholder="选填，18 位" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="classId" label="班级" rules={[{ required: true, message: '请选择班级' }]}>
              <TreeSelect
                // A modal opens with a zoom animation; do not let the popup take the half-scaled width.
                styles={{ popup: { root: { minWidth: 360 } } }}
                treeData={classTree}
                placeholder="选择校区 / 学部 / 年级 / 班级"
                showSearch
                treeNodeFilterProp="label"
                treeNodeLabelProp="fullTitle"
                listHeight={360}
                data-testid="student-form-class"
              />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>监护人</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          同一手机号的监护人会自动合并（例如兄弟姐妹共用家长）。主要联系人接收缴费通知。
        </Typography.Paragraph>
        <Form.List name="guardians">
          {(fields, { add, remove }) => (
            <Space direction="vertical" size={12} style={{ width: '100%' }}>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  title={`监护人 ${index + 1}`}
                  data-testid="student-form-guardian"
                  extra={
                    <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                      删除
                    </Button>
                  }
                >
                  <Row gutter={12}>
                    <Col span={8}>
                      <Form.Item name={[field.name, 'name']} label="姓名" rules={[{ required: true, whitespace: true, message: '请填写监护人姓名' }]}>
                        <Input maxLength={30} />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item name={[field.name, 'relationship']} label="关系" rules={[{ required: true, message: '请选择关系' }]}>
                        <Select options={GUARDIAN_RELATIONSHIPS.map((value) => ({ value, label: RELATIONSHIP_LABELS[value] }))} />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item
                        name={[field.name, 'phone']}
                        label="手机号"
                        rules={[{ required: true, whitespace: true, message: '请填写手机号' }, problemRule(phoneProblem)]}
                      >
                        <Input maxLength={16} autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col span={16}>
                      <Form.Item name={[field.name, 'idNumber']} label="身份证号" rules={[problemRule(idNumberProblem)]}>
                        <Input maxLength={18} placeholder="选填" autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item name={[field.name, 'primary']} label="主要联系人" valuePropName="checked">
                        <Checkbox
                          onChange={(event) => {
                            // Only one primary contact: ticking one clears the others.
                            if (!event.target.checked) return;
                            const guardians = (form.getFieldValue('guardians') ?? []) as CreateStudentFormValues['guardians'];
                            form.setFieldValue(
                              'guardians',
                              guardians?.map((guardian, at) => ({ ...guardian, primary: at === index })),
                            );
                          }}
                        >
                          是
                        </Checkbox>
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              {fields.length < MAX_GUARDIANS && (
                <Button
                  type="dashed"
                  block
                  icon={<PlusOutlined />}
                  onClick={() => add({ relationship: fields.length === 0 ? 'mother' : 'father', primary: fields.length === 0 })}
                  data-testid="student-form-add-guardian"
                >
                  添加监护人
                </Button>
              )}
            </Space>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
