/**
 * The dashboard's chart in Debian's Chromium, drawn from a fixed state (no sandbox: the page's files are
 * served from sandbox/dashboard/static and GET /sandbox/state answers the fixture). At desktop and phone
 * width every label of the chart lies inside its drawing, and no two labels cover each other: at phone
 * width the labels are drawn larger (the chart is scaled down), and the margins must make room for them.
 * The chart at each width goes to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, PHONE, describeIfChromium, launchChromium, openFixedDashboard } from './fixed-dashboard';
import type { DashboardMinute, DashboardState } from '../../sandbox/dashboard/dashboard-source';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const CHART = { width: 900, height: 260 };

const describeWithChromium = describeIfChromium('dashboard chart test');

jest.setTimeout(60_000);

/** Two simulated hours of traffic: `rpsAt(minute)`, on Lambda below 9 rps, on Fargate above (4 tasks). */
function state(rpsAt: (minute: number) => number): DashboardState {
  const start = Date.UTC(2026, 0, 1, 3, 0);
  const minutes: DashboardMinute[] = Array.from({ length: 120 }, (_, minute) => {
    const rps = rpsAt(minute);
    const high = rps > 9;
    return {
      minute,
      at: start + minute * 60_000,
      rps,
      lambdaShare: high ? 0 : 1,
      fargateShare: high ? 1 : 0,
      unroutedShare: 0,
      tasks: high ? 4 : 0,
      phase: high ? 'Fargate' : 'Lambda',
      cost: 0.01,
    };
  });
  return {
    stack: 'orders-api',
    now: start + 120 * 60_000,
    speed: 60,
    mode: 'auto',
    version: 40,
    generation: 1,
    phase: 'Lambda',
    deletionRequested: false,
    tier: 'lambda',
    reason: '2.0 rps ≤ 9: staying on Lambda',
    waitingFor: [],
    rps: 2,
    traffic: { line: 'Lambda 100 % · Fargate 0 %', served: { lambda: 1, fargate: 0, unrouted: 0 } },
    shares: { lambda: 1, fargate: 0 },
    urls: { lambda: 'https://abc.execute-api.us-east-1.amazonaws.com' },
    tasks: 0,
    cost: { actual: 1.2, alwaysLambda: 6, compared: true },
    thresholds: { scaleUp: 9, scaleDown: 4 },
    minutes,
    events: [],
    problems: [],
    resources: [],
  };
}

/**
 * Traffic shapes the sandbox shows: the demo's 2 rps alone (the rps axis reaches 20, and a label under
 * the scale-down line lands on the bars), a 50 rps burst after it (the axis reaches 50: both lines sit
 * just over the 2 rps bars), and a stack that went up to Fargate at 300 rps and back (the axis reaches 500).
 */
const TRAFFIC: Record<string, { rpsAt: (minute: number) => number; axis: string }> = {
  'the demo at 2 rps': { rpsAt: () => 2, axis: '20' },
  'a 50 rps burst': { rpsAt: (minute) => (minute >= 100 ? 50 : 2), axis: '50' },
  'a 300 rps peak and back': { rpsAt: (minute) => (minute >= 10 && minute < 70 ? 300 : 2), axis: '500' },
};
const VIEWS = [
  { name: 'desktop', ...DESKTOP },
  { name: 'phone', ...PHONE },
];
const CASES = Object.entries(TRAFFIC).flatMap(([traffic, shape]) =>
  VIEWS.map((view) => ({ traffic, ...shape, ...view })),
);

