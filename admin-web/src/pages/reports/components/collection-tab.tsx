import { useEffect, useMemo, useState } from 'react';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Segmented, Space, Table, Typography } from 'antd';
import { COLLECTION_GROUP_BYS, COLLECTION_GROUP_BY_LABELS, displayYuan, shanghai, type CollectionGroupBy, type CollectionReport, type CollectionRow, type FeeItem, type OrgNode } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as reportsService from '../../../services/reports.ts';
import { isAbortError } from '../../../services/request.ts';
import { saveDownloadedFile } from '../../../services/save-file.ts';
import { collectionChartOption, formatRateBp, netCollectedFen, periodText } from '../report-view.ts';
import { FeeItemFilter, NodeFilter, PeriodFilter } from './report-filters.tsx';
import { EChart } from '../../../components/echart.tsx';

interface CollectionTabProps {
  nodes: readonly OrgNode[];
  rootId: string | undefined;
  defaultNodeId: string | undefined;
  feeItems: readonly FeeItem[];
  canExport: boolean;
}

const money = (fen: number) => displayYuan(fen);

/** 收费汇总: billed, concessions, collected (online / offline), refunded, outstanding and rate, grouped. */
export function CollectionTab({ nodes, rootId, defaultNodeId, feeItems, canExport }: CollectionTabProps) {
  const { message } = App.useApp();
  const [groupBy, setGroupBy] = useState<CollectionGroupBy>('campus');
  const [nodeId, setNodeId] = useState<string | undefined>(defaultNodeId);
  const [feeItemId, setFeeItemId] = useState<string | undefined>(undefined);
  const [from, setFrom] = useState<string | undefined>(undefined);
  const [to, setTo] = useState<string | undefined>(undefined);
  const [report, setReport] = useState<CollectionReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => setNodeId(defaultNodeId), [defaultNodeId]);

  const query = useMemo(() => ({ groupBy, nodeId, feeItemId, from, to }), [groupBy, nodeId, feeItemId, from, to]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    reportsService
      .getCollectionReport(query, controller.signal)
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
  }, [query, reloadKey]);

  const option = useMemo(() => collectionChartOption(report?.rows ?? []), [report]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      saveDownloadedFile(await reportsService.exportCollectionReport(query), `收费汇总-${COLLECTION_GROUP_BY_LABELS[groupBy]}.xlsx`);
      message.success('已导出收费汇总');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  const columns = [
    { title: COLLECTION_GROUP_BY_LABELS[groupBy], dataIndex: 'label', fixed: 'left' as const, width: 200 },
    { title: '账单数', dataIndex: 'bills', width: 80, align: 'right' as const },
    { title: '应收', dataIndex: 'billedFen', width: 120, align: 'right' as const, render: money },
    { title: '优惠减免', dataIndex: 'concessionFen', width: 110, align: 'right' as const, render: money },
    { title: '线上实收', dataIndex: 'collectedOnlineFen', width: 120, align: 'right' as const, render: money },
    { title: '线下实收', dataIndex: 'collectedOfflineFen', width: 120, align: 'right' as const, render: money },
    { title: '退款', dataIndex: 'refundedFen', width: 110, align: 'right' as const, render: money },
    { title: '未缴', dataIndex: 'outstandingFen', width: 120, align: 'right' as const, render: (fen: number) => <Typography.Text type={fen > 0 ? 'danger' : undefined}>{money(fen)}</Typography.Text> },
    { title: '收缴率', dataIndex: 'rateBp', width: 90, align: 'right' as const, render: (bp: number | null) => formatRateBp(bp) },
  ];

  const totals = report?.totals;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Space wrap size={[12, 12]} style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <Segmented<CollectionGroupBy>
              value={groupBy}
              onChange={setGroupBy}
              options={COLLECTION_GROUP_BYS.map((value) => ({ value, label: `按${COLLECTION_GROUP_BY_LABELS[value]}` }))}
              data-testid="report-group-by"
            />
            <NodeFilter nodes={nodes} rootId={rootId} value={nodeId} onChange={setNodeId} testId="report-node" />
            <FeeItemFilter items={feeItems} value={feeItemId} onChange={setFeeItemId} testId="report-fee-item" />
            <PeriodFilter
              from={from}
              to={to}
              onChange={(f, t) => {
                setFrom(f);
                setTo(t);
              }}
              testId="report-period"
            />
          </Space>
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)} aria-label="刷新" />
            {canExport && (
              <Button type="primary" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="report-export">
                导出 Excel
              </Button>
            )}
          </Space>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          {report ? `${report.scope.label} · 实收与退款期间：${periodText(report.from, report.to)} · 生成于 ${shanghai(report.generatedAt).format('YYYY-MM-DD HH:mm')}。` : ''}
          应收、优惠与未缴为账单当前数字；选择期间后，实收与退款只统计该期间入账的款项。
        </Typography.Paragraph>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Card variant="borderless" title="实收与未缴" loading={loading && !report}>
        {report && report.rows.length > 0 ? (
          <EChart option={option} testId="report-chart" />
        ) : (
          <Typography.Text type="secondary">没有数据</Typography.Text>
        )}
      </Card>
      <Card variant="borderless" styles={{ body: { padding: 0 } }}>
        <Table<CollectionRow>
          rowKey="key"
          size="middle"
          loading={loading}
          dataSource={report?.rows ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 1100 }}
          locale={{ emptyText: '该范围内没有已发布的账单' }}
          onRow={(row) => ({ 'data-testid': 'report-row', 'data-key': row.key }) as never}
          summary={() =>
            totals ? (
              <Table.Summary fixed>
                <Table.Summary.Row data-testid="report-total-row" data-billed={totals.billedFen} data-net-collected={netCollectedFen(totals)} data-outstanding={totals.outstandingFen} style={{ background: '#fafafa', fontWeight: 600 }}>
                  <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {totals.bills}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {money(totals.billedFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {money(totals.concessionFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    {money(totals.collectedOnlineFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {money(totals.collectedOfflineFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">
                    {money(totals.refundedFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={7} align="right">
                    {money(totals.outstandingFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={8} align="right">
                    {formatRateBp(totals.rateBp)}
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
