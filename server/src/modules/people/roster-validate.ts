import {
  createStudentSchema,
  idNumberProblem,
  maskPhone,
  normaliseIdNumber,
  normalisePhone,
  phoneProblem,
  type GuardianRelationship,
  type ImportRowError,
} from '@campuspay/shared';
import type { RosterClassIndex } from './roster-classes.ts';
import { nameKey } from './roster-classes.ts';
import {
  COLUMN_BY_FIELD,
  EXAMPLE_MARK,
  GENDER_BY_LABEL,
  RELATIONSHIP_BY_LABEL,
  RELATIONSHIP_LABELS_IN,
  ROSTER_COLUMNS,
  columnHeader,
  headerKey,
  type GuardianSlot,
  type RosterField,
} from './roster-layout.ts';
import type { UploadedSheet } from './roster-sheet.ts';

/** A roster row that passed every check, normalised, with its class resolved. */
export interface RosterRow {
  row: number;
  studentNo: string;
  name: string;
  gender: 'male' | 'female' | null;
  idNumber: string | null;
  classId: string;
  guardians: RosterGuardian[];
}

export interface RosterGuardian {
  name: string;
  relationship: GuardianRelationship;
  phone: string;
  idNumber: string | null;
}

export interface RosterValidation {
  rows: RosterRow[];
  /** Every problem, ordered by row then column; `row` as Excel numbers it (header = 1). */
  errors: ImportRowError[];
  /** Columns of the uploaded sheet each field was read from, for marking bad cells. */
  columnOf: Map<RosterField, number>;
  /** Data rows checked (the example row and empty rows are not counted). */
  checked: number;
}

const NAME_MAX = 30;
const STUDENT_NO = /^[A-Za-z0-9-]{1,32}$/;
const label = (field: RosterField) => columnHeader(field).replace(/\*$/, '');
const COLUMN_ORDER = new Map(ROSTER_COLUMNS.map((c, i) => [c.header, i]));

/**
 * Checks every row of an uploaded roster and reports every problem, each with
 * its row, column and a message the school staff can act on: required
 * fields, formats (student number, names, gender, identity-number checksum,
 * mobile number), the class named by campus/division/grade/class within the
 * user's scope, and consistency inside the file (a student number once per
 * campus, an identity number once, one name per guardian phone).
 */
