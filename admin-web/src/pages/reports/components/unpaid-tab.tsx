import { useEffect, useState } from 'react';
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { BILL_STATUS_LABELS, displayYuan, type FeeItem, type OrgNode, type UnpaidBillRow, type UnpaidReport } from '@campuspay/shared';
import { BILL_STATUS_COLORS } from '../../../billing/bill-display.ts';
import { describeError } from '../../../services/describe-error.ts';
import * as reportsService from '../../../services/reports.ts';
import { isAbortError } from '../../../services/request.ts';
import { saveDownloadedFile } from '../../../services/save-file.ts';
import { guardianText } from '../report-view.ts';
import { FeeItemFilter, NodeFilter } from './report-filters.tsx';

interface UnpaidTabProps {
  nodes: readonly OrgNode[];
  rootId: string | undefined;
  defaultNodeId: string | undefined;
  feeItems: readonly FeeItem[];
  canExport: boolean;
}

/** 欠费名单: every bill still owed, with guardians (phones masked) for follow-up. */
export function UnpaidTab({ nodes, rootId, defaultNodeId, feeItems, canExport }: UnpaidTabProps) {
  const { message } = App.useApp();
  const [nodeId, setNodeId] = useState<string | undefined>(defaultNodeId);
  const [feeItemId, setFeeItemId] = useState<string | undefined>(undefined);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [report, setReport] = useState<UnpaidReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => setNodeId(defaultNodeId), [defaultNodeId]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    reportsService
      .getUnpaidReport({ nodeId, feeItemId, overdueOnly, page, pageSize }, controller.signal)
      .then((next) => {
        setReport(next);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [nodeId, feeItemId, overdueOnly, page, pageSize]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      saveDownloadedFile(await reportsService.exportUnpaidReport({ nodeId, feeItemId, overdueOnly }), '欠费名单.xlsx');
      message.success('已导出欠费名单');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Space wrap size={[12, 12]} style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <NodeFilter nodes={nodes} rootId={rootId} value={nodeId} onChange={(v) => (setNodeId(v), setPage(1))} testId="report-unpaid-node" />
            <FeeItemFilter items={feeItems} value={feeItemId} onChange={(v) => (setFeeItemId(v), setPage(1))} testId="report-unpaid-fee-item" />
            <Space size={4}>
              <Switch checked={overdueOnly} onChange={(v) => (setOverdueOnly(v), setPage(1))} data-testid="report-unpaid-overdue" />
              <Typography.Text>只看逾期</Typography.Text>
            </Space>
          </Space>
          {canExport && (
            <Button type="primary" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="report-unpaid-export">
              导出 Excel
            </Button>
          )}
        </Space>
        {report && (
          <Space size={48} style={{ marginTop: 16 }} data-testid="report-unpaid-totals" data-outstanding={report.totals.outstandingFen}>
            <Statistic title="欠费账单" value={report.totals.bills} suffix="张" />
            <Statistic title="涉及学生" value={report.totals.students} suffix="名" />
            <Statistic title="欠费合计" value={displayYuan(report.totals.outstandingFen)} valueStyle={{ color: '#d4380d' }} />
          </Space>
        )}
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Card variant="borderless" styles={{ body: { padding: 0 } }}>
        <Table<UnpaidBillRow>
          rowKey="billId"
          size="middle"
          loading={loading}
          dataSource={report?.items ?? []}
          scroll={{ x: 1400 }}
          locale={{ emptyText: '没有欠费' }}
          onRow={(row) => ({ 'data-testid': 'report-unpaid-row', 'data-bill-id': row.billId }) as never}
          pagination={{
            current: page,
            pageSize,
            total: report?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [50, 100, 200],
            onChange: (p, size) => {
              setPage(size === pageSize ? p : 1);
              setPageSize(size);
            },
            showTotal: (n) => `共 ${n} 张`,
          }}
          columns={[
            {
              title: '学生',
              dataIndex: 'studentName',
              fixed: 'left',
              width: 130,
              render: (_, row) => (
                <span>
                  {row.studentName}
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {row.studentNo}
                  </Typography.Text>
                </span>
              ),
            },
            { title: '校区', dataIndex: 'campusName', width: 110 },
            { title: '班级', dataIndex: 'className', width: 170 },
            {
              title: '收费项目',
              dataIndex: 'feeItemName',
              width: 190,
              render: (_, row) => (
                <span>
                  {row.feeItemName}
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {row.periodLabel}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: '截止日期',
              dataIndex: 'dueDate',
              width: 120,
              render: (due: string, row) => (
                <span>
                  {due}{' '}
                  {row.overdue && (
                    <Tag color="red" bordered={false}>
                      逾期
                    </Tag>
                  )}
                </span>
              ),
            },
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (status: UnpaidBillRow['status']) => (
                <Tag color={BILL_STATUS_COLORS[status]} bordered={false}>
                  {BILL_STATUS_LABELS[status]}
                </Tag>
              ),
            },
            { title: '应缴', dataIndex: 'amountDueFen', width: 110, align: 'right', render: (fen: number) => displayYuan(fen) },
            { title: '优惠', dataIndex: 'concessionFen', width: 100, align: 'right', render: (fen: number) => (fen ? displayYuan(fen) : '—') },
            { title: '已缴', dataIndex: 'netPaidFen', width: 110, align: 'right', render: (fen: number) => (fen ? displayYuan(fen) : '—') },
            { title: '欠费', dataIndex: 'outstandingFen', width: 110, align: 'right', render: (fen: number) => <Typography.Text type="danger">{displayYuan(fen)}</Typography.Text> },
            {
              title: '监护人（手机号已脱敏）',
              dataIndex: 'guardians',
              width: 250,
              render: (_, row) =>
                row.guardians.length === 0 ? (
                  <Typography.Text type="secondary">未登记</Typography.Text>
                ) : (
                  <Space direction="vertical" size={0} data-testid="report-unpaid-guardians">
                    {row.guardians.map((g) => (
                      <Typography.Text key={`${g.name}${g.phoneMasked}`} type={g.primary ? undefined : 'secondary'} style={{ whiteSpace: 'nowrap' }}>
                        {guardianText(g)}
                      </Typography.Text>
                    ))}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
