/**
 * Auto mode's reasons through a whole round trip in the sandbox, as a user reads them on the dashboard
 * and in `lambdaflex status`: a move under way says it is moving (not "staying" on a tier that has no
 * traffic yet), a scale-down never loses the request rate, and both views give the same reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatStatus } from '../../cli/commands/status';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

jest.setTimeout(120_000);

describe('the sandbox through a scale-up and back', () => {
  let dir: string;
  let sandbox: Sandbox;
  const seen: DashboardState[] = [];

  /** Polls the dashboard's state, keeping every reading, until `ok`. */
  async function until(ok: (s: DashboardState) => boolean): Promise<DashboardState> {
    for (;;) {
      const state = await sandbox.state();
      seen.push(state);
      if (ok(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lf-reasons-'));
    sandbox = await startSandbox({ cwd: dir, port: 0, speed: 1200, tickMs: 50, print: () => undefined });
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the Fargate tier is being built while it is, and the same as status', async () => {
    await until((s) => s.phase === 'Lambda' && /staying on Lambda/.test(s.reason ?? ''));
    await sandbox.setTraffic(50);
    await until((s) => s.phase === 'ScalingUp');
    // Held still, the dashboard and `lambdaflex status` read the same record.
    await sandbox.pause();
    const dashboard = await sandbox.state();
    const record = await sandbox.store.get('orders-api');
    sandbox.resume();
    expect(dashboard.reason).toBe(record!.status!.lastDecision!.reason);
    // The status adds the traffic engine's words after the decision's.
    const why = /^Why: +(.*)$/m.exec(formatStatus(record!))?.[1];
    expect(why?.startsWith(`${dashboard.reason!}; `)).toBe(true);

    const fargate = await until((s) => s.phase === 'Fargate');
    // The pass that reached Fargate decided before it did: its reason is read against the phase reached.
    expect(seen.filter((s) => s.phase === 'Fargate').map((s) => s.reason)).not.toContainEqual(
      expect.stringMatching(/moving to Fargate/),
    );
    expect(fargate.reason).toMatch(/staying on Fargate/);
    const scalingUp = seen.filter((s) => s.phase === 'ScalingUp').map((s) => s.reason ?? '');
    expect(scalingUp.filter((reason) => /staying on Fargate/.test(reason))).toEqual([]);
    // The threshold quoted is the scale-up one, which moved it, not the scale-down one.
    const scaleUp = seen.find((s) => s.thresholds)?.thresholds?.scaleUp;
    expect(scaleUp).toBeDefined();
    expect(
      scalingUp.some((reason) =>
        reason.startsWith(`50.0 rps > ${scaleUp}: moving to Fargate (the tier is being built`),
      ),
    ).toBe(true);
  });

  it('keeps reading the rate while traffic drains back to Lambda', async () => {
    seen.length = 0;
    await sandbox.setTraffic(2);
    await until((s) => s.phase === 'ScalingDown');
    await until((s) => s.phase === 'Lambda');
    const scalingDown = seen.filter((s) => s.phase === 'ScalingDown').map((s) => s.reason ?? '');
    expect(scalingDown.length).toBeGreaterThan(0);
    expect(scalingDown.filter((reason) => /no request rate|staying on Lambda/.test(reason))).toEqual([]);
    expect(scalingDown.some((reason) => /moving to Lambda/.test(reason))).toBe(true);
  });
});