export function validateRoster(sheet: UploadedSheet, classes: RosterClassIndex): RosterValidation {
  const errors: ImportRowError[] = [];
  const columnOf = new Map<RosterField, number>();
  sheet.headers.forEach((header, index) => {
    const key = headerKey(header ?? '');
    const column = ROSTER_COLUMNS.find((c) => headerKey(c.header) === key);
    if (column && !columnOf.has(column.field)) columnOf.set(column.field, index);
  });
  for (const column of ROSTER_COLUMNS) {
    if (column.required && !columnOf.has(column.field)) {
      errors.push({ row: 1, column: column.header, message: `缺少必填列「${column.header}」，请使用导入模板` });
    }
  }
  if (errors.length > 0) return { rows: [], errors, columnOf, checked: 0 };

  const rows: RosterRow[] = [];
  const studentNoRows = new Map<string, number[]>();
  const idNumberRows = new Map<string, number[]>();
  const guardianSeen = new Map<string, { name: string; idNumber: string | null; row: number }>();
  let checked = 0;

  for (const sheetRow of sheet.rows) {
    const cell = (field: RosterField): string => {
      const index = columnOf.get(field);
      return index === undefined ? '' : (sheetRow.cells[index] ?? '');
    };
    const lossy = (field: RosterField) => {
      const index = columnOf.get(field);
      return index !== undefined && (sheetRow.lossy?.includes(index) ?? false);
    };
    const studentNo = cell('studentNo');
    if (studentNo.startsWith(EXAMPLE_MARK)) continue;
    checked += 1;
    const rowErrors: ImportRowError[] = [];
    const fail = (field: RosterField | null, message: string) =>
      rowErrors.push({ row: sheetRow.row, column: field ? columnHeader(field) : null, message });
    const required = (field: RosterField): string => {
      const value = cell(field);
      if (!value) fail(field, `${label(field)}不能为空`);
      return value;
    };
    const personName = (field: RosterField): string => {
      const value = required(field);
      if (value && [...value].length > NAME_MAX) fail(field, `${label(field)}不能超过 ${NAME_MAX} 个字`);
      return value;
    };
    const idNumber = (field: RosterField): string | null => {
      const value = cell(field);
      if (!value) return null;
      if (lossy(field)) {
        fail(field, `${label(field)}被 Excel 存成了数字，末几位已丢失；请把该列设为文本格式后重新填写`);
        return null;
      }
      const problem = idNumberProblem(value);
      if (problem) {
        fail(field, problem);
        return null;
      }
      return normaliseIdNumber(value);
    };

    if (studentNo && !STUDENT_NO.test(studentNo)) fail('studentNo', '学号应为 1–32 位字母、数字或短横线');
    required('studentNo');
    const name = personName('name');
    const genderText = cell('gender');
    const gender = genderText ? (GENDER_BY_LABEL[genderText] ?? null) : null;
    if (genderText && !gender) fail('gender', '性别只能填写“男”或“女”');
    const studentIdNumber = idNumber('idNumber');

    const path = [required('campus'), required('division'), required('grade'), required('klass')] as const;
    let classId = '';
    if (path.every(Boolean)) {
      const found = classes.find(...path);
      const shown = path.join('/');
      if (found.length === 0) fail('klass', `在您的管理范围内找不到班级「${shown}」，请核对校区、学部、年级、班级名称`);
      else if (found.length > 1) fail('klass', `班级「${shown}」对应多个班级，请联系管理员`);
      else classId = found[0]!.id;
    }

    const guardians: RosterGuardian[] = [];
    for (const slot of [1, 2] as GuardianSlot[]) {
      const fields = { name: `g${slot}Name`, relationship: `g${slot}Relationship`, phone: `g${slot}Phone`, idNumber: `g${slot}IdNumber` } as const;
      const anyFilled = Object.values(fields).some((f) => cell(f));
      if (slot === 2 && !anyFilled) continue;
      const guardianName = personName(fields.name);
      const relationshipText = required(fields.relationship);
      const relationship = relationshipText ? RELATIONSHIP_BY_LABEL[relationshipText] : undefined;
      if (relationshipText && !relationship) fail(fields.relationship, `${label(fields.relationship)}只能填写：${RELATIONSHIP_LABELS_IN.join('、')}`);
      const phoneText = required(fields.phone);
      const phoneIssue = phoneText ? phoneProblem(phoneText) : null;
      if (phoneIssue) fail(fields.phone, phoneIssue);
      const guardianIdNumber = idNumber(fields.idNumber);
      const phone = phoneText && !phoneIssue ? normalisePhone(phoneText) : '';
      if (phone && guardians.some((g) => g.phone === phone)) fail(fields.phone, `${label(fields.phone)}与监护人1相同`);
      else if (phone && guardianName && relationship) {
        // One guardian per phone number: every row naming the number must agree on who it is.
        const seen = guardianSeen.get(phone);
        if (!seen) guardianSeen.set(phone, { name: guardianName, idNumber: guardianIdNumber, row: sheetRow.row });
        else {
          if (seen.name !== guardianName) {
            fail(fields.name, `手机号 ${maskPhone(phone)} 在第 ${seen.row} 行登记的监护人是「${seen.name}」，同一手机号须为同一人`);
          }
          if (guardianIdNumber && seen.idNumber && seen.idNumber !== guardianIdNumber) {
            fail(fields.idNumber, `手机号 ${maskPhone(phone)} 的监护人在第 ${seen.row} 行登记的身份证号与本行不同`);
          } else if (guardianIdNumber && !seen.idNumber) seen.idNumber = guardianIdNumber;
        }
        guardians.push({ name: guardianName, relationship, phone, idNumber: guardianIdNumber });
      }
    }

    if (studentNo) {
      // Campus names are unique within a school group, the widest scope that may import.
      const key = `${nameKey(path[0])}\u0000${studentNo}`;
      const list = studentNoRows.get(key);
      if (list) list.push(sheetRow.row);
      else studentNoRows.set(key, [sheetRow.row]);
    }
    if (studentIdNumber) {
      const list = idNumberRows.get(studentIdNumber);
      if (list) list.push(sheetRow.row);
      else idNumberRows.set(studentIdNumber, [sheetRow.row]);
    }

    if (rowErrors.length === 0) {
      const row: RosterRow = { row: sheetRow.row, studentNo, name, gender, idNumber: studentIdNumber, classId, guardians };
      // The manual form's contract is the last word, so an import never stores what the form would refuse.
      const contract = createStudentSchema.safeParse({
        studentNo,
        name,
        gender: gender ?? undefined,
        idNumber: studentIdNumber ?? undefined,
        classId,
        guardians: guardians.map((g) => ({ ...g, idNumber: g.idNumber ?? undefined })),
      });
      if (contract.success) rows.push(row);
      else for (const issue of contract.error.issues) fail(fieldOfIssue(issue.path), issue.message);
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
    }
  }

  for (const [key, list] of studentNoRows) {
    if (list.length < 2) continue;
    const no = key.split('\u0000')[1] ?? '';
    for (const row of list) {
      errors.push({ row, column: columnHeader('studentNo'), message: `学号 ${no} 在本文件的同一校区中重复出现（第 ${list.join('、')} 行）` });
    }
  }
  for (const list of idNumberRows.values()) {
    if (list.length < 2) continue;
    for (const row of list) errors.push({ row, column: columnHeader('idNumber'), message: `身份证号在本文件中重复出现（第 ${list.join('、')} 行）` });
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row || (COLUMN_ORDER.get(a.column ?? '') ?? 99) - (COLUMN_ORDER.get(b.column ?? '') ?? 99));
  }
  return { rows: errors.length > 0 ? [] : rows, errors, columnOf, checked };
}

function fieldOfIssue(path: PropertyKey[]): RosterField | null {
  const [head, index, leaf] = path;
  if (head === 'guardians' && typeof index === 'number' && typeof leaf === 'string') {
    const field = `g${index + 1}${leaf.charAt(0).toUpperCase()}${leaf.slice(1)}` as RosterField;
    return COLUMN_BY_FIELD.has(field) ? field : null;
  }
  if (head === 'classId') return 'klass';
  return typeof head === 'string' && COLUMN_BY_FIELD.has(head as RosterField) ? (head as RosterField) : null;
}

/** Number of distinct rows with at least one problem. */
export function badRowCount(errors: readonly ImportRowError[]): number {
  return new Set(errors.map((e) => e.row)).size;
}
