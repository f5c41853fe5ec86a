/**
 * The whole platform for one browser test file: the WeChat sandbox and the
 * server in this process (the server serving the built admin web app at
 * /admin/ and the mini-program's H5 build at /h5/), the demo data, and a
 * Chromium driven through playwright-core.
 *
 * Test files use `browserTest()` (./browser-test.ts), which starts this
 * once per file; the helpers below are how a person uses the two apps.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '@campuspay/wechat-sandbox';
import { startTestServer, type TestServer } from '@campuspay/server/testing';
import { freePort } from '@campuspay/dev';
// Not exported from the packages' entry points (their `exports` maps name only the index).
import { ADMIN_WEB_DIST, H5_DIST, ensureWebBuilds } from '../../../tools/dev/src/builds.ts';
import { DEMO_PASSWORD, seedDemo } from '../../../server/src/modules/demo/demo-seed.ts';

export { DEMO_PASSWORD };

const E2E_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(E2E_ROOT, 'test-results');

/**
 * How long a person-visible state may take to appear before a step fails.
 * Generous: on a loaded 2-core machine a roster list of 1,000 students can
 * take several seconds to answer and render; a passing step never waits this long.
 */
export const UI_TIMEOUT_MS = Number(process.env.E2E_UI_TIMEOUT_MS) || 30_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Platform {
  server: TestServer;
  sandbox: RunningSandbox;
  browser: BrowserContext;
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  baseUrl: string;
  /** `/admin/<path>` on the server. */
  adminUrl(pathname?: string): string;
  /** The H5 build, optionally at a hash route (`/pages/bind-child/index`). */
  h5Url(route?: string): string;
  stop(): Promise<void>;
}

/** Starts sandbox, server (on a port known up front, so PUBLIC_BASE_URL is right), demo data and Chromium. */
export async function startPlatform(label: string): Promise<Platform> {
  // The root test runner (`npm test`, `campuspay test e2e`) rebuilds stale web apps before any suite runs, so
  // every file tests the same builds; rebuilding here, inside ava's timeout, only when a build is missing.
  // E2E_ADMIN_WEB_DIR / E2E_H5_DIR point at builds elsewhere (e.g. a copy no concurrent rebuild can touch).
  const adminWebDir = process.env.E2E_ADMIN_WEB_DIR || ADMIN_WEB_DIST;
  const h5Dir = process.env.E2E_H5_DIR || H5_DIST;
  if (![adminWebDir, h5Dir].every((dir) => existsSync(path.join(dir, 'index.html')))) {
    ensureWebBuilds((line) => console.log(`[e2e] ${line}`));
  }
  const tmp = mkdtempSync(path.join(tmpdir(), `campuspay-e2e-${label.replace(/[^A-Za-z0-9]/g, '_')}-`));
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => rmSync(tmp, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`[e2e] teardown of ${label}:`, error);
      }
    }
  };
  try {
    const sandbox = await startSandbox({
      port: 0,
      dataDir: path.join(tmp, 'wechat-sandbox'),
      quiet: true,
      timeScale: 0.001,
      billsReadyImmediately: true,
    });
    cleanups.push(() => sandbox.stop());

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = await startTestServer(label, {
      port,
      publicBaseUrl: baseUrl,
      adminWebDir,
      h5Dir,
      wechatSandboxUrl: sandbox.url,
      wechatApiBaseUrl: sandbox.url,
      wechatAppId: sandbox.miniProgram.appid,
      wechatAppSecret: sandbox.miniProgram.secret,
      wechatPayBaseUrl: sandbox.url,
      wechatPayMerchantsFile: sandbox.merchantsFile,
    });
    cleanups.push(async () => {
      await server.stop();
    });
    cleanups.push(async () => {
      // Each file has its own database; leave nothing behind in the shared server.
      await server.deps.db.dropDatabase().catch(() => undefined);
    });
    await seedDemo(server.deps);

    const browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    cleanups.push(() => browser.close());
    browser.setDefaultTimeout(UI_TIMEOUT_MS);
    browser.setDefaultNavigationTimeout(30_000);

    return {
      server,
      sandbox,
      browser,
      baseUrl,
      adminUrl: (pathname = '/') => `${baseUrl}/admin${pathname.startsWith('/') ? pathname : `/${pathname}`}`,
      h5Url: (route) => `${baseUrl}/h5/${route ? `#${route}` : ''}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// --- how a person uses the apps ---------------------------------------------

/** Waits until `locator` shows on screen. */
export async function see(locator: Locator, timeout = UI_TIMEOUT_MS): Promise<Locator> {
  // Some matching element shown (antd also renders hidden copies for screen readers).
  await locator.filter({ visible: true }).first().waitFor({ state: 'visible', timeout });
  return locator;
}

/** Waits until the page shows `text` somewhere visible. */
export async function seeText(page: Page, text: string | RegExp, timeout = UI_TIMEOUT_MS): Promise<Locator> {
  return see(page.getByText(text), timeout);
}

/** Polls `check` (which throws while the expectation does not hold) until it passes. */
export async function eventually<T>(check: () => Promise<T>, { timeout = UI_TIMEOUT_MS, interval = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}

/**
 * Signs in to the admin web app the way a person does: the login page, the
 * username and password fields, the 登录 button; done when 工作台 shows.
 */
export async function adminLogin(page: Page, platform: Platform, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(platform.adminUrl('/login'));
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await see(pageTitle(page, '工作台'));
}

/** The title of the admin page being shown (ProLayout's page header; not an ARIA heading). */
export function pageTitle(page: Page, name: string): Locator {
  return page.locator('.ant-page-header-heading-title', { hasText: new RegExp(`^${name}$`) });
}

/** Opens a page from the admin side menu, expanding its section first. */
export async function openMenu(page: Page, section: string | null, name: string): Promise<void> {
  // The page's name is a link inside the menu item (clicking the item's padding would not navigate).
  // Its accessible name starts with the icon's label ("user 学生名册").
  const link = page.getByRole('menu').getByRole('link', { name: new RegExp(`(^|\\s)${name}$`) });
  // Right after sign-in the menu may still be opening the current page's section: clicking its title then
  // would close it. Click only a section that says it is closed, and look again until the link shows.
  await eventually(
    async () => {
      if (await link.isVisible()) return;
      if (section) {
        const title = page.getByRole('menuitem', { name: new RegExp(section) });
        if ((await title.getAttribute('aria-expanded')) !== 'true') await title.click();
      }
      throw new Error(`the menu shows no link 「${name}」`);
    },
    { interval: 400 },
  );
  await link.click();
  await see(pageTitle(page, name));
}

/**
 * Signs in to the mini-program's H5 build with 测试登录: the openid is typed
 * into the form and the sandbox plays wx.login. Done when the home page shows
 * 我的孩子.
 */
export async function h5Login(page: Page, platform: Platform, openid: string): Promise<void> {
  await page.goto(platform.h5Url());
  await seeText(page, '测试登录', 30_000);
  await taroInput(page, '如 demo-parent-0001').fill(openid);
  await taroButton(page, '登录').click();
  await seeText(page, '我的孩子');
}

/** A Taro <Input> on H5 by its placeholder (the custom element carries it too; this is the real text box). */
export function taroInput(page: Page, placeholder: string): Locator {
  return page.getByRole('textbox', { name: placeholder, exact: true });
}

/** A Taro <Button> on H5 by its exact text (a custom element, not an ARIA button). */
export function taroButton(page: Page, text: string): Locator {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.locator('taro-button-core').filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) });
}

export type { Page };
