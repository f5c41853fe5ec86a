import { createHash, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { GuardianRelationship, ImportSummary } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffPrincipal, StaffScope } from '../auth/principal.ts';
import type { JobRunContext } from '../jobs/job-queue.ts';
import { JobModel } from '../jobs/job.model.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { personalDataCipher } from './people.service.ts';
import { rosterClassIndex } from './roster-classes.ts';
import { RosterImportBatchModel, batchPartId } from './roster-import-batch.model.ts';
import { RosterImportReportModel } from './roster-import-report.model.ts';
import { MAX_ROSTER_ROWS } from './roster-layout.ts';
import { annotatedRoster } from './roster-report.ts';
import { readRosterSheet, type UploadedSheet } from './roster-sheet.ts';
import { badRowCount, validateRoster, type RosterRow, type RosterValidation } from './roster-validate.ts';
import { applyRosterWrite, planRosterWrite, type ClassPaths, type RosterPlanCounts } from './roster-write.ts';

export const ROSTER_IMPORT_JOB = 'students.import';

/** Rows per staged part: a part stays around a megabyte sealed. */
const PART_ROWS = 5000;
/** The 422 answer lists this many problems; the annotated report always has them all. */
const ERRORS_IN_RESPONSE = 2000;
const REPORT_TTL_MS = 7 * 24 * 3600 * 1000;
const BATCH_TTL_MS = 7 * 24 * 3600 * 1000;
/** Below FerretDB's and MongoDB's 16 MB document limit, with room for the other fields. */
const SEALED_LIMIT = 15 * 1024 * 1024;

export interface RosterImportPayload {
  jobId: string;
  parts: number;
  rows: number;
  filename: string;
  fileSha256: string;
  /** Who submitted the file, for the scope check at run time and the audit entry. */
  actor: StaffPrincipal;
}

type PackedGuardian = [name: string, relationship: GuardianRelationship, phone: string, idNumber: string | null];
type PackedRow = [row: number, studentNo: string, name: string, gender: RosterRow['gender'], idNumber: string | null, classId: string, guardians: PackedGuardian[]];

const pack = (r: RosterRow): PackedRow => [r.row, r.studentNo, r.name, r.gender, r.idNumber, r.classId, r.guardians.map((g) => [g.name, g.relationship, g.phone, g.idNumber])];
const unpack = ([row, studentNo, name, gender, idNumber, classId, guardians]: PackedRow): RosterRow => ({
  row,
  studentNo,
  name,
  gender,
  idNumber,
  classId,
  guardians: guardians.map(([gName, relationship, phone, gId]) => ({ name: gName, relationship, phone, idNumber: gId })),
});

/** Files and staged rows hold personal data in the clear, so they are stored sealed like phone numbers are. */
const sealBytes = (cipher: PersonalDataCipher, bytes: Buffer) => cipher.encrypt(bytes.toString('base64'));
const openBytes = (cipher: PersonalDataCipher, sealed: string) => Buffer.from(cipher.decrypt(sealed), 'base64');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface RosterCheck {
  sheet: UploadedSheet;
  validation: RosterValidation;
}

