/**
 * The dashboard's cards keep their text inside them, in Debian's Chromium, drawn from a fixed state (no
 * sandbox: the page's files are served from sandbox/dashboard/static and GET /sandbox/state answers the
 * fixture). What the stack waits for, its problems and its events quote AWS's ids (a Route 53 change id,
 * an ARN), words longer than a card is wide: they must wrap inside their card, not run out of it under the
 * next card. The resources table has its own test (dashboard-resources.test.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, PHONE, describeIfChromium, launchChromium, openFixedDashboard } from './fixed-dashboard';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';

const describeWithChromium = describeIfChromium('dashboard wrap test');

jest.setTimeout(60_000);

const ALB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lf-orders-api-alb/8ae4d8b2498c3423';

/** A stack scaling up, waiting on a Route 53 change, as the sandbox showed it. */
function state(): DashboardState {
  const start = Date.UTC(2026, 0, 1, 1, 0);
  return {
    stack: 'orders-api',
    now: start + 60_000,
    speed: 60,
    mode: 'auto',
    version: 136,
    generation: 1,
    phase: 'ScalingUp',
    deletionRequested: false,
    tier: 'fargate',
    reason: '50.0 rps ≥ 4: moving to Fargate (the tier is being built; Route 53 sends it no traffic yet)',
    waitingFor: [
      'ALB active, 1 target healthy (≥ 1); shifting Fargate from 0 % to 10 %',
      'update:dns-lambda: Route 53 change /change/C62715A03B66B52CB226E8F1A is PENDING',
    ],
    rps: 50,
    traffic: { line: 'Lambda 100 % · Fargate 0 %', served: { lambda: 1, fargate: 0, unrouted: 0 } },
    shares: { lambda: 1, fargate: 0 },
    urls: { lambda: 'https://abc.execute-api.us-east-1.amazonaws.com' },
    tasks: 1,
    cost: { actual: 0.12, alwaysLambda: 0.11, compared: true },
    thresholds: { scaleUp: 9, scaleDown: 4 },
    minutes: [
      {
        minute: 0,
        at: start,
        rps: 50,
        lambdaShare: 1,
        fargateShare: 0,
        unroutedShare: 0,
        tasks: 1,
        phase: 'ScalingUp',
        cost: 0.01,
      },
    ],
    events: [
      {
        at: start,
        type: 'Warning',
        reason: 'Retrying',
        message: `deleting AWS::ElasticLoadBalancingV2::LoadBalancer (alb): ResourceInUse: ${ALB_ARN}`,
        count: 1,
      },
    ],
    problems: [`deleting AWS::ElasticLoadBalancingV2::LoadBalancer (alb): ResourceInUse: ${ALB_ARN}`],
    resources: [],
  };
}

describeWithChromium('the dashboard cards', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = (viewport: { width: number; height: number }, isMobile: boolean): Promise<Page> =>
    openFixedDashboard(browser, state, { viewport, isMobile }, '#waiting li');

  it.each([
    { name: 'desktop', ...DESKTOP },
    { name: 'phone', ...PHONE },
  ])('wraps long ids inside their card at $name width', async (view) => {
    const page = await open(view.viewport, view.isMobile);
    try {
      // The fixture's long words are on the page.
      expect(await page.textContent('#waiting')).toContain('/change/C62715A03B66B52CB226E8F1A');
      expect(await page.textContent('body')).toContain(ALB_ARN);
      // Every visible card's content fits its width (an overflowing word widens its scrollWidth).
      const overflowing: string[] = await page.evaluate(`[...document.querySelectorAll('.card')]
        .filter((card) => card.offsetParent !== null && card.scrollWidth > card.clientWidth + 1)
        .map((card) => (card.querySelector('h2')?.textContent ?? card.className).trim())`);
      expect(overflowing).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
