import { Suspense, useMemo } from 'react';
import { ProLayout } from '@ant-design/pro-components';
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Dropdown, type MenuProps } from 'antd';
import type { StaffUser } from '@campuspay/shared';
import { Link, matchPath, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { access as accessOf, isAllowed } from '../access.ts';
import { BrandLogo } from '../components/brand-logo.tsx';
import { PageLoading } from '../components/page-loading.tsx';
import { APP_TITLE } from '../components/use-document-title.ts';
import { buildMenu, flattenPages } from '../menu.ts';
import { CampusFilterProvider } from '../org/campus-filter-context.tsx';
import { OrgNodesProvider } from '../org/org-nodes-context.tsx';
import { appRoutes } from '../routes.tsx';
import { CHANGE_PASSWORD_PATH, LOGIN_PATH } from '../session/redirect.ts';
import { useSession } from '../session/session-context.tsx';
import { CampusSwitcher } from './components/campus-switcher.tsx';
import { GrantSwitcher } from './components/grant-switcher.tsx';

const APP_PAGES = flattenPages(appRoutes);
const TITLED_PAGES = [...APP_PAGES, { path: '/403', name: '无权访问' }];

function documentTitleFor(pathname: string): string {
  const page = TITLED_PAGES.find((route) => matchPath({ path: route.path, end: true }, pathname));
  return `${page?.name ?? '页面不存在'} - ${APP_TITLE}`;
}

/**
 * The signed-in shell: side menu filtered by access; the header shows who is
 * signed in (switching grants when the user holds several) and, for a scope
 * spanning several campuses, the campus being worked on.
 */
export default function AppLayout() {
  return (
    <OrgNodesProvider>
      <CampusFilterProvider>
        <AppShell />
      </CampusFilterProvider>
    </OrgNodesProvider>
  );
}

function AppShell() {
  const { user, access, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const menu = useMemo(() => buildMenu(appRoutes, access), [access]);

  if (!user) return null; // RequireSession redirects before this renders.

  // Highlight only the page itself: ProLayout's prefix match would also
  // light up 学生名册 on 名册导入 (/students/import).
  const currentPage = APP_PAGES.find((route) => matchPath({ path: route.path, end: true }, location.pathname));

  // After a grant switch: leave a page the new grant may not open.
  const onGrantSwitched = (next: StaffUser) => {
    if (currentPage && !isAllowed(accessOf(next), currentPage.access)) navigate('/', { replace: true });
  };
  // Pages remount (and reload their data) when the grant changes.
  const grantKey = `${user.role}:${user.scope.nodeId}`;

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
      {...(currentPage ? { selectedKeys: [currentPage.path] } : {})}
      menu={{ locale: false }}
      pageTitleRender={() => documentTitleFor(location.pathname)}
      onMenuHeaderClick={() => navigate('/')}
      menuItemRender={(item, dom) => (item.path && !item.isUrl ? <Link to={item.path}>{dom}</Link> : dom)}
      actionsRender={() => [<CampusSwitcher key="campus" />, <GrantSwitcher key="grant" onSwitched={onGrantSwitched} />]}
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
        <Outlet key={grantKey} />
      </Suspense>
    </ProLayout>
  );
}
