import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet, type RouteObject } from 'react-router-dom';
import { PageLoading } from './components/page-loading.tsx';
import { AccessGate } from './layouts/access-gate.tsx';
import { RequireSession } from './layouts/require-session.tsx';
import { flattenPages } from './menu.ts';
import ForbiddenPage from './pages/forbidden/index.tsx';
import NotFoundPage from './pages/not-found/index.tsx';
import RouteErrorPage from './pages/route-error/index.tsx';
import type { PageRoute } from './route-types.ts';
import { appRoutes } from './routes.tsx';

/** `/admin`: the server serves the build there (vite `base`). */
export const ROUTER_BASENAME = import.meta.env.BASE_URL.replace(/\/+$/, '');

const AppLayout = lazy(() => import('./layouts/app-layout.tsx'));
const LoginPage = lazy(() => import('./pages/login/index.tsx'));
const ChangePasswordPage = lazy(() => import('./pages/change-password/index.tsx'));

function pageRoute(route: PageRoute): RouteObject {
  const Page = lazy(route.page);
  const element = (
    <AccessGate access={route.access}>
      <Page />
    </AccessGate>
  );
  return route.path === '/' ? { index: true, element } : { path: route.path.replace(/^\//, ''), element };
}

const routes: RouteObject[] = [
  {
    // The shell has its own boundary; this one covers the signed-out pages.
    element: (
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    ),
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      {
        element: <RequireSession />,
        children: [
          { path: '/change-password', element: <ChangePasswordPage /> },
          {
            path: '/',
            element: <AppLayout />,
            children: [
              ...flattenPages(appRoutes).map(pageRoute),
              { path: '403', element: <ForbiddenPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes, {
  basename: ROUTER_BASENAME,
  future: {
    v7_relativeSplatPath: true,
    v7_fetcherPersist: true,
    v7_normalizeFormMethod: true,
    v7_partialHydration: true,
    v7_skipActionErrorRevalidation: true,
  },
});
