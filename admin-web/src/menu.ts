/**
 * Builds the side menu from the route table: only pages the user may open,
 * only sections with something in them.
 */
import type { ReactNode } from 'react';
import { isAllowed, type AccessFlags } from './access.ts';
import { isRouteGroup, type AppRoute, type PageRoute } from './route-types.ts';

export interface MenuEntry {
  path: string;
  name: string;
  icon?: ReactNode;
  children?: MenuEntry[];
}

function entryOf(route: { path: string; name: string; icon?: ReactNode }): MenuEntry {
  return route.icon === undefined ? { path: route.path, name: route.name } : { path: route.path, name: route.name, icon: route.icon };
}

export function buildMenu(routes: readonly AppRoute[], flags: AccessFlags): MenuEntry[] {
  const menu: MenuEntry[] = [];
  for (const route of routes) {
    if (isRouteGroup(route)) {
      const children = route.children.filter((child) => !child.hideInMenu && isAllowed(flags, child.access)).map(entryOf);
      if (children.length > 0) menu.push({ ...entryOf(route), children });
    } else if (!route.hideInMenu && isAllowed(flags, route.access)) {
      menu.push(entryOf(route));
    }
  }
  return menu;
}

/** Every page of the table, sections flattened, in menu order. */
export function flattenPages(routes: readonly AppRoute[]): PageRoute[] {
  return routes.flatMap((route) => (isRouteGroup(route) ? [...route.children] : [route]));
}
