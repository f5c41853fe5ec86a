import type { ServerDeps } from '../deps.ts';
import type { AnyRouteSpec } from '../platform/http/route.ts';
import { publicRoutes } from './public/public.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { orgRoutes } from './org/org.routes.ts';
import { peopleRoutes } from './people/people.routes.ts';
import { usersRoutes } from './users/users.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { parentsRoutes } from './parents/parents.routes.ts';
import { jobsRoutes } from './jobs/jobs.routes.ts';
import { withAuditCoverage } from './audit/audit-coverage.ts';
import { registerPromotionJob } from './org/promotion.ts';

/** Every API route of every module, in one list: mounted, documented and permission-checked from here. */
export function apiRoutes(deps: ServerDeps): AnyRouteSpec[] {
  return withAuditCoverage(deps, [
    ...publicRoutes(deps),
    ...authRoutes(deps),
    ...orgRoutes(deps),
    ...peopleRoutes(deps),
    ...usersRoutes(deps),
    ...auditRoutes(deps),
    ...parentsRoutes(deps),
    ...jobsRoutes(deps),
  ]);
}

/** Registers every module's background job handlers and schedules. */
export function registerJobs(deps: ServerDeps): void {
  registerPromotionJob(deps);
}
