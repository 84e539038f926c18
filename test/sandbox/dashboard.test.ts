/**
 * The dashboard in Debian's Chromium, against a sandbox in this process (a temp folder, 10 simulated
 * minutes per real second): the demo stack on Lambda, up to Fargate and back, unhealthy targets, a
 * terminal error, a stack without a domain, a teardown and a deleted stack. In each state the page agrees
 * with itself (the traffic card with the chart) and with `lambdaflex status` for the same record: the
 * sandbox is paused while they are compared. Screenshots, at desktop and phone width, go to
 * test-artifacts/.
 *
 * Waits are conditions on the page or the record (no timed assertions); jest's timeout bounds the run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { phaseName, problemsOf, trafficLine, trafficView, waitingFor } from '../../cli/stack-view';
import type { StackRecord } from '../../reconciler/state/types';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
/** Real time for one phase change at most, at 10 simulated minutes per second on a loaded machine. */
const PHASE_WAIT_MS = 60_000;
const PHONE = { width: 390, height: 844 };

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  // Said once in the output, not only as a skipped test: `.ci/run` installs the package.
  process.stderr.write(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)\n`);
}
const describeWithChromium = hasChromium ? describe : describe.skip;

jest.setTimeout(180_000);

let browser: Browser;
const folders: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function sandboxIn(options: { stack?: string } = {}): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-dashboard-'));
  folders.push(dir);
  return startSandbox({ cwd: dir, port: 0, speed: 600, tickMs: 100, print: () => undefined, ...options });
}

/** The page's helpers for one sandbox and one viewport. */
function on(page: Page, sandbox: Sandbox, stack = 'orders-api') {
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  const text = async (selector: string) => (await page.textContent(selector))?.trim() ?? '';
  const waitForPhase = (name: string) =>
    page.waitForSelector(`#phase[data-phase="${name}"]`, { timeout: PHASE_WAIT_MS });
  /** Waits until the record satisfies `done`, on the sandbox's own clock. */
  const waitForRecord = async (done: (r: StackRecord | undefined) => boolean) => {
    for (let i = 0; i < PHASE_WAIT_MS / 100; i++) {
      if (done(await sandbox.store.get(stack))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${stack}: the record never reached the state waited for`);
  };
  /**
   * Freezes the sandbox, lets the page poll the frozen state, and checks that the page says what
   * `lambdaflex status` says of the same record, and that its traffic card agrees with its chart.
   */
  const agreesWithStatus = async (name: string, options: { paused?: boolean } = {}) => {
    if (!options.paused) await sandbox.pause();
    try {
      const clock = new Date(sandbox.account.now()).toISOString().slice(0, 16).replace('T', ' ');
      await page.waitForSelector(`#clock:text-is("${clock}")`, { timeout: 10_000 });
      // One more poll of the frozen state, so that every part of the page is from it.
      await page.waitForFunction(() => true, undefined, { timeout: 2_000 });
      await page.waitForTimeout(1_200);
      const record = await sandbox.store.get(stack);
      expect(await text('#phase')).toBe(phaseName(record, { deleted: true }));
      const line = record ? trafficLine(trafficView(record)) : 'nothing: the stack was deleted';
      expect(await text('#traffic-line')).toBe(line);
      const waits = await page.locator('#waiting li').allTextContents();
      expect(waits).toEqual(waitingFor(record).map((w) => `waiting for ${w}`));
      expect(await page.locator('#problems li').allTextContents()).toEqual(
        problemsOf(record, (rest) => `lambdaflex --local ${rest}`),
      );
      // The bar and "last minute" say what the chart's last bar shows.
      const bars = await page.evaluate<{ x: number; fill: string; height: number }[]>(
        `[...document.querySelectorAll('#chart rect.rps-bar')].map((r) => ({
          x: Number(r.getAttribute('x')), fill: r.getAttribute('fill'), height: Number(r.getAttribute('height')),
        })).filter((r) => ['#f08c00', '#1c7ed6', '#ced4da'].includes(r.fill))`,
      );
      // The bars are drawn as computed: no style changes their geometry.
      const misdrawn = await page.evaluate<number>(
        `[...document.querySelectorAll('#chart rect.rps-bar')]
          .filter((r) => Math.abs(r.getBBox().height - Number(r.getAttribute('height'))) > 0.5).length`,
      );
      expect(misdrawn).toBe(0);
      const served = /Lambda (\d+) % · Fargate (\d+) %(?: · no DNS answer (\d+) %)?/.exec(
        await text('#served'),
      );
      expect(bars.length).toBeGreaterThan(0);
      if (served) {
        const lastX = Math.max(...bars.map((b) => b.x));
        const height = (fill: string) =>
          bars.filter((b) => b.x === lastX && b.fill === fill).reduce((sum, b) => sum + b.height, 0);
        const total = height('#f08c00') + height('#1c7ed6') + height('#ced4da');
        if (total > 0) {
          const percent = (fill: string) => Math.round((100 * height(fill)) / total);
          expect([Number(served[1]), Number(served[2]), Number(served[3] ?? 0)]).toEqual([
            percent('#f08c00'),
            percent('#1c7ed6'),
            percent('#ced4da'),
          ]);
        }
      }
      await shot(`dashboard-${name}.png`);
    } finally {
      sandbox.resume();
    }
  };
  /** Pauses the sandbox in a state where the record satisfies `done` (a passing state needs a few tries). */
  const pauseWhen = async (done: (r: StackRecord | undefined) => boolean) => {
    for (;;) {
      await waitForRecord(done);
      await sandbox.pause();
      if (done(await sandbox.store.get(stack))) return;
      sandbox.resume();
    }
  };
  return { shot, text, waitForPhase, waitForRecord, agreesWithStatus, pauseWhen };
}

