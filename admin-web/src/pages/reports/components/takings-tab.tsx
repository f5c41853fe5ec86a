import { useEffect, useMemo, useState } from 'react';
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Table, Typography } from 'antd';
import { defaultTakingsPeriod, displayYuan, type DailyTakingsReport, type DailyTakingsRow, type OrgNode } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as reportsService from '../../../services/reports.ts';
import { isAbortError } from '../../../services/request.ts';
import { saveDownloadedFile } from '../../../services/save-file.ts';
import { takingsChartOption } from '../report-view.ts';
import { NodeFilter, PeriodFilter } from './report-filters.tsx';
import { EChart } from '../../../components/echart.tsx';

interface TakingsTabProps {
  nodes: readonly OrgNode[];
  rootId: string | undefined;
  defaultNodeId: string | undefined;
  canExport: boolean;
}

const money = (fen: number) => (fen === 0 ? <Typography.Text type="secondary">—</Typography.Text> : displayYuan(fen));

/** 每日收款: money booked per business day by method, refunds and net, as a line chart and a table. */
export function TakingsTab({ nodes, rootId, defaultNodeId, canExport }: TakingsTabProps) {
  const { message } = App.useApp();
  const initial = defaultTakingsPeriod();
  const [nodeId, setNodeId] = useState<string | undefined>(defaultNodeId);
  const [from, setFrom] = useState<string>(initial.from);
  const [to, setTo] = useState<string>(initial.to);
  const [report, setReport] = useState<DailyTakingsReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => setNodeId(defaultNodeId), [defaultNodeId]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    reportsService
      .getDailyTakings({ from, to, nodeId }, controller.signal)
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
  }, [from, to, nodeId]);

  const option = useMemo(() => takingsChartOption(report?.rows ?? []), [report]);
  const rows = useMemo(() => [...(report?.rows ?? [])].reverse(), [report]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      saveDownloadedFile(await reportsService.exportDailyTakings({ from, to, nodeId }), `每日收款-${from}-${to}.xlsx`);
      message.success('已导出每日收款');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  const totals = report?.totals;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Space wrap size={[12, 12]} style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <NodeFilter nodes={nodes} rootId={rootId} value={nodeId} onChange={setNodeId} testId="report-takings-node" />
            <PeriodFilter
              from={from}
              to={to}
              allowClear={false}
              onChange={(f, t) => {
                setFrom(f ?? initial.from);
                setTo(t ?? initial.to);
              }}
              testId="report-takings-period"
            />
          </Space>
          {canExport && (
            <Button type="primary" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="report-takings-export">
              导出 Excel
            </Button>
          )}
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Card variant="borderless" title="每日收款趋势" loading={loading && !report}>
        <EChart option={option} testId="report-takings-chart" />
      </Card>
      <Card variant="borderless" styles={{ body: { padding: 0 } }}>
        <Table<DailyTakingsRow>
          rowKey="day"
          size="small"
          loading={loading}
          dataSource={rows}
          pagination={{ pageSize: 31, hideOnSinglePage: true }}
          onRow={(row) => ({ 'data-testid': 'report-takings-row', 'data-day': row.day }) as never}
          columns={[
            { title: '日期', dataIndex: 'day', width: 110 },
            { title: '微信支付', dataIndex: 'onlineFen', align: 'right', render: money },
            { title: '现金', dataIndex: 'cashFen', align: 'right', render: money },
            { title: 'POS', dataIndex: 'posFen', align: 'right', render: money },
            { title: '转账', dataIndex: 'transferFen', align: 'right', render: money },
            { title: '退款', dataIndex: 'refundFen', align: 'right', render: (fen: number) => (fen ? <Typography.Text type="danger">-{displayYuan(fen)}</Typography.Text> : money(0)) },
            { title: '净额', dataIndex: 'netFen', align: 'right', render: (fen: number) => <Typography.Text strong>{displayYuan(fen)}</Typography.Text> },
            { title: '笔数', dataIndex: 'entries', width: 70, align: 'right' },
          ]}
          summary={() =>
            totals ? (
              <Table.Summary fixed>
                <Table.Summary.Row data-testid="report-takings-total-row" data-net={totals.netFen} style={{ background: '#fafafa', fontWeight: 600 }}>
                  <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {displayYuan(totals.onlineFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {displayYuan(totals.cashFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {displayYuan(totals.posFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    {displayYuan(totals.transferFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {totals.refundFen ? `-${displayYuan(totals.refundFen)}` : displayYuan(0)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">
                    {displayYuan(totals.netFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={7} align="right">
                    {totals.entries}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </Card>
    </Space>
  );
}
