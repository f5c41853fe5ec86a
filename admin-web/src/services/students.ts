/**
 * Student roster endpoints (students, guardians, roster import and export),
 * one typed function each.
 */
import {
  importRowErrorSchema,
  pageOf,
  studentSchema,
  type CreateStudentRequest,
  type ImportRowError,
  type Page,
  type Student,
  type StudentStatus,
} from '@campuspay/shared';
import { api, isApiError, type DownloadedFile } from './request.ts';
import { nullableStringField, objectOf, stringField } from './shape.ts';

const studentPageSchema = pageOf(studentSchema);

export interface StudentListQuery {
  page?: number;
  pageSize?: number;
  /** Student number (prefix) or name (contains). */
  q?: string | undefined;
  /** Any organisation node in scope: campus, division, grade or class. */
  nodeId?: string | undefined;
  status?: StudentStatus | undefined;
}

/** `GET /api/v1/admin/students?page&pageSize&q&nodeId&status` → a page of students (guardian phones masked). */
export function listStudents(query: StudentListQuery, signal?: AbortSignal): Promise<Page<Student>> {
  return api.get('/admin/students', {
    query: { page: query.page, pageSize: query.pageSize, q: query.q?.trim(), nodeId: query.nodeId, status: query.status },
    parse: (value) => studentPageSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v1/admin/students/:id`. */
export function getStudent(id: string, signal?: AbortSignal): Promise<Student> {
  return api.get(`/admin/students/${encodeURIComponent(id)}`, {
    parse: (value) => studentSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `POST /api/v1/admin/students` → 201 the new student (guardians merged by phone). */
export function createStudent(body: CreateStudentRequest): Promise<Student> {
  return api.post('/admin/students', body, { parse: (value) => studentSchema.parse(value) });
}

/** The body of `PATCH /admin/students/:id` (the shared `updateStudentSchema`). */
export interface UpdateStudentRequest {
  name?: string;
  gender?: 'male' | 'female';
  /** Replaces the stored number; omit to keep it. */
  idNumber?: string;
  status?: StudentStatus;
}

/** `PATCH /api/v1/admin/students/:id`. */
export function updateStudent(id: string, body: UpdateStudentRequest): Promise<Student> {
  return api.patch(`/admin/students/${encodeURIComponent(id)}`, body, { parse: (value) => studentSchema.parse(value) });
}

/** `POST /api/v1/admin/students/:id/move {classId, reason}`: another class of the same campus. */
export function moveStudent(id: string, body: { classId: string; reason?: string }): Promise<Student> {
  return api.post(`/admin/students/${encodeURIComponent(id)}/move`, body, { parse: (value) => studentSchema.parse(value) });
}

/** A revealed personal field; null when none is stored. */
export interface RevealResult {
  value: string | null;
}

function parseReveal(value: unknown): RevealResult {
  return { value: nullableStringField(objectOf(value, 'reveal'), 'value') };
}

/** `POST /api/v1/admin/students/:id/reveal {field:'idNumber', reason}`: audited. */
export function revealStudentIdNumber(id: string, reason: string): Promise<RevealResult> {
  return api.post(`/admin/students/${encodeURIComponent(id)}/reveal`, { field: 'idNumber', reason }, { parse: parseReveal });
}

/** `POST /api/v1/admin/guardians/:id/reveal {field, reason}`: audited. */
export function revealGuardianField(id: string, field: 'phone' | 'idNumber', reason: string): Promise<RevealResult> {
  return api.post(`/admin/guardians/${encodeURIComponent(id)}/reveal`, { field, reason }, { parse: parseReveal });
}

// --- roster import and export ---------------------------------------------

/** `GET /api/v1/admin/students/import-template` → the .xlsx template. */
export function downloadImportTemplate(): Promise<DownloadedFile> {
  return api.download('/admin/students/import-template');
}

/** The 202 answer of an import whose rows are all valid: it runs as a job. */
export interface ImportAccepted {
  jobId: string;
}

/**
 * `POST /api/v1/admin/students/import` (multipart: `file`, optional
 * `campusId`) → 202 `{jobId}`. When any row is invalid nothing is imported
 * and it throws `ApiError` 422 IMPORT_INVALID; read it with
 * `importRejectionOf`.
 */
export function importRoster(file: Blob, options: { fileName?: string; campusId?: string | undefined } = {}): Promise<ImportAccepted> {
  const form = new FormData();
  form.append('file', file, options.fileName ?? (file instanceof File ? file.name : 'roster.xlsx'));
  if (options.campusId) form.append('campusId', options.campusId);
  return api.upload('/admin/students/import', form, {
    parse: (value) => ({ jobId: stringField(objectOf(value, 'import'), 'jobId') }),
  });
}

/** What a rejected import says: every bad row, and the annotated copy to download. */
export interface ImportRejection {
  message: string;
  errors: ImportRowError[];
  /** For `downloadImportReport`; null when the server kept no report. */
  reportId: string | null;
}

/** The IMPORT_INVALID details of an error, or null when it is another error. */
export function importRejectionOf(error: unknown): ImportRejection | null {
  if (!isApiError(error) || error.code !== 'IMPORT_INVALID') return null;
  const rawErrors = error.details?.['errors'];
  const errors = Array.isArray(rawErrors)
    ? rawErrors.flatMap((item) => {
        const parsed = importRowErrorSchema.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  const reportId = error.details?.['reportId'];
  return {
    message: error.message,
    // By row; within a row, in the server's (column) order.
    errors: errors.sort((a, b) => a.row - b.row),
    reportId: typeof reportId === 'string' && reportId !== '' ? reportId : null,
  };
}

/** `GET /api/v1/admin/students/import-reports/:reportId` → the uploaded sheet with every problem marked. */
export function downloadImportReport(reportId: string): Promise<DownloadedFile> {
  return api.download(`/admin/students/import-reports/${encodeURIComponent(reportId)}`);
}

/** `GET /api/v1/admin/students/export?nodeId&q&status` → .xlsx of the filtered roster. */
export function exportStudents(query: Omit<StudentListQuery, 'page' | 'pageSize'>): Promise<DownloadedFile> {
  return api.download('/admin/students/export', {
    query: { nodeId: query.nodeId, q: query.q?.trim(), status: query.status },
  });
}
