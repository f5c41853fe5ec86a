import { z } from 'zod';
import {
  balanceImportResultSchema,
  balancesReportSchema,
  bankInsightSettingsSchema,
  bankSettingsQuerySchema,
  campaignImportResultSchema,
  cardShareReportSchema,
  insightExportQuerySchema,
  insightOverviewSchema,
  insightPeriodQuerySchema,
  insightTrendQuerySchema,
  insightTrendSchema,
  schoolRankingQuerySchema,
  schoolRankingSchema,
  setBaselineRequestSchema,
  updateBankInsightSettingsSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { readSingleFile } from '../../platform/http/multipart.ts';
import type { AppContext } from '../../platform/http/context.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { auditService } from '../audit/audit.service.ts';
import { scopeOf } from '../auth/principal.ts';
import { leadsService } from '../leads/leads.service.ts';
import { XLSX_CONTENT_TYPE } from '../reports/report-workbook.ts';
import { balancesService } from './balances.service.ts';
import { campaignsService } from './campaigns.service.ts';
import { dashboardService } from './dashboard.service.ts';
import { INSIGHTS_REBUILD_JOB } from './insights.jobs.ts';
import { insightsExportService } from './insights-export.ts';
import { settingsService } from './settings.service.ts';
import { TABLE_EXTENSIONS, looksLikeTable } from './tabular-file.ts';

/** Bank dashboards, balances, campaign results, settings and exports (the bank's people only). */
export function insightsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const dashboard = dashboardService(deps);
  const balances = balancesService(deps);
  const campaigns = campaignsService(deps);
  const settings = settingsService(deps);
  const exports = insightsExportService(deps);
  const leads = leadsService(deps);
  const audit = auditService(deps.db);
  const tags = ['insights'];
  const read = { auth: 'staff' as const, permission: 'insights.read', tags };
  const upload = (ctx: AppContext) =>
    readSingleFile(ctx, {
      limitBytes: deps.config.uploadLimitBytes,
      extensions: TABLE_EXTENSIONS,
      description: 'Excel（.xlsx）或 CSV 文件',
      signature: looksLikeTable,
    });

  return [
    route({
      method: 'get',
      path: '/admin/insights/overview',
      summary: '存款拉动概览：学校、学生与家长触达，线上/柜台收款、退款、结算净流入（估算），卡类占比，日均余额与基准，开卡转化，下一级明细',
      ...read,
      query: insightPeriodQuerySchema,
      response: insightOverviewSchema,
      handler: ({ query, ctx }) => dashboard.overview(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/insights/trend',
      summary: '收款与结算净流入趋势（按日/周/月/学期）',
      ...read,
      query: insightTrendQuerySchema,
      response: insightTrendSchema,
      handler: ({ query, ctx }) => dashboard.trend(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/insights/card-share',
      summary: '付款银行与卡类（本行借记/信用、他行、零钱）及其趋势',
      ...read,
      query: insightTrendQuerySchema,
      response: cardShareReportSchema,
      handler: ({ query, ctx }) => dashboard.cardShare(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/insights/schools',
      summary: '学校（校区）排名',
      ...read,
      query: schoolRankingQuerySchema,
      response: schoolRankingSchema,
      handler: ({ query, ctx }) => dashboard.schools(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/insights/balances',
      summary: '结算账户日均余额、各校基准期与拉动',
      ...read,
      query: insightPeriodQuerySchema,
      response: balancesReportSchema,
      handler: ({ query, ctx }) => balances.report(scopeOf(ctx), query),
    }),
    route({
      method: 'post',
      path: '/admin/insights/balances/import',
      summary: '导入核心系统日终余额（.xlsx/CSV：账号、日期、余额；整表校验，有错则全部不导入）',
      tags,
      auth: 'staff',
      permission: 'insights.import',
      response: balanceImportResultSchema,
      status: 201,
      handler: async ({ ctx }) => balances.importFile(scopeOf(ctx), await upload(ctx)),
    }),
    route({
      method: 'put',
      path: '/admin/insights/baselines',
      summary: '设置学校的余额基准期',
      tags,
      auth: 'staff',
      permission: 'insights.import',
      body: setBaselineRequestSchema,
      response: z.object({ nodeId: z.string(), from: z.string(), to: z.string(), averageBalanceFen: z.number().int().nullable(), daysWithData: z.number().int() }),
      handler: ({ body, ctx }) => balances.setBaseline(scopeOf(ctx), body),
    }),
    route({
      method: 'post',
      path: '/admin/insights/campaign-results/import',
      summary: '导入营销活动开卡/开户结果（手机号、产品、日期；按手机号哈希匹配家长）',
      tags,
      auth: 'staff',
      permission: 'insights.import',
      response: campaignImportResultSchema,
      status: 201,
      handler: async ({ ctx }) => {
        const file = await upload(ctx);
        return campaigns.importFile(scopeOf(ctx), file.fields.campaign, file);
      },
    }),
    route({
      method: 'post',
      path: '/admin/insights/staff-lists/import',
      summary: '学校共享教职工名单（手机号，仅存哈希），用于代发工资潜客',
      tags,
      auth: 'staff',
      permission: 'staff-list.share',
      response: z.object({ nodeId: z.string(), staff: z.number().int() }),
      status: 201,
      handler: async ({ ctx }) => {
        const file = await upload(ctx);
        return leads.importStaffList(scopeOf(ctx), file.fields.nodeId, file);
      },
    }),
    route({
      method: 'get',
      path: '/admin/insights/tag-rules',
      summary: '本行的看板与线索设置：本行银行代码、手续费率、标签规则阈值、营销授权文本',
      tags,
      auth: 'staff',
      permission: 'insights.configure',
      query: bankSettingsQuerySchema,
      response: bankInsightSettingsSchema,
      handler: ({ query, ctx }) => settings.get(settings.bankFor(scopeOf(ctx), query.bankId)),
    }),
    route({
      method: 'put',
      path: '/admin/insights/tag-rules',
      summary: '修改本行设置；标签在后台按新规则重算',
      tags,
      auth: 'staff',
      permission: 'insights.configure',
      body: updateBankInsightSettingsSchema,
      response: bankInsightSettingsSchema.extend({ recomputeJobId: z.string().nullable() }),
      handler: ({ body, ctx }) => settings.update(scopeOf(ctx), body),
    }),
    route({
      method: 'post',
      path: '/admin/insights/rebuild',
      summary: '从流水重建日汇总（后台任务）',
      tags,
      auth: 'staff',
      permission: 'insights.configure',
      response: z.object({ jobId: z.string() }),
      status: 202,
      handler: async ({ ctx }) => {
        const scope = scopeOf(ctx);
        if (scope.principal.nodePath.length !== 1) throw new AppError('FORBIDDEN', '只有总行平台管理员可以重建汇总');
        const job = await deps.jobs.enqueue(INSIGHTS_REBUILD_JOB, {}, { scopeNodeId: scope.nodeId, createdBy: scope.principal.userId });
        await audit.append(scope.principal, { action: 'insights.rebuild', objectType: 'insights', objectId: job.id, orgPath: scope.principal.nodePath });
        return { jobId: job.id };
      },
    }),
    route({
      method: 'get',
      path: '/admin/insights/export',
      summary: '导出 Excel（带导出人与时间水印，记入审计）；report=overview|trend|card-share|schools|balances|leads',
      tags,
      auth: 'staff',
      permission: 'insights.export',
      query: insightExportQuerySchema,
      handler: async ({ query, ctx }) => {
        const file = await exports.build(scopeOf(ctx), query);
        ctx.set('Content-Disposition', file.disposition);
        ctx.set('Cache-Control', 'no-store');
        ctx.set('X-Export-Id', file.exportId);
        ctx.type = XLSX_CONTENT_TYPE;
        ctx.body = file.bytes;
        return undefined;
      },
    }),
  ];
}
