import { useEffect, useState, type HTMLAttributes } from 'react';
import { Alert, Card, Col, Descriptions, Drawer, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { RECONCILIATION_OUTCOME_LABELS, displayYuan, shanghai, type Reconciliation, type ReconciliationLine } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as reconciliationService from '../../../services/reconciliation.ts';
import { isAbortError } from '../../../services/request.ts';
import { RECONCILIATION_STATUS_COLORS, RESOLUTION_COLORS, RESOLUTION_LABELS, lineGapFen, lineReference, sideNets, statusText } from '../reconciliation-view.ts';

interface RunDrawerProps {
  reconciliationId: string | null;
  /** Bumped by the page to load the run again (after a difference is resolved). */
  refreshKey: number;
  canResolve: boolean;
  onResolve(line: ReconciliationLine): void;
  onClose(): void;
}

function time(iso: string | null): string {
  return iso ? shanghai(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}

const amount = (fen: number | null | undefined) => (fen === null || fen === undefined ? <Typography.Text type="secondary">—</Typography.Text> : displayYuan(fen));

function Figure({ id, label, fen, strong }: { id: string; label: string; fen: number; strong?: boolean }) {
  return (
    <div data-testid={`reconciliation-figure-${id}`} data-value={fen}>
      <Statistic title={label} value={displayYuan(fen)} valueStyle={{ fontSize: strong ? 20 : 16, color: strong && fen !== 0 ? '#d4380d' : undefined }} />
    </div>
  );
}

/** One merchant's day: what each side says, the counts, and every difference with its resolution. */
export function RunDrawer({ reconciliationId, refreshKey, canResolve, onResolve, onClose }: RunDrawerProps) {
  const [run, setRun] = useState<Reconciliation | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!reconciliationId) {
      setRun(null);
      return;
    }
    const controller = new AbortController();
    setError(null);
    reconciliationService
      .getReconciliation(reconciliationId, controller.signal)
      .then(setRun)
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, [reconciliationId, refreshKey]);

  const shown = run && run.id === reconciliationId ? run : null;
  const nets = shown?.amounts ? sideNets(shown.amounts) : null;
  const counts = shown?.counts;

  return (
    <Drawer
      open={reconciliationId !== null}
      onClose={onClose}
      width={980}
      title={
        shown ? (
          <Space>
            <span>对账 {shown.day}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              商户号 {shown.mchid} · {shown.payeeNames.join('、')}
            </Typography.Text>
            <Tag color={RECONCILIATION_STATUS_COLORS[shown.status]} bordered={false} data-testid="reconciliation-drawer-status" data-status={shown.status}>
              {statusText(shown)}
            </Tag>
          </Space>
        ) : (
          '对账详情'
        )
      }
    >
      <div data-testid="reconciliation-drawer">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        {!shown && !error && <Skeleton active paragraph={{ rows: 10 }} />}
        {shown && (
          <Space direction="vertical" size={20} style={{ width: '100%' }}>
            {shown.lastError && <Alert type={shown.status === 'failed' ? 'error' : 'warning'} showIcon message={shown.lastError} />}
            {shown.amounts && nets && (
              <Card size="small" variant="borderless" style={{ background: '#f6f8fb' }}>
                <Row gutter={[8, 12]}>
                  <Col span={6}>
                    <Figure id="wechat-payments" label={`微信收款（${counts?.wechatPayments ?? 0} 笔）`} fen={shown.amounts.wechatPaymentsFen} />
                  </Col>
                  <Col span={6}>
                    <Figure id="platform-payments" label={`平台收款（${counts?.platformPayments ?? 0} 笔）`} fen={shown.amounts.platformPaymentsFen} />
                  </Col>
                  <Col span={6}>
                    <Figure id="wechat-refunds" label={`微信退款（${counts?.wechatRefunds ?? 0} 笔）`} fen={shown.amounts.wechatRefundsFen} />
                  </Col>
                  <Col span={6}>
                    <Figure id="platform-refunds" label={`平台退款（${counts?.platformRefunds ?? 0} 笔）`} fen={shown.amounts.platformRefundsFen} />
                  </Col>
                  <Col span={6}>
                    <Figure id="difference" label="差额（微信 − 平台）" fen={nets.gapFen} strong />
                  </Col>
                  <Col span={6}>
                    <Figure id="fee" label="微信手续费" fen={shown.amounts.wechatFeeFen} />
                  </Col>
                  <Col span={6}>
                    <Figure id="net-settlement" label="应结算净额（T+1）" fen={shown.amounts.netSettlementFen} />
                  </Col>
                  {shown.fundFlow && shown.fundFlow.differenceFen !== null && (
                    <Col span={6}>
                      <Figure id="fund-flow-difference" label="资金账单差额" fen={shown.fundFlow.differenceFen} strong />
                    </Col>
                  )}
                </Row>
              </Card>
            )}
            {counts && (
              <Descriptions size="small" column={4} bordered>
                <Descriptions.Item label="账单明细">{counts.billLines} 行</Descriptions.Item>
                <Descriptions.Item label="一致">{counts.matched} 笔</Descriptions.Item>
                <Descriptions.Item label="跨日一致">{counts.crossDay} 笔</Descriptions.Item>
                <Descriptions.Item label="自动处理">{counts.autoFixed} 笔</Descriptions.Item>
                <Descriptions.Item label="微信有、平台无">{counts.wechatOnly} 笔</Descriptions.Item>
                <Descriptions.Item label="平台有、微信无">{counts.platformOnly} 笔</Descriptions.Item>
                <Descriptions.Item label="金额不一致">{counts.amountDiffers} 笔</Descriptions.Item>
                <Descriptions.Item label="状态不一致">{counts.statusDiffers} 笔</Descriptions.Item>
                <Descriptions.Item label="已处理">{counts.resolved} 笔</Descriptions.Item>
                <Descriptions.Item label="待处理">
                  <span data-testid="reconciliation-drawer-open" data-value={counts.open}>
                    {counts.open > 0 ? <Typography.Text type="danger">{counts.open} 笔</Typography.Text> : '0 笔'}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label="对账次数">{shown.runs}</Descriptions.Item>
                <Descriptions.Item label="完成时间">{time(shown.finishedAt)}</Descriptions.Item>
              </Descriptions>
            )}
            <div>
              <Typography.Title level={5} style={{ marginTop: 0 }}>
                差异明细
              </Typography.Title>
              <Table<ReconciliationLine>
                rowKey="id"
                size="small"
                dataSource={shown.lines ?? []}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                locale={{ emptyText: shown.counts ? '没有差异：微信账单与平台账簿逐笔一致' : '尚未对账' }}
                scroll={{ x: 900 }}
                onRow={(line) =>
                  ({
                    'data-testid': 'reconciliation-line',
                    'data-line-id': line.id,
                    'data-outcome': line.outcome,
                    'data-resolution': line.resolution,
                    'data-out-trade-no': line.outTradeNo ?? '',
                  }) as HTMLAttributes<HTMLElement>
                }
                expandable={{
                  rowExpandable: (line) => Boolean(line.summary || line.action),
                  expandedRowRender: (line) => (
                    <Descriptions size="small" column={1}>
                      <Descriptions.Item label="说明">{line.summary}</Descriptions.Item>
                      {line.transactionId && <Descriptions.Item label="微信支付单号">{line.transactionId}</Descriptions.Item>}
                      {line.wechat && <Descriptions.Item label="微信记录">{`${line.wechat.time} · ${line.wechat.status} · ${line.wechat.bankType}`}</Descriptions.Item>}
                      {line.platform && <Descriptions.Item label="平台记录">{`${line.platform.status}${line.platform.day ? ` · 记账日 ${line.platform.day}` : ''}`}</Descriptions.Item>}
                      {line.resolvedAt && <Descriptions.Item label="处理人">{`${line.resolvedBy === 'system' ? '系统' : (line.resolvedBy ?? '')} · ${time(line.resolvedAt)}`}</Descriptions.Item>}
                    </Descriptions>
                  ),
                }}
                columns={[
                  { title: '类型', dataIndex: 'kind', width: 64, render: (kind: ReconciliationLine['kind']) => (kind === 'payment' ? '支付' : '退款') },
                  { title: '差异', dataIndex: 'outcome', width: 120, render: (outcome: ReconciliationLine['outcome']) => RECONCILIATION_OUTCOME_LABELS[outcome] },
                  {
                    title: '商户订单号',
                    key: 'reference',
                    render: (_, line) => (
                      <Typography.Text copyable style={{ fontFamily: 'monospace', fontSize: 12 }}>
                        {lineReference(line)}
                      </Typography.Text>
                    ),
                  },
                  {
                    title: '微信金额',
                    key: 'wechat',
                    width: 110,
                    align: 'right',
                    render: (_, line) => (
                      <span data-testid="reconciliation-line-wechat" data-value={line.wechat?.amountFen ?? ''}>
                        {amount(line.wechat?.amountFen)}
                      </span>
                    ),
                  },
                  {
                    title: '平台金额',
                    key: 'platform',
                    width: 110,
                    align: 'right',
                    render: (_, line) => {
                      const gap = lineGapFen(line);
                      return (
                        <span data-testid="reconciliation-line-platform" data-value={line.platform?.amountFen ?? ''}>
                          {amount(line.platform?.amountFen)}
                          {gap !== null && gap !== 0 && (
                            <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                              差 {displayYuan(gap)}
                            </Typography.Text>
                          )}
                        </span>
                      );
                    },
                  },
                  {
                    title: '状态',
                    dataIndex: 'resolution',
                    width: 96,
                    render: (resolution: ReconciliationLine['resolution']) => (
                      <Tag color={RESOLUTION_COLORS[resolution]} bordered={false} data-testid="reconciliation-line-status">
                        {RESOLUTION_LABELS[resolution]}
                      </Tag>
                    ),
                  },
                  { title: '处理说明', dataIndex: 'action', width: 200, render: (action: string | null) => action ?? <Typography.Text type="secondary">—</Typography.Text> },
                  {
                    title: '操作',
                    key: 'op',
                    width: 64,
                    fixed: 'right',
                    render: (_, line) =>
                      line.resolution === 'open' && canResolve ? (
                        <Typography.Link onClick={() => onResolve(line)} data-testid="reconciliation-line-resolve">
                          处理
                        </Typography.Link>
                      ) : null,
                  },
                ]}
              />
            </div>
            {shown.bill && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                微信交易账单 {shown.bill.lines} 行，{shown.bill.bytes} 字节，{shown.bill.hashType} {shown.bill.hashValue}
              </Typography.Text>
            )}
          </Space>
        )}
      </div>
    </Drawer>
  );
}
