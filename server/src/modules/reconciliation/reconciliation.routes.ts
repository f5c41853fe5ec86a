import { z } from 'zod';
import {
  reconciliationListQuerySchema,
  reconciliationLineSchema,
  reconciliationPeriodSchema,
  reconciliationReportQuerySchema,
  reconciliationSchema,
  reconciliationStartedSchema,
  resolveReconciliationLineSchema,
  runReconciliationSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { auditService } from '../audit/audit.service.ts';
import { roleHas } from '../auth/permissions.ts';
import { scopeOf } from '../auth/principal.ts';
import { reportRoot } from '../reports/report-scope.ts';
import { XLSX_CONTENT_TYPE } from '../reports/report-workbook.ts';
import { reconciliationWorkbook } from './reconciliation-workbook.ts';
import { DAILY_JOB, reconciliationService, RETRY_JOB, RUN_JOB } from './reconciliation.service.ts';

const tags = ['reconciliation'];
const idParams = z.object({ id: z.string().min(1) });

export function reconciliationRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const reconciliations = reconciliationService(deps);
  const audit = auditService(deps.db);
  return [
    route({
      method: 'post',
      path: '/admin/reconciliations',
      summary: '对账：按商户和日期下载微信交易账单并逐笔核对（后台任务，可重复执行）',
      tags,
      auth: 'staff',
      permission: 'reconciliation.run',
      body: runReconciliationSchema,
      response: reconciliationStartedSchema,
      status: 202,
      handler: ({ body, ctx }) => reconciliations.start(scopeOf(ctx), body),
    }),
    // Before /:id, which would take "report" for an id.
    route({
      method: 'get',
      path: '/admin/reconciliations/report',
      summary: '对账报表（按日、按期间：笔数、金额、手续费、差异）；?format=xlsx 导出（记入审计）',
      tags,
      auth: 'staff',
      permission: 'reconciliation.read',
      query: reconciliationReportQuerySchema,
      response: reconciliationPeriodSchema,
      handler: async ({ query, ctx }) => {
        const scope = scopeOf(ctx);
        if (query.format !== 'xlsx') return reconciliations.list(scope, query);
        if (!roleHas(scope.principal.role, 'reconciliation.export')) throw new AppError('FORBIDDEN', '您没有导出对账报表的权限');
        const { docs, ...report } = await reconciliations.period(scope, query);
        const root = await reportRoot(deps.db, scope);
        const file = await reconciliationWorkbook(report, root.label, await reconciliations.periodLines(scope, docs));
        await audit.append(scope.principal, {
          action: 'report.export',
          objectType: 'report',
          objectId: 'reconciliation',
          orgPath: root.path,
          after: { report: 'reconciliation', format: 'xlsx', from: report.from, to: report.to, payeeAccountId: query.payeeAccountId ?? null, rows: report.items.length },
        });
        ctx.set('Content-Disposition', file.disposition);
        ctx.set('Cache-Control', 'no-store');
        ctx.type = XLSX_CONTENT_TYPE;
        ctx.body = file.bytes;
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/admin/reconciliations',
      summary: '对账记录（按日、按期间汇总）',
      tags,
      auth: 'staff',
      permission: 'reconciliation.read',
      query: reconciliationListQuerySchema,
      response: reconciliationPeriodSchema,
      handler: ({ query, ctx }) => reconciliations.list(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/reconciliations/:id',
      summary: '一个商户一天的对账结果：状态、笔数、金额（分）、手续费、差异明细',
      tags,
      auth: 'staff',
      permission: 'reconciliation.read',
      params: idParams,
      response: reconciliationSchema,
      handler: ({ params, ctx }) => reconciliations.get(scopeOf(ctx), params.id),
    }),
    route({
      method: 'post',
      path: '/admin/reconciliation-lines/:id/resolve',
      summary: '处理对账差异：向微信重新查询并补记，或说明原因后关闭（记入审计）',
      tags,
      auth: 'staff',
      permission: 'reconciliation.resolve',
      params: idParams,
      body: resolveReconciliationLineSchema,
      response: reconciliationLineSchema,
      handler: ({ params, body, ctx }) => reconciliations.resolveLine(scopeOf(ctx), params.id, body),
    }),
  ];
}

/** The run job (also what the button queues), the 10:30 schedule for yesterday, and the retry of pending days. */
export function registerReconciliationJobs(deps: ServerDeps): void {
  const reconciliations = reconciliationService(deps);
  deps.jobs.register(RUN_JOB, (payload, run) => reconciliations.runJob(payload, run), { maxAttempts: 3 });
  deps.jobs.register(DAILY_JOB, () => reconciliations.daily(), { maxAttempts: 3 });
  deps.jobs.register(RETRY_JOB, () => reconciliations.retryPending(), { maxAttempts: 1 });
  if (!deps.wechatPay) return;
  deps.jobs.schedule('reconciliation-daily', deps.config.reconciliationCron, DAILY_JOB);
  // Checked more often than the retry delay, so a pending day is retried soon after its time comes.
  deps.jobs.every('reconciliation-retry', Math.min(600, deps.config.reconciliationRetrySeconds), RETRY_JOB);
}
