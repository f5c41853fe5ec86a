import { useCallback, useEffect, useMemo, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Input, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { ORG_KIND_LABELS, STAFF_ROLE_LABELS, type StaffAccount } from '@campuspay/shared';
import dayjs from 'dayjs';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import { nodesInScope } from '../../org/org-tree.ts';
import { describeError } from '../../services/describe-error.ts';
import { isAbortError } from '../../services/request.ts';
import * as usersService from '../../services/users.ts';
import { useSession } from '../../session/session-context.tsx';
import { AccountFormModal, type AccountFormMode } from './components/account-form-modal.tsx';
import { ResetPasswordModal } from './components/reset-password-modal.tsx';
import { accountState, ACCOUNT_STATE_LABELS, canManageAccount, matchesAccount } from './grant-rules.ts';

const ROLE_COLORS: Record<StaffAccount['grants'][number]['role'], string> = {
  platform_admin: 'purple',
  branch_manager: 'geekblue',
  group_admin: 'blue',
  bursar: 'cyan',
  auditor: 'gold',
};

/** 用户与权限: staff accounts in the user's scope, their grants, and their state. */
export default function UsersPage() {
  const { user } = useSession();
  const { message, modal } = App.useApp();
  const { nodes } = useOrgNodes();
  const [accounts, setAccounts] = useState<StaffAccount[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [formMode, setFormMode] = useState<AccountFormMode | null>(null);
  const [resetting, setResetting] = useState<StaffAccount | null>(null);

  const load = useCallback(async (signal?: AbortSignal) => {
    setLoading(true);
    try {
      setAccounts(await usersService.listUsers(signal));
      setError(null);
    } catch (err) {
      if (!isAbortError(err)) setError(describeError(err));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const scopeNodeId = user?.scope.nodeId ?? '';
  const inScope = useMemo(() => new Set(nodesInScope(nodes, scopeNodeId).map((node) => node.id)), [nodes, scopeNodeId]);
  const shown = useMemo(() => accounts.filter((account) => matchesAccount(account, query)), [accounts, query]);

  if (!user) return null;

  const replace = (saved: StaffAccount) => setAccounts((list) => list.map((account) => (account.id === saved.id ? saved : account)));

  const handOver = (title: string, account: StaffAccount, password: string) => {
    modal.success({
      title,
      width: 480,
      content: (
        <Space direction="vertical">
          <span>
            请将以下信息告知 {account.displayName}，首次登录后须修改密码：
          </span>
          <span>
            用户名：<Typography.Text code copyable>{account.username}</Typography.Text>
          </span>
          <span>
            临时密码：<Typography.Text code copyable data-testid="handover-password">{password}</Typography.Text>
          </span>
        </Space>
      ),
      okText: '知道了',
    });
  };

  const setDisabled = async (account: StaffAccount, disabled: boolean) => {
    try {
      replace(await usersService.updateUser(account.id, { disabled }));
      message.success(disabled ? `已停用 ${account.displayName}，其所有登录已失效` : `已启用 ${account.displayName}`);
    } catch (err) {
      message.error(describeError(err));
    }
  };

  const columns: ProColumns<StaffAccount>[] = [
    { title: '用户名', dataIndex: 'username', width: 160, render: (_, record) => <Typography.Text code>{record.username}</Typography.Text> },
    {
      title: '姓名',
      dataIndex: 'displayName',
      width: 180,
      render: (_, record) => (
        <Space size={4}>
          {record.displayName}
          {record.id === user.id && (
            <Tag bordered={false} color="processing">
              我
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: '角色与管辖范围',
      dataIndex: 'grants',
      render: (_, record) => (
        <Space size={[4, 4]} wrap>
          {record.grants.map((grant, index) => (
            <Tooltip key={`${grant.role}:${grant.nodeId}:${index}`} title={grant.nodeKind ? ORG_KIND_LABELS[grant.nodeKind as keyof typeof ORG_KIND_LABELS] : undefined}>
              <Tag color={ROLE_COLORS[grant.role]} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="user-grant">
                {STAFF_ROLE_LABELS[grant.role]} · {grant.nodeName || '已删除的节点'}
              </Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      title: '状态',
      width: 110,
      render: (_, record) => {
        const state = ACCOUNT_STATE_LABELS[accountState(record)];
        return (
          <Tag color={state.color} bordered={false}>
            {state.text}
          </Tag>
        );
      },
    },
    {
      title: '最近登录',
      dataIndex: 'lastLoginAt',
      width: 150,
      render: (_, record) =>
        record.lastLoginAt ? dayjs(record.lastLoginAt).format('YYYY-MM-DD HH:mm') : <Typography.Text type="secondary">从未登录</Typography.Text>,
    },
    {
      title: '操作',
      valueType: 'option',
      width: 200,
      render: (_, record) => {
        const isSelf = record.id === user.id;
        if (!canManageAccount(record, inScope)) {
          return (
            <Tooltip title="该账号有授权不在您的管辖范围内，请联系上级管理员">
              <Typography.Text type="secondary">只读</Typography.Text>
            </Tooltip>
          );
        }
        return [
          <Typography.Link key="edit" onClick={() => setFormMode({ type: 'edit', account: record, isSelf })} data-testid="user-edit">
            编辑
          </Typography.Link>,
          <Typography.Link key="reset" onClick={() => setResetting(record)} data-testid="user-reset-password">
            重置密码
          </Typography.Link>,
          isSelf ? (
            <Tooltip key="toggle" title="不能停用自己">
              <Typography.Text type="secondary">停用</Typography.Text>
            </Tooltip>
          ) : record.disabled ? (
            <Typography.Link key="toggle" onClick={() => void setDisabled(record, false)} data-testid="user-enable">
              启用
            </Typography.Link>
          ) : (
            <Popconfirm
              key="toggle"
              title={`停用 ${record.displayName}？`}
              description="停用后该账号立即退出所有登录，且不能再登录。"
              okText="停用"
              okButtonProps={{ danger: true, 'data-testid': 'user-disable-confirm' }}
              cancelText="取消"
              onConfirm={() => setDisabled(record, true)}
            >
              <Typography.Link type="danger" data-testid="user-disable">
                停用
              </Typography.Link>
            </Popconfirm>
          ),
        ];
      },
    },
  ];

  return (
    <PageContainer title="用户与权限" subTitle={`${user.scope.name}范围内的工作人员账号`}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <ProTable<StaffAccount>
        rowKey="id"
        columns={columns}
        dataSource={shown}
        loading={loading}
        search={false}
        cardBordered={false}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (count) => `共 ${count} 个账号` }}
        options={{ reload: () => void load(), density: true, setting: true, fullScreen: false }}
        rowClassName={(record) => (record.disabled ? 'row-muted' : '')}
        headerTitle={
          <Input.Search
            allowClear
            placeholder="用户名 / 姓名 / 组织"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            style={{ width: 260 }}
            data-testid="user-search"
          />
        }
        toolBarRender={() => [
          <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setFormMode({ type: 'create' })} data-testid="user-create">
            新建账号
          </Button>,
        ]}
        data-testid="user-table"
      />
      <AccountFormModal
        mode={formMode}
        nodes={nodes}
        scopeNodeId={scopeNodeId}
        grantorRole={user.role}
        onClose={() => setFormMode(null)}
        onSaved={(saved, created) => {
          setFormMode(null);
          if (created) {
            setAccounts((list) => [...list, saved].sort((a, b) => a.username.localeCompare(b.username)));
            handOver('账号已创建', saved, created.initialPassword);
          } else {
            replace(saved);
          }
        }}
      />
      <ResetPasswordModal
        account={resetting}
        onClose={() => setResetting(null)}
        onDone={(account, password) => {
          setResetting(null);
          replace({ ...account, mustChangePassword: true });
          handOver('密码已重置', account, password);
        }}
      />
    </PageContainer>
  );
}
