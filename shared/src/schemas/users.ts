import { z } from 'zod';
import { staffRoleSchema } from './auth.ts';

export const grantSchema = z.object({ role: staffRoleSchema, nodeId: z.string().min(1) });
export type Grant = z.infer<typeof grantSchema>;

export const grantViewSchema = grantSchema.extend({ nodeName: z.string(), nodeKind: z.string() });

export const staffAccountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  grants: z.array(grantViewSchema),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
});
export type StaffAccount = z.infer<typeof staffAccountSchema>;

export const passwordSchema = z
  .string()
  .min(10, '密码至少 10 位')
  .max(128)
  .refine((v) => /[A-Za-z]/.test(v) && /\d/.test(v), { message: '密码须同时包含字母和数字' });

export const createStaffAccountSchema = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9._-]{3,40}$/, '用户名应为 3–40 位小写字母、数字、点、下划线或短横线'),
  displayName: z.string().trim().min(1, '请填写姓名').max(40),
  grants: z.array(grantSchema).min(1, '至少授予一个角色'),
  initialPassword: passwordSchema,
});

export const updateStaffAccountSchema = z.object({
  displayName: z.string().trim().min(1).max(40).optional(),
  grants: z.array(grantSchema).min(1, '至少授予一个角色').optional(),
  disabled: z.boolean().optional(),
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, '请输入当前密码'),
  newPassword: passwordSchema,
});

export const switchGrantSchema = z.object({ grantIndex: z.number().int().min(0) });