describeWithChromium('dashboard of the demo stack (auto, with a domain)', () => {
  let sandbox: Sandbox;
  let page: Page;
  let ui: ReturnType<typeof on>;

  beforeAll(async () => {
    sandbox = await sandboxIn();
    page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    await page.goto(`${sandbox.url}/`);
    ui = on(page, sandbox);
  });

  afterAll(async () => {
    await page?.close();
    await sandbox?.stop();
  });

  const setRps = async (rps: number) => {
    await page.fill('#rps-input', String(rps));
    await page.click('#rps-set');
    await page.waitForSelector(`#rps:text-is("${rps}")`);
  };

  it('starts on Lambda in auto mode, with the thresholds on the chart and whole task counts on its axis', async () => {
    await ui.waitForPhase('Lambda');
    await page.waitForSelector('[data-mode="auto"].active');
    expect(await page.locator('#chart line.threshold').count()).toBe(2);
    expect(await page.locator('#chart .threshold-label').allTextContents()).toEqual([
      expect.stringMatching(/^scale up \d+ rps$/),
      expect.stringMatching(/^scale down \d+ rps$/),
    ]);
    const ticks = await page.locator('#chart .task-tick').allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const tick of ticks) expect(tick).toMatch(/^\d+$/);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(await ui.text('#cost-baseline')).toBe('on Lambda all along: the same as always-Lambda');
    expect(await page.locator('#urls li').allTextContents()).toEqual([
      'domain https://orders-api.example.test',
      expect.stringMatching(/^Lambda https:\/\/\w+\.execute-api\./),
    ]);
    await page.waitForSelector('#resources tr td:text-is("lambda-function")');
    await ui.agreesWithStatus('1-lambda');
  });

  it('keeps the traffic controls’ messages in their own card, and does not send an emptied box as 0', async () => {
    await page.fill('#rps-input', '');
    await page.click('#rps-set');
    expect(await ui.text('#traffic-message')).toBe('enter the requests per second: a number from 0 to 10000');
    expect(await ui.text('#rps')).toBe('2');
    expect(await ui.text('#mode-message')).toBe('');
    await setRps(2);
    expect(await ui.text('#traffic-message')).toBe('traffic set to 2 rps');
    expect(await ui.text('#mode-message')).toBe('');
  });

  it('reads well at phone width: no sideways scrolling, two small cards a row', async () => {
    const phone = await browser.newPage({ viewport: PHONE, isMobile: true });
    try {
      await phone.goto(`${sandbox.url}/`);
      await phone.waitForSelector('#phase[data-phase="Lambda"]');
      const overflow = await phone.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      const [tasks, cost] = await Promise.all(
        ['#tasks', '#cost'].map(async (id) => (await phone.locator(id).boundingBox())!),
      );
      expect(Math.abs(tasks.y - cost.y)).toBeLessThan(5);
      expect(await phone.evaluate<boolean>("document.getElementById('resources-box').open")).toBe(false);
      await phone.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('moves to Fargate when the traffic is raised; card, chart and status agree', async () => {
    await setRps(300);
    await ui.waitForPhase('Fargate');
    await page.waitForSelector('#served:has-text("Lambda 0 % · Fargate 100 %")', { timeout: PHASE_WAIT_MS });
    expect(Number(await ui.text('#tasks'))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#chart rect.rps-bar[fill="#1c7ed6"]').count()).toBeGreaterThan(0);
    expect(await ui.text('#cost-baseline')).toMatch(/^always-Lambda: \$\S+ \((saved|extra) /);
    expect(await page.locator('#resources tr[data-state="active"] td:text-is("alb")').count()).toBe(1);
    await ui.agreesWithStatus('2-fargate');
  });

  it('rolls traffic back from unhealthy targets, and says so as a problem', async () => {
    sandbox.account.setFaults({ unhealthy: true });
    await ui.waitForRecord((r) => r?.status?.lastRollback !== undefined && r.status.phase !== 'Fargate');
    await page.waitForSelector(
      '#problems-card:not([hidden]) li:has-text("traffic was rolled back to Lambda")',
      {
        timeout: PHASE_WAIT_MS,
      },
    );
    await ui.agreesWithStatus('3-unhealthy');
    sandbox.account.setFaults({});
  });

  it('stops on a terminal error, with its message where it needs attention', async () => {
    const record = (await sandbox.store.get('orders-api'))!;
    // The target group's port can't change in place: terminal until the spec changes.
    await sandbox.store.putSpec({ ...record.spec, mode: 'fargate', port: 9090 });
    await ui.waitForPhase('Error');
    await page.waitForSelector('#problems li:has-text("stopped until the spec changes")', {
      timeout: PHASE_WAIT_MS,
    });
    await ui.agreesWithStatus('4-terminal-error');
    const now = (await sandbox.store.get('orders-api'))!;
    await sandbox.store.putSpec({ ...now.spec, port: 8080 });
    await ui.waitForPhase('Fargate');
  });

  it('tears the stack down: Deleting with its waits as progress, then Deleted with nothing served', async () => {
    await sandbox.pause();
    await sandbox.store.requestDelete('orders-api');
    sandbox.resume();
    // The drain and the teardown take a few simulated minutes, a second or two here: paused in them.
    await ui.pauseWhen((r) => r?.status?.phase === 'Deleting');
    await page.waitForSelector('#phase[data-phase="Deleting"]', { timeout: 10_000 });
    await page.waitForSelector('#deleting:not([hidden])');
    sandbox.resume();
    await ui.pauseWhen((r) =>
      ((r?.status?.lastPlan as { steps?: { id: string; outcome?: { status: string } }[] })?.steps ?? []).some(
        (step) => step.id.startsWith('delete:') && step.outcome?.status !== 'done',
      ),
    );
    await page.waitForSelector('#resources tr[data-state="deleting"]', { timeout: 10_000 });
    await ui.agreesWithStatus('5-deleting', { paused: true });
    await ui.waitForPhase('Deleted');
    // Expected waits of a teardown are progress lines, not red; repeats collapsed; the list bounded.
    const events = page.locator('#events li');
    expect(await events.count()).toBeLessThanOrEqual(12);
    expect(await page.locator('#events li.Warning:has-text("DependencyViolation")').count()).toBe(0);
    const texts = await events.allTextContents();
    expect(new Set(texts).size).toBe(texts.length);
    expect(await ui.text('#traffic-line')).toBe('nothing: the stack was deleted');
    await page.waitForSelector('#served:has-text("Lambda 0 % · Fargate 0 %")', { timeout: PHASE_WAIT_MS });
    expect(await page.locator('#deleting').isHidden()).toBe(true);
    // What the stack was is kept: its events, and what it cost while it existed, said apart: a deleted
    // stack runs nothing and costs nothing so far.
    expect(await events.count()).toBeGreaterThan(0);
    expect(await ui.text('#cost')).toBe('$0.0000');
    expect(await ui.text('#cost-baseline')).toMatch(
      /^the stack was deleted: it cost \$(?!0\.0000)\S+ while it existed$/,
    );
    await ui.agreesWithStatus('6-deleted');
  });
});

describeWithChromium('dashboard of a stack without a domain', () => {
  let sandbox: Sandbox;
  let page: Page;

  afterAll(async () => {
    await page?.close();
    await sandbox?.stop();
  });

  it('claims no weights, and shows what was served (by the API), as the chart and status do', async () => {
    sandbox = await sandboxIn({ stack: 'plain-api' });
    await sandbox.store.putSpec({
      stack: 'plain-api',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/plain-api:1.0.0',
      mode: 'fargate',
    });
    await sandbox.setTraffic(20);
    page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    await page.goto(`${sandbox.url}/`);
    const ui = on(page, sandbox, 'plain-api');
    await ui.waitForPhase('Fargate');
    expect(await ui.text('#traffic-line')).toMatch(/^no custom domain, so no weights to move/);
    await page.waitForSelector('#served:has-text("Lambda 100 % · Fargate 0 %")', { timeout: PHASE_WAIT_MS });
    expect(await page.locator('#urls li').allTextContents()).toEqual([
      expect.stringMatching(/^Lambda https:/),
      expect.stringMatching(/^Fargate http:\/\/lf-plain-api-alb-/),
    ]);
    await ui.agreesWithStatus('7-no-dns');
  });
});
