import { z } from 'zod';

export const STAFF_ROLES = ['platform_admin', 'branch_manager', 'group_admin', 'bursar', 'auditor'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRoleSchema>;

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  platform_admin: '平台管理员',
  branch_manager: '支行客户经理',
  group_admin: '集团管理员',
  bursar: '学校财务',
  auditor: '审计员',
};

export const ORG_NODE_KINDS = ['bank', 'branch', 'school_group', 'campus', 'division', 'grade', 'class'] as const;
export const orgNodeKindSchema = z.enum(ORG_NODE_KINDS);
export type OrgNodeKind = z.infer<typeof orgNodeKindSchema>;

export const scopeSchema = z.object({
  nodeId: z.string(),
  kind: orgNodeKindSchema,
  name: z.string(),
});
export type Scope = z.infer<typeof scopeSchema>;

export const staffLoginRequestSchema = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});
export type StaffLoginRequest = z.infer<typeof staffLoginRequestSchema>;

export const staffUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: staffRoleSchema,
  scope: scopeSchema,
  mustChangePassword: z.boolean(),
});
export type StaffUser = z.infer<typeof staffUserSchema>;

export const staffLoginResponseSchema = z.object({
  token: z.string(),
  user: staffUserSchema,
});
export type StaffLoginResponse = z.infer<typeof staffLoginResponseSchema>;

export const parentWechatLoginRequestSchema = z.object({ code: z.string().min(1).max(128) });
export const parentLoginResponseSchema = z.object({
  token: z.string(),
  parent: z.object({ id: z.string() }),
});
export type ParentLoginResponse = z.infer<typeof parentLoginResponseSchema>;
