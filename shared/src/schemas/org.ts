import { z } from 'zod';
import { orgNodeKindSchema, type OrgNodeKind } from './auth.ts';

/** What each kind of node may contain: the organisation tree's shape. */
export const CHILD_KINDS: Record<OrgNodeKind, OrgNodeKind[]> = {
  bank: ['branch'],
  branch: ['branch', 'school_group'],
  school_group: ['campus'],
  campus: ['division'],
  division: ['grade'],
  grade: ['class'],
  class: [],
};

export const ORG_KIND_LABELS: Record<OrgNodeKind, string> = {
  bank: '银行',
  branch: '分支行',
  school_group: '学校/集团',
  campus: '校区',
  division: '学部',
  grade: '年级',
  class: '班级',
};

export const orgNodeSchema = z.object({
  id: z.string(),
  kind: orgNodeKindSchema,
  name: z.string(),
  parentId: z.string().nullable(),
  /** Ancestor ids from the bank down to this node (inclusive). */
  path: z.array(z.string()),
  /** Campus only: the public code parents type when binding a child. */
  schoolCode: z.string().nullable(),
  /** Grade only: 1 = first grade of its division; used when promoting. */
  level: z.number().int().nullable(),
  /** Division only: marks an international division (study-abroad interest). */
  international: z.boolean(),
  sortOrder: z.number().int(),
  archived: z.boolean(),
});
export type OrgNode = z.infer<typeof orgNodeSchema>;

const nodeName = z.string().trim().min(1, '请填写名称').max(60, '名称最多 60 个字');

export const createOrgNodeSchema = z.object({
  parentId: z.string().min(1, '请选择上级节点'),
  kind: orgNodeKindSchema,
  name: nodeName,
  schoolCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{4,16}$/, '学校代码应为 4–16 位字母或数字')
    .optional(),
  level: z.number().int().min(1).max(12).optional(),
  international: z.boolean().optional(),
  sortOrder: z.number().int().optional(),
});
export type CreateOrgNodeRequest = z.infer<typeof createOrgNodeSchema>;

export const updateOrgNodeSchema = z.object({
  name: nodeName.optional(),
  schoolCode: createOrgNodeSchema.shape.schoolCode,
  level: z.number().int().min(1).max(12).optional(),
  international: z.boolean().optional(),
  sortOrder: z.number().int().optional(),
});
export type UpdateOrgNodeRequest = z.infer<typeof updateOrgNodeSchema>;

/** `POST /admin/academic-years/promotion/preview`: the school group, campus or division to promote. */
export const promotionPreviewRequestSchema = z.object({ nodeId: z.string().min(1, '请选择学校、校区或学部') });
export type PromotionPreviewRequest = z.infer<typeof promotionPreviewRequestSchema>;

/** `POST /admin/academic-years/promotion`: the reviewed plan, named by its hash so a changed roster is refused. */
export const startPromotionSchema = z.object({ nodeId: z.string().min(1), planHash: z.string().min(1, '请先预览') });
export type StartPromotionRequest = z.infer<typeof startPromotionSchema>;

export const promotionTotalsSchema = z.object({
  promoted: z.number().int(),
  graduated: z.number().int(),
  classesCreated: z.number().int(),
});
/** Also what the promotion job returns as its result. */
export type PromotionTotals = z.infer<typeof promotionTotalsSchema>;

/**
 * A new academic year, planned but not applied: each class with enrolled
 * students either moves one grade up (`toClassId` null when the class of that
 * name does not exist yet and will be created) or graduates. `planHash` covers
 * every student's placement; confirming with it is refused once the roster changed.
 */
export const promotionPreviewSchema = z.object({
  nodeId: z.string(),
  planHash: z.string(),
  moves: z.array(
    z.object({
      fromClassId: z.string(),
      fromLabel: z.string(),
      toClassId: z.string().nullable(),
      toLabel: z.string(),
      students: z.number().int(),
      createsClass: z.boolean(),
    }),
  ),
  graduating: z.array(z.object({ classId: z.string(), label: z.string(), students: z.number().int() })),
  totals: promotionTotalsSchema,
});
export type PromotionPreview = z.infer<typeof promotionPreviewSchema>;
