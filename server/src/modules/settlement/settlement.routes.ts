import { cashReportQuerySchema, cashReportSchema, settlementQuerySchema, settlementViewSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { auditService } from '../audit/audit.service.ts';
import { scopeOf } from '../auth/principal.ts';
import { XLSX_CONTENT_TYPE } from '../reports/report-workbook.ts';
import { cashReportPdf, cashReportWorkbook } from './cash-report-documents.ts';
import { cashReportService } from './cash-report.service.ts';
import { settlementService } from './settlement.service.ts';

export function settlementRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const settlements = settlementService(deps);
  const cash = cashReportService(deps);
  const audit = auditService(deps.db);
  return [
    route({
      method: 'get',
      path: '/admin/settlements',
      summary: '结算视图：按收款账户、按日的线上收款、退款、微信手续费、T+1 应结算净额、柜台收款（按方式）及资金账单核对',
      tags: ['settlement'],
      auth: 'staff',
      permission: 'settlement.read',
      query: settlementQuerySchema,
      response: settlementViewSchema,
      handler: ({ query, ctx }) => settlements.view(scopeOf(ctx), query),
    }),
    route({
      method: 'get',
      path: '/admin/cash-report',
      summary: '柜台收款交接单：按收款人列出当日收款、冲正、退款及按方式合计；?format=pdf 打印，?format=xlsx 导出（记入审计）',
      tags: ['settlement'],
      auth: 'staff',
      permission: 'cash-report.read',
      query: cashReportQuerySchema,
      response: cashReportSchema,
      handler: async ({ query, ctx }) => {
        const scope = scopeOf(ctx);
        const { root, ...report } = await cash.report(scope, query);
        if (query.format === 'json') return report;
        const file = query.format === 'pdf' ? await cashReportPdf(report) : await cashReportWorkbook(report);
        await audit.append(scope.principal, {
          action: 'report.export',
          objectType: 'report',
          objectId: 'cash-report',
          orgPath: root.path,
          after: { report: 'cash-report', format: query.format, day: report.day, nodeId: root.nodeId, cashiers: report.cashiers.length },
        });
        ctx.set('Content-Disposition', file.disposition);
        ctx.set('Cache-Control', 'no-store');
        ctx.type = query.format === 'pdf' ? 'application/pdf' : XLSX_CONTENT_TYPE;
        ctx.body = file.bytes;
        return undefined;
      },
    }),
  ];
}