interface Box {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The requests drawn for each minute: its stacked bar, up to the demand line over it. */
async function bars(page: Page): Promise<Box[]> {
  return page.evaluate(`[...document.querySelectorAll('#chart .rps-bar')].map((r) => {
    const b = r.getBBox();
    return { text: 'bar', x: b.x, y: b.y, width: b.width, height: b.height };
  }).filter((b) => b.height > 0)`);
}

async function chartLabels(page: Page): Promise<Box[]> {
  return page.evaluate(`[...document.querySelectorAll('#chart text')].map((t) => {
    const b = t.getBBox();
    return { text: t.textContent, x: b.x, y: b.y, width: b.width, height: b.height };
  })`);
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describeWithChromium('the dashboard chart', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = (
    rpsAt: (minute: number) => number,
    viewport: { width: number; height: number },
    isMobile: boolean,
  ): Promise<Page> =>
    openFixedDashboard(browser, () => state(rpsAt), { viewport, isMobile }, '#chart .rps-bar');

  it.each(CASES)(
    'keeps every label inside the chart, clear of the others and of the bars: $traffic at $name width',
    async (view) => {
      const page = await open(view.rpsAt, view.viewport, view.isMobile);
      try {
        mkdirSync(ARTIFACTS, { recursive: true });
        const file = `dashboard-chart-${view.name}-${view.axis}.png`;
        await page.locator('#chart').screenshot({ path: join(ARTIFACTS, file) });
        const labels = await chartLabels(page);
        expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining([view.axis, 'rps', 'tasks']));
        // The chart's own units: 900 wide, and 260 high or more where it is shown narrow (a phone).
        const box = (await page.evaluate(`(({ width, height }) => ({ width, height }))(
          document.querySelector('#chart').viewBox.baseVal,
        )`)) as {
          width: number;
          height: number;
        };
        expect(box.width).toBe(CHART.width);
        expect(box.height).toBeGreaterThanOrEqual(CHART.height);
        const outside = labels.filter(
          (l) => l.x < 0 || l.y < 0 || l.x + l.width > box.width || l.y + l.height > box.height,
        );
        expect(outside.map((l) => l.text)).toEqual([]);
        const covering = labels.flatMap((a, i) =>
          labels.slice(i + 1).flatMap((b) => (overlap(a, b) ? [`${a.text} / ${b.text}`] : [])),
        );
        expect(covering).toEqual([]);
        const drawn = await bars(page);
        expect(drawn.length).toBeGreaterThan(0);
        const onBars = labels.filter((l) => drawn.some((bar) => overlap(l, bar))).map((l) => l.text);
        expect(onBars).toEqual([]);
        // Both thresholds are named with their rates under the chart, whatever room the bars leave in it.
        expect(await page.locator('#threshold-legend').innerText()).toBe(
          'thresholds (scale up 9 rps, scale down 4 rps)',
        );
      } finally {
        await page.close();
      }
    },
  );

  it.each(VIEWS)(
    'is tall enough to read at $name width: at least 240 px, its plot at least 150',
    async (view) => {
      const page = await open(TRAFFIC['a 300 rps peak and back']!.rpsAt, view.viewport, view.isMobile);
      try {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `dashboard-chart-${view.name}-page.png`) });
        const shown = (await page.locator('#chart').boundingBox())!;
        // Drawn 900 × 260 and scaled to a phone's width, the chart was some 100 px high.
        expect(Math.round(shown.height)).toBeGreaterThanOrEqual(240);
        // The plot itself, from the rps axis's top grid line (its maximum) to its 0: on screen, in px.
        const plot = await page.evaluate(`(() => {
        const grid = [...document.querySelectorAll('#chart line')]
          .filter((l) => l.getAttribute('stroke') === '#e9ecef')
          .map((l) => l.getBoundingClientRect());
        return Math.max(...grid.map((r) => r.bottom)) - Math.min(...grid.map((r) => r.top));
      })()`);
        expect(plot).toBeGreaterThanOrEqual(150);
      } finally {
        await page.close();
      }
    },
  );

  it.each(VIEWS)(
    'names each threshold line in the chart where the bars leave room: $name width',
    async (view) => {
      const page = await open(TRAFFIC['the demo at 2 rps']!.rpsAt, view.viewport, view.isMobile);
      try {
        const named = await page.locator('#chart .threshold-label').allTextContents();
        expect(named.sort()).toEqual(['scale down 4 rps', 'scale up 9 rps']);
      } finally {
        await page.close();
      }
    },
  );

  it.each(VIEWS)(
    'keeps the threshold labels clear of the tasks line where it steps up, not only of its levels: $name width',
    async (view) => {
      // The demo at 2 rps, one task from minute 6 (mode fargate, say): the tasks line rises there, through
      // the height of the thresholds' labels.
      const withTask = () => {
        const s = state(() => 2);
        return { ...s, minutes: s.minutes.map((m) => ({ ...m, tasks: m.minute >= 6 ? 1 : 0 })) };
      };
      const page = await openFixedDashboard(browser, withTask, view, '#chart .rps-bar');
      try {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page
          .locator('#chart')
          .screenshot({ path: join(ARTIFACTS, `dashboard-chart-${view.name}-task.png`) });
        const labels = (await chartLabels(page)).filter((l) => /^scale /.test(l.text));
        // Still named in the chart: the bars leave room, past the step.
        expect(labels.map((l) => l.text).sort()).toEqual(['scale down 4 rps', 'scale up 9 rps']);
        const points = (await page.evaluate(`[...document.querySelectorAll('#chart polyline')]
          .filter((p) => p.getAttribute('stroke-width') === '2')
          .flatMap((p) => [...p.points].map((q) => ({ x: q.x, y: q.y })))`)) as { x: number; y: number }[];
        expect(points.length).toBeGreaterThan(1);
        // Each segment of the line as a box (the line is made of level and upright segments).
        const segments = points.slice(1).map((q, i) => {
          const p = points[i]!;
          const x = Math.min(p.x, q.x);
          const y = Math.min(p.y, q.y);
          return { text: 'tasks', x, y, width: Math.abs(q.x - p.x), height: Math.abs(q.y - p.y) };
        });
        const crossed = labels.filter((l) =>
          segments.some(
            (s) =>
              s.x <= l.x + l.width && l.x <= s.x + s.width && s.y <= l.y + l.height && l.y <= s.y + s.height,
          ),
        );
        expect(crossed.map((l) => l.text)).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );
});
