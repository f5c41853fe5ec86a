import { z } from 'zod';
import {
  createStudentSchema,
  moveStudentSchema,
  pageOf,
  revealRequestSchema,
  studentListQuerySchema,
  studentSchema,
  updateStudentSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { idParams } from '../auth/auth.routes.ts';
import { scopeOf } from '../auth/principal.ts';
import { peopleService } from './people.service.ts';

const revealResponse = z.object({ value: z.string().nullable() });

export function peopleRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const people = peopleService(deps);
  const tags = ['students'];
  return [
    route({
      method: 'get',
      path: '/admin/students',
      summary: '学生名册（按学号、姓名搜索）',
      tags,
      auth: 'staff',
      permission: 'students.read',
      query: studentListQuerySchema,
      response: pageOf(studentSchema),
      handler: ({ query, ctx }) => people.list(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/students/:id',
      summary: '学生详情',
      tags,
      auth: 'staff',
      permission: 'students.read',
      params: idParams,
      response: studentSchema,
      handler: ({ params, ctx }) => people.get(scopeOf(ctx), params.id),
    }),
    route({
      method: 'post',
      path: '/admin/students',
      summary: '新增学生',
      tags,
      auth: 'staff',
      permission: 'students.write',
      body: createStudentSchema,
      response: studentSchema,
      status: 201,
      handler: ({ body, ctx }) => people.create(scopeOf(ctx), body),
    }),
    route({
      method: 'patch',
      path: '/admin/students/:id',
      summary: '修改学生信息',
      tags,
      auth: 'staff',
      permission: 'students.write',
      params: idParams,
      body: updateStudentSchema,
      response: studentSchema,
      handler: ({ params, body, ctx }) => people.update(scopeOf(ctx), params.id, body),
    }),
    route({
      method: 'post',
      path: '/admin/students/:id/move',
      summary: '调班',
      tags,
      auth: 'staff',
      permission: 'students.write',
      params: idParams,
      body: moveStudentSchema,
      response: studentSchema,
      handler: ({ params, body, ctx }) => people.move(scopeOf(ctx), params.id, body.classId, body.reason),
    }),
    route({
      method: 'post',
      path: '/admin/students/:id/reveal',
      summary: '查看学生身份证号明文（需说明原因，记入审计）',
      tags,
      auth: 'staff',
      permission: 'personal-data.reveal',
      params: idParams,
      body: revealRequestSchema,
      response: revealResponse,
      handler: ({ params, body, ctx }) => people.reveal(scopeOf(ctx), { kind: 'student', id: params.id }, body.field, body.reason),
    }),
    route({
      method: 'post',
      path: '/admin/guardians/:id/reveal',
      summary: '查看监护人手机号或身份证号明文（需说明原因，记入审计）',
      tags: ['guardians'],
      auth: 'staff',
      permission: 'personal-data.reveal',
      params: idParams,
      body: revealRequestSchema,
      response: revealResponse,
      handler: ({ params, body, ctx }) => people.reveal(scopeOf(ctx), { kind: 'guardian', id: params.id }, body.field, body.reason),
    }),
  ];
}
