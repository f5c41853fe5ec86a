/**
 * What the roster page shows and sends: labels, the create and edit bodies,
 * and the reveal rules. Pure and unit tested; the shared schemas decide what
 * is valid.
 */
import {
  RELATIONSHIP_LABELS,
  createStudentSchema,
  idNumberProblem,
  normaliseIdNumber,
  normalisePhone,
  revealRequestSchema,
  updateStudentSchema,
  type CreateStudentRequest,
  type GuardianRelationship,
  type Student,
  type StudentStatus,
} from '@campuspay/shared';
import type { UpdateStudentRequest } from '../../services/students.ts';

/** Not in the shared contract yet. */
export const STUDENT_STATUS_LABELS: Readonly<Record<StudentStatus, string>> = {
  enrolled: '在读',
  graduated: '已毕业',
  left: '已离校',
};

export const STUDENT_STATUS_COLORS: Readonly<Record<StudentStatus, string>> = {
  enrolled: 'green',
  graduated: 'blue',
  left: 'default',
};

export const GENDER_LABELS: Readonly<Record<'male' | 'female', string>> = { male: '男', female: '女' };

/** How long a revealed value stays on screen. */
export const REVEAL_SECONDS = 20;

export type Issues = { path: PropertyKey[]; message: string }[];
export type FormResult<T> = { ok: true; value: T } | { ok: false; issues: Issues };

export interface GuardianFormValues {
  name?: string | undefined;
  relationship?: GuardianRelationship | undefined;
  phone?: string | undefined;
  idNumber?: string | undefined;
  primary?: boolean | undefined;
}

export interface CreateStudentFormValues {
  studentNo?: string | undefined;
  name?: string | undefined;
  gender?: 'male' | 'female' | undefined;
  idNumber?: string | undefined;
  classId?: string | undefined;
  guardians?: GuardianFormValues[] | undefined;
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function isBlankGuardian(guardian: GuardianFormValues): boolean {
  return !text(guardian.name) && !text(guardian.phone) && !text(guardian.idNumber);
}

/**
 * The body of `POST /admin/students`, or the problems (paths match the form:
 * `guardians.1.phone`). Guardian rows left completely empty are dropped; if
 * none is marked primary the first one is.
 */
export function createStudentRequestOf(values: CreateStudentFormValues): FormResult<CreateStudentRequest> {
  const guardians = (values.guardians ?? []).map((guardian, index) => ({ guardian, index })).filter(({ guardian }) => !isBlankGuardian(guardian));
  const issues: Issues = [];
  const primaries = guardians.filter(({ guardian }) => guardian.primary).length;
  if (primaries > 1) {
    for (const { guardian, index } of guardians) {
      if (guardian.primary) issues.push({ path: ['guardians', index, 'primary'], message: '只能有一位主要联系人' });
    }
  }
  for (const { guardian, index } of guardians) {
    if (!guardian.relationship) issues.push({ path: ['guardians', index, 'relationship'], message: '请选择与学生的关系' });
  }
  const body = {
    studentNo: values.studentNo?.trim() ?? '',
    name: values.name?.trim() ?? '',
    ...(values.gender ? { gender: values.gender } : {}),
    ...(text(values.idNumber) ? { idNumber: normaliseIdNumber(values.idNumber as string) } : {}),
    classId: values.classId ?? '',
    guardians: guardians.map(({ guardian }, position) => ({
      name: guardian.name?.trim() ?? '',
      relationship: guardian.relationship ?? ('' as GuardianRelationship),
      phone: normalisePhone(guardian.phone ?? ''),
      ...(text(guardian.idNumber) ? { idNumber: normaliseIdNumber(guardian.idNumber as string) } : {}),
      primary: primaries === 0 ? position === 0 : Boolean(guardian.primary),
    })),
  };
  const parsed = createStudentSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // Point guardian issues at the form row they came from (blank rows were dropped).
      const [head, at, ...rest] = issue.path;
      if (head === 'guardians' && typeof at === 'number') {
        const row = guardians[at]?.index ?? at;
        if (rest[0] === 'relationship' && !guardians[at]?.guardian.relationship) continue; // said above, in Chinese
        issues.push({ path: ['guardians', row, ...rest], message: issue.message });
      } else {
        issues.push({ path: issue.path, message: issue.message });
      }
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: body };
}

export interface EditStudentFormValues {
  name?: string | undefined;
  gender?: 'male' | 'female' | undefined;
  /** Empty: keep the stored number. */
  idNumber?: string | undefined;
  status?: StudentStatus | undefined;
}

/** The body of `PATCH /admin/students/:id`: only what changed, or the problems. */
export function updateStudentRequestOf(student: Student, values: EditStudentFormValues): FormResult<UpdateStudentRequest> {
  const body: UpdateStudentRequest = {};
  const name = values.name?.trim();
  if (name !== undefined && name !== student.name) body.name = name;
  if (values.gender && values.gender !== student.gender) body.gender = values.gender;
  if (text(values.idNumber)) body.idNumber = normaliseIdNumber(values.idNumber as string);
  if (values.status && values.status !== student.status) body.status = values.status;
  const parsed = updateStudentSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  return { ok: true, value: body };
}

/** The reason typed in the reveal dialog, checked by the shared rule (2–200 characters). */
export function revealReasonProblem(reason: string): string | null {
  const parsed = revealRequestSchema.shape.reason.safeParse(reason);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? '请说明查看原因');
}

/** Suggestions for the reveal reason. */
export const REVEAL_REASONS: readonly string[] = ['家长来电核实身份', '办理退费核对信息', '学籍信息核对', '补录缴费凭证'];

/** "母亲 曾娟 138****0001" for the list column. */
export function guardianLine(guardian: Student['guardians'][number]): string {
  return [RELATIONSHIP_LABELS[guardian.relationship], guardian.name, guardian.phoneMasked ?? ''].filter(Boolean).join(' ');
}

/** Guardians with the primary contact first. */
export function orderedGuardians(guardians: readonly Student['guardians'][number][]): Student['guardians'][number][] {
  return [...guardians].sort((a, b) => Number(b.primary) - Number(a.primary));
}

/** antd validator for an optional identity-number field. */
export function idNumberFieldProblem(value: string | undefined): string | null {
  return text(value) ? idNumberProblem(value as string) : null;
}
