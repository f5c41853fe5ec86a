import { useCallback, useEffect, useState } from 'react';
import { EditOutlined, SwapOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import { RELATIONSHIP_LABELS, type Student } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import { isAbortError } from '../../../services/request.ts';
import * as studentsService from '../../../services/students.ts';
import { GENDER_LABELS, orderedGuardians, STUDENT_STATUS_COLORS, STUDENT_STATUS_LABELS } from '../student-form.ts';
import { RevealableValue } from './revealable-value.tsx';

interface StudentDrawerProps {
  studentId: string | null;
  /** The server's answer to an edit or a move: shown at once, without another round trip. */
  latest: Student | null;
  canManage: boolean;
  onClose(): void;
  onEdit(student: Student): void;
  onMove(student: Student): void;
}

/** A student's record: details, class, guardians (masked), with reveal, edit and move. */
export function StudentDrawer({ studentId, latest, canManage, onClose, onEdit, onMove }: StudentDrawerProps) {
  const [student, setStudent] = useState<Student | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (id: string, signal: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      setStudent(await studentsService.getStudent(id, signal));
    } catch (err) {
      if (!isAbortError(err)) setError(describeError(err));
    } finally {
      if (!signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!studentId) {
      setStudent(null);
      return;
    }
    const controller = new AbortController();
    void load(studentId, controller.signal);
    return () => controller.abort();
  }, [studentId, load]);

  useEffect(() => {
    if (latest && latest.id === studentId) setStudent(latest);
  }, [latest, studentId]);

  const shown = student && student.id === studentId ? student : null;

  return (
    <Drawer
      open={studentId !== null}
      onClose={onClose}
      width={640}
      data-testid="student-drawer"
      title={
        shown ? (
          <Space>
            <span>{shown.name}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {shown.studentNo}
            </Typography.Text>
            <Tag color={STUDENT_STATUS_COLORS[shown.status]} bordered={false}>
              {STUDENT_STATUS_LABELS[shown.status]}
            </Tag>
          </Space>
        ) : (
          '学生详情'
        )
      }
      extra={
        shown &&
        canManage && (
          <Space>
            <Button icon={<EditOutlined />} onClick={() => onEdit(shown)} data-testid="student-edit">
              编辑
            </Button>
            <Button icon={<SwapOutlined />} onClick={() => onMove(shown)} data-testid="student-move">
              调班
            </Button>
          </Space>
        )
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {!shown && loading && <Skeleton active paragraph={{ rows: 8 }} />}
      {shown && (
        <>
          <Descriptions title="基本信息" column={2} size="small" bordered styles={{ label: { width: 96 } }}>
            <Descriptions.Item label="学号">{shown.studentNo}</Descriptions.Item>
            <Descriptions.Item label="姓名">{shown.name}</Descriptions.Item>
            <Descriptions.Item label="性别">{shown.gender ? GENDER_LABELS[shown.gender] : '—'}</Descriptions.Item>
            <Descriptions.Item label="状态">{STUDENT_STATUS_LABELS[shown.status]}</Descriptions.Item>
            <Descriptions.Item label="身份证号" span={2}>
              <RevealableValue
                key={`${shown.id}:id`}
                masked={shown.idNumberMasked}
                fieldLabel="身份证号"
                ownerLabel={`学生 ${shown.name}`}
                canReveal={canManage}
                reveal={async (reason) => (await studentsService.revealStudentIdNumber(shown.id, reason)).value}
                testId="reveal-student-idNumber"
              />
            </Descriptions.Item>
            <Descriptions.Item label="邀请码" span={2}>
              <Space direction="vertical" size={0}>
                <Typography.Text code copyable data-testid="student-invite-code" style={{ fontSize: 15, letterSpacing: 1 }}>
                  {shown.inviteCode}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  家长在小程序中输入学校代码与邀请码即可绑定孩子
                </Typography.Text>
              </Space>
            </Descriptions.Item>
          </Descriptions>

          <Descriptions title="所在班级" column={2} size="small" bordered style={{ marginTop: 24 }} styles={{ label: { width: 96 } }}>
            <Descriptions.Item label="校区">{shown.campusName}</Descriptions.Item>
            <Descriptions.Item label="学部">{shown.divisionName}</Descriptions.Item>
            <Descriptions.Item label="年级">{shown.gradeName}</Descriptions.Item>
            <Descriptions.Item label="班级">
              <span data-testid="student-class-name">{shown.className}</span>
            </Descriptions.Item>
          </Descriptions>

          <Typography.Title level={5} style={{ marginTop: 24 }}>
            监护人
          </Typography.Title>
          {shown.guardians.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未登记监护人" />
          ) : (
            <List
              bordered
              size="small"
              dataSource={orderedGuardians(shown.guardians)}
              data-testid="student-guardians"
              renderItem={(guardian, index) => (
                <List.Item key={guardian.guardianId}>
                  <Space direction="vertical" size={4} style={{ width: '100%' }}>
                    <Space>
                      <Typography.Text strong>{guardian.name || '（未填写姓名）'}</Typography.Text>
                      <Tag bordered={false}>{RELATIONSHIP_LABELS[guardian.relationship]}</Tag>
                      {guardian.primary && (
                        <Tag color="blue" bordered={false}>
                          主要联系人
                        </Tag>
                      )}
                    </Space>
                    <Space size={24} wrap>
                      <Space size={4}>
                        <Typography.Text type="secondary">手机号</Typography.Text>
                        <RevealableValue
                          key={`${guardian.guardianId}:phone`}
                          masked={guardian.phoneMasked}
                          fieldLabel="手机号"
                          ownerLabel={`监护人 ${guardian.name}`}
                          canReveal={canManage}
                          reveal={async (reason) => (await studentsService.revealGuardianField(guardian.guardianId, 'phone', reason)).value}
                          testId={`reveal-guardian-phone-${index}`}
                        />
                      </Space>
                      <Space size={4}>
                        <Typography.Text type="secondary">身份证号</Typography.Text>
                        <RevealableValue
                          key={`${guardian.guardianId}:id`}
                          masked={null}
                          emptyText="—"
                          fieldLabel="身份证号"
                          ownerLabel={`监护人 ${guardian.name}`}
                          canReveal={canManage}
                          revealWhenEmpty
                          reveal={async (reason) => (await studentsService.revealGuardianField(guardian.guardianId, 'idNumber', reason)).value}
                          testId={`reveal-guardian-idNumber-${index}`}
                        />
                      </Space>
                    </Space>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
