/**
 * The ava `test` of a browser test file:
 *
 *   const test = browserTest('admin-login');
 *   test('...', async (t) => { const { page, platform } = t.context; ... });
 *
 * The platform (./platform.ts) starts once for the file; every test (serial:
 * they share one browser) gets a fresh page with empty storage, so nobody is
 * signed in. A failing test leaves a screenshot and the page's console
 * errors in e2e/test-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import anyTest, { type SerialFn, type TestFn } from 'ava';
import type { Page } from 'playwright-core';
import { RESULTS_DIR, startPlatform, type Platform } from './platform.ts';

export interface BrowserTestContext {
  platform: Platform;
  page: Page;
  /** Console errors, page errors and failed requests of this test's page, for the failure report. */
  pageLog: string[];
}

function fileSafe(text: string): string {
  return text.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 100);
}

/**
 * The ava `test` of a browser test file: the platform starts once for the
 * file, each test (run serially, they share one browser) gets a fresh page.
 */
export function browserTest(label: string): SerialFn<BrowserTestContext> {
  const test = anyTest as TestFn<BrowserTestContext>;
  let platform: Platform | undefined;

  test.before(async (t) => {
    const started = Date.now();
    platform = await startPlatform(label);
    t.log(`platform up in ${Date.now() - started} ms at ${platform.baseUrl}`);
  });

  test.beforeEach(async (t) => {
    if (!platform) throw new Error('platform did not start');
    const page = await platform.browser.newPage();
    const pageLog: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') pageLog.push(`[console.${message.type()}] ${message.text()}`);
    });
    page.on('pageerror', (error) => pageLog.push(`[pageerror] ${error.message}`));
    page.on('requestfailed', (request) => pageLog.push(`[requestfailed] ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
    page.on('response', (response) => {
      if (response.status() >= 400) pageLog.push(`[http ${response.status()}] ${response.request().method()} ${response.url()}`);
    });
    // Nobody signed in: both apps keep their sessions in the server origin's localStorage.
    await platform.browser.clearCookies();
    await page.goto(`${platform.baseUrl}/healthz`);
    // A string, not a function: this project type-checks without lib DOM (see e2e/tsconfig.json).
    await page.evaluate('localStorage.clear(); sessionStorage.clear()');
    t.context = { platform, page, pageLog };
  });

  test.afterEach.always(async (t) => {
    const { page, pageLog } = t.context ?? {};
    if (!page) return;
    if (!t.passed) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const title = t.title.replace(/^afterEach\.always hook for /, '');
      const base = path.join(RESULTS_DIR, `${fileSafe(label)}--${fileSafe(title)}`);
      try {
        await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10_000 });
        t.log(`screenshot: ${path.relative(process.cwd(), `${base}.png`)} (page ${page.url()})`);
      } catch (error) {
        t.log(`no screenshot: ${String(error)}`);
      }
      if (pageLog?.length) {
        writeFileSync(`${base}.log`, `${pageLog.join('\n')}\n`);
        for (const line of pageLog.slice(-20)) t.log(line);
      }
    }
    await page.close().catch(() => undefined);
  });

  test.after.always(async () => {
    await platform?.stop();
  });

  return test.serial;
}
