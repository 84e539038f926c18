/**
 * The dashboard's dates carry their year (the simulated clock and each event's time), as `status` and
 * `events` print theirs, and still fit a phone's width (390 px) without widening the page.
 */
import { DESKTOP, PHONE, describeIfChromium, fixedDashboardBrowser, fixedState } from './fixed-dashboard';

const describeWithChromium = describeIfChromium('dashboard dates test');

jest.setTimeout(60_000);

describeWithChromium('the dashboard dates', () => {
  const chromium = fixedDashboardBrowser();
  const state = () =>
    fixedState({
      now: Date.UTC(2026, 0, 1, 0, 50),
      events: [
        {
          at: Date.UTC(2026, 0, 1, 0, 5),
          type: 'Normal',
          reason: 'PhaseChanged',
          message: 'none → Lambda',
          count: 1,
        },
      ],
    });

  for (const [name, view] of [
    ['a laptop', DESKTOP],
    ['a phone', PHONE],
  ] as const) {
    it(`shows the year in the clock and the events, on ${name}, within the page's width`, async () => {
      const page = await chromium.open(state, view, '#phase[data-phase="Lambda"]');
      expect(await page.locator('#clock').innerText()).toBe('2026-01-01 00:50');
      expect(await page.locator('#events li time').first().innerText()).toBe('2026-01-01 00:05');
      const overflow = (await page.evaluate(
        '(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)()',
      )) as number;
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
});
