import test from 'ava';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { readXlsxRows, XlsxReadError, type XlsxCell } from './roster-xlsx-reader.ts';
import { readRosterSheet, writeWorkbook } from './roster-sheet.ts';

const options = { preferSheet: '学生名册', maxPartBytes: 16 * 1024 * 1024, maxColumns: 40 };

function rowsOf(bytes: Buffer, opts = options): { sheet: string; rows: Map<number, (XlsxCell | undefined)[]> } {
  const rows = new Map<number, (XlsxCell | undefined)[]>();
  const sheet = readXlsxRows(bytes, opts, (n, cells) => void rows.set(n, cells));
  return { sheet, rows };
}
const texts = (cells: (XlsxCell | undefined)[] | undefined) => Array.from(cells ?? [], (c) => c?.text ?? '');

/** A ZIP archive by hand (CRCs are not checked by the reader), stored or deflated. */
function zip(files: Record<string, string>, method: 0 | 8 = 8): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const raw = Buffer.from(content, 'utf8');
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
  <x:sheets><x:sheet name="说明" sheetId="1" r:id="rId1"/><x:sheet name="学生名册" sheetId="2" r:id="rId2"/></x:sheets>
</x:workbook>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
  <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/roster.xml"/>
  <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>`;
const SHARED = `<?xml version="1.0" encoding="UTF-8"?>
<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
  <x:si><x:t>学号</x:t></x:si>
  <x:si><x:r><x:rPr><x:b/></x:rPr><x:t>张</x:t></x:r><x:r><x:t xml:space="preserve">三 </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ちょう</x:t></x:rPh></x:si>
  <x:si><x:t>A&amp;B &lt;班&gt; &#x4E00;_x000D_</x:t></x:si>
  <x:si/>
</x:sst>`;
const ROSTER = `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
  <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>备注</x:t></x:is></x:c></x:row>
  <x:row r="3" spans="1:6"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c><x:v>13800138000</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c>
    <x:c r="D3"><x:v>1.10105201509010E+17</x:v></x:c><x:c r="E3" t="b"><x:v>1</x:v></x:c><x:c r="F3" t="str"><x:f>A3&amp;"x"</x:f><x:v>张三x</x:v></x:c><x:c r="G3" s="2"/></x:row>
  <x:row><x:c r="B4"><x:v>42.5</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`;

test('reads the preferred sheet: shared, rich and inline strings, entities, numbers, booleans, formula results', (t) => {
  for (const method of [0, 8] as const) {
    const bytes = zip(
      {
        '[Content_Types].xml': '<Types/>',
        'xl/workbook.xml': WORKBOOK,
        'xl/_rels/workbook.xml.rels': RELS,
        'xl/sharedStrings.xml': SHARED,
        'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>规则</t></is></c></row></sheetData></worksheet>',
        'xl/worksheets/roster.xml': ROSTER,
      },
      method,
    );
    const { sheet, rows } = rowsOf(bytes);
    t.is(sheet, '学生名册');
    t.deepEqual(texts(rows.get(1)), ['学号', '', '备注']);
    const third = rows.get(3) ?? [];
    t.deepEqual(texts(third), ['张三', '13800138000', 'A&B <班> 一', '110105201509010000', 'TRUE', '张三x', '']);
    t.true(third[3]?.lossy, 'an 18-digit number lost its last digits');
    t.false(third[1]?.lossy);
    t.deepEqual(texts(rows.get(4)), ['', '42.5'], 'a row without r follows the previous one');
  }
});

test('every Chinese character survives, however long the sheet (the exceljs streaming reader garbles some)', async (t) => {
  const names = Array.from({ length: 6000 }, (_, i) => `明德东校区国际部${'学生名册测试数据'.repeat(1 + (i % 5))}${i}`);
  for (const shared of [false, true]) {
    const bytes = shared
      ? await (async () => {
          const workbook = new ExcelJS.Workbook();
          const sheet = workbook.addWorksheet('学生名册');
          sheet.addRow(['学号*', '姓名*']);
          names.forEach((name, i) => sheet.addRow([`S${i}`, name]));
          return Buffer.from(await workbook.xlsx.writeBuffer());
        })()
      : await writeWorkbook(async (workbook) => {
          const sheet = workbook.addWorksheet('学生名册');
          sheet.addRow(['学号*', '姓名*']).commit();
          names.forEach((name, i) => sheet.addRow([`S${i}`, name]).commit());
          sheet.commit();
        });
    const roster = await readRosterSheet(bytes, { maxRows: 50_000 });
    t.deepEqual(roster.headers, ['学号*', '姓名*']);
    t.is(roster.rows.length, names.length);
    t.deepEqual(
      roster.rows.map((r) => r.cells[1]),
      names,
      shared ? 'shared strings' : 'inline strings',
    );
  }
});

test('reading stops at the row limit, and damaged or oversized files fail clearly', async (t) => {
  const rows = Array.from({ length: 20 }, (_, i) => `<row r="${i + 1}"><c t="inlineStr"><is><t>r${i}</t></is></c></row>`).join('');
  const files = {
    'xl/workbook.xml': '<workbook><sheets><sheet name="Sheet1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${rows}</sheetData></worksheet>`,
  };
  let seen = 0;
  readXlsxRows(zip(files), options, () => ++seen < 5);
  t.is(seen, 5);
  const limited = await t.throwsAsync(readRosterSheet(zip(files), { maxRows: 10 }));
  t.is((limited as { code?: string }).code, 'PAYLOAD_TOO_LARGE');

  const tooBig = t.throws(() => readXlsxRows(zip(files), { ...options, maxPartBytes: 100 }, () => undefined));
  t.true(tooBig instanceof XlsxReadError && tooBig.kind === 'too-large');
  t.throws(() => readXlsxRows(Buffer.from('PK\u0003\u0004 not really a zip'), options, () => undefined), { instanceOf: XlsxReadError });
  const truncated = zip(files).subarray(0, 200);
  t.throws(() => readXlsxRows(truncated, options, () => undefined), { instanceOf: XlsxReadError });
  const corrupt = await t.throwsAsync(readRosterSheet(truncated, { maxRows: 10 }));
  t.is((corrupt as { code?: string }).code, 'VALIDATION_FAILED');
});
