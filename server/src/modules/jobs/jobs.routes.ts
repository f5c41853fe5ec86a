import { z } from 'zod';
import type { ServerDeps } from '../../deps.ts';
import { notFound } from '../../platform/errors.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { scopeOf } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { JobModel } from './job.model.ts';

export const jobViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  attempts: z.number(),
  progress: z.object({ done: z.number(), total: z.number(), message: z.string() }),
  result: z.unknown(),
  lastError: z.string().nullable(),
});

export function jobsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/admin/jobs/:id',
      summary: '后台任务进度',
      tags: ['jobs'],
      auth: 'staff',
      permission: 'jobs.read',
      params: z.object({ id: z.string().min(1) }),
      response: jobViewSchema,
      handler: async ({ params, ctx }) => {
        const scope = scopeOf(ctx);
        const job = await JobModel(deps.db).findById(params.id).lean();
        // Visible to whoever started it, and to staff whose scope covers the job's node.
        const node = job?.scopeNodeId ? await OrgNodeModel(deps.db).findById(job.scopeNodeId).lean() : null;
        if (!job || (job.createdBy !== scope.principal.userId && !(node && scope.contains(node.path)))) throw notFound('任务');
        const { id, type, status, attempts, progress, result, lastError } = await deps.jobs.get(params.id);
        return { id, type, status, attempts, progress, result, lastError };
      },
    }),
  ];
}