export function rosterImportService(deps: ServerDeps, options: { maxRows?: number } = {}) {
  const maxRows = options.maxRows ?? MAX_ROSTER_ROWS;
  const cipher = personalDataCipher(deps);
  const audit = auditService(deps.db);
  const reports = RosterImportReportModel(deps.db);
  const batches = RosterImportBatchModel(deps.db);

  /** Reads and validates every row; writes nothing. */
  async function check(scope: StaffScope, bytes: Buffer, { campusId }: { campusId?: string | undefined } = {}): Promise<RosterCheck> {
    const sheet = await readRosterSheet(bytes, { maxRows });
    const classes = await rosterClassIndex(deps.db, scope, { within: campusId });
    return { sheet, validation: validateRoster(sheet, classes) };
  }

  async function saveReport(scope: StaffScope, filename: string, sheet: UploadedSheet, validation: RosterValidation): Promise<string | null> {
    let sealed = sealBytes(cipher, await annotatedRoster(sheet, validation.errors));
    if (sealed.length > SEALED_LIMIT) sealed = sealBytes(cipher, await annotatedRoster(sheet, validation.errors, { onlyBadRows: true }));
    if (sealed.length > SEALED_LIMIT) return null;
    const now = Date.now();
    await reports.deleteMany({ expiresAt: { $lt: new Date(now) } });
    const _id = `rpt_${randomBytes(12).toString('hex')}`;
    await reports.create({
      _id,
      orgPath: scope.principal.nodePath,
      createdBy: scope.principal.userId,
      filename,
      badRows: badRowCount(validation.errors),
      errorCount: validation.errors.length,
      xlsxSealed: sealed,
      expiresAt: new Date(now + REPORT_TTL_MS),
    });
    return _id;
  }

  function invalid(validation: RosterValidation, reportId: string | null): AppError {
    const bad = badRowCount(validation.errors);
    const headerOnly = validation.errors.every((e) => e.row === 1);
    const message = headerOnly
      ? `表头有误（${validation.errors.map((e) => e.column).join('、')}），未导入任何数据`
      : `有 ${bad} 行数据有误，未导入任何数据`;
    return new AppError('IMPORT_INVALID', message, {
      details: {
        errors: validation.errors.slice(0, ERRORS_IN_RESPONSE),
        reportId,
        badRows: bad,
        errorCount: validation.errors.length,
        truncated: validation.errors.length > ERRORS_IN_RESPONSE,
      },
    });
  }

  /**
   * A job id per (file content, user, scope): submitting the same file twice
   * while its import is queued or running joins that job. Once it finished,
   * the same file starts the next generation, which finds nothing to change.
   */
  async function jobIdFor(scope: StaffScope, fileSha256: string): Promise<string> {
    const base = `roster-import-${sha256(`${fileSha256}\n${scope.principal.userId}\n${scope.nodeId}`).slice(0, 32)}`;
    const jobs = JobModel(deps.db);
    for (let generation = 0; generation < 10_000; generation++) {
      const id = generation === 0 ? base : `${base}.${generation}`;
      const job = await jobs.findById(id, { status: 1 }).lean();
      if (!job || job.status === 'queued' || job.status === 'running') return id;
    }
    throw new AppError('CONFLICT', '该文件的导入次数过多');
  }

  async function stage(jobId: string, rows: RosterRow[]): Promise<number> {
    const parts = Math.max(1, Math.ceil(rows.length / PART_ROWS));
    for (let part = 0; part < parts; part++) {
      const packed = rows.slice(part * PART_ROWS, (part + 1) * PART_ROWS).map(pack);
      const rowsSealed = sealBytes(cipher, gzipSync(JSON.stringify(packed)));
      await batches.create({ _id: batchPartId(jobId, part), jobId, part, rowsSealed }).catch((error: unknown) => {
        // Staged already by a double submit of the same file: same rows.
        if (!isDuplicateKeyError(error)) throw error;
      });
    }
    return parts;
  }

  /**
   * Validates the whole file now; any bad row refuses it with every problem
   * listed and an annotated copy to download, and nothing is written. A valid
   * file is staged and imported by a background job whose id is returned.
   * An optional `campusId` form field limits the classes rows may name.
   */
  async function submit(scope: StaffScope, file: { filename: string; bytes: Buffer; fields?: Record<string, string> }): Promise<{ jobId: string }> {
    const campusId = file.fields?.campusId || undefined;
    const { sheet, validation } = await check(scope, file.bytes, { campusId });
    if (validation.errors.length === 0 && validation.rows.length === 0) {
      throw new AppError('VALIDATION_FAILED', '文件中没有学生数据：请从第 2 行起填写（学号以“示例”开头的行不会导入）');
    }
    if (validation.errors.length > 0) {
      throw invalid(validation, await saveReport(scope, file.filename, sheet, validation));
    }
    const fileSha256 = sha256(file.bytes);
    const jobId = await jobIdFor(scope, fileSha256);
    await batches.deleteMany({ createdAt: { $lt: new Date(Date.now() - BATCH_TTL_MS) } });
    const parts = await stage(jobId, validation.rows);
    const actor: StaffPrincipal = { ...scope.principal, sessionId: '' };
    const payload: RosterImportPayload = { jobId, parts, rows: validation.rows.length, filename: file.filename, fileSha256, actor };
    await deps.jobs.enqueue(ROSTER_IMPORT_JOB, payload as unknown as Record<string, unknown>, {
      id: jobId,
      scopeNodeId: scope.nodeId,
      createdBy: scope.principal.userId,
      maxAttempts: 3,
    });
    await audit.append(scope.principal, {
      action: 'student.import.submit',
      objectType: 'student',
      objectId: jobId,
      after: { filename: file.filename, fileSha256, rows: validation.rows.length },
    });
    return { jobId };
  }

  /** The annotated copy of a refused file, for staff whose scope covers the uploader's. */
  async function report(scope: StaffScope, reportId: string): Promise<{ filename: string; bytes: Buffer }> {
    const doc = await reports.findById(reportId).lean();
    const live = doc && doc.expiresAt.getTime() > Date.now() ? doc : null;
    scope.assert(live?.orgPath, '导入错误报告');
    const found = live!;
    await audit.append(scope.principal, {
      action: 'student.import-report.download',
      objectType: 'student',
      objectId: reportId,
      orgPath: found.orgPath,
      after: { filename: found.filename, badRows: found.badRows },
    });
    const stem = found.filename.replace(/\.xlsx$/i, '') || '学生名册';
    return { filename: `${stem}-错误说明.xlsx`, bytes: openBytes(cipher, found.xlsxSealed) };
  }

  /** The classes the staged rows name, re-checked: still there, still classes, still in the submitter's scope. */
  async function classPaths(rows: RosterRow[], actor: StaffPrincipal): Promise<ClassPaths> {
    const ids = [...new Set(rows.map((r) => r.classId))];
    const nodes = await OrgNodeModel(deps.db).find({ _id: { $in: ids } }, { kind: 1, path: 1, archived: 1 }).lean();
    const found: ClassPaths = new Map();
    for (const node of nodes) {
      if (node.kind === 'class' && !node.archived && node.path.includes(actor.nodeId)) found.set(node._id, { _id: node._id, path: node.path });
    }
    const gone = rows.filter((r) => !found.has(r.classId)).map((r) => r.row);
    if (gone.length > 0) {
      throw new AppError('BUSINESS_RULE', `第 ${gone.slice(0, 10).join('、')} 行的班级已被删除、归档或移出您的管理范围，请重新导入`);
    }
    return found;
  }

  /** The job: writes the staged rows, reporting progress; safe to run again after a crash. */
  async function run(payload: RosterImportPayload, job: Pick<JobRunContext, 'progress'>): Promise<ImportSummary> {
    const headId = batchPartId(payload.jobId, 0);
    const head = await batches.findById(headId).lean();
    if (!head) throw new AppError('NOT_FOUND', '待导入的数据已不存在（可能已过期），请重新上传文件');
    const summaryOf = (c: RosterPlanCounts): ImportSummary => ({ rows: c.rows, created: c.created, updated: c.updated, unchanged: c.unchanged });
    if (head.summary) return head.summary as ImportSummary;

    const rows: RosterRow[] = [];
    for (let part = 0; part < payload.parts; part++) {
      const doc = part === 0 ? head : await batches.findById(batchPartId(payload.jobId, part)).lean();
      if (!doc?.rowsSealed) throw new AppError('NOT_FOUND', '待导入的数据不完整，请重新上传文件');
      const packed = JSON.parse(gunzipSync(openBytes(cipher, doc.rowsSealed)).toString('utf8')) as PackedRow[];
      for (const p of packed) rows.push(unpack(p));
    }
    await job.progress(0, rows.length, '比对现有数据');
    const started = performance.now();
    const plan = await planRosterWrite(deps, rows, await classPaths(rows, payload.actor));
    const planned = performance.now();
    // A retried job finds part of its own work done; it reports what the first attempt found.
    const counts = (head.plan as RosterPlanCounts | null) ?? plan.counts;
    if (!head.plan) await batches.updateOne({ _id: headId }, { $set: { plan: counts } });
    await applyRosterWrite(deps, plan, job.progress);
    deps.log.info(
      { jobId: payload.jobId, ...plan.counts, strategy: plan.strategy, planMs: Math.round(planned - started), writeMs: Math.round(performance.now() - planned) },
      'roster import written',
    );

    if (!head.audited) {
      await audit.append(payload.actor, {
        action: 'student.import',
        objectType: 'student',
        objectId: payload.jobId,
        after: { filename: payload.filename, fileSha256: payload.fileSha256, ...counts },
      });
      await batches.updateOne({ _id: headId }, { $set: { audited: true } });
    }
    const summary = summaryOf(counts);
    // The rows are no longer needed; the head keeps the outcome for a re-run.
    await batches.updateOne({ _id: headId }, { $set: { summary, rowsSealed: null } });
    for (let part = 1; part < payload.parts; part++) await batches.deleteOne({ _id: batchPartId(payload.jobId, part) });
    return summary;
  }

  return { check, submit, report, run };
}

export type RosterImportService = ReturnType<typeof rosterImportService>;

export function registerRosterImportJob(deps: ServerDeps): void {
  const service = rosterImportService(deps);
  deps.jobs.register(ROSTER_IMPORT_JOB, (payload, run) => service.run(payload as unknown as RosterImportPayload, run), { maxAttempts: 3 });
}
