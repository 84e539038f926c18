/**
 * The resources table at phone width, in Debian's Chromium, drawn from a fixed state (no sandbox: the
 * page's files are served from sandbox/dashboard/static and GET /sandbox/state answers the fixture). At
 * 390 px a row of four columns is wider than the screen: the state and the id were off to the right, in a
 * box that scrolls sideways with no sign of it. Every cell must be in view, unfolded.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP, PHONE, describeIfChromium, fixedState, fixedDashboardBrowser } from './fixed-dashboard';
import type { DashboardResource, DashboardState } from '../../sandbox/dashboard/dashboard-source';

const describeWithChromium = describeIfChromium('dashboard resources test');
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

jest.setTimeout(60_000);

const RESOURCES: DashboardResource[] = [
  { key: 'lambda-function', kind: 'AWS::Lambda::Function', state: 'Active', id: 'lf-orders-api-function' },
  {
    key: 'alb',
    kind: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    state: 'provisioning',
    id: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lf-orders-api-alb/8ae4d8b2498c3423',
  },
  {
    key: 'scalable-target',
    kind: 'AWS::ApplicationAutoScaling::ScalableTarget',
    state: 'creating',
    id: 'service/lf-orders-api-cluster/lf-orders-api-service',
  },
];

function state(): DashboardState {
  return fixedState({
    version: 40,
    generation: 1,
    phase: 'ScalingUp',
    rps: 50,
    traffic: { line: 'Lambda 100 % · Fargate 0 %' },
    cost: { actual: 0.1, alwaysLambda: 0.1, compared: false },
    resources: RESOURCES,
  });
}

describeWithChromium('the resources table at phone width', () => {
  const chromium = fixedDashboardBrowser();

  it('shows every cell of every row within the screen, none scrolled off', async () => {
    const page = await chromium.open(state, PHONE, '#phase[data-phase="ScalingUp"]');
    // Folded at first on a phone: opened as a user would.
    await page.click('#resources-box summary');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#resources').screenshot({ path: join(ARTIFACTS, 'dashboard-resources-phone.png') });
    const cells = await page.evaluate(`[...document.querySelectorAll('#resources tbody td')].map((td) => {
      const box = td.getBoundingClientRect();
      return { text: td.textContent, left: box.left, right: box.right, width: box.width, top: box.top };
    })`);
    const values = RESOURCES.flatMap((r) => [r.key, r.kind.replace(/^AWS::/, ''), r.state, r.id]);
    expect((cells as { text: string }[]).map((c) => c.text)).toEqual(values);
    const outside = (cells as { text: string; left: number; right: number; width: number }[]).filter(
      (c) => c.width === 0 || c.left < 0 || c.right > 390,
    );
    expect(outside.map((c) => c.text)).toEqual([]);
    // A resource's state beside its key, where the eye looks for it.
    const tops = (cells as { top: number }[]).map((c) => c.top);
    for (let row = 0; row < RESOURCES.length; row++) expect(tops[row * 4 + 2]).toBeCloseTo(tops[row * 4]!, 0);
  });
});

describeWithChromium('the resources table on a laptop', () => {
  const chromium = fixedDashboardBrowser();

  it('shows every id whole within its card, a long ARN wrapped rather than cut at the edge', async () => {
    const listener = {
      key: 'listener-https',
      kind: 'AWS::ElasticLoadBalancingV2::Listener',
      state: 'exists',
      id: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lf-orders-api-alb/abd10a2b24f4f7b2/2ffc66dd8de4cccf',
    };
    const withListener = () => ({ ...state(), resources: [...RESOURCES, listener] });
    const page = await chromium.open(withListener, DESKTOP, '#phase[data-phase="ScalingUp"]');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#resources').screenshot({ path: join(ARTIFACTS, 'dashboard-resources-desktop.png') });
    const box = (await page.evaluate(`(() => {
      const wrap = document.querySelector('#resources').closest('.card').getBoundingClientRect();
      const cells = [...document.querySelectorAll('#resources tbody td')].map((td) => {
        const r = td.getBoundingClientRect();
        return { text: td.textContent, right: r.right, scrolled: td.scrollWidth > td.clientWidth };
      });
      return { right: wrap.right, cells };
    })()`)) as { right: number; cells: { text: string; right: number; scrolled: boolean }[] };
    const cut = box.cells.filter((c) => c.right > box.right || c.scrolled).map((c) => c.text);
    expect(cut).toEqual([]);
    expect(box.cells.map((c) => c.text)).toContain(listener.id);
  });
});
