/**
 * The dashboard once the sandbox is stopped (Ctrl-C with the page open), in Debian's Chromium, drawn from
 * a fixed state: every call fails at the network, and the page says what happened and what to do, in
 * the connection line and in the card of the control used, not the browser's "Failed to fetch".
 */
import { DESKTOP, describeIfChromium, fixedState, fixedDashboardBrowser } from './fixed-dashboard';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';

const describeWithChromium = describeIfChromium('dashboard unreachable test');

jest.setTimeout(60_000);

const STOPPED = 'the sandbox does not answer: stopped? `npm start` in its folder starts it again';

function state(): DashboardState {
  return fixedState({ incarnation: '9f2c4e1a7b3d' });
}

describeWithChromium('the dashboard with the sandbox stopped', () => {
  const chromium = fixedDashboardBrowser();

  it('says the sandbox does not answer and how to start it, for the polling and for each control', async () => {
    const page = await chromium.open(state, DESKTOP, '[data-mode="auto"].active');
    // Registered after the fixture's routes, so it is asked first: the sandbox is gone.
    await page.route('**/sandbox/**', (route) => route.abort('connectionrefused'));
    await page.waitForSelector('#connection:has-text("does not answer")');
    expect(await page.locator('#connection').innerText()).toBe(STOPPED);
    await page.click('[data-rps="50"]');
    await page.waitForSelector('#traffic-message:has-text("does not answer")');
    expect(await page.locator('#traffic-message').innerText()).toBe(STOPPED);
    await page.click('[data-mode="fargate"]');
    await page.waitForSelector('#mode-message:has-text("does not answer")');
    expect(await page.locator('#mode-message').innerText()).toBe(STOPPED);
  });
});
