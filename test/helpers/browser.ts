// A real headless Chromium for browser tests, with a screenshot of the page whenever a test fails.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { findBrowser, BROWSER_HELP } from '../../src/pdf/browser-path.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { startTestApp, PASSWORD, type TestApp, type TestAppOptions } from './web.ts';

export const ARTIFACTS = 'test-artifacts';

export async function launchBrowser(): Promise<Browser> {
  const found = await findBrowser();
  if (!found) throw new Error(BROWSER_HELP);
  return puppeteer.launch({
    executablePath: found.path,
    headless: true,
    // --no-sandbox: Chromium refuses to run as root otherwise, and CI runs as root.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function screenshotOnFailure(context: Mocha.Context, page: Page | undefined): Promise<void> {
  if (!page || context.currentTest?.state !== 'failed') return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const name = context.currentTest.fullTitle().replace(/[^\w-]+/g, '_').slice(0, 120);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => {});
}

/** Types into a field found by its name, replacing what was there. */
export async function fill(page: Page, name: string, value: string): Promise<void> {
  const selector = `[name="${name}"]`;
  await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(selector, value);
}

/** Clicks the button whose text matches, inside the form that posts to the path, and waits for the next page. */
export async function submit(page: Page, action: string, buttonText?: RegExp): Promise<void> {
  const forms = await page.$$(`form[action$="${action}"]`);
  if (!forms.length) throw new Error(`no form posting to ${action} on ${page.url()}`);
  for (const form of forms) {
    const buttons = await form.$$('button');
    for (const button of buttons) {
      const text = await button.evaluate((b) => b.textContent ?? '');
      if (!buttonText || buttonText.test(text)) {
        await Promise.all([page.waitForNavigation(), button.click()]);
        return;
      }
    }
  }
  throw new Error(`no button ${buttonText} in forms posting to ${action}`);
}

/**
 * Registers the hooks of a browser suite: one Chromium for the suite, a fresh database and app per
 * test, a screenshot when a test fails. Call it inside describe(); the options go to each test's app.
 */
export function useBrowserSuite(appOptions: TestAppOptions = {}) {
  const state = {} as { db: TestDatabase; app: TestApp; browser: Browser; page: Page | undefined };
  before(async () => (state.browser = await launchBrowser()));
  after(async () => state.browser?.close());
  beforeEach(async () => {
    state.db = await createTestDatabase();
    state.app = await startTestApp(state.db, appOptions);
  });
  afterEach(async function () {
    await screenshotOnFailure(this, state.page);
    await state.page?.browserContext().close();
    state.page = undefined;
    await state.app.close();
    await state.db.drop();
  });
  return {
    get db() {
      return state.db;
    },
    get app() {
      return state.app;
    },
    /** A new person: their own browser context, so cookies are theirs alone. */
    async newPerson(): Promise<Page> {
      state.page = await (await state.browser.createBrowserContext()).newPage();
      return state.page;
    },
    async signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
      await page.goto(`${state.app.url}/login`);
      await fill(page, 'email', email);
      await fill(page, 'password', password);
      await submit(page, '/login');
    },
  };
}
