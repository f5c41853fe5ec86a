/**
 * Staff sign-in to the admin web app, as a bursar would do it: the
 * dashboard (工作台) shows who is signed in and where they may act; a wrong
 * password says so and lets nobody in; 退出登录 ends the session on the
 * server too.
 */
import type { Page } from 'playwright-core';
import { browserTest } from './support/browser-test.ts';
import { adminLogin, DEMO_PASSWORD, openMenu, pageTitle, see, seeText } from './support/platform.ts';

const test = browserTest('admin-login');

/** What the admin app keeps in localStorage for the signed-in user (a string expression: no lib DOM here). */
function storedSession(page: Page): Promise<string | null> {
  return page.evaluate<string | null>("localStorage.getItem('campuspay.admin.session')");
}

test('a bursar signs in and sees 工作台 with their role and campus scope', async (t) => {
  const { page, platform } = t.context;
  await page.goto(platform.adminUrl('/'));
  // Not signed in: the app sends the visitor to the login page.
  await see(page.getByRole('button', { name: '登录', exact: true }));
  t.regex(new URL(page.url()).pathname, /^\/admin\/login/);

  await page.getByPlaceholder('用户名').fill('demo.bursar');
  await page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();

  await see(pageTitle(page, '工作台'));
  await seeText(page, '东校区出纳 王芳');
  // The identity card: username, role and scope (a campus).
  const card = page.locator('.ant-descriptions');
  await see(card.getByText('demo.bursar', { exact: true }));
  await see(card.getByText('学校财务', { exact: true }));
  await see(card.getByText('明德东校区'));
  await see(card.getByText('（校区）'));
  // The header says the same.
  const grant = page.getByTestId('current-grant');
  await see(grant.getByText('学校财务'));
  await see(grant.getByText('明德东校区'));
  // One campus in scope: no campus switcher.
  t.is(await page.getByTestId('campus-switcher').count(), 0);
  t.regex(await page.title(), /^工作台 - CampusPay/);
  // The bursar's menu offers the roster, and it opens on their campus.
  await openMenu(page, '组织与学生', '学生名册');
  await seeText(page, '管辖范围：明德东校区');
});

test('a wrong password shows the error and signs nobody in', async (t) => {
  const { page, platform } = t.context;
  await page.goto(platform.adminUrl('/login'));
  await page.getByPlaceholder('用户名').fill('demo.bursar');
  await page.getByPlaceholder('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录', exact: true }).click();

  const alert = page.getByRole('alert').filter({ hasText: '用户名或密码错误' });
  await see(alert);
  t.regex(new URL(page.url()).pathname, /^\/admin\/login/);
  t.is(await pageTitle(page, '工作台').count(), 0);
  t.is(await storedSession(page), null);

  // Typing again clears the message; the right password then works.
  await page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
  await alert.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await see(pageTitle(page, '工作台'));
});

test('退出登录 returns to the login page and the old token no longer works', async (t) => {
  const { page, platform } = t.context;
  await adminLogin(page, platform, 'demo.bursar');
  const token = (JSON.parse((await storedSession(page)) ?? '{}') as { token?: string }).token;
  t.truthy(token, 'the session is kept in the browser');
  t.is((await platform.server.api.withToken(token!).get('/api/v1/admin/me')).status, 200);

  await page.getByLabel('账号菜单').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();

  await see(page.getByRole('button', { name: '登录', exact: true }));
  t.regex(new URL(page.url()).pathname, /^\/admin\/login/);
  t.is(await storedSession(page), null);
  // Revoked on the server, not just forgotten by the browser.
  t.is((await platform.server.api.withToken(token!).get('/api/v1/admin/me')).status, 401);
  // Going back to the app asks for a login again.
  await page.goto(platform.adminUrl('/students'));
  await see(page.getByRole('button', { name: '登录', exact: true }));
  t.regex(new URL(page.url()).pathname, /^\/admin\/login/);
});
