/**
 * Organisation tree and academic-year promotion endpoints, one typed function each.
 */
import {
  orgNodeSchema,
  promotionPreviewSchema,
  type CreateOrgNodeRequest,
  type OrgNode,
  type PromotionPreview,
  type PromotionPreviewRequest,
  type StartPromotionRequest,
  type UpdateOrgNodeRequest,
} from '@campuspay/shared';
import { JOB_STATUSES, type JobStatus } from './jobs.ts';
import { api } from './request.ts';
import { objectOf, oneOf, stringField } from './shape.ts';

const orgNodeListSchema = orgNodeSchema.array();

/** `GET /api/v1/admin/org-nodes`: the user's subtree plus its ancestors, flat (`parentId`, `path`). */
export function listOrgNodes(options: { includeArchived?: boolean; signal?: AbortSignal } = {}): Promise<OrgNode[]> {
  return api.get('/admin/org-nodes', {
    query: { includeArchived: options.includeArchived ? 'true' : undefined },
    parse: (value) => orgNodeListSchema.parse(value),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** `GET /api/v1/admin/org-nodes/:id`. */
export function getOrgNode(id: string, signal?: AbortSignal): Promise<OrgNode> {
  return api.get(`/admin/org-nodes/${encodeURIComponent(id)}`, {
    parse: (value) => orgNodeSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `POST /api/v1/admin/org-nodes` → 201 the new node; a campus needs `schoolCode`. */
export function createOrgNode(body: CreateOrgNodeRequest): Promise<OrgNode> {
  return api.post('/admin/org-nodes', body, { parse: (value) => orgNodeSchema.parse(value) });
}

/** `PATCH /api/v1/admin/org-nodes/:id`. */
export function updateOrgNode(id: string, body: UpdateOrgNodeRequest): Promise<OrgNode> {
  return api.patch(`/admin/org-nodes/${encodeURIComponent(id)}`, body, { parse: (value) => orgNodeSchema.parse(value) });
}

/** `DELETE /api/v1/admin/org-nodes/:id`: archives the node (refused while it has live children). */
export function archiveOrgNode(id: string): Promise<void> {
  return api.del<void>(`/admin/org-nodes/${encodeURIComponent(id)}`);
}

/** `POST /api/v1/admin/academic-years/promotion/preview`: the new academic year planned for a school group, campus or division, not applied. */
export function previewPromotion(nodeId: string, signal?: AbortSignal): Promise<PromotionPreview> {
  const body: PromotionPreviewRequest = { nodeId };
  return api.post('/admin/academic-years/promotion/preview', body, {
    parse: (value) => promotionPreviewSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/**
 * `POST /api/v1/admin/academic-years/promotion` → 202 the job applying the
 * reviewed plan (follow it with `getJob`); STATE_CONFLICT when the roster
 * changed since the preview that produced `planHash`.
 */
export function startPromotion(body: StartPromotionRequest): Promise<{ id: string; status: JobStatus }> {
  return api.post('/admin/academic-years/promotion', body, {
    parse: (value) => {
      const job = objectOf(value, 'job');
      return { id: stringField(job, 'id'), status: oneOf(job['status'], JOB_STATUSES, 'status') };
    },
  });
}
