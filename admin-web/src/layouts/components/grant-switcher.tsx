import { useCallback, useEffect, useState } from 'react';
import { CheckOutlined, DownOutlined, SwapOutlined } from '@ant-design/icons';
import { App, Dropdown, Space, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { ORG_KIND_LABELS, STAFF_ROLE_LABELS, type StaffUser } from '@campuspay/shared';
import * as authService from '../../services/auth.ts';
import type { MyGrant } from '../../services/auth.ts';
import { describeError } from '../../services/describe-error.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';

function Identity({ user, switchable }: { user: StaffUser; switchable: boolean }) {
  return (
    <Space size={8} align="center" style={{ lineHeight: 1 }}>
      <Tag color="blue" bordered={false} style={{ marginInlineEnd: 0 }}>
        {STAFF_ROLE_LABELS[user.role]}
      </Tag>
      <Tooltip title={`管辖范围（${ORG_KIND_LABELS[user.scope.kind]}）`}>
        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220, display: 'block' }}>
          {user.scope.name}
        </Typography.Text>
      </Tooltip>
      {switchable && <DownOutlined style={{ fontSize: 10, color: 'rgba(0,0,0,0.45)' }} />}
    </Space>
  );
}

function grantLabel(grant: MyGrant): string {
  const kind = grant.nodeKind ? `（${ORG_KIND_LABELS[grant.nodeKind]}）` : '';
  return `${STAFF_ROLE_LABELS[grant.role]} · ${grant.nodeName || '已删除的节点'}${kind}`;
}

/**
 * Who is signed in, as which role and where. A user holding several grants
 * (e.g. bursar of one campus and auditor of the group) switches here; the
 * session then acts under the chosen grant and every page reloads its data.
 */
export function GrantSwitcher({ onSwitched }: { onSwitched?: (user: StaffUser) => void }) {
  const { user, updateUser } = useSession();
  const { message } = App.useApp();
  const [grants, setGrants] = useState<MyGrant[]>([]);
  const [switching, setSwitching] = useState(false);
  const userId = user?.id;

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setGrants(await authService.myGrants(signal));
    } catch (error) {
      // Without the list the header just shows the current grant.
      if (!isAbortError(error)) setGrants([]);
    }
  }, []);

  useEffect(() => {
    if (!userId) return;
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [userId, load]);

  if (!user) return null;
  if (grants.length <= 1) {
    return (
      <span data-testid="current-grant" style={{ paddingInline: 8 }}>
        <Identity user={user} switchable={false} />
      </span>
    );
  }

  const menu: MenuProps = {
    selectable: true,
    selectedKeys: grants.filter((grant) => grant.active).map((grant) => String(grant.index)),
    items: [
      { key: 'title', type: 'group', label: '切换角色与管辖范围' },
      ...grants.map((grant) => ({
        key: String(grant.index),
        icon: grant.active ? <CheckOutlined /> : <SwapOutlined />,
        disabled: switching,
        label: <span data-testid={`grant-option-${grant.index}`}>{grantLabel(grant)}</span>,
      })),
    ],
    onClick: ({ key }) => {
      const grant = grants.find((g) => String(g.index) === key);
      if (!grant || grant.active) return;
      setSwitching(true);
      authService
        .switchGrant(grant.index)
        .then(async (next) => {
          updateUser(next);
          message.success(`已切换为：${grantLabel(grant)}`);
          onSwitched?.(next);
          await load();
        })
        .catch((error: unknown) => message.error(describeError(error)))
        .finally(() => setSwitching(false));
    },
  };

  return (
    <Dropdown menu={menu} trigger={['click']} placement="bottomRight">
      <span data-testid="grant-switcher" role="button" tabIndex={0} aria-label="切换角色" style={{ cursor: 'pointer', paddingInline: 8 }}>
        <Identity user={user} switchable />
      </span>
    </Dropdown>
  );
}
