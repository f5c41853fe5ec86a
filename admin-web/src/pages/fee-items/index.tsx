import { useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Input, Popconfirm, Select, Space, Switch, Tag, Typography } from 'antd';
import { FEE_CATEGORIES, FEE_CATEGORY_LABELS, type FeeCategory, type FeeItem, type PayeeAccount } from '@campuspay/shared';
import { useNavigate } from 'react-router-dom';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import * as billingService from '../../services/billing.ts';
import { describeError } from '../../services/describe-error.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { FeeItemDrawer } from './components/fee-item-drawer.tsx';
import { feeItemTerms, priceRangeText } from './fee-item-form.ts';
import { latestOnly } from '../../services/latest-only.ts';

/** Answers to superseded filters never replace the current one on screen. */
const listFeeItems = latestOnly((...args: Parameters<typeof billingService.listFeeItems>) => billingService.listFeeItems(...args));

const ALL = 'all';

/** 收费项目: what the school charges, at what price per division/grade/class, and how it may be paid. */
export default function FeeItemsPage() {
  const { user, access } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { nodes } = useOrgNodes();
  const campusFilter = useCampusFilter();
  const actionRef = useRef<ActionType>(undefined);
  const [editing, setEditing] = useState<FeeItem | 'new' | null>(null);
  const [payees, setPayees] = useState<PayeeAccount[]>([]);
  const [searchText, setSearchText] = useState('');
  const [q, setQ] = useState('');
  const [category, setCategory] = useState<FeeCategory | undefined>(undefined);
  const [includeArchived, setIncludeArchived] = useState(false);
  const canManage = access.canManageBilling;
  // A school group's fee items reach its campuses: a campus issues them but only the group changes them (the server answers 403).
  const scopePath = useMemo(() => new Map(nodes.map((node) => [node.id, node.path])), [nodes]);
  const ownsItem = (item: FeeItem) => !user || (scopePath.get(item.nodeId) ?? []).includes(user.scope.nodeId);

  const loadPayees = useCallback(async (signal?: AbortSignal) => {
    try {
      setPayees(await billingService.listPayeeAccounts(signal));
    } catch (err) {
      if (!isAbortError(err)) message.error(`收款账户加载失败：${describeError(err)}`);
    }
  }, [message]);

  useEffect(() => {
    const controller = new AbortController();
    void loadPayees(controller.signal);
    return () => controller.abort();
  }, [loadPayees]);

  const nodeName = useMemo(() => new Map(nodes.map((node) => [node.id, node.name])), [nodes]);
  const payeeName = useMemo(() => new Map(payees.map((payee) => [payee.id, payee.name])), [payees]);

  const archive = async (item: FeeItem) => {
    try {
      await billingService.archiveFeeItem(item.id);
      message.success(`已停用「${item.name}」，已发布的账单不受影响`);
      void actionRef.current?.reload();
    } catch (err) {
      message.error(describeError(err));
    }
  };

  const columns: ProColumns<FeeItem>[] = [
    {
      title: '收费项目',
      dataIndex: 'name',
      width: 220,
      fixed: 'left',
      render: (_, item) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{item.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.periodLabel}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '类别', dataIndex: 'category', width: 88, render: (_, item) => FEE_CATEGORY_LABELS[item.category] },
    { title: '适用范围', dataIndex: 'nodeId', width: 120, render: (_, item) => nodeName.get(item.nodeId) ?? '—' },
    {
      title: '价格',
      dataIndex: 'prices',
      width: 190,
      render: (_, item) => (
        <Space direction="vertical" size={0}>
          <span>{priceRangeText(item)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.prices.length} 档价格
          </Typography.Text>
        </Space>
      ),
    },
    { title: '截止日期', dataIndex: 'dueDate', width: 104 },
    {
      title: '缴费规则',
      dataIndex: 'mandatory',
      width: 250,
      render: (_, item) => (
        <Space size={[4, 4]} wrap>
          {feeItemTerms(item).map((term) => (
            <Tag key={term} bordered={false} color={term === '选缴' ? 'gold' : term.startsWith('可部分') ? 'blue' : undefined}>
              {term}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: '收款账户', dataIndex: 'payeeAccountId', width: 150, ellipsis: true, render: (_, item) => payeeName.get(item.payeeAccountId) ?? '—' },
    {
      title: '状态',
      dataIndex: 'archived',
      width: 72,
      render: (_, item) => (item.archived ? <Tag bordered={false}>已停用</Tag> : <Tag color="green" bordered={false}>启用</Tag>),
    },
    {
      title: '操作',
      valueType: 'option',
      width: canManage ? 168 : 0,
      fixed: 'right',
      hideInTable: !canManage,
      render: (_, item) => {
        if (item.archived) return [];
        const publish = (
          <Typography.Link key="publish" onClick={() => navigate(`/bill-batches/new?feeItemId=${encodeURIComponent(item.id)}`)} data-testid="fee-item-publish">
            发布账单
          </Typography.Link>
        );
        if (!ownsItem(item)) {
          return [
            publish,
            <Typography.Text key="inherited" type="secondary" data-testid="fee-item-inherited">
              上级设置
            </Typography.Text>,
          ];
        }
        return [
          <Typography.Link key="edit" onClick={() => setEditing(item)} data-testid="fee-item-edit">
            编辑
          </Typography.Link>,
          publish,
          <Popconfirm
            key="archive"
            title={`停用「${item.name}」？`}
            description="停用后不能再发布新账单；已发布的账单照常缴费。"
            okText="停用"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={() => archive(item)}
          >
            <Typography.Link type="danger" data-testid="fee-item-archive">
              停用
            </Typography.Link>
          </Popconfirm>,
        ];
      },
    },
  ];

  return (
    <PageContainer title="收费项目" subTitle="设置收费标准；修改只影响之后发布的账单">
      <ProTable<FeeItem, { q: string; category?: FeeCategory; includeArchived: boolean; campusId?: string }>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        cardBordered={false}
        scroll={{ x: 1300 }}
        params={{ q, includeArchived, ...(category ? { category } : {}), ...(campusFilter.campusId ? { campusId: campusFilter.campusId } : {}) }}
        request={async (params) => {
          try {
            const items = await listFeeItems({ includeArchived: params.includeArchived });
            const text = params.q.trim();
            const campusPath = params.campusId ? nodes.find((node) => node.id === params.campusId)?.path : undefined;
            const shown = items.filter(
              (item) =>
                (!text || item.name.includes(text)) &&
                (!params.category || item.category === params.category) &&
                // The header's campus: items of that campus or of the group above it.
                (!campusPath || campusPath.includes(item.nodeId)),
            );
            return { data: shown, total: shown.length, success: true };
          } catch (err) {
            message.error(describeError(err));
            return { data: [], total: 0, success: false };
          }
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (count) => `共 ${count} 个收费项目` }}
        onRow={(item) => ({ 'data-testid': 'fee-item-row', 'data-fee-item-id': item.id, 'data-fee-item-name': item.name }) as HTMLAttributes<HTMLElement>}
        headerTitle={
          <Space wrap size={8}>
            <Input.Search
              allowClear
              placeholder="项目名称"
              value={searchText}
              onChange={(event) => {
                setSearchText(event.target.value);
                if (event.target.value === '') setQ('');
              }}
              onSearch={(value) => setQ(value.trim())}
              style={{ width: 200 }}
              data-testid="fee-item-search"
            />
            <Select<string>
              value={category ?? ALL}
              onChange={(value) => setCategory(value === ALL ? undefined : (value as FeeCategory))}
              style={{ width: 120 }}
              options={[{ value: ALL, label: '全部类别' }, ...FEE_CATEGORIES.map((value) => ({ value, label: FEE_CATEGORY_LABELS[value] }))]}
              data-testid="fee-item-category-filter"
            />
            <Space size={4}>
              <Switch size="small" checked={includeArchived} onChange={setIncludeArchived} data-testid="fee-item-include-archived" />
              <Typography.Text type="secondary">显示已停用</Typography.Text>
            </Space>
          </Space>
        }
        toolBarRender={() =>
          canManage
            ? [
                <Button key="publish" icon={<SendOutlined />} onClick={() => navigate('/bill-batches/new')}>
                  发布账单
                </Button>,
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="fee-item-create">
                  新建收费项目
                </Button>,
              ]
            : []
        }
        options={{ density: true, reload: true, setting: true, fullScreen: false }}
      />
      <FeeItemDrawer
        editing={editing}
        nodes={nodes}
        rootId={campusFilter.campusId ?? user?.scope.nodeId}
        scopeNodeId={user?.scope.nodeId}
        payees={payees}
        canCreatePayee={access.canApprove}
        onPayeeCreated={(payee) => setPayees((current) => [...current, payee])}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void actionRef.current?.reload();
        }}
      />
    </PageContainer>
  );
}
