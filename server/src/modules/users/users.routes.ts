import { z } from 'zod';
import { createStaffAccountSchema, passwordSchema, staffAccountSchema, updateStaffAccountSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { idParams } from '../auth/auth.routes.ts';
import { scopeOf } from '../auth/principal.ts';
import { usersService } from './users.service.ts';

export function usersRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const users = usersService(deps);
  const tags = ['staff accounts'];
  return [
    route({
      method: 'get',
      path: '/admin/users',
      summary: '工作人员账号（本人范围内）',
      tags,
      auth: 'staff',
      permission: 'users.read',
      response: z.array(staffAccountSchema),
      handler: ({ ctx }) => users.list(scopeOf(ctx)),
    }),
    route({
      method: 'post',
      path: '/admin/users',
      summary: '新建工作人员账号（首次登录须改密码）',
      tags,
      auth: 'staff',
      permission: 'users.write',
      body: createStaffAccountSchema,
      response: staffAccountSchema,
      status: 201,
      handler: ({ body, ctx }) => users.create(scopeOf(ctx), body),
    }),
    route({
      method: 'patch',
      path: '/admin/users/:id',
      summary: '修改账号、授权或停用',
      tags,
      auth: 'staff',
      permission: 'users.write',
      params: idParams,
      body: updateStaffAccountSchema,
      response: staffAccountSchema,
      handler: ({ params, body, ctx }) => users.update(scopeOf(ctx), params.id, body),
    }),
    route({
      method: 'post',
      path: '/admin/users/:id/reset-password',
      summary: '重置密码（下次登录须修改）',
      tags,
      auth: 'staff',
      permission: 'users.write',
      params: idParams,
      body: z.object({ password: passwordSchema }),
      handler: ({ params, body, ctx }) => users.resetPassword(scopeOf(ctx), params.id, body.password),
    }),
  ];
}
