import ExcelJS from 'exceljs';
import { idNumberCheckChar } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import type { StaffScope } from '../auth/principal.ts';
import { rosterClassIndex, type RosterClass } from './roster-classes.ts';
import {
  EXAMPLE_MARK,
  MAX_ROSTER_ROWS,
  NOTES_SHEET,
  RELATIONSHIP_LABELS_IN,
  ROSTER_COLUMNS,
  ROSTER_SHEET,
  type RosterField,
} from './roster-layout.ts';

const withCheckChar = (first17: string) => first17 + idNumberCheckChar(first17);

/** The example row: its student number starts with 示例, so an import skips it. */
function exampleRow(klass: RosterClass | undefined): Record<RosterField, string> {
  const [campus, division, grade, className] = klass?.names ?? ['某某校区', '小学部', '一年级', '1班'];
  return {
    studentNo: `${EXAMPLE_MARK}-2026001`,
    name: '张小明',
    gender: '男',
    idNumber: withCheckChar('11010520150901001'),
    campus,
    division,
    grade,
    klass: className,
    g1Name: '张建国',
    g1Relationship: '父亲',
    g1Phone: '13800138000',
    g1IdNumber: withCheckChar('11010519850301001'),
    g2Name: '李丽',
    g2Relationship: '母亲',
    g2Phone: '13900139000',
    g2IdNumber: '',
  };
}

const RULES = [
  '第 1 行是表头，请勿修改列名；从第 2 行起每行一名学生。带 * 的列必须填写。',
  `第 2 行是示例：学号以“${EXAMPLE_MARK}”开头的行不会导入，可以保留或删除。`,
  '学号：1–32 位字母、数字或短横线，同一校区内不能重复。系统按“校区 + 学号”识别学生：已有的学生会被更新，没有的会新建；同一文件重复导入不会产生重复数据。',
  '姓名、监护人姓名：不超过 30 个字。',
  '性别：填写“男”或“女”，可以不填。',
  '身份证号：18 位居民身份证号（最后一位可以是 X），会校验出生日期和校验位。请保持单元格为文本格式，否则 Excel 会把长数字改掉。',
  '校区、学部、年级、班级：必须与系统中已建好的班级名称一致，并在您的管理范围内（见下方“可选班级”）。',
  `监护人关系：${RELATIONSHIP_LABELS_IN.join('、')}。`,
  '监护人手机：11 位中国大陆手机号。同一手机号视为同一位监护人（兄弟姐妹可以共用），在本文件中其姓名必须一致。',
  '监护人2 可以不填；填写时姓名、关系、手机都必须填写。',
  '选填项留空时，不会清除系统中已有的信息。监护人以本次导入为准。',
  '只要有一行有误，整个文件都不会导入：系统会列出所有错误，并提供标注了错误原因的文件供下载修改后重新上传。',
  `每个文件最多 ${MAX_ROSTER_ROWS} 行学生。`,
  '身份证号和手机号在系统中加密保存，列表和导出文件中只显示部分号码。',
];

/** The import template: the roster sheet with its headers and an example, and the rules and valid classes. */
export async function buildImportTemplate(classes: RosterClass[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'CampusPay';
  const sheet = workbook.addWorksheet(ROSTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ROSTER_COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: c.width,
    // Text format for the whole column, so numbers typed later keep every digit.
    style: c.text ? { numFmt: '@' } : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell, col) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    if (ROSTER_COLUMNS[col - 1]?.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
  });
  const example = sheet.addRow(exampleRow(classes[0]));
  example.font = { italic: true, color: { argb: 'FF808080' } };

  const lastRow = MAX_ROSTER_ROWS + 1;
  const letter = (field: RosterField) => sheet.getColumn(field).letter;
  const validations = (sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations;
  const list = (values: readonly string[], title: string): ExcelJS.DataValidation => ({
    type: 'list',
    allowBlank: true,
    formulae: [`"${values.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'error',
    errorTitle: title,
    error: `请填写：${values.join('、')}`,
  });
  validations.add(`${letter('gender')}2:${letter('gender')}${lastRow}`, list(['男', '女'], '性别'));
  for (const field of ['g1Relationship', 'g2Relationship'] as const) {
    validations.add(`${letter(field)}2:${letter(field)}${lastRow}`, list(RELATIONSHIP_LABELS_IN, '监护人关系'));
  }

  const notes = workbook.addWorksheet(NOTES_SHEET);
  notes.columns = [{ width: 16 }, { width: 14 }, { width: 12 }, { width: 12 }, { width: 60 }];
  notes.addRow(['导入规则']).font = { bold: true, size: 14 };
  RULES.forEach((rule, i) => {
    const row = notes.addRow([`${i + 1}. ${rule}`]);
    notes.mergeCells(row.number, 1, row.number, 5);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 32;
  });
  notes.addRow([]);
  notes.addRow(['可选班级（您的管理范围内）']).font = { bold: true, size: 14 };
  const classHeader = notes.addRow(['校区', '学部', '年级', '班级']);
  classHeader.font = { bold: true };
  for (const klass of classes) notes.addRow([...klass.names]);
  if (classes.length === 0) notes.addRow(['（您的管理范围内还没有班级，请先在组织架构中建立）']);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function rosterTemplateService(deps: ServerDeps) {
  return {
    async template(scope: StaffScope): Promise<{ filename: string; bytes: Buffer }> {
      const index = await rosterClassIndex(deps.db, scope);
      return { filename: '学生名册导入模板.xlsx', bytes: await buildImportTemplate(index.classes) };
    },
  };
}
