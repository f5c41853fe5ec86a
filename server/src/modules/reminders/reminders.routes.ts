import { z } from 'zod';
import { createReminderSchema, reminderRunSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { idParams } from '../auth/auth.routes.ts';
import { scopeOf } from '../auth/principal.ts';
import { remindersService } from './reminders.service.ts';

export function remindersRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const reminders = remindersService(deps);
  const tags = ['reminders'];
  return [
    route({
      method: 'post',
      path: '/admin/reminders',
      summary: '催缴：向欠费学生已绑定的家长发送微信订阅消息（立即或预约 scheduleAt）；同一家长同一账单在静默期内只提醒一次',
      tags,
      auth: 'staff',
      permission: 'reminders.send',
      body: createReminderSchema,
      response: reminderRunSchema,
      status: 202,
      handler: ({ body, ctx }) => reminders.create(scopeOf(ctx), body),
    }),
    route({ method: 'get', path: '/admin/reminders', summary: '最近的催缴任务', tags, auth: 'staff', permission: 'reminders.read', response: z.array(reminderRunSchema), handler: ({ ctx }) => reminders.list(scopeOf(ctx)) }),
    route({
      method: 'get',
      path: '/admin/reminders/:id',
      summary: '催缴任务及结果统计（已发送、未订阅、失败、静默期内跳过）',
      tags,
      auth: 'staff',
      permission: 'reminders.read',
      params: idParams,
      response: reminderRunSchema,
      handler: ({ params, ctx }) => reminders.get(scopeOf(ctx), params.id),
    }),
  ];
}
