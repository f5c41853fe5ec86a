import { z } from 'zod';
import { idNumberProblem, phoneProblem } from '../identity.ts';

export const GUARDIAN_RELATIONSHIPS = ['father', 'mother', 'grandparent', 'other'] as const;
export const guardianRelationshipSchema = z.enum(GUARDIAN_RELATIONSHIPS);
export type GuardianRelationship = z.infer<typeof guardianRelationshipSchema>;
export const RELATIONSHIP_LABELS: Record<GuardianRelationship, string> = {
  father: '父亲',
  mother: '母亲',
  grandparent: '祖父母/外祖父母',
  other: '其他',
};

export const STUDENT_STATUSES = ['enrolled', 'graduated', 'left'] as const;
export const studentStatusSchema = z.enum(STUDENT_STATUSES);
export type StudentStatus = z.infer<typeof studentStatusSchema>;

export const phoneSchema = z.string().refine((v) => phoneProblem(v) === null, { message: '手机号格式不正确' });
export const idNumberSchema = z.string().refine((v) => idNumberProblem(v) === null, { message: '身份证号无效' });

export const guardianLinkSchema = z.object({
  guardianId: z.string(),
  name: z.string(),
  relationship: guardianRelationshipSchema,
  primary: z.boolean(),
  /** Always masked: 138****1234. */
  phoneMasked: z.string().nullable(),
});

export const studentSchema = z.object({
  id: z.string(),
  studentNo: z.string(),
  name: z.string(),
  gender: z.enum(['male', 'female']).nullable(),
  idNumberMasked: z.string().nullable(),
  status: studentStatusSchema,
  classId: z.string(),
  className: z.string(),
  gradeName: z.string(),
  divisionName: z.string(),
  campusId: z.string(),
  campusName: z.string(),
  inviteCode: z.string(),
  guardians: z.array(guardianLinkSchema),
});
export type Student = z.infer<typeof studentSchema>;

export const guardianInputSchema = z.object({
  name: z.string().trim().min(1, '请填写监护人姓名').max(30),
  relationship: guardianRelationshipSchema,
  phone: phoneSchema,
  idNumber: idNumberSchema.optional(),
  primary: z.boolean().default(false),
});

export const createStudentSchema = z.object({
  studentNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,32}$/, '学号应为 1–32 位字母、数字或短横线'),
  name: z.string().trim().min(1, '请填写学生姓名').max(30),
  gender: z.enum(['male', 'female']).optional(),
  idNumber: idNumberSchema.optional(),
  classId: z.string().min(1, '请选择班级'),
  guardians: z.array(guardianInputSchema).max(4).default([]),
});
export type CreateStudentRequest = z.input<typeof createStudentSchema>;

export const updateStudentSchema = createStudentSchema.omit({ studentNo: true, classId: true, guardians: true }).partial().extend({
  status: studentStatusSchema.optional(),
});

export const moveStudentSchema = z.object({ classId: z.string().min(1, '请选择目标班级'), reason: z.string().trim().max(200).optional() });

export const studentListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  /** Matches student number (prefix), name (contains) or class name. */
  q: z.string().trim().max(50).optional(),
  nodeId: z.string().optional(),
  status: studentStatusSchema.optional(),
});

export const revealRequestSchema = z.object({
  field: z.enum(['phone', 'idNumber']),
  reason: z.string().trim().min(2, '请说明查看原因').max(200),
});

export const importRowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

export const importSummarySchema = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;
