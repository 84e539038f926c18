/**
 * Scenarios: a stack without `dns` (as the README's catalog-api) has no Route 53 record, so no weight to
 * move. Once the Fargate tier is ready and healthy it serves at once (no shift step held), and a scale-down
 * deletes the Fargate tier at once (no drain to wait for), pinned and in auto mode; `lambdaflex status` and
 * the dashboard say the same.
 */
import { formatStatus } from '../../cli/commands/status';
import { prepareAutoDecide } from '../../reconciler/decide/auto-decider';
import type { Phase, StackRecord } from '../../reconciler/state/types';
import { PhaseHistory } from '../../sandbox/history';
import { dashboardView } from '../../sandbox/view';
import { attachTrafficModel, setTraffic } from '../../simulation/traffic';
import { scenario, specInput, STACK, type Scenario } from './harness';

/** What one pass left in the record, as people read it. */
interface Seen {
  at: number;
  phase: Phase;
  reason: string;
  traffic: { lambda: number; fargate: number } | undefined;
  statusTraffic: string;
  dashboardTraffic: string;
  dashboardProblems: string[];
  statusText: string;
  fargateTierPlannedAway: boolean;
}

function read(s: Scenario, record: StackRecord, planSteps: string[]): Seen {
  const status = record.status!;
  const dashboard = dashboardView({
    stack: STACK,
    record,
    log: [],
    history: PhaseHistory.empty(),
    now: s.account.now(),
    minute: s.account.minute(),
    startTime: 0,
    speed: 60,
    rps: 0,
    command: (rest) => `lambdaflex ${rest}`,
  });
  return {
    at: s.account.now(),
    phase: status.phase,
    reason: status.reason ?? '',
    traffic: status.traffic,
    statusTraffic: /^Traffic: +(.*)$/m.exec(formatStatus(record))?.[1] ?? '',
    dashboardTraffic: dashboard.traffic.line,
    dashboardProblems: dashboard.problems,
    statusText: formatStatus(record),
    fargateTierPlannedAway: planSteps.some((id) => /^delete:(service|alb|cluster)\b/.test(id)),
  };
}

/** Passes until one settles in `phase`, keeping what each pass left in the record. */
async function until(s: Scenario, phase: Phase, maxPasses = 400): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const result = await s.pass();
    if (result === 'crashed') continue;
    const record = await s.store.get(STACK);
    seen.push(
      read(
        s,
        record!,
        (result.plan?.steps ?? []).map((step) => step.id),
      ),
    );
    if (result.settled && result.phase === phase) return seen;
    s.account.advance(Math.max(5_000, Math.min(result.requeueAfterMs ?? 15_000, 15_000)));
  }
  throw new Error(`not settled in ${phase}: ${JSON.stringify(seen.at(-1))}`);
}

/** `count` passes a simulated minute apart, whatever phase they reach. */
async function passes(s: Scenario, count: number): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (let i = 0; i < count; i++) {
    s.account.advance(60_000);
    const result = await s.pass();
    if (result === 'crashed') continue;
    const record = await s.store.get(STACK);
    seen.push(
      read(
        s,
        record!,
        (result.plan?.steps ?? []).map((step) => step.id),
      ),
    );
  }
  return seen;
}

const SHIFT_WORDS =
  /shifting|holding Fargate at|Route 53 sends it|in steps|moving traffic back|draining|TTL × 2/;

/** Without a record, traffic is all on one tier or the other: there is no step between. */
function expectNoStepBetween(seen: Seen[]) {
  expect(seen.filter((p) => SHIFT_WORDS.test(p.reason)).map((p) => p.reason)).toEqual([]);
  expect(seen.filter((p) => p.traffic && p.traffic.lambda > 0 && p.traffic.fargate > 0)).toEqual([]);
  for (const p of seen) {
    expect(p.dashboardTraffic).toBe(p.statusTraffic);
    if (p.traffic) expect(p.statusTraffic).toMatch(/^no custom domain, so no weights to move/);
  }
}

