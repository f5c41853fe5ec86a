import { useEffect, useMemo, useRef, useState, type HTMLAttributes, type MouseEvent } from 'react';
import { DownOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Card, Dropdown, Input, Select, Space, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import { BILL_STATUSES, BILL_STATUS_LABELS, displayYuan, type Bill, type BillStatus, type FeeItem } from '@campuspay/shared';
import { useSearchParams } from 'react-router-dom';
import { BILL_STATUS_COLORS, pendingConcessions } from '../../billing/bill-display.ts';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import { orgSelectTree } from '../../org/org-tree.ts';
import * as billingService from '../../services/billing.ts';
import { describeError } from '../../services/describe-error.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { BILL_ACTION_LABELS, billActionsFor, type BillAction } from './bill-actions.ts';
import { AdjustModal } from './components/adjust-modal.tsx';
import { BillDrawer } from './components/bill-drawer.tsx';
import { ConcessionDecisionModal, type ConcessionDecisionTarget } from './components/concession-decision-modal.tsx';
import { ConcessionModal } from './components/concession-modal.tsx';
import { ReasonModal, type ReasonAction } from './components/reason-modal.tsx';
import { RefundModal } from './components/refund-modal.tsx';
import { latestOnly } from '../../services/latest-only.ts';

/** Answers to superseded filters never replace the current one on screen. */
const listBills = latestOnly((...args: Parameters<typeof billingService.listBills>) => billingService.listBills(...args));

const ALL = 'all';
/** Shown as links in the row; the rest go under 更多. */
const INLINE_ACTIONS = 1;

type Acting = { action: Exclude<BillAction, 'approve'>; bill: Bill } | null;

/** 账单: every bill in scope, filtered by class, fee item, status or student; each with its actions and detail. */
export default function BillsPage() {
  const { user, access } = useSession();
  const { message } = App.useApp();
  const [searchParams] = useSearchParams();
  const { nodes } = useOrgNodes();
  const campusFilter = useCampusFilter();
  const actionRef = useRef<ActionType>(undefined);

  const [searchText, setSearchText] = useState(searchParams.get('q') ?? '');
  const [q, setQ] = useState(searchParams.get('q') ?? '');
  const [nodeId, setNodeId] = useState<string | undefined>(campusFilter.campusId ?? undefined);
  const [feeItemId, setFeeItemId] = useState<string | undefined>(searchParams.get('feeItemId') ?? undefined);
  const [status, setStatus] = useState<BillStatus | undefined>((searchParams.get('status') as BillStatus | null) ?? undefined);
  const [feeItems, setFeeItems] = useState<FeeItem[]>([]);
  const [total, setTotal] = useState<number | null>(null);

  const [openId, setOpenId] = useState<string | null>(null);
  const [latest, setLatest] = useState<Bill | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [acting, setActing] = useState<Acting>(null);
  const [deciding, setDeciding] = useState<ConcessionDecisionTarget | null>(null);

  useEffect(() => {
    setNodeId(campusFilter.campusId ?? undefined);
  }, [campusFilter.campusId]);

  useEffect(() => {
    const controller = new AbortController();
    billingService
      .listFeeItems({ includeArchived: true, signal: controller.signal })
      .then(setFeeItems)
      .catch((err: unknown) => {
        if (!isAbortError(err)) message.error(`收费项目加载失败：${describeError(err)}`);
      });
    return () => controller.abort();
  }, [message]);

  const nodeTree = useMemo(
    () =>
      orgSelectTree(nodes, {
        rootId: user?.scope.nodeId,
        visibleKinds: ['campus', 'division', 'grade', 'class'],
        selectableKinds: ['campus', 'division', 'grade', 'class'],
      }),
    [nodes, user?.scope.nodeId],
  );

  const actionsFor = (bill: Bill) => billActionsFor(bill, access);
  // One object per action, so the modal resets its form only when a new action starts.
  const reasonTarget = useMemo(
    () => (acting && (acting.action === 'cancel' || acting.action === 'waive') ? { action: acting.action as ReasonAction, bill: acting.bill } : null),
    [acting],
  );

  const startAction = (action: BillAction, bill: Bill) => {
    if (action === 'approve') {
      const pending = pendingConcessions(bill)[0];
      if (pending) setDeciding({ bill, concession: pending });
      return;
    }
    setActing({ action, bill });
  };

  /** After an action: the drawer shows the answer, the list reloads. */
  const applied = (bill: Bill) => {
    setActing(null);
    setDeciding(null);
    setLatest(bill);
    void actionRef.current?.reload();
  };

  const columns: ProColumns<Bill>[] = [
    {
      title: '学生',
      dataIndex: 'studentName',
      width: 140,
      fixed: 'left',
      render: (_, bill) => (
        <Space direction="vertical" size={0}>
          <Typography.Link onClick={() => setOpenId(bill.id)}>{bill.studentName}</Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {bill.studentNo}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '班级', dataIndex: 'className', width: 80 },
    {
      title: '收费项目',
      dataIndex: 'feeItemName',
      width: 190,
      render: (_, bill) => (
        <Space direction="vertical" size={0}>
          <span>
            {bill.feeItemName}
            {!bill.mandatory && (
              <Tag bordered={false} color="gold" style={{ marginInlineStart: 6 }}>
                选缴
              </Tag>
            )}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {bill.periodLabel} · 截止 {bill.dueDate}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '应缴', dataIndex: 'amountDueFen', width: 110, align: 'right', render: (_, bill) => displayYuan(bill.amountDueFen) },
    {
      title: '优惠',
      dataIndex: 'concessionFen',
      width: 120,
      align: 'right',
      render: (_, bill) => {
        const pending = pendingConcessions(bill);
        return (
          <Space direction="vertical" size={0} align="end" data-testid="bill-concession" data-value={bill.concessionFen}>
            <span>{bill.concessionFen > 0 ? displayYuan(bill.concessionFen) : '—'}</span>
            {pending.length > 0 && (
              <Tooltip title={`待审批：${pending.map((c) => `${c.label} ${displayYuan(c.amountFen)}`).join('，')}`}>
                <Tag color="gold" bordered={false} style={{ marginInlineEnd: 0 }} data-testid="bill-concession-pending">
                  待审批
                </Tag>
              </Tooltip>
            )}
          </Space>
        );
      },
    },
    { title: '已缴', dataIndex: 'paidFen', width: 110, align: 'right', render: (_, bill) => (bill.paidFen - bill.refundedFen > 0 ? displayYuan(bill.paidFen - bill.refundedFen) : '—') },
    {
      title: '待缴',
      dataIndex: 'outstandingFen',
      width: 110,
      align: 'right',
      render: (_, bill) => (
        <Typography.Text strong={bill.outstandingFen > 0} type={bill.outstandingFen > 0 ? 'danger' : undefined} data-testid="bill-outstanding" data-value={bill.outstandingFen}>
          {displayYuan(bill.outstandingFen)}
        </Typography.Text>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (_, bill) => (
        <Tag color={BILL_STATUS_COLORS[bill.status]} bordered={false} data-testid="bill-status" data-status={bill.status}>
          {BILL_STATUS_LABELS[bill.status]}
        </Tag>
      ),
    },
    {
      title: '操作',
      valueType: 'option',
      width: 150,
      fixed: 'right',
      render: (_, bill) => {
        const actions = actionsFor(bill);
        const inline = actions.slice(0, INLINE_ACTIONS);
        const more = actions.slice(INLINE_ACTIONS);
        return [
          <Typography.Link key="detail" onClick={() => setOpenId(bill.id)} data-testid="bill-detail">
            详情
          </Typography.Link>,
          ...inline.map((action) => (
            <Typography.Link key={action} onClick={() => startAction(action, bill)} data-testid={`bill-action-${action}`}>
              {BILL_ACTION_LABELS[action]}
            </Typography.Link>
          )),
          more.length > 0 && (
            <Dropdown
              key="more"
              trigger={['click']}
              menu={{
                items: more.map((action) => ({ key: action, label: <span data-testid={`bill-action-${action}`}>{BILL_ACTION_LABELS[action]}</span>, danger: action === 'cancel' })),
                onClick: ({ key }) => startAction(key as BillAction, bill),
              }}
            >
              <Typography.Link data-testid="bill-action-more">
                更多 <DownOutlined style={{ fontSize: 10 }} />
              </Typography.Link>
            </Dropdown>
          ),
        ].filter(Boolean);
      },
    },
  ];

  return (
    <PageContainer
      title="账单"
      subTitle={campusFilter.campus ? `当前校区：${campusFilter.campus.name}` : user ? `管辖范围：${user.scope.name}` : undefined}
    >
      {!campusFilter.ready ? (
        <Card variant="borderless" loading style={{ minHeight: 320 }} />
      ) : (
        <ProTable<Bill, { q: string; nodeId?: string; feeItemId?: string; status?: BillStatus }>
          rowKey="id"
          actionRef={actionRef}
          columns={columns}
          search={false}
          cardBordered={false}
          scroll={{ x: 1090 }}
          params={{ q, ...(nodeId ? { nodeId } : {}), ...(feeItemId ? { feeItemId } : {}), ...(status ? { status } : {}) }}
          request={async (params) => {
            try {
              const page = await listBills({
                page: params.current ?? 1,
                pageSize: params.pageSize ?? 20,
                q: params.q || undefined,
                nodeId: params.nodeId,
                feeItemId: params.feeItemId,
                status: params.status,
              });
              setTotal(page.total);
              return { data: page.items, total: page.total, success: true };
            } catch (err) {
              message.error(describeError(err));
              return { data: [], total: 0, success: false };
            }
          }}
          pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], showTotal: (count) => `共 ${count} 张账单` }}
          onRow={(bill) =>
            ({
              onClick: (event: MouseEvent<HTMLElement>) => {
                // Clicks in portals (the 更多 menu) bubble here through React but are not inside the row.
                if (!event.currentTarget.contains(event.target as Node)) return;
                if ((event.target as HTMLElement).closest('a,button,.ant-dropdown-trigger')) return;
                setOpenId(bill.id);
              },
              style: { cursor: 'pointer' },
              'data-testid': 'bill-row',
              'data-bill-id': bill.id,
              'data-student-no': bill.studentNo,
              'data-status': bill.status,
            }) as HTMLAttributes<HTMLElement>
          }
          headerTitle={
            <Space wrap size={8}>
              <Input.Search
                allowClear
                placeholder="学号 / 姓名"
                value={searchText}
                onChange={(event) => {
                  setSearchText(event.target.value);
                  if (event.target.value === '') setQ('');
                }}
                onSearch={(value) => setQ(value.trim())}
                style={{ width: 200 }}
                data-testid="bill-search"
                enterButton
              />
              <TreeSelect
                allowClear
                placeholder="全部校区 / 班级"
                treeData={nodeTree}
                value={nodeId}
                onChange={(value?: string) => setNodeId(value ?? undefined)}
                showSearch
                treeNodeFilterProp="label"
                treeNodeLabelProp="fullTitle"
                style={{ width: 240 }}
                listHeight={360}
                popupMatchSelectWidth={false}
                data-testid="bill-node-filter"
              />
              <Select<string>
                showSearch
                optionFilterProp="label"
                value={feeItemId ?? ALL}
                onChange={(value) => setFeeItemId(value === ALL ? undefined : value)}
                style={{ width: 220 }}
                popupMatchSelectWidth={false}
                options={[{ value: ALL, label: '全部收费项目' }, ...feeItems.map((item) => ({ value: item.id, label: `${item.name}（${item.periodLabel}）` }))]}
                data-testid="bill-fee-item-filter"
              />
              <Select<string>
                value={status ?? ALL}
                onChange={(value) => setStatus(value === ALL ? undefined : (value as BillStatus))}
                style={{ width: 112 }}
                options={[{ value: ALL, label: '全部状态' }, ...BILL_STATUSES.map((value) => ({ value, label: BILL_STATUS_LABELS[value] }))]}
                data-testid="bill-status-filter"
              />
              {total !== null && (
                <Typography.Text type="secondary" data-testid="bill-total">
                  共 {total} 张
                </Typography.Text>
              )}
            </Space>
          }
          options={{ density: true, reload: true, setting: true, fullScreen: false }}
        />
      )}
      <BillDrawer
        billId={openId}
        latest={latest}
        refreshKey={refreshKey}
        actionsFor={actionsFor}
        canApprove={access.canApprove}
        onAction={startAction}
        onDecide={(bill, concession) => setDeciding({ bill, concession })}
        onClose={() => setOpenId(null)}
        onError={(text) => message.error(text)}
      />
      <ConcessionModal bill={acting?.action === 'concession' ? acting.bill : null} onClose={() => setActing(null)} onDone={applied} />
      <AdjustModal bill={acting?.action === 'adjust' ? acting.bill : null} onClose={() => setActing(null)} onDone={applied} />
      <ReasonModal
        target={reasonTarget}
        onClose={() => setActing(null)}
        onDone={applied}
      />
      <RefundModal
        bill={acting?.action === 'refund' ? acting.bill : null}
        onClose={() => setActing(null)}
        onDone={() => {
          setActing(null);
          setRefreshKey((key) => key + 1);
          void actionRef.current?.reload();
        }}
      />
      <ConcessionDecisionModal target={deciding} onClose={() => setDeciding(null)} onDone={applied} />
    </PageContainer>
  );
}
