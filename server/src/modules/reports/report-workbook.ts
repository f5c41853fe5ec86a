import ExcelJS from 'exceljs';
import { formatYuan } from '@campuspay/shared';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function attachmentHeader(filename: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * A decimal written as a numeric cell only when that is exact.
 *
 * The text is built from integers (formatYuan for fen), never by float
 * arithmetic. `Number(text)` is the double nearest to that decimal, and
 * exceljs writes a number with `Number#toString`, the shortest string that
 * reads back as the same double; for decimals of up to 15 significant digits
 * (every amount below 10 trillion yuan) that string is the decimal itself,
 * so the file holds exactly the digits a person would have typed. The check
 * below proves it per cell; if it ever fails (absurdly large amounts) the
 * cell is written as text instead of being silently rounded.
 */
export function exactDecimalCell(text: string): number | string {
  const value = Number(text);
  const canonical = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  const normalised = canonical === '-0' ? '0' : canonical;
  return Number.isFinite(value) && String(value) === normalised ? value : text;
}

export function yuanCell(amountFen: number): number | string {
  return exactDecimalCell(formatYuan(amountFen));
}

/** Basis points as a fraction for a percent-formatted cell: 9512 → 0.9512 (shown 95.12%). */
export function rateCell(rateBp: number | null): number | string {
  if (rateBp === null) return '—';
  const negative = rateBp < 0;
  const digits = String(Math.abs(rateBp)).padStart(5, '0');
  return exactDecimalCell(`${negative ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`);
}

export type ColumnKind = 'text' | 'count' | 'yuan' | 'rate';

export interface ReportColumn {
  header: string;
  kind: ColumnKind;
  width: number;
}

/** A row as typed values: text as strings, counts as integers, yuan columns as fen, rates as basis points. */
export type ReportRow = (string | number | null)[];

export interface ReportSheet {
  sheetName: string;
  title: string;
  /** Lines under the title: scope, period, units, when the figures were taken. */
  subtitle: string[];
  columns: ReportColumn[];
  rows: ReportRow[];
  /** The totals row, typed like the rows; its first cell is the label (合计). */
  totals?: ReportRow;
}

const NUM_FMT: Record<ColumnKind, string | undefined> = { text: undefined, count: '#,##0', yuan: '#,##0.00', rate: '0.00%' };

function cellValue(kind: ColumnKind, value: string | number | null): ExcelJS.CellValue {
  if (value === null) return kind === 'rate' ? '—' : '';
  if (kind === 'yuan' && typeof value === 'number') return yuanCell(value);
  if (kind === 'rate' && typeof value === 'number') return rateCell(value);
  return value;
}

/**
 * One sheet a finance office can file as is: a title, the scope and period,
 * Chinese headers, amounts as numeric cells in yuan with two decimals, and
 * a totals row computed from integer fen (not a spreadsheet formula).
 */
export async function reportWorkbook(sheets: ReportSheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'CampusPay';
  workbook.created = new Date();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: spec.subtitle.length + 2 }] });
    const width = spec.columns.length;
    sheet.columns = spec.columns.map((c) => ({ width: c.width }));

    const title = sheet.addRow([spec.title]);
    sheet.mergeCells(title.number, 1, title.number, width);
    title.font = { bold: true, size: 14 };
    title.alignment = { horizontal: 'center' };
    title.height = 24;
    for (const line of spec.subtitle) {
      const row = sheet.addRow([line]);
      sheet.mergeCells(row.number, 1, row.number, width);
      row.font = { size: 10, color: { argb: 'FF555555' } };
    }

    const header = sheet.addRow(spec.columns.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
      cell.border = { bottom: { style: 'thin' } };
    });

    const write = (values: ReportRow) => {
      const row = sheet.addRow(spec.columns.map((c, i) => cellValue(c.kind, values[i] ?? null)));
      spec.columns.forEach((c, i) => {
        const fmt = NUM_FMT[c.kind];
        const cell = row.getCell(i + 1);
        if (fmt && typeof cell.value === 'number') cell.numFmt = fmt;
        if (c.kind !== 'text') cell.alignment = { horizontal: 'right' };
      });
      return row;
    };
    for (const values of spec.rows) write(values);
    if (spec.totals) {
      const row = write(spec.totals);
      row.font = { bold: true };
      row.eachCell((cell) => {
        cell.border = { top: { style: 'thin' } };
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
