import { z } from 'zod';
import { studentListQuerySchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { readSingleFile } from '../../platform/http/multipart.ts';
import type { AppContext } from '../../platform/http/context.ts';
import { scopeOf } from '../auth/principal.ts';
import { XLSX_CONTENT_TYPE, attachmentHeader } from './roster-layout.ts';
import { rosterExportService } from './roster-export.ts';
import { rosterImportService } from './roster-import.ts';
import { looksLikeXlsx } from './roster-sheet.ts';
import { rosterTemplateService } from './roster-template.ts';

function sendXlsx(ctx: AppContext, filename: string, asciiFallback: string, body: Buffer | NodeJS.ReadableStream): void {
  ctx.set('Content-Disposition', attachmentHeader(filename, asciiFallback));
  ctx.set('Cache-Control', 'no-store');
  ctx.type = XLSX_CONTENT_TYPE;
  ctx.body = body;
}

/**
 * Roster import and export. Mounted before the student routes, whose
 * `/admin/students/:id` would otherwise take `import-template` and `export` for ids.
 */
export function rosterRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const imports = rosterImportService(deps);
  const templates = rosterTemplateService(deps);
  const exports = rosterExportService(deps);
  const tags = ['students'];
  return [
    route({
      method: 'get',
      path: '/admin/students/import-template',
      summary: '下载学生名册导入模板（.xlsx，含本人范围内的班级）',
      tags,
      auth: 'staff',
      permission: 'students.import',
      handler: async ({ ctx }) => {
        const { filename, bytes } = await templates.template(scopeOf(ctx));
        sendXlsx(ctx, filename, 'student-import-template.xlsx', bytes);
      },
    }),
    route({
      method: 'post',
      path: '/admin/students/import',
      summary: '导入学生名册（multipart 字段 file，.xlsx）：全部校验通过才导入，返回后台任务 ID；有误时 422 列出所有错误行',
      tags,
      auth: 'staff',
      permission: 'students.import',
      response: z.object({ jobId: z.string() }),
      status: 202,
      handler: async ({ ctx }) => {
        const file = await readSingleFile(ctx, {
          field: 'file',
          limitBytes: deps.config.uploadLimitBytes,
          extensions: ['.xlsx'],
          description: 'Excel 文件（.xlsx）',
          signature: looksLikeXlsx,
          signatureMessage: '文件内容不是 .xlsx 格式（.xls 或其他格式请在 Excel/WPS 中另存为 .xlsx）',
        });
        return imports.submit(scopeOf(ctx), file);
      },
    }),
    route({
      method: 'get',
      path: '/admin/students/import-reports/:reportId',
      summary: '下载导入错误报告（原文件加“错误说明”列，错误单元格标红）',
      tags,
      auth: 'staff',
      permission: 'students.import',
      params: z.object({ reportId: z.string().min(1).max(64) }),
      handler: async ({ params, ctx }) => {
        const { filename, bytes } = await imports.report(scopeOf(ctx), params.reportId);
        sendXlsx(ctx, filename, 'import-errors.xlsx', bytes);
      },
    }),
    route({
      method: 'get',
      path: '/admin/students/export',
      summary: '导出学生名册（.xlsx，与导入模板同样的列；手机号、身份证号脱敏）',
      tags,
      auth: 'staff',
      permission: 'students.export',
      query: studentListQuerySchema.pick({ nodeId: true, q: true, status: true }),
      handler: async ({ query, ctx }) => {
        const result = await exports.exportRoster(scopeOf(ctx), query);
        ctx.set('X-Row-Count', String(result.rows));
        sendXlsx(ctx, result.filename, result.asciiFilename, result.body);
      },
    }),
  ];
}
