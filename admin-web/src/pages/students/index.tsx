import { useEffect, useMemo, useRef, useState, type HTMLAttributes, type MouseEvent } from 'react';
import { CloudUploadOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Card, Input, Select, Space, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import { STUDENT_STATUSES, type Student, type StudentStatus } from '@campuspay/shared';
import { useNavigate } from 'react-router-dom';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import { orgSelectTree } from '../../org/org-tree.ts';
import { describeError } from '../../services/describe-error.ts';
import { saveDownloadedFile } from '../../services/save-file.ts';
import * as studentsService from '../../services/students.ts';
import { useSession } from '../../session/session-context.tsx';
import { MoveClassModal } from './components/move-class-modal.tsx';
import { StudentCreateDrawer } from './components/student-create-drawer.tsx';
import { StudentDrawer } from './components/student-drawer.tsx';
import { StudentEditModal } from './components/student-edit-modal.tsx';
import { GENDER_LABELS, guardianLine, orderedGuardians, STUDENT_STATUS_COLORS, STUDENT_STATUS_LABELS } from './student-form.ts';
import { latestOnly } from '../../services/latest-only.ts';

/** Answers to superseded filters never replace the current one on screen. */
const listStudents = latestOnly((...args: Parameters<typeof studentsService.listStudents>) => studentsService.listStudents(...args));

const ALL_STATUSES = 'all';

/** 学生名册: search and filter the roster, open a student, add, import, export. */
export default function StudentsPage() {
  const { user, access } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { nodes } = useOrgNodes();
  const campusFilter = useCampusFilter();
  const actionRef = useRef<ActionType>(undefined);

  const [searchText, setSearchText] = useState('');
  const [q, setQ] = useState('');
  // The header's campus is the default filter; picking another campus there resets it.
  const [nodeId, setNodeId] = useState<string | undefined>(campusFilter.campusId ?? undefined);
  const [status, setStatus] = useState<StudentStatus | undefined>(undefined);
  const [total, setTotal] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);

  const [openId, setOpenId] = useState<string | null>(null);
  const [latest, setLatest] = useState<Student | null>(null);
  const [editing, setEditing] = useState<Student | null>(null);
  const [moving, setMoving] = useState<Student | null>(null);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    setNodeId(campusFilter.campusId ?? undefined);
  }, [campusFilter.campusId]);

  const scopeNodeId = user?.scope.nodeId;
  const nodeTree = useMemo(
    () =>
      orgSelectTree(nodes, {
        rootId: scopeNodeId,
        visibleKinds: ['campus', 'division', 'grade', 'class'],
        selectableKinds: ['campus', 'division', 'grade', 'class'],
        withKindLabel: false,
      }),
    [nodes, scopeNodeId],
  );
  const canManage = access.canManageStudents;

  const columns: ProColumns<Student>[] = [
    {
      title: '学号',
      dataIndex: 'studentNo',
      width: 110,
      fixed: 'left',
      render: (_, record) => <Typography.Link onClick={() => setOpenId(record.id)}>{record.studentNo}</Typography.Link>,
    },
    { title: '姓名', dataIndex: 'name', width: 88, fixed: 'left' },
    { title: '性别', dataIndex: 'gender', width: 56, render: (_, record) => (record.gender ? GENDER_LABELS[record.gender] : '—') },
    { title: '校区', dataIndex: 'campusName', width: 110, ellipsis: true },
    { title: '学部', dataIndex: 'divisionName', width: 80 },
    { title: '年级', dataIndex: 'gradeName', width: 72 },
    { title: '班级', dataIndex: 'className', width: 64 },
    {
      title: '监护人',
      dataIndex: 'guardians',
      width: 210,
      render: (_, record) =>
        record.guardians.length === 0 ? (
          <Typography.Text type="secondary">未登记</Typography.Text>
        ) : (
          <Space direction="vertical" size={0}>
            {orderedGuardians(record.guardians).map((guardian) => (
              <Typography.Text key={guardian.guardianId} style={{ whiteSpace: 'nowrap' }} type={guardian.primary ? undefined : 'secondary'}>
                {guardianLine(guardian)}
              </Typography.Text>
            ))}
          </Space>
        ),
    },
    {
      title: (
        <Tooltip title="家长在小程序中输入学校代码与邀请码绑定孩子">
          <span>邀请码</span>
        </Tooltip>
      ),
      dataIndex: 'inviteCode',
      width: 116,
      render: (_, record) => (
        <Typography.Text code copyable={{ text: record.inviteCode }} onClick={(event) => event.stopPropagation()}>
          {record.inviteCode}
        </Typography.Text>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 72,
      render: (_, record) => (
        <Tag color={STUDENT_STATUS_COLORS[record.status]} bordered={false}>
          {STUDENT_STATUS_LABELS[record.status]}
        </Tag>
      ),
    },
    {
      title: '操作',
      valueType: 'option',
      width: 64,
      fixed: 'right',
      render: (_, record) => [
        <Typography.Link key="open" onClick={() => setOpenId(record.id)}>
          详情
        </Typography.Link>,
      ],
    },
  ];

  const exportRoster = async () => {
    setExporting(true);
    try {
      const file = await studentsService.exportStudents({ nodeId, q, status });
      saveDownloadedFile(file, '学生名册.xlsx');
      message.success('已导出学生名册');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  /** After an edit or a move: the drawer shows the answer, the list reloads. */
  const refresh = (student: Student) => {
    setLatest(student);
    void actionRef.current?.reload();
  };

  return (
    <PageContainer
      title="学生名册"
      subTitle={campusFilter.campus ? `当前校区：${campusFilter.campus.name}` : user ? `管辖范围：${user.scope.name}` : undefined}
    >
      {/* Wait for the organisation tree: the header's campus is the default filter. */}
      {!campusFilter.ready ? (
        <Card variant="borderless" loading style={{ minHeight: 320 }} />
      ) : (
        <ProTable<Student, { q: string; nodeId?: string; status?: StudentStatus }>
          rowKey="id"
          actionRef={actionRef}
          columns={columns}
          search={false}
          cardBordered={false}
          scroll={{ x: 1040 }}
          params={{ q, ...(nodeId ? { nodeId } : {}), ...(status ? { status } : {}) }}
          request={async (params) => {
            try {
              const page = await listStudents({
                page: params.current ?? 1,
                pageSize: params.pageSize ?? 20,
                q: params.q || undefined,
                nodeId: params.nodeId,
                status: params.status,
              });
              setTotal(page.total);
              return { data: page.items, total: page.total, success: true };
            } catch (err) {
              message.error(describeError(err));
              return { data: [], total: 0, success: false };
            }
          }}
          pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], showTotal: (count) => `共 ${count} 名学生` }}
          onRow={(record) =>
            ({
              onClick: (event: MouseEvent<HTMLElement>) => {
                if ((event.target as HTMLElement).closest('a,button,.ant-typography-copy')) return;
                setOpenId(record.id);
              },
              style: { cursor: 'pointer' },
              'data-testid': 'student-row',
              'data-student-no': record.studentNo,
            }) as HTMLAttributes<HTMLElement>
          }
          headerTitle={
            <Space wrap size={8}>
              <Input.Search
                allowClear
                placeholder="学号 / 姓名"
                value={searchText}
                onChange={(event) => {
                  setSearchText(event.target.value);
                  if (event.target.value === '') setQ('');
                }}
                onSearch={(value) => setQ(value.trim())}
                style={{ width: 220 }}
                data-testid="student-search"
                enterButton
              />
              <TreeSelect
                allowClear
                placeholder="全部校区 / 学部 / 年级 / 班级"
                treeData={nodeTree}
                value={nodeId}
                onChange={(value?: string) => setNodeId(value ?? undefined)}
                showSearch
                treeNodeFilterProp="label"
                treeNodeLabelProp="fullTitle"
                style={{ width: 260 }}
                listHeight={360}
                popupMatchSelectWidth={false}
                data-testid="student-node-filter"
              />
              <Select<string>
                value={status ?? ALL_STATUSES}
                onChange={(value) => setStatus(value === ALL_STATUSES ? undefined : (value as StudentStatus))}
                style={{ width: 112 }}
                options={[
                  { value: ALL_STATUSES, label: '全部状态' },
                  ...STUDENT_STATUSES.map((value) => ({ value, label: STUDENT_STATUS_LABELS[value] })),
                ]}
                data-testid="student-status-filter"
              />
              {total !== null && (
                <Typography.Text type="secondary" data-testid="student-total">
                  共 {total} 名
                </Typography.Text>
              )}
            </Space>
          }
          toolBarRender={() =>
            canManage
              ? [
                  <Button key="export" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportRoster()} data-testid="student-export">
                    导出
                  </Button>,
                  <Button key="import" icon={<CloudUploadOutlined />} onClick={() => navigate('/students/import')} data-testid="student-import">
                    导入
                  </Button>,
                  <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="student-create">
                    新增学生
                  </Button>,
                ]
              : []
          }
          options={{ density: true, reload: true, setting: true, fullScreen: false }}
          data-testid="student-table"
        />
      )}
      <StudentDrawer
        studentId={openId}
        latest={latest}
        canManage={canManage}
        onClose={() => setOpenId(null)}
        onEdit={setEditing}
        onMove={setMoving}
      />
      <StudentEditModal
        student={editing}
        onClose={() => setEditing(null)}
        onSaved={(student) => {
          setEditing(null);
          refresh(student);
        }}
      />
      <MoveClassModal
        student={moving}
        nodes={nodes}
        onClose={() => setMoving(null)}
        onMoved={(student) => {
          setMoving(null);
          refresh(student);
        }}
      />
      <StudentCreateDrawer
        open={creating}
        nodes={nodes}
        rootId={campusFilter.campusId ?? scopeNodeId}
        onClose={() => setCreating(false)}
        onCreated={(student) => {
          setCreating(false);
          void actionRef.current?.reload();
          setOpenId(student.id);
        }}
      />
    </PageContainer>
  );
}
