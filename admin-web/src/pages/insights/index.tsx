import { useEffect, useMemo, useState } from 'react';
import { ArrowLeftOutlined, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Segmented, Space, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import {
  INSIGHT_GRANULARITIES,
  INSIGHT_GRANULARITY_LABELS,
  shanghai,
  type CardShareReport,
  type InsightGranularity,
  type InsightOverview,
  type InsightTrend,
  type SchoolRanking,
} from '@campuspay/shared';
import { describeError } from '../../services/describe-error.ts';
import * as insightsService from '../../services/insights.ts';
import { isAbortError } from '../../services/request.ts';
import { saveDownloadedFile } from '../../services/save-file.ts';
import { PeriodFilter } from '../reports/components/report-filters.tsx';
import { CardShareCard } from './components/card-share-card.tsx';
import { HeadlineFigures } from './components/headline-figures.tsx';
import { EChart } from '../../components/echart.tsx';
import { SchoolTable } from './components/school-table.tsx';
import { trendChartOption } from './insight-view.ts';

interface Dashboard {
  /** The `nodeId` asked for (undefined: the scope), so a drill-in never shows the previous node's figures. */
  requested: string | undefined;
  overview: InsightOverview;
  trend: InsightTrend;
  cardShare: CardShareReport;
  /** Null for a single campus: there is nothing below it to rank. */
  schools: SchoolRanking | null;
}

/**
 * 洞察概览: deposit uplift for the user's branch (or one school, `?nodeId=`):
 * headline figures, the trend, card share and the school ranking to drill
 * into. Aggregates only: nothing here identifies a parent.
 */
export default function InsightsPage() {
  const { message } = App.useApp();
  const [searchParams, setSearchParams] = useSearchParams();
  const nodeId = searchParams.get('nodeId') ?? undefined;
  const [from, setFrom] = useState<string | undefined>(undefined);
  const [to, setTo] = useState<string | undefined>(undefined);
  const [granularity, setGranularity] = useState<InsightGranularity>('day');
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const period = { nodeId, from, to };
    setLoading(true);
    Promise.all([
      insightsService.getOverview(period, signal),
      insightsService.getTrend({ ...period, granularity }, signal),
      insightsService.getCardShare(period, signal),
    ])
      .then(async ([overview, trend, cardShare]) => {
        const schools = overview.node.kind === 'campus' ? null : await insightsService.getSchoolRanking({ ...period, limit: 100 }, signal);
        setDashboard({ requested: nodeId, overview, trend, cardShare, schools });
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      })
      .finally(() => {
        if (!signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [nodeId, from, to, granularity, reloadKey]);

  const trendOption = useMemo(() => trendChartOption(dashboard?.trend ?? { points: [] }), [dashboard]);
  const current = dashboard && dashboard.requested === nodeId ? dashboard : null;

  const openNode = (id: string) => setSearchParams({ nodeId: id });

  // The server builds the same figures for the same node and period, watermarks the file with the exporter and audits it.
  const exportXlsx = async () => {
    setExporting(true);
    try {
      saveDownloadedFile(await insightsService.exportInsights('overview', { nodeId, from, to, granularity }), '存款拉动概览.xlsx');
      message.success('已导出洞察概览（文件带导出人水印，已记入审计）');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  return (
    <PageContainer
      title="洞察概览"
      subTitle={
        current ? (
          <span data-testid="insights-node" data-node-id={current.overview.node.id} data-node-kind={current.overview.node.kind}>
            {current.overview.node.label}
          </span>
        ) : undefined
      }
      extra={
        nodeId ? (
          <Button icon={<ArrowLeftOutlined />} onClick={() => setSearchParams({})} data-testid="insights-back">
            返回全部学校
          </Button>
        ) : undefined
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card variant="borderless">
          <Space wrap size={[12, 12]} style={{ width: '100%', justifyContent: 'space-between' }}>
            <Space wrap>
              <PeriodFilter
                from={from}
                to={to}
                allowClear
                onChange={(f, t) => {
                  setFrom(f);
                  setTo(t);
                }}
                testId="insights-period"
              />
              <Segmented<InsightGranularity>
                value={granularity}
                onChange={setGranularity}
                options={INSIGHT_GRANULARITIES.map((value) => ({ value, label: INSIGHT_GRANULARITY_LABELS[value] }))}
                data-testid="insights-granularity"
              />
            </Space>
            <Space>
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="insights-export">
                导出 Excel
              </Button>
              <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)} aria-label="刷新" />
            </Space>
          </Space>
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
            {current
              ? `统计期间 ${current.overview.from} 至 ${current.overview.to}（未选择时为近 30 天）· 生成于 ${shanghai(current.overview.generatedAt).format('YYYY-MM-DD HH:mm')}。`
              : ''}
            数据来自每日汇总，只含金额与人数，不含任何家长或学生的身份信息。
          </Typography.Paragraph>
        </Card>
        {error && <Alert type="error" showIcon message={error} data-testid="insights-error" />}
        {current ? (
          <>
            <HeadlineFigures overview={current.overview} />
            <Card variant="borderless" title="收款与结算净流入趋势">
              <EChart option={trendOption} testId="insights-trend-chart" />
            </Card>
            <CardShareCard report={current.cardShare} loading={loading} />
            {current.schools && <SchoolTable ranking={current.schools} loading={loading} onOpen={openNode} />}
          </>
        ) : (
          !error && <Card variant="borderless" loading />
        )}
      </Space>
    </PageContainer>
  );
}
