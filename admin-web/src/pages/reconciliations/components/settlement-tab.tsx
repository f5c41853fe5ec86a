import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, Card, Checkbox, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { RECONCILIATION_STATUS_LABELS, addDays, businessDay, displayYuan, type PayeeAccount, type ReconciliationStatus, type SettlementRow, type SettlementView } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import * as reconciliationService from '../../../services/reconciliation.ts';
import { isAbortError } from '../../../services/request.ts';
import { RECONCILIATION_STATUS_COLORS, payeeLabel, settlementHasActivity } from '../reconciliation-view.ts';

const ALL = 'all';

const money = (fen: number | null) => (fen === null ? <Typography.Text type="secondary">待对账</Typography.Text> : fen === 0 ? <Typography.Text type="secondary">—</Typography.Text> : displayYuan(fen));

/**
 * 资金结算: per payee account and day, WeChat Pay collected and refunded,
 * WeChat's fee from the reconciled bill, the net WeChat settles T+1, the
 * counter's takings by method, and the fund-flow bill's difference.
 */
export function SettlementTab({ payees }: { payees: readonly PayeeAccount[] }) {
  const today = businessDay();
  const [payeeId, setPayeeId] = useState<string | undefined>(undefined);
  const [period, setPeriod] = useState({ from: addDays(today, -6), to: today });
  const [activeOnly, setActiveOnly] = useState(true);
  const [view, setView] = useState<SettlementView | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    reconciliationService
      .getSettlements({ ...period, payeeAccountId: payeeId }, controller.signal)
      .then((next) => {
        setView(next);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [period, payeeId]);

  const rows = useMemo(() => (view?.rows ?? []).filter((row) => !activeOnly || settlementHasActivity(row)), [view, activeOnly]);
  const totals = view?.totals;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Space wrap size={[12, 12]}>
          <Select<string>
            value={payeeId ?? ALL}
            onChange={(value) => setPayeeId(value === ALL ? undefined : value)}
            style={{ width: 340 }}
            popupMatchSelectWidth={false}
            options={[{ value: ALL, label: '全部收款账户' }, ...payees.map((p) => ({ value: p.id, label: payeeLabel(p) }))]}
            data-testid="settlement-payee"
          />
          <span data-testid="settlement-period">
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
          <Checkbox checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} data-testid="settlement-active-only">
            只看有发生额的日期
          </Checkbox>
          <Typography.Text type="secondary">微信手续费取自当日已对账的交易账单；应结算净额于次日（T+1）结算到收款账户。</Typography.Text>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Card variant="borderless" styles={{ body: { padding: 0 } }}>
        <Table<SettlementRow>
          rowKey={(row) => `${row.day}|${row.payeeAccountId}`}
          size="small"
          loading={loading}
          dataSource={rows}
          scroll={{ x: 1300 }}
          pagination={{ pageSize: 31, hideOnSinglePage: true }}
          locale={{ emptyText: activeOnly ? '期间内没有发生额' : '没有数据' }}
          onRow={(row) => ({ 'data-testid': 'settlement-row', 'data-day': row.day, 'data-payee-account-id': row.payeeAccountId }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: '日期', dataIndex: 'day', width: 104, fixed: 'left' },
            { title: '收款账户', dataIndex: 'payeeName', width: 170, render: (name: string, row) => <span title={`商户号 ${row.mchid}`}>{name}</span> },
            { title: '线上收款', dataIndex: 'onlineGrossFen', align: 'right', render: money },
            { title: '线上退款', dataIndex: 'onlineRefundFen', align: 'right', render: money },
            { title: '微信手续费', dataIndex: 'wechatFeeFen', align: 'right', render: money },
            {
              title: '应结算净额',
              dataIndex: 'netSettlementFen',
              align: 'right',
              render: (fen: number) => (
                <Typography.Text strong data-testid="settlement-net" data-value={fen}>
                  {displayYuan(fen)}
                </Typography.Text>
              ),
            },
            { title: '结算日', dataIndex: 'settlementDate', width: 104 },
            { title: '现金', dataIndex: 'cashFen', align: 'right', render: money },
            { title: 'POS', dataIndex: 'posFen', align: 'right', render: money },
            { title: '转账', dataIndex: 'transferFen', align: 'right', render: money },
            { title: '柜台净额', dataIndex: 'counterNetFen', align: 'right', render: money },
            {
              title: '对账',
              dataIndex: 'reconciliationStatus',
              width: 90,
              render: (status: ReconciliationStatus | null) =>
                status ? (
                  <Tag color={RECONCILIATION_STATUS_COLORS[status]} bordered={false}>
                    {RECONCILIATION_STATUS_LABELS[status]}
                  </Tag>
                ) : (
                  <Typography.Text type="secondary">未对账</Typography.Text>
                ),
            },
            {
              title: '资金账单差额',
              dataIndex: 'fundFlowDifferenceFen',
              align: 'right',
              render: (fen: number | null) => (fen === null ? <Typography.Text type="secondary">—</Typography.Text> : fen === 0 ? displayYuan(0) : <Typography.Text type="danger">{displayYuan(fen)}</Typography.Text>),
            },
          ]}
          summary={() =>
            totals ? (
              <Table.Summary fixed>
                <Table.Summary.Row
                  data-testid="settlement-total-row"
                  data-online={totals.onlineGrossFen}
                  data-net={totals.netSettlementFen}
                  data-counter={totals.counterNetFen}
                  style={{ fontWeight: 600 }}
                >
                  <Table.Summary.Cell index={0} colSpan={2}>
                    合计
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {displayYuan(totals.onlineGrossFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {displayYuan(totals.onlineRefundFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    {totals.wechatFeeFen === null ? '—' : displayYuan(totals.wechatFeeFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {displayYuan(totals.netSettlementFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} />
                  <Table.Summary.Cell index={7} align="right">
                    {displayYuan(totals.cashFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={8} align="right">
                    {displayYuan(totals.posFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={9} align="right">
                    {displayYuan(totals.transferFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={10} align="right">
                    {displayYuan(totals.counterNetFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={11} />
                  <Table.Summary.Cell index={12} align="right">
                    {totals.fundFlowDifferenceFen === null ? '—' : displayYuan(totals.fundFlowDifferenceFen)}
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
