import { inflateRawSync } from 'node:zlib';

/**
 * A small reader for the cells of one worksheet of an .xlsx file: the ZIP
 * central directory, raw inflate of the two or four parts needed, and a scan
 * of their XML. Why not exceljs here: its streaming reader decodes each 16 KB
 * chunk on its own and garbles Chinese characters that straddle chunks
 * (exceljs#2063, #2084, open in 4.4.0), and its full reader holds the whole
 * workbook model (≈600 MB for 50,000 rows) and cannot stop at a row limit.
 * This one keeps only text, never touches the disk (the file holds personal
 * data) and stops once the row limit is passed. exceljs still writes files.
 */

export class XlsxReadError extends Error {
  override name = 'XlsxReadError';
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'too-large' | 'unsupported',
  ) {
    super(message);
  }
}

export interface XlsxCell {
  text: string;
  /** A number Excel could not keep exactly (15+ digits, such as an identity number typed as a number). */
  lossy: boolean;
}

export interface XlsxRowVisitor {
  /** Called for every row in order, with cells indexed from 0 (column A); return false to stop reading. */
  (rowNumber: number, cells: (XlsxCell | undefined)[]): boolean | void;
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function corrupt(detail: string): XlsxReadError {
  return new XlsxReadError(`not a readable .xlsx file (${detail})`, 'corrupt');
}

function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no ZIP directory');
  let count = buf.readUInt16LE(eocd + 10);
  let position = buf.readUInt32LE(eocd + 16);
  if ((count === 0xffff || position === 0xffffffff) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const record = Number(buf.readBigUInt64LE(eocd - 12));
    if (record + 56 > buf.length || buf.readUInt32LE(record) !== ZIP64_EOCD) throw corrupt('bad ZIP64 directory');
    count = Number(buf.readBigUInt64LE(record + 32));
    position = Number(buf.readBigUInt64LE(record + 48));
  }
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (position + 46 > buf.length || buf.readUInt32LE(position) !== CENTRAL) throw corrupt('bad ZIP entry');
    const method = buf.readUInt16LE(position + 10);
    let compressedSize = buf.readUInt32LE(position + 20);
    let size = buf.readUInt32LE(position + 24);
    const nameLength = buf.readUInt16LE(position + 28);
    const extraLength = buf.readUInt16LE(position + 30);
    const commentLength = buf.readUInt16LE(position + 32);
    let offset = buf.readUInt32LE(position + 42);
    const name = buf.toString('utf8', position + 46, position + 46 + nameLength);
    // ZIP64 sizes and offset, in this order, for the fields that overflowed.
    let extra = position + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = buf.readUInt16LE(extra);
      const length = buf.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let p = extra + 4;
        if (size === 0xffffffff) (size = Number(buf.readBigUInt64LE(p))), (p += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(buf.readBigUInt64LE(p))), (p += 8);
        if (offset === 0xffffffff) offset = Number(buf.readBigUInt64LE(p));
      }
      extra += 4 + length;
    }
    entries.set(name.replace(/^\/+/, '').toLowerCase(), { method, compressedSize, size, offset });
    position = extraEnd + commentLength;
  }
  return entries;
}

