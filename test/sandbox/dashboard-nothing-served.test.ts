/**
 * The dashboard in Debian's Chromium, drawn from a fixed state (no sandbox: the page's files are served
 * from sandbox/dashboard/static and GET /sandbox/state answers the fixture), while the simulated clients
 * send nothing: "where traffic goes" says the last minute served nothing, as the sandbox's console line
 * does, not "Lambda 0 % · Fargate 0 %" above an empty bar, which read as traffic lost.
 */
import { DESKTOP, describeIfChromium, fixedDashboardBrowser, fixedState } from './fixed-dashboard';

const describeWithChromium = describeIfChromium('dashboard nothing-served test');

jest.setTimeout(60_000);

describeWithChromium('the dashboard while no request is sent', () => {
  const chromium = fixedDashboardBrowser();

  it('says the last minute served nothing', async () => {
    const idle = () =>
      fixedState({
        rps: 0,
        traffic: {
          line: 'Lambda 100 % · Fargate 0 % (Route 53 weights of orders-api.example.test)',
          served: { lambda: 0, fargate: 0, unrouted: 0 },
        },
        shares: { lambda: 0, fargate: 0 },
      });
    const page = await chromium.open(idle, DESKTOP, '#phase[data-phase="Lambda"]');
    expect(await page.locator('#served').innerText()).toBe('last minute: nothing served (no request sent)');
  });

  it('still gives the shares of a minute that served requests', async () => {
    const busy = () =>
      fixedState({
        traffic: { line: 'Lambda 100 %', served: { lambda: 0.5, fargate: 0.5, unrouted: 0 } },
        shares: { lambda: 0.5, fargate: 0.5 },
      });
    const page = await chromium.open(busy, DESKTOP, '#phase[data-phase="Lambda"]');
    expect(await page.locator('#served').innerText()).toBe('last minute: Lambda 50 % · Fargate 50 %');
  });
});
