import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Form, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { businessDay, type BalancesReport } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as insightDataService from '../../../services/insight-data.ts';
import * as orgService from '../../../services/org.ts';
import { isAbortError } from '../../../services/request.ts';
import { PeriodFilter } from '../../reports/components/report-filters.tsx';
import { readBaselinePeriod, schoolChoices, yuanOrDash, type SchoolChoice } from '../insight-data-view.ts';

type School = BalancesReport['schools'][number];

function DayField({ value, onChange, testId, placeholder }: { value: string | undefined; onChange(day: string | undefined): void; testId: string; placeholder: string }) {
  const today = businessDay();
  return (
    // The wrapper carries the test id: the picker's own props land on its input.
    <span data-testid={testId}>
      <DatePicker
        value={value ? dayjs(value) : null}
        onChange={(day) => onChange(day ? day.format('YYYY-MM-DD') : undefined)}
        disabledDate={(day) => day.format('YYYY-MM-DD') > today}
        placeholder={placeholder}
        style={{ width: 150 }}
      />
    </span>
  );
}

/**
 * 基准期: per school, the pre-onboarding period its average balance is
 * measured against, and the schools' average balances over a period with
 * the uplift. `reloadKey` changes after an upload so new balances show.
 */
export function BaselinesCard({ reloadKey }: { reloadKey: number }) {
  const { message } = App.useApp();
  const [from, setFrom] = useState<string | undefined>(undefined);
  const [to, setTo] = useState<string | undefined>(undefined);
  const [report, setReport] = useState<BalancesReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [schools, setSchools] = useState<SchoolChoice[]>([]);
  const [nodeId, setNodeId] = useState<string | undefined>(undefined);
  const [baselineFrom, setBaselineFrom] = useState<string | undefined>(undefined);
  const [baselineTo, setBaselineTo] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    orgService
      .listOrgNodes({ signal: controller.signal })
      .then((nodes) => setSchools(schoolChoices(nodes)))
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    insightDataService
      .getBalances({ from, to }, controller.signal)
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
  }, [from, to, reloadKey, refresh]);

  const names = useMemo(() => new Map(schools.map((s) => [s.value, s.label])), [schools]);

  const edit = (school: School) => {
    setNodeId(school.node.id);
    setBaselineFrom(school.baseline?.from);
    setBaselineTo(school.baseline?.to);
    setProblem(null);
  };

  const save = async () => {
    const checked = readBaselinePeriod(nodeId, baselineFrom, baselineTo);
    if (!checked.ok) {
      setProblem(checked.message);
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      const saved = await insightDataService.setBaseline(checked.value);
      const average = saved.averageBalanceFen === null ? '基准期内尚无余额数据' : `基准期日均余额 ${yuanOrDash(saved.averageBalanceFen)}（${saved.daysWithData} 天）`;
      message.success(`已设置「${names.get(saved.nodeId) ?? saved.nodeId}」的基准期：${average}`);
      setRefresh((k) => k + 1);
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless" title="设置基准期">
        <Typography.Paragraph type="secondary">
          选择学校接入平台之前的一段时间（如上学期同期）作为基准期。存款拉动 = 统计期间的日均余额 − 各校基准期日均余额之和；范围内每所有余额的学校都设置了基准期才计算拉动。
        </Typography.Paragraph>
        <Form layout="inline" data-testid="baseline-form">
          <Form.Item label="学校">
            <Select
              showSearch
              optionFilterProp="label"
              value={nodeId}
              onChange={setNodeId}
              options={schools}
              placeholder="选择学校或校区"
              style={{ width: 260 }}
              data-testid="baseline-school"
            />
          </Form.Item>
          <Form.Item label="基准期">
            <Space>
              <DayField value={baselineFrom} onChange={setBaselineFrom} testId="baseline-from" placeholder="开始日期" />
              <span>至</span>
              <DayField value={baselineTo} onChange={setBaselineTo} testId="baseline-to" placeholder="结束日期" />
            </Space>
          </Form.Item>
          <Form.Item>
            <Button type="primary" loading={saving} onClick={() => void save()} data-testid="baseline-save">
              保存基准期
            </Button>
          </Form.Item>
        </Form>
        {problem && <Alert type="error" showIcon message={problem} style={{ marginTop: 12 }} data-testid="baseline-error" />}
      </Card>
      <Card
        variant="borderless"
        title={report ? `各校日均余额（${report.from} 至 ${report.to}）` : '各校日均余额'}
        extra={
          <Space>
            <PeriodFilter from={from} to={to} onChange={(f, t) => { setFrom(f); setTo(t); }} testId="baseline-period" />
            <Button icon={<ReloadOutlined />} onClick={() => setRefresh((k) => k + 1)} aria-label="刷新" />
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {error && <Alert type="error" showIcon message={error} style={{ margin: 16 }} />}
        <Table<School>
          rowKey={(school) => school.node.id}
          size="middle"
          loading={loading}
          pagination={false}
          dataSource={report?.schools ?? []}
          locale={{ emptyText: '尚未导入余额，也没有设置基准期' }}
          onRow={(school) =>
            ({ 'data-testid': 'baseline-row', 'data-node-id': school.node.id, 'data-uplift': school.upliftFen ?? '', 'data-baseline': school.baseline?.averageBalanceFen ?? '' }) as HTMLAttributes<HTMLElement>
          }
          summary={() =>
            report ? (
              <Table.Summary.Row data-testid="baseline-total" data-uplift={report.summary.upliftFen ?? ''}>
                <Table.Summary.Cell index={0}>合计（{report.node.name}）</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">{report.summary.accounts}</Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">{yuanOrDash(report.summary.averageBalanceFen)}</Table.Summary.Cell>
                <Table.Summary.Cell index={3}>{report.summary.schoolsWithBaseline} 所设有基准期</Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">{yuanOrDash(report.summary.baselineAverageFen)}</Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">{yuanOrDash(report.summary.upliftFen)}</Table.Summary.Cell>
                <Table.Summary.Cell index={6} />
              </Table.Summary.Row>
            ) : null
          }
          columns={[
            { title: '学校', key: 'name', render: (_: unknown, s) => names.get(s.node.id) ?? s.node.name },
            { title: '账户数', dataIndex: 'accounts', width: 80, align: 'right' },
            { title: '期间日均余额', key: 'average', width: 160, align: 'right', render: (_: unknown, s) => `${yuanOrDash(s.averageBalanceFen)}${s.daysWithData ? `（${s.daysWithData} 天）` : ''}` },
            { title: '基准期', key: 'baseline', width: 220, render: (_: unknown, s) => (s.baseline ? `${s.baseline.from} 至 ${s.baseline.to}` : <Typography.Text type="secondary">未设置</Typography.Text>) },
            { title: '基准日均余额', key: 'baselineAverage', width: 160, align: 'right', render: (_: unknown, s) => yuanOrDash(s.baseline?.averageBalanceFen ?? null) },
            { title: '拉动', key: 'uplift', width: 160, align: 'right', render: (_: unknown, s) => yuanOrDash(s.upliftFen) },
            {
              title: '操作',
              key: 'actions',
              width: 110,
              render: (_: unknown, s) => (
                <Button type="link" size="small" onClick={() => edit(s)} data-testid="baseline-edit">
                  {s.baseline ? '修改基准期' : '设置基准期'}
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