function entryText(buf: Buffer, entry: ZipEntry, maxBytes: number): string {
  if (entry.size > maxBytes) throw new XlsxReadError('worksheet too large', 'too-large');
  const p = entry.offset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw corrupt('bad local header');
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.toString('utf8');
  if (entry.method !== 8) throw new XlsxReadError(`unsupported ZIP compression ${entry.method}`, 'unsupported');
  try {
    // The whole part is inflated, then decoded once: no character is ever cut in two.
    return inflateRawSync(data, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new XlsxReadError('worksheet too large', 'too-large');
    throw corrupt('bad compressed data');
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML entities, then the `_xHHHH_` escapes OOXML uses for control characters. */
function decodeText(raw: string): string {
  if (!raw.includes('&') && !raw.includes('_x')) return raw;
  return raw
    .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (ENTITIES[e] ?? ''),
    )
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function attributes(raw: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of raw.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = m[1] ?? '';
    const value = decodeText(m[2] ?? m[3] ?? '');
    found.set(name, value);
    // Namespace prefixes vary between writers (r:id, x:id...): also keep the local name.
    const local = name.slice(name.indexOf(':') + 1);
    if (!found.has(local)) found.set(local, value);
  }
  return found;
}

/** Text runs of a string item, without the phonetic guides (`rPh`) some writers add. */
function runText(xml: string): string {
  const body = xml.includes('rPh') ? xml.replace(/<(\w+:)?rPh\b[\s\S]*?<\/(\w+:)?rPh>/g, '') : xml;
  let text = '';
  for (const m of body.matchAll(/<(?:\w+:)?t\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?t>)/g)) text += m[1] ?? '';
  return decodeText(text);
}

/** `C7` → 2; undefined when the reference has no column letters. */
function columnIndex(reference: string | undefined): number | undefined {
  if (!reference) return undefined;
  let n = 0;
  let i = 0;
  for (; i < reference.length; i++) {
    const code = reference.charCodeAt(i) & ~32; // upper case
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return i === 0 ? undefined : n - 1;
}

function numberText(raw: string): XlsxCell {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) return { text: raw.trim(), lossy: false };
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return { text: String(value), lossy: false };
  return { text: Number.isInteger(value) ? value.toFixed(0) : String(value), lossy: Math.abs(value) >= 1e15 };
}

export interface XlsxSheetOptions {
  /** Read the sheet with this name when there is one, else the first sheet. */
  preferSheet: string;
  /** Largest inflated size of the worksheet (and of the shared strings) accepted. */
  maxPartBytes: number;
  /** Columns beyond this are ignored. */
  maxColumns: number;
}

/**
 * Visits the rows of one sheet with each cell's text as Excel shows it
 * (shared and inline strings, cached formula results, numbers without
 * exponent). Returns the name of the sheet read.
 */
export function readXlsxRows(buf: Buffer, options: XlsxSheetOptions, visit: XlsxRowVisitor): string {
  const entries = readZipDirectory(buf);
  const part = (path: string) => entries.get(path.toLowerCase());
  const text = (path: string) => {
    const entry = part(path);
    return entry ? entryText(buf, entry, options.maxPartBytes) : undefined;
  };
  const workbook = text('xl/workbook.xml');
  if (workbook === undefined) throw corrupt('no workbook part');
  const targets = new Map<string, { type: string; target: string }>();
  for (const m of (text('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const a = attributes(m[1] ?? '');
    const target = a.get('Target') ?? '';
    targets.set(a.get('Id') ?? '', { type: a.get('Type') ?? '', target: target.startsWith('/') ? target.slice(1) : `xl/${target}` });
  }
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)].map((m) => {
    const a = attributes(m[1] ?? '');
    return { name: a.get('name') ?? '', path: targets.get(a.get('r:id') ?? a.get('id') ?? '')?.target };
  });
  const sheet = sheets.find((s) => s.name === options.preferSheet) ?? sheets[0];
  if (!sheet?.path || !part(sheet.path)) throw corrupt('no worksheet');

  const sharedPath = [...targets.values()].find((t) => t.type.endsWith('/sharedStrings'))?.target ?? 'xl/sharedStrings.xml';
  const shared: string[] = [];
  for (const m of (text(sharedPath) ?? '').matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g)) shared.push(runText(m[1] ?? ''));

  const xml = text(sheet.path) ?? '';
  const data = xml.indexOf('sheetData');
  const rowPattern = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
  rowPattern.lastIndex = Math.max(0, data);
  const cellPattern = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
  let lastRow = 0;
  for (let m = rowPattern.exec(xml); m; m = rowPattern.exec(xml)) {
    const rowNumber = Number(/\br="(\d+)"/.exec(m[1] ?? '')?.[1]) || lastRow + 1;
    lastRow = rowNumber;
    const cells: (XlsxCell | undefined)[] = [];
    let lastColumn = -1;
    for (const c of (m[2] ?? '').matchAll(cellPattern)) {
      const attrs = c[1] ?? '';
      const column = columnIndex(/\br="([^"]*)"/.exec(attrs)?.[1]) ?? lastColumn + 1;
      lastColumn = column;
      if (column >= options.maxColumns) continue;
      const body = c[2] ?? '';
      const value = /<(?:\w+:)?v\b[^>]*>([\s\S]*?)<\/(?:\w+:)?v>/.exec(body)?.[1];
      let cell: XlsxCell;
      switch (/\bt="([^"]*)"/.exec(attrs)?.[1]) {
        case 's':
          cell = { text: (shared[Number(value)] ?? '').trim(), lossy: false };
          break;
        case 'inlineStr':
          cell = { text: runText(/<(?:\w+:)?is\b[^>]*>([\s\S]*?)<\/(?:\w+:)?is>/.exec(body)?.[1] ?? '').trim(), lossy: false };
          break;
        case 'str':
        case 'e':
          cell = { text: decodeText(value ?? '').trim(), lossy: false };
          break;
        case 'b':
          cell = { text: value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : '', lossy: false };
          break;
        case 'd':
          cell = { text: (value ?? '').slice(0, 10), lossy: false };
          break;
        default:
          cell = value === undefined ? { text: '', lossy: false } : numberText(decodeText(value));
      }
      cells[column] = cell;
    }
    if (visit(rowNumber, cells) === false) break;
  }
  return sheet.name;
}
