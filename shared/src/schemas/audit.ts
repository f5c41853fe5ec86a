import { z } from 'zod';

export const auditEntrySchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ userId: z.string(), username: z.string(), role: z.string(), nodeId: z.string() }),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  reason: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  action: z.string().optional(),
  objectType: z.string().optional(),
  objectId: z.string().optional(),
  username: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
