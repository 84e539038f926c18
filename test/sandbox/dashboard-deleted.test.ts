/**
 * The dashboard of a deleted stack, in Debian's Chromium, drawn from a fixed state (no sandbox: the page's
 * files are served from sandbox/dashboard/static and GET /sandbox/state answers the fixture): it says the
 * stack is gone, not that its URLs are still to come, and what it cost apart from the cost so far.
 */
import { PHONE, describeIfChromium, fixedDashboardBrowser } from './fixed-dashboard';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';

const describeWithChromium = describeIfChromium('dashboard deleted test');

jest.setTimeout(60_000);

function deleted(): DashboardState {
  const start = Date.UTC(2026, 0, 1, 4, 0);
  return {
    stack: 'orders-api',
    now: start + 10 * 60_000,
    speed: 60,
    phase: 'Deleted',
    deletionRequested: false,
    waitingFor: [],
    rps: 2,
    traffic: { line: 'nothing: the stack was deleted', served: { lambda: 0, fargate: 0, unrouted: 1 } },
    shares: { lambda: 0, fargate: 0 },
    urls: {},
    tasks: 0,
    cost: { actual: 0, alwaysLambda: 0, compared: false, deletedStack: 0.2338 },
    minutes: [],
    events: [],
    problems: [],
    resources: [],
  };
}

describeWithChromium('the dashboard of a deleted stack', () => {
  const chromium = fixedDashboardBrowser();

  it('says its URLs are gone with it, and what it cost apart from the cost so far', async () => {
    const page = await chromium.open(deleted, PHONE, '#phase[data-phase="Deleted"]');
    expect(await page.locator('#urls').innerText()).toBe('none: the stack was deleted');
    expect(await page.locator('#cost').innerText()).toBe('$0.0000');
    expect(await page.locator('#cost-baseline').innerText()).toBe(
      'the stack was deleted: it cost $0.2338 while it existed',
    );
  });
});
