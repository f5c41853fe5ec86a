import { billImportResultSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { readSingleFile } from '../../platform/http/multipart.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { scopeOf } from '../auth/principal.ts';
import { attachmentHeader, XLSX_CONTENT_TYPE } from '../reports/report-workbook.ts';
import { looksLikeXlsx } from '../people/roster-sheet.ts';
import { billImportService } from './bill-import.service.ts';

export function billImportRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const imports = billImportService(deps);
  const permission = { auth: 'staff' as const, permission: 'billing.import', tags: ['bills'] };
  return [
    route({
      method: 'post',
      path: '/admin/bills/import',
      summary: '从 Excel 导入账单（学号、收费项目或收费项目ID、金额（元））：全部校验通过才导入，否则 422 列出每一行的问题',
      ...permission,
      response: billImportResultSchema,
      status: 201,
      handler: async ({ ctx }) => {
        const file = await readSingleFile(ctx, {
          field: 'file',
          limitBytes: deps.config.uploadLimitBytes,
          extensions: ['.xlsx'],
          description: 'Excel 文件（.xlsx）',
          signature: looksLikeXlsx,
          signatureMessage: '文件内容不是有效的 .xlsx 文件（旧版 .xls 请另存为 .xlsx）',
        });
        return imports.importFile(scopeOf(ctx), file);
      },
    }),
    route({
      method: 'get',
      path: '/admin/bills/import/template',
      summary: '账单导入模板（含范围内的收费项目及其ID）',
      ...permission,
      handler: async ({ ctx }) => {
        const bytes = await imports.template(scopeOf(ctx));
        ctx.set('Content-Disposition', attachmentHeader('账单导入模板.xlsx', 'bill-import-template.xlsx'));
        ctx.type = XLSX_CONTENT_TYPE;
        ctx.body = bytes;
        return undefined;
      },
    }),
  ];
}
