import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { shanghai, type StudentStatus, type studentListQuerySchema } from '@campuspay/shared';
import type { z } from 'zod';
import type { ServerDeps } from '../../deps.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { GuardianModel } from './guardian.model.ts';
import { StudentModel } from './student.model.ts';
import { peopleService, type GuardianDoc, type StudentDoc } from './people.service.ts';
import { GENDER_LABEL_OUT, RELATIONSHIP_LABEL_OUT, ROSTER_COLUMNS, ROSTER_SHEET, type RosterField } from './roster-layout.ts';
import { yieldToEventLoop } from './roster-sheet.ts';

export type RosterExportQuery = Pick<z.output<typeof studentListQuerySchema>, 'nodeId' | 'q' | 'status'>;

const STATUS_LABELS: Record<StudentStatus, string> = { enrolled: '在读', graduated: '已毕业', left: '已离校' };
/** After the template's columns: useful to the school, ignored by the import. */
const EXTRA_COLUMNS = [
  { header: '状态', width: 8 },
  { header: '邀请码', width: 12 },
];

type ExportStudent = Pick<StudentDoc, '_id' | 'studentNo' | 'name' | 'gender' | 'idNumberMasked' | 'status' | 'orgPath' | 'guardians' | 'guardianIds'>;
type ExportGuardian = Pick<GuardianDoc, '_id' | 'name' | 'phoneMasked' | 'idNumberMasked'>;

/** Above this many guardians one scan of the scope's guardians beats an `_id $in` (a scan too on FerretDB/SQLite). */
const GUARDIANS_BY_SCOPE_ABOVE = 2000;

/**
 * The roster as an .xlsx in the import template's layout, with phone and
 * identity numbers masked (the plaintext is never read). Everything is read
 * before the first byte is sent (three queries), then rows stream out.
 */
export function rosterExportService(deps: ServerDeps) {
  const people = peopleService(deps);
  const audit = auditService(deps.db);

  async function exportRoster(scope: StaffScope, query: RosterExportQuery): Promise<{ filename: string; asciiFilename: string; rows: number; body: Readable }> {
    const filter = await people.listFilter(scope, query);
    const students = await StudentModel(deps.db)
      .find(filter, { studentNo: 1, name: 1, gender: 1, idNumberMasked: 1, status: 1, orgPath: 1, guardians: 1, guardianIds: 1, inviteCode: 1 })
      .lean<(ExportStudent & { inviteCode: string })[]>();
    students.sort((a, b) => (a.studentNo < b.studentNo ? -1 : a.studentNo > b.studentNo ? 1 : 0));

    // The primary guardian first, as the import's 监护人1; the template has room for two.
    const linksOf = (s: ExportStudent) => [...s.guardians].sort((a, b) => Number(Boolean(b.primary)) - Number(Boolean(a.primary))).slice(0, 2);
    const wanted = new Set(students.flatMap((s) => linksOf(s).map((g) => g.guardianId)));
    const guardianModel = GuardianModel(deps.db);
    const projection = { name: 1, phoneMasked: 1, idNumberMasked: 1 };
    const guardianById = new Map<string, ExportGuardian>();
    if (wanted.size > GUARDIANS_BY_SCOPE_ABOVE) {
      for (const g of await guardianModel.find({ orgPath: scope.nodeId }, projection).lean<ExportGuardian[]>()) guardianById.set(g._id, g);
    }
    const missing = [...wanted].filter((id) => !guardianById.has(id));
    if (missing.length > 0) {
      for (const g of await guardianModel.find({ _id: { $in: missing } }, projection).lean<ExportGuardian[]>()) guardianById.set(g._id, g);
    }
    const nodeIds = [...new Set(students.flatMap((s) => s.orgPath.slice(-4)))];
    const nodes = nodeIds.length ? await OrgNodeModel(deps.db).find({ _id: { $in: nodeIds } }, { name: 1 }).lean() : [];
    const nameOf = new Map(nodes.map((n) => [n._id, n.name]));

    await audit.append(scope.principal, {
      action: 'student.export',
      objectType: 'student',
      after: { filter: { nodeId: query.nodeId ?? null, q: query.q ?? null, status: query.status ?? null }, rows: students.length },
    });

    const body = new PassThrough();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: body, useStyles: true, useSharedStrings: false });
    const write = async () => {
      const sheet = workbook.addWorksheet(ROSTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = [...ROSTER_COLUMNS.map((c) => ({ width: c.width })), ...EXTRA_COLUMNS.map((c) => ({ width: c.width }))];
      const header = sheet.addRow([...ROSTER_COLUMNS.map((c) => c.header), ...EXTRA_COLUMNS.map((c) => c.header)]);
      header.font = { bold: true };
      header.commit();
      for (let i = 0; i < students.length; i++) {
        const s = students[i]!;
        const [campusId = '', divisionId = '', gradeId = '', classId = ''] = s.orgPath.slice(-4);
        const values: Partial<Record<RosterField, string>> = {
          studentNo: s.studentNo,
          name: s.name,
          gender: s.gender ? GENDER_LABEL_OUT[s.gender] : '',
          idNumber: s.idNumberMasked ?? '',
          campus: nameOf.get(campusId) ?? '',
          division: nameOf.get(divisionId) ?? '',
          grade: nameOf.get(gradeId) ?? '',
          klass: nameOf.get(classId) ?? '',
        };
        linksOf(s).forEach((link, n) => {
          const g = guardianById.get(link.guardianId);
          const slot = n === 0 ? 'g1' : 'g2';
          values[`${slot}Name`] = g?.name ?? '';
          values[`${slot}Relationship`] = RELATIONSHIP_LABEL_OUT[link.relationship] ?? '';
          values[`${slot}Phone`] = g?.phoneMasked ?? '';
          values[`${slot}IdNumber`] = g?.idNumberMasked ?? '';
        });
        sheet.addRow([...ROSTER_COLUMNS.map((c) => values[c.field] ?? ''), STATUS_LABELS[s.status] ?? s.status, s.inviteCode]).commit();
        if (i % 1000 === 999) await yieldToEventLoop();
      }
      sheet.commit();
      await workbook.commit();
    };
    write().catch((error: unknown) => {
      deps.log.error({ err: error }, 'roster export failed while streaming');
      body.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    const stamp = shanghai().format('YYYYMMDD-HHmm');
    return { filename: `学生名册-${stamp}.xlsx`, asciiFilename: `students-${stamp}.xlsx`, rows: students.length, body };
  }

  return { exportRoster };
}
