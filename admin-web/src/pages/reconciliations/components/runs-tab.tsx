import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { DownloadOutlined, PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { businessDay, displayYuan, type PayeeAccount, type ReconciliationLine, type ReconciliationPeriod } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as reconciliationService from '../../../services/reconciliation.ts';
import { isAbortError } from '../../../services/request.ts';
import { saveDownloadedFile } from '../../../services/save-file.ts';
import {
  RECONCILIATION_STATUS_COLORS,
  defaultListPeriod,
  defaultRunDay,
  payeeLabel,
  periodIncluding,
  runDayProblem,
  sideNets,
  startedText,
  statusText,
} from '../reconciliation-view.ts';
import { ResolveLineModal } from './resolve-line-modal.tsx';
import { RunDrawer } from './run-drawer.tsx';
import { RunProgress } from './run-progress.tsx';

const ALL = 'all';
type RunItem = ReconciliationPeriod['items'][number];

interface RunsTabProps {
  payees: readonly PayeeAccount[];
  canReconcile: boolean;
  canExport: boolean;
}

const muted = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;

/** 微信对账: run a merchant's day, follow the run, the period's runs with both sides' figures, a run's differences, the report. */
export function RunsTab({ payees, canReconcile, canExport }: RunsTabProps) {
  const { message } = App.useApp();
  const today = businessDay();
  const [payeeId, setPayeeId] = useState<string | undefined>(undefined);
  const [day, setDay] = useState(() => defaultRunDay(today));
  const [starting, setStarting] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const [started, setStarted] = useState<reconciliationService.StartedRun[]>([]);
  const [period, setPeriod] = useState(() => defaultListPeriod(today));
  const [list, setList] = useState<ReconciliationPeriod | null>(null);
  const [loading, setLoading] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [drawerKey, setDrawerKey] = useState(0);
  const [resolving, setResolving] = useState<ReconciliationLine | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    reconciliationService
      .listReconciliations({ ...period, payeeAccountId: payeeId }, controller.signal)
      .then((next) => {
        setList(next);
        setListError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setListError(describeError(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [period, payeeId, reloadKey]);

  const problem = runDayProblem(day, today);
  const run = async () => {
    if (problem) return;
    setStarting(true);
    setRunError(null);
    try {
      const answer = await reconciliationService.startReconciliation({ date: day, payeeAccountId: payeeId });
      setStarted(answer.items);
      setPeriod((current) => periodIncluding(current, day));
      setReloadKey((k) => k + 1);
      message.success(startedText(answer.items.length, day));
    } catch (err) {
      setRunError(describeError(err));
    } finally {
      setStarting(false);
    }
  };

  const onRunFinished = useCallback(() => setReloadKey((k) => k + 1), []);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      saveDownloadedFile(await reconciliationService.exportReconciliationReport({ ...period, payeeAccountId: payeeId }), `微信对账_${period.from}_${period.to}.xlsx`);
      message.success('已导出对账报表');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  const namesOf = (ids: readonly string[]) => ids.map((id) => payees.find((p) => p.id === id)?.name ?? id).join('、');
  const totals = list?.totals;
  const totalNets = totals ? sideNets(totals.amounts) : null;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless" title="发起对账">
        <Space wrap size={[12, 12]}>
          <Select<string>
            value={payeeId ?? ALL}
            onChange={(value) => setPayeeId(value === ALL ? undefined : value)}
            style={{ width: 340 }}
            popupMatchSelectWidth={false}
            options={[{ value: ALL, label: '全部收款账户（所有商户）' }, ...payees.map((p) => ({ value: p.id, label: payeeLabel(p) }))]}
            data-testid="reconciliation-payee"
          />
          {/* A wrapper carries the test id: the picker's own props land on an inner element. */}
          <span data-testid="reconciliation-day">
            <DatePicker
              value={dayjs(day)}
              allowClear={false}
              onChange={(next) => {
                if (next) setDay(next.format('YYYY-MM-DD'));
              }}
              disabledDate={(d) => runDayProblem(d.format('YYYY-MM-DD'), today) !== null}
              placeholder="对账日期"
              style={{ width: 160 }}
            />
          </span>
          {canReconcile && (
            <Button type="primary" icon={<PlayCircleOutlined />} loading={starting} disabled={problem !== null} onClick={() => void run()} data-testid="reconciliation-run">
              开始对账
            </Button>
          )}
          <Typography.Text type="secondary">业务日按北京时间；重复对账同一天是安全的，结果相同。</Typography.Text>
        </Space>
        {problem && <Alert type="warning" showIcon message={problem} style={{ marginTop: 12 }} data-testid="reconciliation-run-problem" />}
        {runError && <Alert type="error" showIcon message={runError} style={{ marginTop: 12 }} data-testid="reconciliation-run-problem" />}
        {started.length > 0 && (
          <Space direction="vertical" style={{ width: '100%', marginTop: 16 }}>
            {started.map((item) => (
              <RunProgress key={`${item.reconciliationId}:${item.jobId ?? ''}`} started={item} payeeNames={namesOf(item.payeeAccountIds)} onFinished={onRunFinished} onOpen={setOpenId} />
            ))}
          </Space>
        )}
      </Card>

      <Card
        variant="borderless"
        title="对账记录"
        extra={
          <Space wrap>
            <span data-testid="reconciliation-period">
              <DatePicker.RangePicker
                allowClear={false}
                value={[dayjs(period.from), dayjs(period.to)]}
                onChange={(range) => {
                  const from = range?.[0]?.format('YYYY-MM-DD');
                  const to = range?.[1]?.format('YYYY-MM-DD');
                  if (from && to) setPeriod({ from, to });
                }}
                disabledDate={(d) => d.format('YYYY-MM-DD') > today}
                style={{ width: 260 }}
              />
            </span>
            <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
              刷新
            </Button>
            {canExport && (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="reconciliation-export">
                导出 Excel
              </Button>
            )}
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {listError && <Alert type="error" showIcon message={listError} style={{ margin: 12 }} />}
        {totals && (totals.pendingDays > 0 || totals.failedDays > 0) && (
          <Alert type="warning" showIcon style={{ margin: 12 }} message={`期间内待对账 ${totals.pendingDays} 天，对账失败 ${totals.failedDays} 天`} />
        )}
        <Table<RunItem>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={list?.items ?? []}
          scroll={{ x: 1100 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 条` }}
          locale={{ emptyText: '期间内没有对账记录' }}
          onRow={(item) =>
            ({
              'data-testid': 'reconciliation-row',
              'data-reconciliation-id': item.id,
              'data-day': item.day,
              'data-mchid': item.mchid,
              'data-status': item.status,
              'data-open': item.counts?.open ?? 0,
            }) as HTMLAttributes<HTMLElement>
          }
          columns={[
            { title: '对账日期', dataIndex: 'day', width: 110, fixed: 'left' },
            {
              title: '商户 / 收款账户',
              key: 'merchant',
              width: 220,
              render: (_, item) => (
                <span>
                  {item.mchid}
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.payeeNames.join('、')}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: '状态',
              dataIndex: 'status',
              width: 150,
              render: (_, item) => (
                <Tag color={RECONCILIATION_STATUS_COLORS[item.status]} bordered={false} data-testid="reconciliation-status" data-status={item.status}>
                  {statusText(item)}
                </Tag>
              ),
            },
            {
              title: '微信（笔数 / 金额）',
              key: 'wechat',
              align: 'right',
              render: (_, item) =>
                item.counts && item.amounts ? (
                  <span data-testid="reconciliation-wechat" data-count={item.counts.wechatPayments} data-value={item.amounts.wechatPaymentsFen}>
                    {item.counts.wechatPayments} 笔 · {displayYuan(item.amounts.wechatPaymentsFen)}
                    {item.counts.wechatRefunds > 0 && (
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        退款 {item.counts.wechatRefunds} 笔 · {displayYuan(item.amounts.wechatRefundsFen)}
                      </Typography.Text>
                    )}
                  </span>
                ) : (
                  muted('—')
                ),
            },
            {
              title: '平台（笔数 / 金额）',
              key: 'platform',
              align: 'right',
              render: (_, item) =>
                item.counts && item.amounts ? (
                  <span data-testid="reconciliation-platform" data-count={item.counts.platformPayments} data-value={item.amounts.platformPaymentsFen}>
                    {item.counts.platformPayments} 笔 · {displayYuan(item.amounts.platformPaymentsFen)}
                    {item.counts.platformRefunds > 0 && (
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        退款 {item.counts.platformRefunds} 笔 · {displayYuan(item.amounts.platformRefundsFen)}
                      </Typography.Text>
                    )}
                  </span>
                ) : (
                  muted('—')
                ),
            },
            {
              title: '差额',
              key: 'gap',
              width: 110,
              align: 'right',
              render: (_, item) => {
                if (!item.amounts) return muted('—');
                const { gapFen } = sideNets(item.amounts);
                return (
                  <span data-testid="reconciliation-difference" data-value={gapFen}>
                    {gapFen === 0 ? displayYuan(0) : <Typography.Text type="danger">{displayYuan(gapFen)}</Typography.Text>}
                  </span>
                );
              },
            },
            { title: '手续费', key: 'fee', width: 100, align: 'right', render: (_, item) => (item.amounts ? displayYuan(item.amounts.wechatFeeFen) : muted('—')) },
            {
              title: '待处理',
              key: 'open',
              width: 80,
              align: 'right',
              render: (_, item) => (item.counts ? item.counts.open > 0 ? <Typography.Text type="danger">{item.counts.open} 笔</Typography.Text> : '0' : muted('—')),
            },
            {
              title: '操作',
              key: 'op',
              width: 70,
              fixed: 'right',
              render: (_, item) => (
                <Typography.Link onClick={() => setOpenId(item.id)} data-testid="reconciliation-view">
                  查看
                </Typography.Link>
              ),
            },
          ]}
          summary={() =>
            totals && totalNets && (list?.items.length ?? 0) > 0 ? (
              <Table.Summary>
                <Table.Summary.Row
                  data-testid="reconciliation-total-row"
                  data-wechat={totals.amounts.wechatPaymentsFen}
                  data-platform={totals.amounts.platformPaymentsFen}
                  data-open={totals.counts.open}
                  style={{ fontWeight: 600 }}
                >
                  <Table.Summary.Cell index={0} colSpan={3}>
                    合计（{period.from} 至 {period.to}）
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {totals.counts.wechatPayments} 笔 · {displayYuan(totals.amounts.wechatPaymentsFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    {totals.counts.platformPayments} 笔 · {displayYuan(totals.amounts.platformPaymentsFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {displayYuan(totalNets.gapFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">
                    {displayYuan(totals.amounts.wechatFeeFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={7} align="right">
                    {totals.counts.open}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={8} />
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </Card>

      <RunDrawer reconciliationId={openId} refreshKey={drawerKey} canResolve={canReconcile} onResolve={setResolving} onClose={() => setOpenId(null)} />
      <ResolveLineModal
        line={resolving}
        onClose={() => setResolving(null)}
        onDone={() => {
          setResolving(null);
          setDrawerKey((k) => k + 1);
          setReloadKey((k) => k + 1);
        }}
      />
    </Space>
  );
}
