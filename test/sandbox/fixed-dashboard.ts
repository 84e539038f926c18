/**
 * The dashboard's page in Debian's Chromium, drawn from a fixed state: no sandbox runs, the page's files
 * are served from sandbox/dashboard/static and GET /sandbox/state answers the fixture.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';

export const CHROMIUM = '/usr/bin/chromium';
const STATIC = join(__dirname, '..', '..', 'sandbox', 'dashboard', 'static');
const ORIGIN = 'http://dashboard.test';
/** The page's files by the path the page asks for them at. */
const FILES: Record<string, string> = {
  '/': 'index.html',
  '/dashboard/dashboard.js': 'dashboard.js',
  '/dashboard/dashboard.css': 'dashboard.css',
};

/** A view to draw the page in: its size, and whether as a phone's browser. */
export interface View {
  viewport: { width: number; height: number };
  isMobile: boolean;
}

/** The views the dashboard's tests draw the page in: a laptop's, and a phone's (390 px wide). */
export const DESKTOP = { viewport: { width: 1280, height: 900 }, isMobile: false };
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true };

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
}

/** `describe` where Chromium is installed; elsewhere `describe.skip`, saying which test was skipped. */
export function describeIfChromium(what: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  process.stderr.write(`${what} skipped: ${CHROMIUM} is missing\n`);
  return describe.skip;
}

/**
 * Debian's Chromium for the tests of the calling `describe`: launched before them, closed after them.
 * `open` is openFixedDashboard in it; each page it opened is closed once its test is done.
 */
export function fixedDashboardBrowser(): {
  open(state: () => DashboardState, view: View, ready: string): Promise<Page>;
} {
  let browser: Browser | undefined;
  const pages: Page[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async open(state, view, ready) {
      const page = await openFixedDashboard(browser!, state, view, ready);
      pages.push(page);
      return page;
    },
  };
}

/** A page showing `state`, once `ready` (a selector) is drawn. */
export async function openFixedDashboard(
  browser: Browser,
  state: () => DashboardState,
  view: View,
  ready: string,
): Promise<Page> {
  const page = await browser.newPage(view);
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/sandbox/state') return route.fulfill({ json: state() });
    const name = FILES[path];
    if (!name) return route.fulfill({ status: 404, body: '' });
    const type = name.endsWith('.html')
      ? 'text/html'
      : name.endsWith('.css')
        ? 'text/css'
        : 'text/javascript';
    return route.fulfill({ contentType: type, body: readFileSync(join(STATIC, name), 'utf8') });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector(ready);
  return page;
}

/**
 * A state for the page: a stack on Lambda at 2 rps, nothing waited for, no problem, no resource listed;
 * a test gives what it is about in `overrides`.
 */
export function fixedState(overrides: Partial<DashboardState> = {}): DashboardState {
  return {
    stack: 'orders-api',
    now: Date.UTC(2026, 0, 1, 1, 1),
    speed: 60,
    mode: 'auto',
    version: 12,
    generation: 3,
    phase: 'Lambda',
    deletionRequested: false,
    tier: 'lambda',
    waitingFor: [],
    rps: 2,
    traffic: { line: 'Lambda 100 %' },
    shares: { lambda: 1, fargate: 0 },
    urls: {},
    tasks: 0,
    cost: { actual: 0.01, alwaysLambda: 0.01, compared: false },
    minutes: [],
    events: [],
    problems: [],
    resources: [],
    ...overrides,
  };
}
