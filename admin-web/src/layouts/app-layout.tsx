import { Suspense, useMemo } from 'react';
import { ProLayout } from '@ant-design/pro-components';
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Dropdown, Space, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { STAFF_ROLE_LABELS } from '@campuspay/shared';
import { Link, matchPath, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { BrandLogo } from '../components/brand-logo.tsx';
import { PageLoading } from '../components/page-loading.tsx';
import { APP_TITLE } from '../components/use-document-title.ts';
import { buildMenu, flattenPages } from '../menu.ts';
import { ORG_NODE_KIND_LABELS } from '../org-node-kinds.ts';
import { appRoutes } from '../routes.tsx';
import { CHANGE_PASSWORD_PATH, LOGIN_PATH } from '../session/redirect.ts';
import { useSession } from '../session/session-context.tsx';

const TITLED_PAGES = [...flattenPages(appRoutes), { path: '/403', name: '无权访问' }];

function documentTitleFor(pathname: string): string {
  const page = TITLED_PAGES.find((route) => matchPath({ path: route.path, end: true }, pathname));
  return `${page?.name ?? '页面不存在'} - ${APP_TITLE}`;
}

/** The signed-in shell: side menu filtered by access, header with who is signed in. */
export default function AppLayout() {
  const { user, access, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const menu = useMemo(() => buildMenu(appRoutes, access), [access]);

  if (!user) return null; // RequireSession redirects before this renders.

  const accountMenu: MenuProps = {
    items: [
      { key: 'change-password', icon: <KeyOutlined />, label: '修改密码' },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'change-password') navigate(CHANGE_PASSWORD_PATH);
      if (key === 'logout') {
        void signOut('logout').then(() => navigate(LOGIN_PATH, { replace: true }));
      }
    },
  };

  return (
    <ProLayout
      title="CampusPay"
      logo={<BrandLogo size={28} />}
      layout="mix"
      fixSiderbar
      fixedHeader
      siderWidth={220}
      route={{ path: '/', children: menu }}
      location={{ pathname: location.pathname }}
      menu={{ locale: false }}
      pageTitleRender={() => documentTitleFor(location.pathname)}
      onMenuHeaderClick={() => navigate('/')}
      menuItemRender={(item, dom) => (item.path && !item.isUrl ? <Link to={item.path}>{dom}</Link> : dom)}
      actionsRender={() => [
        <Space key="identity" size={8} align="center" style={{ paddingInline: 8, lineHeight: 1 }}>
          <Tag color="blue" bordered={false} style={{ marginInlineEnd: 0 }}>
            {STAFF_ROLE_LABELS[user.role]}
          </Tag>
          <Tooltip title={`管辖范围（${ORG_NODE_KIND_LABELS[user.scope.kind]}）`}>
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 240, display: 'block' }}>
              {user.scope.name}
            </Typography.Text>
          </Tooltip>
        </Space>,
      ]}
      avatarProps={{
        icon: <UserOutlined />,
        size: 'small',
        title: user.displayName,
        render: (_props, avatar) => (
          <Dropdown menu={accountMenu} placement="bottomRight" trigger={['click', 'hover']}>
            <span style={{ cursor: 'pointer' }} aria-label="账号菜单">
              {avatar}
            </span>
          </Dropdown>
        ),
      }}
      token={{
        header: { colorBgHeader: '#ffffff' },
        sider: { colorMenuBackground: '#ffffff' },
      }}
    >
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </ProLayout>
  );
}
