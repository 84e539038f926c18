/**
 * The dashboard's mode buttons, in Debian's Chromium, drawn from a fixed state (no sandbox: the page's
 * files are served from sandbox/dashboard/static and GET /sandbox/state answers the fixture). A mode change
 * is based on the spec the page showed: its generation and its record's incarnation, so that a stack
 * deleted and created again (at generation 1 again) is not written from a page showing the old one.
 */
import { DESKTOP, PHONE, describeIfChromium, fixedState, fixedDashboardBrowser } from './fixed-dashboard';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';

const describeWithChromium = describeIfChromium('dashboard mode test');

jest.setTimeout(60_000);

function state(revision: { generation: number; incarnation?: string }): DashboardState {
  return fixedState({ ...revision, urls: { lambda: 'https://abc.execute-api.us-east-1.amazonaws.com' } });
}

describeWithChromium('the dashboard mode buttons', () => {
  const chromium = fixedDashboardBrowser();

  /** Opens the page on `shown`; PUT /sandbox/mode answers `answer` and its bodies are kept in `sent`. */
  async function open(shown: DashboardState, answer: { status: number; json: object }) {
    const sent: unknown[] = [];
    const page = await chromium.open(() => shown, DESKTOP, '[data-mode="auto"].active');
    // Registered after the fixture's routes, so it is asked first.
    await page.route('**/sandbox/mode', (route) => {
      sent.push(route.request().postDataJSON());
      return route.fulfill({ status: answer.status, json: answer.json });
    });
    return { page, sent };
  }

  it('shows the generation with its incarnation, as get and status do', async () => {
    const { page } = await open(state({ generation: 3, incarnation: '9f2c4e1a7b3d' }), {
      status: 200,
      json: {},
    });
    expect(await page.locator('#revision').innerText()).toBe(
      'record version 12, generation 3 of incarnation 9f2c4e1a7b3d',
    );
  });

  it('shows the generation alone for a record created before incarnations', async () => {
    const { page } = await open(state({ generation: 3 }), { status: 200, json: {} });
    expect(await page.locator('#revision').innerText()).toBe('record version 12, generation 3');
  });

  it('sends the generation and the incarnation the page shows', async () => {
    const shown = state({ generation: 3, incarnation: '9f2c4e1a7b3d' });
    const { page, sent } = await open(shown, { status: 200, json: { ...shown, mode: 'fargate' } });
    await page.click('[data-mode="fargate"]');
    await page.waitForSelector('#mode-message:has-text("mode set to fargate")');
    expect(sent).toEqual([{ mode: 'fargate', generation: 3, incarnation: '9f2c4e1a7b3d' }]);
  });

  it('sends the generation alone for a record created before incarnations', async () => {
    const shown = state({ generation: 3 });
    const { page, sent } = await open(shown, { status: 200, json: { ...shown, mode: 'lambda' } });
    await page.click('[data-mode="lambda"]');
    await page.waitForSelector('#mode-message:has-text("mode set to lambda")');
    expect(sent).toEqual([{ mode: 'lambda', generation: 3 }]);
  });

  it("shows the conflict's message when the stack was deleted and created again", async () => {
    const message =
      'writing spec (orders-api): the record is not the one read (expected generation 1 of incarnation 9f2c4e1a7b3d, found generation 1 of incarnation 4e1a7b3d9f2c); the stack was deleted and created again since; read it again and retry';
    const { page } = await open(state({ generation: 1, incarnation: '9f2c4e1a7b3d' }), {
      status: 409,
      json: { statusCode: 409, error: 'Conflict', message },
    });
    await page.click('[data-mode="fargate"]');
    await page.waitForSelector('#mode-message:has-text("deleted and created again")');
    expect(await page.locator('#mode-message').innerText()).toBe(message);
  });

  it('says which mode is set to a screen reader too (aria-pressed), not by colour alone, and follows a change', async () => {
    let shown = state({ generation: 3 });
    const page = await chromium.open(() => shown, DESKTOP, '[data-mode="auto"].active');
    await page.route('**/sandbox/mode', (route) => {
      shown = { ...shown, mode: 'fargate', generation: 4 };
      return route.fulfill({ status: 200, json: shown });
    });
    const pressed = () =>
      page.evaluate(
        `[...document.querySelectorAll('[data-mode]')].map((b) => [b.dataset.mode, b.getAttribute('aria-pressed')])`,
      );
    expect(await pressed()).toEqual([
      ['auto', 'true'],
      ['lambda', 'false'],
      ['fargate', 'false'],
    ]);
    await page.click('[data-mode="fargate"]');
    await page.waitForSelector('#mode-message:has-text("mode set to fargate")');
    expect(await pressed()).toEqual([
      ['auto', 'false'],
      ['lambda', 'false'],
      ['fargate', 'true'],
    ]);
  });

  it('keeps each row of controls on one line on a phone: the three modes, the three traffic presets', async () => {
    const page = await chromium.open(() => state({ generation: 3 }), PHONE, '[data-mode="auto"].active');
    const rows = (await page.evaluate(`(() => {
      const tops = (selector) => [...document.querySelectorAll(selector)].map((b) => Math.round(b.getBoundingClientRect().top));
      return { modes: tops('[data-mode]'), presets: tops('[data-rps]'), form: tops('#traffic-form > *') };
    })()`)) as Record<string, number[]>;
    for (const [row, tops] of Object.entries(rows)) expect([row, new Set(tops).size]).toEqual([row, 1]);
  });
});