describe('scenario: a stack without dns', () => {
  it('pinned to Fargate: serves from Fargate once the tier is healthy, and deletes it at once on mode lambda', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    const up = await until(s, 'Fargate');
    expectNoStepBetween(up);
    // The first pass that finds the tier healthy is already at Fargate: no step held before it.
    const firstFargate = up.findIndex((p) => p.phase === 'Fargate');
    expect(up.slice(0, firstFargate).every((p) => p.phase === 'ScalingUp')).toBe(true);
    expect(up[firstFargate]).toMatchObject({ traffic: { lambda: 0, fargate: 100 } });
    expect(up[firstFargate]!.reason).toMatch(/serving from Fargate: ALB active, \d+ targets? healthy/);
    expect(up[firstFargate]!.statusTraffic).toMatch(/the stack serves from Fargate\)$/);
    expect(up.slice(firstFargate).every((p) => p.phase === 'Fargate')).toBe(true);

    await s.apply(specInput({ mode: 'lambda' }));
    const down = await until(s, 'Lambda');
    expectNoStepBetween(down);
    // The very first pass after the change deletes the Fargate tier: nothing to drain.
    expect(down[0]).toMatchObject({ phase: 'ScalingDown', fargateTierPlannedAway: true });
    expect(down[0]!.reason).toMatch(/no custom domain, so no traffic to drain; deleting the Fargate tier/);
    expect(down[0]!.statusTraffic).toMatch(/the stack serves from Lambda\)$/);
    expect(down.at(-1)!.phase).toBe('Lambda');
  });

  it('targets turned unhealthy on Fargate: says so and points clients to the Lambda URL, moves nothing back', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await until(s, 'Fargate');
    const lambdaUrl = (await s.store.get(STACK))!.status!.urls!.lambda!;
    expect(lambdaUrl).toMatch(/^https:\/\/.+execute-api/);

    s.account.setFaults({ unhealthy: true });
    const sick = await passes(s, 3);
    const record = (await s.store.get(STACK))!;
    // Nothing was moved back (there is no weight): no rollback is claimed, anywhere.
    for (const p of sick) expect(p.reason).not.toMatch(/rolled back|moved back|Route 53/);
    expect(record.status!.lastRollback).toBeUndefined();
    expect(record.events.filter((e) => e.reason === 'RolledBack')).toEqual([]);
    // What is true: the Fargate tier is unhealthy, so it does not serve; clients should call the API.
    for (const p of sick) {
      expect(p).toMatchObject({ phase: 'ScalingUp', traffic: { lambda: 100, fargate: 0 } });
      expect(p.reason).toMatch(
        /the Fargate tier is unhealthy \(0 of 1 targets healthy\); no custom domain, so nothing to move back: clients should call the API's URL until its targets are healthy again/,
      );
      expect(p.statusTraffic).toMatch(/the stack serves from Lambda\)$/);
      expect(p.dashboardProblems).toEqual([expect.stringContaining(`call the API's URL (${lambdaUrl})`)]);
      expect(p.statusText).toContain(`call the API's URL (${lambdaUrl})`);
      // The tier is kept for its targets to recover: its URL stays the same for the clients that use it.
      expect(p.fargateTierPlannedAway).toBe(false);
    }
    const warnings = record.events.filter((e) => e.reason === 'FargateUnhealthy');
    expect(warnings).toEqual([
      expect.objectContaining({
        type: 'Warning',
        message: expect.stringMatching(/^the Fargate tier turned unhealthy \(0 of 1 targets healthy\)/),
      }),
    ]);
    expect(record.status!.conditions).toContainEqual(
      expect.objectContaining({ type: 'TrafficOnFargate', status: 'False', reason: 'FargateUnhealthy' }),
    );

    s.account.setFaults({});
    const back = await until(s, 'Fargate');
    expect(back.at(-1)).toMatchObject({
      phase: 'Fargate',
      traffic: { lambda: 0, fargate: 100 },
      dashboardProblems: [],
    });
    expect((await s.store.get(STACK))!.events.filter((e) => e.reason === 'FargateUnhealthy')).toHaveLength(1);
  });

  it('in auto mode: up on a high rate and down on a low one, with no shift step held either way', async () => {
    const s = scenario();
    attachTrafficModel(s.account);
    s.reconciler.decide = async (input) =>
      (await prepareAutoDecide({ clients: s.clients, now: () => s.account.now() })([input.record]))(input);
    await s.apply(
      specInput({ mode: 'auto', thresholds: { cooldownMinutes: 5, scaleUp: { requestsPerSecond: 20 } } }),
    );
    setTraffic(s.account, 2, { stack: STACK });
    await until(s, 'Lambda');
    setTraffic(s.account, 200, { stack: STACK });
    const up = await until(s, 'Fargate', 1000);
    expectNoStepBetween(up);
    expect(up.find((p) => p.phase === 'Fargate')?.traffic).toEqual({ lambda: 0, fargate: 100 });
    // Auto mode's reason says the tier is being built, not that Route 53 sends it nothing yet.
    expect(up.some((p) => /^[^;]*: moving to Fargate \(the tier is being built\);/.test(p.reason))).toBe(
      true,
    );

    // On Fargate, clients may still call the API: the rate is whatever both tiers counted, and no
    // reason speaks of Route 53, which has no record of this stack.
    const settled = await passes(s, 20);
    const onFargate = [...up.filter((p) => p.phase === 'Fargate'), ...settled];
    expect(onFargate.filter((p) => /no request rate/.test(p.reason)).map((p) => p.reason)).toEqual([]);
    expect([...up, ...settled].filter((p) => /Route 53/.test(p.reason)).map((p) => p.reason)).toEqual([]);
    expect(settled.every((p) => p.phase === 'Fargate')).toBe(true);

    // Targets unhealthy: auto mode's reason and the traffic's say so, no rollback and no "being built".
    s.account.setFaults({ unhealthy: true });
    const sick = await passes(s, 3);
    expect(sick.map((p) => p.phase)).toEqual(['ScalingUp', 'ScalingUp', 'ScalingUp']);
    for (const p of sick) {
      expect(p.reason).not.toMatch(/rolled back|being built|Route 53/);
      expect(p.reason).toMatch(/; the Fargate tier is unhealthy \(0 of 1 targets healthy\)/);
    }
    expect(sick.at(-1)!.reason).toMatch(
      /: moving to Fargate \(the tier is unhealthy: waiting for its targets/,
    );
    s.account.setFaults({});
    await until(s, 'Fargate');

    setTraffic(s.account, 0.5, { stack: STACK });
    const down = await until(s, 'Lambda', 2000);
    expectNoStepBetween(down);
    const leaving = down.findIndex((p) => p.phase === 'ScalingDown');
    expect(leaving).toBeGreaterThanOrEqual(0);
    expect(down[leaving]!.fargateTierPlannedAway).toBe(true);
    expect(down[leaving]!.reason).toMatch(
      /; no custom domain, so no traffic to drain; deleting the Fargate tier$/,
    );
  });
});
