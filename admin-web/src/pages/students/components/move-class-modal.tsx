import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Form, Input, Modal, TreeSelect, Typography } from 'antd';
import type { OrgNode, Student } from '@campuspay/shared';
import { orgSelectTree, optionIds } from '../../../org/org-tree.ts';
import { describeError } from '../../../services/describe-error.ts';
import * as studentsService from '../../../services/students.ts';

interface MoveClassModalProps {
  student: Student | null;
  nodes: readonly OrgNode[];
  onClose(): void;
  onMoved(student: Student): void;
}

interface MoveValues {
  classId?: string;
  reason?: string;
}

/** 调班: another class of the same campus (moving campus is a transfer, not offered here). */
export function MoveClassModal({ student, nodes, onClose, onMoved }: MoveClassModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<MoveValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const treeData = useMemo(
    () =>
      student
        ? orgSelectTree(nodes, {
            rootId: student.campusId,
            visibleKinds: ['division', 'grade', 'class'],
            selectableKinds: ['class'],
          }).map(function markCurrent(option): typeof option {
            const children = option.children?.map(markCurrent);
            const current = option.value === student.classId;
            return {
              ...option,
              ...(current ? { title: `${option.title}（当前）`, selectable: false } : {}),
              ...(children ? { children } : {}),
            };
          })
        : [],
    [nodes, student],
  );

  useEffect(() => {
    if (!student) return;
    form.resetFields();
    setError(null);
  }, [student, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!student || !values?.classId) return;
    setBusy(true);
    setError(null);
    try {
      const reason = values.reason?.trim();
      const moved = await studentsService.moveStudent(student.id, { classId: values.classId, ...(reason ? { reason } : {}) });
      message.success(`已将 ${moved.name} 调至 ${moved.gradeName}${moved.className}`);
      onMoved(moved);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={student ? `调班：${student.name}（${student.studentNo}）` : '调班'}
      open={student !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确认调班"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'move-confirm' }}
      destroyOnHidden
    >
      {student && (
        <Typography.Paragraph type="secondary">
          当前：{student.campusName} / {student.divisionName} / {student.gradeName} / {student.className}。只能调至本校区的其他班级；已生成的账单不随之改变。
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="classId" label="目标班级" rules={[{ required: true, message: '请选择目标班级' }]}>
          <TreeSelect
            // A modal opens with a zoom animation; do not let the popup take the half-scaled width.
            styles={{ popup: { root: { minWidth: 360 } } }}
            treeData={treeData}
            treeDefaultExpandedKeys={optionIds(treeData).filter((id) => id !== student?.classId).slice(0, 50)}
            placeholder="选择本校区的班级"
            showSearch
            treeNodeFilterProp="label"
            treeNodeLabelProp="fullTitle"
            listHeight={320}
            data-testid="move-class-select"
          />
        </Form.Item>
        <Form.Item name="reason" label="调班原因" rules={[{ required: true, whitespace: true, message: '请填写调班原因（记入审计日志）' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="例如：家长申请，教务处批准" data-testid="move-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
