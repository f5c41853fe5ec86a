import type { ServerDeps } from '../deps.ts';
import type { AnyRouteSpec } from '../platform/http/route.ts';
import { publicRoutes } from './public/public.routes.ts';

/** Every API route of every module, in one list: mounted, documented and permission-checked from here. */
export function apiRoutes(deps: ServerDeps): AnyRouteSpec[] {
  return [...publicRoutes(deps)];
}

/** Registers every module's background job handlers and schedules. */
export function registerJobs(_deps: ServerDeps): void {}
