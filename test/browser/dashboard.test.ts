/**
 * The dashboard in Debian's Chromium (issue 8): raise the traffic, see auto mode take the stack to
 * Fargate, lower it, see it come back to Lambda. The sandbox runs in this process on a free port, in a
 * temp folder, at 10 simulated minutes per real second. Screenshots go to test-artifacts/.
 *
 * Waits are conditions on the page (no timed assertions); jest's timeout bounds the whole run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sim/sandbox/sandbox';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
/** Simulated time for one phase change at most: scale-down waits 15 min below, a cooldown and a drain. */
const PHASE_WAIT_MS = 50_000;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  // Said once in the output, not only as a skipped test: `.ci/run` installs the package.
  process.stderr.write(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)\n`);
}
const describeWithChromium = hasChromium ? describe : describe.skip;

jest.setTimeout(110_000);

describeWithChromium('dashboard in Chromium', () => {
  let dir: string;
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;

  // Selectors, not page functions: the page's own state is what a user sees.
  const waitForPhase = (name: string) =>
    page.waitForSelector(`#phase[data-phase="${name}"]`, { timeout: PHASE_WAIT_MS });
  const waitForText = (id: string, text: string, timeout?: number) =>
    page.waitForSelector(`#${id}:text-is("${text}")`, { timeout });
  const setRps = async (rps: number) => {
    await page.fill('#rps-input', String(rps));
    await page.click('#rps-set');
    await waitForText('rps', String(rps));
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'lf-dashboard-'));
    sandbox = await startSandbox({ cwd: dir, port: 0, speed: 600, tickMs: 100, print: () => undefined });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 1150 } });
    await page.goto(`${sandbox.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the demo stack on Lambda in auto mode', async () => {
    await waitForPhase('Lambda');
    await page.waitForSelector('[data-mode="auto"].active');
    await shot('dashboard-1-lambda.png');
  });

  it('moves to Fargate when the traffic is raised, with traffic and tasks following', async () => {
    await setRps(300);
    // At 10 simulated minutes per second, a page polling every second may never show ScalingUp itself;
    // the events list keeps it.
    await waitForPhase('Fargate');
    await waitForText('shares', 'Lambda 0% · Fargate 100%', PHASE_WAIT_MS);
    const events = await page.locator('#events li').allTextContents();
    expect(events.some((e) => e.includes('Lambda → ScalingUp'))).toBe(true);
    expect(Number(await page.textContent('#tasks'))).toBeGreaterThanOrEqual(1);
    // The chart drew the move: minutes served by Fargate (blue) and a Fargate phase band.
    expect(await page.locator('#chart rect[fill="#1c7ed6"]').count()).toBeGreaterThan(0);
    await shot('dashboard-2-fargate.png');
  });

  it('comes back to Lambda when the traffic is lowered', async () => {
    await setRps(2);
    await waitForPhase('Lambda');
    await waitForText('shares', 'Lambda 100% · Fargate 0%', PHASE_WAIT_MS);
    const events = await page.locator('#events li').allTextContents();
    expect(events.some((e) => e.includes('ScalingDown → Lambda'))).toBe(true);
    await shot('dashboard-3-back-to-lambda.png');
  });

  it('pins the tier with the mode control, writing through the store', async () => {
    await page.click('[data-mode="fargate"]');
    await page.waitForSelector('[data-mode="fargate"].active');
    await waitForPhase('Fargate');
    await page.click('[data-mode="auto"]');
    await page.waitForSelector('[data-mode="auto"].active');
    await shot('dashboard-4-mode.png');
  });
});
