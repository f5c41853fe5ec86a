import { useRef, useState } from 'react';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, AutoComplete, Button, DatePicker, Space, Tag, Tooltip, Typography } from 'antd';
import type { AuditEntry } from '@campuspay/shared';
import dayjs, { type Dayjs } from 'dayjs';
import * as auditService from '../../services/audit.ts';
import type { AuditChainVerification } from '../../services/audit.ts';
import { describeError } from '../../services/describe-error.ts';
import {
  ACTION_LABELS,
  OBJECT_TYPE_LABELS,
  actionLabel,
  dayRangeQuery,
  objectTypeLabel,
  roleLabel,
  verificationText,
} from './audit-format.ts';
import { AuditEntryDetail } from './components/audit-entry-detail.tsx';
import { latestOnly } from '../../services/latest-only.ts';

/** Answers to superseded filters never replace the current one on screen. */
const listAuditLogs = latestOnly((...args: Parameters<typeof auditService.listAuditLogs>) => auditService.listAuditLogs(...args));

interface AuditSearch {
  action?: string;
  objectType?: string;
  objectId?: string;
  username?: string;
  range?: string[];
}

const ACTION_OPTIONS = Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label: `${label}（${value}）` }));

/** The date-range filter, wrapped so tests can find it (the picker drops data-* attributes). */
function DayRangeField({ value, onChange }: { value?: [Dayjs | null, Dayjs | null] | null; onChange?: (value: [Dayjs | null, Dayjs | null] | null) => void }) {
  return (
    <div data-testid="audit-filter-range">
      <DatePicker.RangePicker value={value ?? null} onChange={(next) => onChange?.(next)} style={{ width: '100%' }} allowEmpty={[true, true]} />
    </div>
  );
}

/** 审计日志: who did what to which record, newest first; the hash chain can be verified. */
export default function AuditLogsPage() {
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditChainVerification | null>(null);

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await auditService.verifyAuditChain());
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setVerifying(false);
    }
  };

  const columns: ProColumns<AuditEntry>[] = [
    { title: '序号', dataIndex: 'seq', width: 72, search: false },
    {
      title: '时间',
      dataIndex: 'at',
      width: 160,
      search: false,
      render: (_, record) => dayjs(record.at).format('YYYY-MM-DD HH:mm:ss'),
    },
    {
      title: '时间范围',
      dataIndex: 'range',
      valueType: 'dateRange',
      hideInTable: true,
      renderFormItem: () => <DayRangeField />,
    },
    {
      title: '操作人',
      dataIndex: 'username',
      width: 140,
      fieldProps: { placeholder: '用户名（精确匹配）', 'data-testid': 'audit-filter-username' },
      render: (_, record) => (
        <Space direction="vertical" size={0}>
          <Typography.Text>{record.actor.username}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {roleLabel(record.actor.role)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '操作',
      dataIndex: 'action',
      width: 180,
      renderFormItem: () => (
        <AutoComplete
          allowClear
          options={ACTION_OPTIONS}
          placeholder="选择或输入操作代码"
          filterOption={(input, option) => (option?.label ?? '').toLowerCase().includes(input.toLowerCase())}
          data-testid="audit-filter-action"
        />
      ),
      render: (_, record) => (
        <Tooltip title={record.action}>
          <span>{actionLabel(record.action)}</span>
        </Tooltip>
      ),
    },
    {
      title: '对象类型',
      dataIndex: 'objectType',
      width: 116,
      valueType: 'select',
      valueEnum: Object.fromEntries(Object.entries(OBJECT_TYPE_LABELS).map(([value, text]) => [value, { text }])),
      fieldProps: { 'data-testid': 'audit-filter-object-type' },
      render: (_, record) => <Tag bordered={false}>{objectTypeLabel(record.objectType)}</Tag>,
    },
    {
      title: '对象编号',
      dataIndex: 'objectId',
      width: 170,
      ellipsis: true,
      fieldProps: { placeholder: '精确匹配' },
      render: (_, record) =>
        record.objectId ? (
          <Typography.Text copyable style={{ fontSize: 12 }}>
            {record.objectId}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: '原因',
      dataIndex: 'reason',
      search: false,
      ellipsis: true,
      render: (_, record) => record.reason ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    { title: 'IP', dataIndex: 'ip', width: 120, search: false, render: (_, record) => record.ip ?? '—' },
  ];

  return (
    <PageContainer title="审计日志" subTitle="所有修改数据与查看敏感信息的操作，按时间倒序">
      {verification && (
        <Alert
          data-testid="audit-verify-result"
          data-ok={String(verification.ok)}
          type={verification.ok ? 'success' : 'error'}
          showIcon
          closable
          onClose={() => setVerification(null)}
          message={verification.ok ? '哈希链完整' : '哈希链已断开'}
          description={verificationText(verification)}
          style={{ marginBottom: 16 }}
        />
      )}
      <ProTable<AuditEntry, AuditSearch>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        cardBordered={false}
        search={{ labelWidth: 'auto', defaultCollapsed: false, span: { xs: 24, sm: 12, md: 12, lg: 8, xl: 8, xxl: 6 } }}
        form={{ syncToUrl: false }}
        scroll={{ x: 1100 }}
        request={async (params) => {
          try {
            const page = await listAuditLogs({
              page: params.current ?? 1,
              pageSize: params.pageSize ?? 20,
              action: params.action,
              objectType: params.objectType,
              objectId: params.objectId,
              username: params.username,
              ...dayRangeQuery(params.range),
            });
            return { data: page.items, total: page.total, success: true };
          } catch (err) {
            message.error(describeError(err));
            return { data: [], total: 0, success: false };
          }
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], showTotal: (count) => `共 ${count} 条` }}
        expandable={{
          expandedRowRender: (record) => <AuditEntryDetail entry={record} />,
          expandRowByClick: true,
        }}
        toolBarRender={() => [
          <Button key="verify" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void verify()} data-testid="audit-verify">
            校验哈希链
          </Button>,
        ]}
        data-testid="audit-table"
      />
    </PageContainer>
  );
}
