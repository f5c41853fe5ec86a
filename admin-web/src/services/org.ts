/**
 * Organisation tree endpoints, one typed function each.
 */
import { orgNodeSchema, type CreateOrgNodeRequest, type OrgNode, type UpdateOrgNodeRequest } from '@campuspay/shared';
import { api } from './request.ts';

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
