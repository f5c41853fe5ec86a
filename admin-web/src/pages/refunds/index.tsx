import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { ReloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Badge, Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { displayYuan, shanghai } from '@campuspay/shared';
import { Link } from 'react-router-dom';
import { REFUND_CHANNEL_LABELS, REFUND_STATUS_COLORS, REFUND_STATUS_LABELS } from '../../billing/refund-display.ts';
import { forgetBill, useBillLookup } from '../../billing/use-bill-lookup.ts';
import { describeError } from '../../services/describe-error.ts';
import * as refundsService from '../../services/refunds.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { RefundDecisionModal } from './components/refund-decision-modal.tsx';
import { canDecideRefund, countByStatus, defaultRefundFilter } from './refund-list.ts';

const ALL = 'ALL';
const FILTERS: (refundsService.RefundStatus | typeof ALL)[] = [ALL, 'PENDING_APPROVAL', 'PROCESSING', 'SUCCESS', 'ABNORMAL', 'REJECTED', 'CLOSED'];
const PAGE_SIZE = 20;

function time(iso: string | null): string {
  return iso ? shanghai(iso).format('YYYY-MM-DD HH:mm') : '—';
}

/** 退款审批: every refund in scope by status; group admins approve or reject those waiting. */
export default function RefundsPage() {
  const { access } = useSession();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<refundsService.RefundStatus | typeof ALL>(defaultRefundFilter(access) ?? ALL);
  const [all, setAll] = useState<refundsService.Refund[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [deciding, setDeciding] = useState<refundsService.Refund | null>(null);
  const [page, setPage] = useState(1);

  // One list for the counts; the status filter narrows it here (the server caps a list at 500).
  useEffect(() => {
    const controller = new AbortController();
    refundsService
      .listRefunds({}, controller.signal)
      .then((list) => {
        setAll(list);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, [reloadKey]);

  const counts = useMemo(() => countByStatus(all ?? []), [all]);
  const shown = useMemo(
    () => (all ?? []).filter((r) => filter === ALL || r.status === filter || (filter === 'PROCESSING' && r.status === 'SUBMITTING')),
    [all, filter],
  );
  const visible = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const bills = useBillLookup([...visible.map((r) => r.billId), deciding?.billId]);

  return (
    <PageContainer title="退款审批" subTitle={access.canApprove ? '超过审批额度的微信退款需集团管理员批准后提交' : '退款申请及处理进度'}>
      <Card variant="borderless">
        <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }} wrap>
          <Segmented
            value={filter}
            onChange={(value) => {
              setFilter(value as typeof filter);
              setPage(1);
            }}
            options={FILTERS.map((value) => ({
              value,
              label:
                value === ALL ? (
                  `全部 ${all?.length ?? ''}`
                ) : (
                  <span>
                    {REFUND_STATUS_LABELS[value]}{' '}
                    {value === 'PENDING_APPROVAL' && counts.PENDING_APPROVAL > 0 ? <Badge count={counts.PENDING_APPROVAL} size="small" /> : (value === 'PROCESSING' ? counts.PROCESSING + counts.SUBMITTING : counts[value]) || ''}
                  </span>
                ),
            }))}
            data-testid="refund-status-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
            刷新
          </Button>
        </Space>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Table<refundsService.Refund>
          rowKey="id"
          loading={all === null && !error}
          dataSource={shown}
          scroll={{ x: 1100 }}
          pagination={{ current: page, pageSize: PAGE_SIZE, onChange: setPage, showTotal: (n) => `共 ${n} 笔`, hideOnSinglePage: true }}
          locale={{ emptyText: filter === 'PENDING_APPROVAL' ? '没有待审批的退款' : '没有退款记录' }}
          onRow={(r) => ({ 'data-testid': 'refund-row', 'data-refund-id': r.id, 'data-status': r.status }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: '申请时间', dataIndex: 'createdAt', width: 140, render: (at: string) => time(at) },
            {
              title: '学生 / 收费项目',
              dataIndex: 'billId',
              width: 220,
              render: (billId: string) => {
                const bill = bills.get(billId);
                if (bill === undefined) return <Typography.Text type="secondary">…</Typography.Text>;
                if (bill === null) return <Typography.Text type="secondary">{billId}</Typography.Text>;
                return (
                  <span>
                    <Link to={`/bills?q=${encodeURIComponent(bill.studentNo)}`}>{bill.studentName}</Link> <Typography.Text type="secondary">{bill.studentNo}</Typography.Text>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {bill.feeItemName}
                    </Typography.Text>
                  </span>
                );
              },
            },
            { title: '金额', dataIndex: 'amountFen', width: 110, align: 'right', render: (fen: number) => <Typography.Text strong>{displayYuan(fen)}</Typography.Text> },
            { title: '方式', dataIndex: 'channel', width: 110, render: (c: 'wechat' | 'counter') => REFUND_CHANNEL_LABELS[c] },
            {
              title: '原因',
              dataIndex: 'reason',
              ellipsis: true,
              render: (reason: string, r) => (
                <span>
                  {r.automatic && (
                    <Tag bordered={false} color="purple">
                      系统自动
                    </Tag>
                  )}
                  {reason}
                </span>
              ),
            },
            {
              title: '状态',
              dataIndex: 'status',
              width: 150,
              render: (status: refundsService.RefundStatus, r) => (
                <Space direction="vertical" size={0}>
                  <Tag color={REFUND_STATUS_COLORS[status]} bordered={false} data-testid="refund-status">
                    {REFUND_STATUS_LABELS[status]}
                  </Tag>
                  {r.lastError && (
                    <Typography.Text type="danger" style={{ fontSize: 12 }}>
                      {r.lastError}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: '完成时间', dataIndex: 'completedAt', width: 140, render: (at: string | null) => time(at) },
            {
              title: '操作',
              width: 80,
              fixed: 'right',
              render: (_, r) =>
                canDecideRefund(r, access) ? (
                  <Typography.Link onClick={() => setDeciding(r)} data-testid="refund-decide">
                    审批
                  </Typography.Link>
                ) : null,
            },
          ]}
        />
      </Card>
      <RefundDecisionModal
        refund={deciding}
        bill={deciding ? bills.get(deciding.billId) : undefined}
        onClose={() => setDeciding(null)}
        onDone={(decided) => {
          setDeciding(null);
          forgetBill(decided.billId);
          setReloadKey((k) => k + 1);
          if (decided.status === 'ABNORMAL') message.error('微信支付拒绝了该退款，已进入异常队列');
        }}
      />
    </PageContainer>
  );
}
