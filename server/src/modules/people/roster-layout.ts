import type { GuardianRelationship } from '@campuspay/shared';

/**
 * The roster sheet's layout, shared by the import template, the import and
 * the export, so the three never drift apart.
 */
export const ROSTER_SHEET = '学生名册';
export const NOTES_SHEET = '说明';
export const ERROR_COLUMN = '错误说明';
/** Rows whose student number starts with this are the template's example and are skipped. */
export const EXAMPLE_MARK = '示例';
/** A file with more data rows than this is refused before any row is checked. */
export const MAX_ROSTER_ROWS = 50_000;

export type GuardianSlot = 1 | 2;
export type GuardianField = 'Name' | 'Relationship' | 'Phone' | 'IdNumber';
export type RosterField =
  | 'studentNo'
  | 'name'
  | 'gender'
  | 'idNumber'
  | 'campus'
  | 'division'
  | 'grade'
  | 'klass'
  | `g${GuardianSlot}${GuardianField}`;

export interface RosterColumn {
  field: RosterField;
  /** The header as printed, with `*` on required columns. */
  header: string;
  required: boolean;
  width: number;
  /** Digits that Excel must keep as text (long numbers lose digits otherwise). */
  text?: boolean;
}

function guardianColumns(slot: GuardianSlot, required: boolean): RosterColumn[] {
  const star = required ? '*' : '';
  return [
    { field: `g${slot}Name`, header: `监护人${slot}姓名${star}`, required, width: 14 },
    { field: `g${slot}Relationship`, header: `监护人${slot}关系${star}`, required, width: 14 },
    { field: `g${slot}Phone`, header: `监护人${slot}手机${star}`, required, width: 16, text: true },
    { field: `g${slot}IdNumber`, header: `监护人${slot}身份证号`, required: false, width: 22, text: true },
  ];
}

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  { field: 'studentNo', header: '学号*', required: true, width: 14, text: true },
  { field: 'name', header: '姓名*', required: true, width: 12 },
  { field: 'gender', header: '性别', required: false, width: 8 },
  { field: 'idNumber', header: '身份证号', required: false, width: 22, text: true },
  { field: 'campus', header: '校区*', required: true, width: 14 },
  { field: 'division', header: '学部*', required: true, width: 10 },
  { field: 'grade', header: '年级*', required: true, width: 10 },
  { field: 'klass', header: '班级*', required: true, width: 10 },
  ...guardianColumns(1, true),
  ...guardianColumns(2, false),
];

export const COLUMN_BY_FIELD = new Map(ROSTER_COLUMNS.map((c) => [c.field, c]));

export function columnHeader(field: RosterField): string {
  return COLUMN_BY_FIELD.get(field)?.header ?? field;
}

/** Header text as compared: without spaces and without the required-mark star (half or full width). */
export function headerKey(text: string): string {
  return text.replace(/\s+/g, '').replace(/[*＊]+$/, '');
}

export const RELATIONSHIP_LABELS_IN = ['父亲', '母亲', '祖父母', '外祖父母', '其他'] as const;
export const RELATIONSHIP_BY_LABEL: Readonly<Record<string, GuardianRelationship>> = {
  父亲: 'father',
  母亲: 'mother',
  祖父母: 'grandparent',
  外祖父母: 'grandparent',
  其他: 'other',
};
/** The export writes one label per stored value; grandparents on either side were stored alike. */
export const RELATIONSHIP_LABEL_OUT: Readonly<Record<GuardianRelationship, string>> = {
  father: '父亲',
  mother: '母亲',
  grandparent: '祖父母',
  other: '其他',
};

export const GENDER_BY_LABEL: Readonly<Record<string, 'male' | 'female'>> = { 男: 'male', 女: 'female' };
export const GENDER_LABEL_OUT: Readonly<Record<'male' | 'female', string>> = { male: '男', female: '女' };

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function attachmentHeader(filename: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}
