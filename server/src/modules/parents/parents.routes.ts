import { z } from 'zod';
import { parentLoginResponseSchema, parentWechatLoginRequestSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { parentOf } from '../auth/principal.ts';
import { miniProgramClient } from '../wechat/mini-program.client.ts';
import { childSchema, parentsService } from './parents.service.ts';

const bindSchema = z.object({
  schoolCode: z.string().trim().min(1, '请填写学校代码').max(16),
  studentNo: z.string().trim().min(1, '请填写学号').max(32),
  studentName: z.string().trim().min(1, '请填写学生姓名').max(30),
});
const inviteSchema = z.object({
  inviteCode: z.string().trim().length(8, '邀请码为 8 位'),
  studentName: z.string().trim().min(1, '请填写学生姓名').max(30),
});

export function parentsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const parents = parentsService(deps, miniProgramClient(deps.config));
  const tags = ['parents'];
  return [
    route({
      method: 'post',
      path: '/parent/auth/wechat',
      summary: '家长微信登录（wx.login 的 code 在服务端换取 openid）',
      tags,
      auth: 'public',
      body: parentWechatLoginRequestSchema,
      response: parentLoginResponseSchema,
      handler: ({ body }) => parents.loginWithWechat(body.code),
    }),
    route({
      method: 'get',
      path: '/parent/children',
      summary: '我的孩子',
      tags,
      auth: 'parent',
      response: z.array(childSchema),
      handler: ({ ctx }) => parents.children(parentOf(ctx)),
    }),
    route({
      method: 'post',
      path: '/parent/children',
      summary: '按学校代码、学号和姓名绑定孩子',
      tags,
      auth: 'parent',
      body: bindSchema,
      response: childSchema,
      status: 201,
      handler: ({ body, ctx }) => parents.bindByStudentNo(parentOf(ctx), body),
    }),
    route({
      method: 'post',
      path: '/parent/children/by-invite',
      summary: '按学校通知上的邀请码绑定孩子',
      tags,
      auth: 'parent',
      body: inviteSchema,
      response: childSchema,
      status: 201,
      handler: ({ body, ctx }) => parents.bindByInviteCode(parentOf(ctx), body),
    }),
    route({
      method: 'delete',
      path: '/parent/children/:studentId',
      summary: '解除绑定',
      tags,
      auth: 'parent',
      params: z.object({ studentId: z.string().min(1) }),
      handler: ({ params, ctx }) => parents.unbind(parentOf(ctx), params.studentId),
    }),
  ];
}
