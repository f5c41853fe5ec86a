import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { idNumberProblem, STUDENT_STATUSES, type Student } from '@campuspay/shared';
import { showFieldErrors } from '../../../forms/zod-rule.ts';
import { describeError, fieldIssuesOf } from '../../../services/describe-error.ts';
import * as studentsService from '../../../services/students.ts';
import { GENDER_LABELS, STUDENT_STATUS_LABELS, updateStudentRequestOf, type EditStudentFormValues } from '../student-form.ts';

interface StudentEditModalProps {
  student: Student | null;
  onClose(): void;
  onSaved(student: Student): void;
}

/** Edit a student's own fields (class changes go through 调班). */
export function StudentEditModal({ student, onClose, onSaved }: StudentEditModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EditStudentFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!student) return;
    setError(null);
    form.setFieldsValue({ name: student.name, gender: student.gender ?? undefined, idNumber: '', status: student.status });
  }, [student, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!student || !values) return;
    const result = updateStudentRequestOf(student, values);
    if (!result.ok) {
      showFieldErrors(form, result.issues);
      return;
    }
    if (Object.keys(result.value).length === 0) {
      message.info('没有修改任何内容');
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await studentsService.updateStudent(student.id, result.value);
      message.success('学生信息已保存');
      onSaved(saved);
    } catch (err) {
      showFieldErrors(form, fieldIssuesOf(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={student ? `编辑学生：${student.name}（${student.studentNo}）` : '编辑学生'}
      open={student !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'student-edit-submit' }}
    >
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写学生姓名' }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="gender" label="性别">
          <Radio.Group options={(['male', 'female'] as const).map((value) => ({ value, label: GENDER_LABELS[value] }))} />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label="身份证号"
          extra={student?.idNumberMasked ? `当前：${student.idNumberMasked}；留空则不修改` : '未登记；可在此补录'}
          rules={[
            {
              validator: async (_rule, value: string | undefined) => {
                const problem = value?.trim() ? idNumberProblem(value) : null;
                if (problem) throw new Error(problem);
              },
            },
          ]}
        >
          <Input maxLength={18} placeholder="18 位身份证号" autoComplete="off" />
        </Form.Item>
        <Form.Item name="status" label="状态" rules={[{ required: true }]}>
          <Select options={STUDENT_STATUSES.map((value) => ({ value, label: STUDENT_STATUS_LABELS[value] }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
