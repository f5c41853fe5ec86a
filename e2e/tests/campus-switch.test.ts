/**
 * A group admin's scope spans both demo campuses. The header's campus
 * switcher (data-testid campus-switcher) picks the campus being worked on,
 * and 学生名册 then lists only that campus's students (全部校区, the start,
 * lists both). The choice survives a reload, and a search stays within it.
 */
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { pickOption } from './support/antd.ts';
import { browserTest, type BrowserTestContext } from './support/browser-test.ts';
import { adminLogin, eventually, openMenu, see, seeText } from './support/platform.ts';

const test = browserTest('campus-switch');

const EAST = { id: 'campus_demo_east', name: '明德东校区', prefix: 'E' };
const WEST = { id: 'campus_demo_west', name: '明德西校区', prefix: 'W' };

async function chooseCampus(page: Page, label: string): Promise<void> {
  await pickOption(page, page.getByTestId('campus-switcher'), label);
  await see(page.getByTestId('campus-switcher').getByText(label, { exact: true }));
}

/** The rows on screen: student number and the 校区 column. */
async function visibleRows(page: Page): Promise<{ studentNo: string; campus: string }[]> {
  return page.getByTestId('student-row').evaluateAll((rows) =>
    rows.map((row) => ({
      studentNo: row.getAttribute('data-student-no') ?? '',
      // 学号, 姓名, 性别, 校区 ...: the 4th cell.
      campus: (row.querySelectorAll('td')[3]?.textContent ?? '').trim(),
    })),
  );
}

async function expectOnlyCampus(t: ExecutionContext<BrowserTestContext>, page: Page, campus: typeof EAST, total: number) {
  await seeText(page, `当前校区：${campus.name}`);
  await see(page.getByTestId('student-total').getByText(`共 ${total} 名`, { exact: true }));
  await see(page.getByText(`共 ${total} 名学生`));
  const rows = await eventually(async () => {
    const current = await visibleRows(page);
    if (current.length === 0 || current.some((r) => !r.studentNo.startsWith(campus.prefix))) throw new Error(`rows not yet ${campus.name}'s: ${JSON.stringify(current.slice(0, 3))}`);
    return current;
  });
  t.is(rows.length, Math.min(20, total), 'a full first page');
  for (const row of rows) {
    t.true(row.studentNo.startsWith(campus.prefix), `${row.studentNo} belongs to ${campus.name}`);
    t.is(row.campus, campus.name, `${row.studentNo} is listed under ${campus.name}`);
  }
}

test('a group admin switches campuses in the header and the student list follows', async (t) => {
  const { page, platform } = t.context;
  const students = platform.server.deps.db.collection('students');
  const eastTotal = await students.countDocuments({ campusId: EAST.id });
  const westTotal = await students.countDocuments({ campusId: WEST.id });
  t.true(eastTotal > 20 && westTotal > 20, 'both campuses have more than a page of students');

  await adminLogin(page, platform, 'demo.group');
  const switcher = page.getByTestId('campus-switcher');
  await see(switcher.getByText('全部校区', { exact: true }));

  await openMenu(page, '组织与学生', '学生名册');
  await see(page.getByText(`共 ${eastTotal + westTotal} 名学生`));
  const mixed = await visibleRows(page);
  t.true(mixed.length > 0);

  await chooseCampus(page, WEST.name);
  await expectOnlyCampus(t, page, WEST, westTotal);

  await chooseCampus(page, EAST.name);
  await expectOnlyCampus(t, page, EAST, eastTotal);

  // The choice is remembered for this user.
  await page.reload();
  await see(switcher.getByText(EAST.name, { exact: true }));
  await expectOnlyCampus(t, page, EAST, eastTotal);

  // A search stays inside the chosen campus: a west student's number finds nothing here.
  const westStudent = await students.findOne({ campusId: WEST.id }, { sort: { studentNo: 1 } });
  t.truthy(westStudent);
  const search = page.getByPlaceholder('学号 / 姓名');
  await search.fill(String(westStudent!.studentNo));
  await search.press('Enter');
  await see(page.getByTestId('student-total').getByText('共 0 名', { exact: true }));

  await chooseCampus(page, WEST.name);
  await see(page.getByTestId('student-total').getByText('共 1 名', { exact: true }));
  await see(page.locator(`[data-testid="student-row"][data-student-no="${String(westStudent!.studentNo)}"]`));

  const found = await visibleRows(page);
  t.deepEqual(found, [{ studentNo: String(westStudent!.studentNo), campus: WEST.name }]);
});
