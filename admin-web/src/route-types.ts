/**
 * The shape of the route table (./routes.tsx). Kept free of JSX so the menu
 * builder (./menu.ts) is unit tested in Node.
 */
import type { ComponentType, ReactNode } from 'react';
import type { AccessKey } from './access.ts';

/** A page module: `pages/<name>/index.tsx` with a default export. */
export type PageLoader = () => Promise<{ default: ComponentType }>;

/** A real page. Every page declares the access flag it needs. */
export interface PageRoute {
  /** Absolute path under the app's basename, e.g. `/bills`. */
  path: string;
  /** Menu and document title (Chinese). */
  name: string;
  icon?: ReactNode;
  access: AccessKey;
  /** Routable but not in the menu (detail pages, 403). */
  hideInMenu?: boolean;
  page: PageLoader;
}

/** A menu section; shown when at least one of its pages is. */
export interface RouteGroup {
  path: string;
  name: string;
  icon?: ReactNode;
  children: readonly PageRoute[];
}

export type AppRoute = PageRoute | RouteGroup;

export function isRouteGroup(route: AppRoute): route is RouteGroup {
  return 'children' in route;
}
