/**
 * 学生名册's search must show what was searched for, whatever order the
 * server's answers arrive in. A bursar who opens the roster and searches
 * before the (slow, unfiltered) first page has arrived must not have the
 * search result replaced by that late first page.
 *
 * Found while writing roster-import.test.ts on a loaded machine, where the
 * unfiltered list took longer than the search; here the first page is held
 * back on purpose so the order is certain.
 */
import { browserTest } from './support/browser-test.ts';
import { adminLogin, openMenu, see } from './support/platform.ts';

const test = browserTest('student-search');

test('a search typed before the roster has loaded is not overwritten by the late unfiltered page', async (t) => {
  const { page, platform } = t.context;
  await adminLogin(page, platform, 'demo.bursar');

  // Hold back the first unfiltered page by 3 s, as a busy server would.
  let heldBack = false;
  await page.route('**/api/v1/admin/students?**', async (route) => {
    const url = new URL(route.request().url());
    if (!heldBack && !url.searchParams.get('q')) {
      heldBack = true;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    await route.continue();
  });
  const latePage = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === '/api/v1/admin/students' && !url.searchParams.get('q');
  });

  await openMenu(page, '组织与学生', '学生名册');
  const search = page.getByPlaceholder('学号 / 姓名');
  await search.fill('E2026005');
  await search.press('Enter');
  await see(page.getByTestId('student-total').getByText('共 1 名', { exact: true }));

  // The earlier, unfiltered answer arrives after the search result...
  await latePage;
  // ...and is given a moment to be (wrongly) applied; what matters is what stays on screen.
  await page.waitForTimeout(1000);

  t.is(await search.inputValue(), 'E2026005');
  const rows = await page.getByTestId('student-row').evaluateAll((elements) => elements.map((row) => row.getAttribute('data-student-no')));
  t.deepEqual(rows, ['E2026005'], 'the list shows the search result, not the late unfiltered page');
  t.is((await page.getByTestId('student-total').textContent())?.trim(), '共 1 名');
});
