import { z } from 'zod';
import {
  changePasswordSchema,
  staffLoginRequestSchema,
  staffLoginResponseSchema,
  staffUserSchema,
  switchGrantSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { authService } from './auth.service.ts';
import { staffOf } from './principal.ts';

export function authRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const auth = authService(deps);
  const tags = ['staff auth'];
  return [
    route({
      method: 'post',
      path: '/admin/auth/login',
      summary: '工作人员登录',
      tags,
      auth: 'public',
      body: staffLoginRequestSchema,
      response: staffLoginResponseSchema,
      handler: ({ body, ctx }) => auth.login(body.username, body.password, ctx.ip || null),
    }),
    route({
      method: 'post',
      path: '/admin/auth/logout',
      summary: '退出登录',
      tags,
      auth: 'staff',
      permission: 'self',
      handler: ({ ctx }) => auth.logout(staffOf(ctx).sessionId),
    }),
    route({
      method: 'get',
      path: '/admin/me',
      summary: '当前用户',
      tags,
      auth: 'staff',
      permission: 'self',
      response: staffUserSchema,
      handler: ({ ctx }) => auth.me(staffOf(ctx)),
    }),
    route({
      method: 'get',
      path: '/admin/me/grants',
      summary: '当前用户的全部角色授权',
      tags,
      auth: 'staff',
      permission: 'self',
      handler: ({ ctx }) => auth.grantsOf(staffOf(ctx)),
    }),
    route({
      method: 'post',
      path: '/admin/auth/switch-grant',
      summary: '切换当前使用的角色授权',
      tags,
      auth: 'staff',
      permission: 'self',
      body: switchGrantSchema,
      response: staffUserSchema,
      handler: ({ body, ctx }) => auth.switchGrant(staffOf(ctx), body.grantIndex),
    }),
    route({
      method: 'post',
      path: '/admin/auth/change-password',
      summary: '修改密码（会使其他登录失效）',
      tags,
      auth: 'staff',
      permission: 'self',
      body: changePasswordSchema,
      response: staffLoginResponseSchema,
      handler: ({ body, ctx }) => auth.changePassword(staffOf(ctx), body.currentPassword, body.newPassword),
    }),
  ];
}

export const idParams = z.object({ id: z.string().min(1) });
