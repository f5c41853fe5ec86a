import {
  collectionReportQuerySchema,
  collectionReportSchema,
  dailyTakingsQuerySchema,
  dailyTakingsReportSchema,
  unpaidReportQuerySchema,
  unpaidReportSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import type { AppContext } from '../../platform/http/context.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { scopeOf } from '../auth/principal.ts';
import { XLSX_CONTENT_TYPE } from './report-workbook.ts';
import { reportsService, type ReportFile } from './reports.service.ts';

function sendFile(ctx: AppContext, file: ReportFile): undefined {
  ctx.set('Content-Disposition', file.disposition);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = XLSX_CONTENT_TYPE;
  ctx.body = file.bytes;
  return undefined;
}

/** Reports read with `reports.read`; `?format=xlsx` also needs `reports.export` and is audited. */
export function reportsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const reports = reportsService(deps);
  const read = { auth: 'staff' as const, permission: 'reports.read', tags: ['reports'] };
  return [
    route({
      method: 'get',
      path: '/admin/reports/collection',
      summary: '收费汇总（按校区/学部/年级/班级/收费项目）；?format=xlsx 导出',
      ...read,
      query: collectionReportQuerySchema,
      response: collectionReportSchema,
      handler: async ({ query, ctx }) =>
        query.format === 'xlsx' ? sendFile(ctx, await reports.collectionWorkbook(scopeOf(ctx), query)) : reports.collectionReport(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/reports/unpaid',
      summary: '欠费明细（含脱敏的监护人手机号）；?format=xlsx 导出',
      ...read,
      query: unpaidReportQuerySchema,
      response: unpaidReportSchema,
      handler: async ({ query, ctx }) => (query.format === 'xlsx' ? sendFile(ctx, await reports.unpaidWorkbook(scopeOf(ctx), query)) : reports.unpaidReport(scopeOf(ctx), query)),
    }),
    route({
      method: 'get',
      path: '/admin/reports/daily-takings',
      summary: '每日收款（微信、现金、POS、转账、退款、净额）；?format=xlsx 导出',
      ...read,
      query: dailyTakingsQuerySchema,
      response: dailyTakingsReportSchema,
      handler: async ({ query, ctx }) => (query.format === 'xlsx' ? sendFile(ctx, await reports.dailyTakingsWorkbook(scopeOf(ctx), query)) : reports.dailyTakings(scopeOf(ctx), query)),
    }),
  ];
}
