import type { ApplyResult, Plan, PlanStep, StepOutcome } from '../../reconciler/engine/types';
import { CONFLICT_RECHECK_MS, WAIT_REQUEUE_MS } from '../../reconciler/engine/come-back';
import { buildStatus, CHECK_AFTER_APPLY_MS, requeueAfter, type PassSummary } from '../../reconciler/status';
import type { TrafficDecision } from '../../reconciler/traffic/shift';

const NOW = 1_700_000_000_000;

function step(id: string): PlanStep {
  const [action, key] = id.split(':') as [PlanStep['action'], string];
  return { id, action, key, type: 'AWS::Test::Thing', reason: 'test', dependsOn: [] };
}

function summary(steps: string[], outcome: StepOutcome = { status: 'done' }): PassSummary {
  const plan: Plan = { stack: 'orders-api', targetTier: 'lambda', at: NOW, steps: steps.map(step) };
  const outcomes = Object.fromEntries(steps.map((id) => [id, outcome]));
  const result: ApplyResult = {
    outcomes,
    observation: { resources: {}, unknown: {} },
    settled: steps.every(() => outcome.status === 'done'),
    outOfTime: false,
  };
  const traffic: TrafficDecision = {
    planTier: 'lambda',
    planResources: 'all',
    weights: { lambda: 100, fargate: 0 },
    shift: { fargateWeight: 0 },
    phase: 'Lambda',
    reason: 'on Lambda',
    observed: { lambda: 100, fargate: 0 },
    weightless: false,
  };
  return {
    generation: 1,
    target: 'lambda',
    reason: 'mode lambda',
    traffic,
    plan,
    result,
    kinds: [],
    retries: {},
    calls: { total: 3, mutating: 1, byOperation: {} },
    startedAt: NOW,
    durationMs: 10,
    now: NOW,
  };
}

describe('buildStatus: Ready', () => {
  it.each([
    ['a pass that planned nothing', 'True', 'Settled', []],
    ['a pass whose every step was done', 'False', 'Progressing', ['update:lambda-function']],
  ])('%s: Ready=%s (%s)', (_name, status, reason, steps) => {
    const ready = buildStatus(summary(steps), undefined).conditions.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status, reason });
  });

  it('says that the next pass checks what was done', () => {
    const ready = buildStatus(summary(['create:vpc', 'create:subnet-a']), undefined).conditions.find(
      (c) => c.type === 'Ready',
    );
    expect(ready?.message).toBe('2 steps done; the next pass checks the result');
  });
});

describe('buildStatus: waiting steps', () => {
  it("lists each waiting step once, without AWS's full stop before the separator", () => {
    const pass = summary(['wait:lambda-function', 'wait:alb'], {
      status: 'waiting',
      reason: 'function Pending: The function is being created.',
    });
    const ready = buildStatus(pass, undefined).conditions.find((c) => c.type === 'Ready');
    expect(ready?.message).toBe(
      'wait:lambda-function: function Pending: The function is being created; ' +
        'wait:alb: function Pending: The function is being created',
    );
  });
});

describe("buildStatus: the traffic engine's verdict on weights", () => {
  it.each([true, false])('publishes weightless=%s for auto mode to read', (weightless) => {
    const pass = { ...summary([]), traffic: { ...summary([]).traffic, weightless } };
    expect(buildStatus(pass, undefined).weightless).toBe(weightless);
  });
});

describe("buildStatus: the decision's reason against the phase the pass reached", () => {
  // The pass that ends a move decided before it changed anything: where the move stood, then.
  const moving = 'mode auto: moving to Lambda (traffic back on it; draining, then deleting the Fargate tier)';
  const staying = 'mode auto: staying on Lambda';
  const endingTheMove = (phase: TrafficDecision['phase']): PassSummary => {
    const pass = summary([]);
    return { ...pass, reason: moving, settledReason: staying, traffic: { ...pass.traffic, phase } };
  };

  it("records the decider's own words for staying once the phase reached is the tier's settled one", () => {
    const status = buildStatus(endingTheMove('Lambda'), undefined);
    expect(status.phase).toBe('Lambda');
    expect(status.lastDecision?.reason).toBe(staying);
    expect(status.reason).toBe(`${staying}; on Lambda`);
  });

  it('records where the move stands while the phase is not the settled one yet', () => {
    const status = buildStatus(endingTheMove('ScalingDown'), undefined);
    expect(status.lastDecision?.reason).toBe(moving);
    expect(status.reason).toBe(`${moving}; on Lambda`);
  });
});

describe('buildStatus: Conflict', () => {
  const inTheWay = 'api.example.com. is owned by stack billing-api (us-east-1); it is left alone';

  it('names what is in the way once, keeps the phase, and is not Ready', () => {
    const pass = summary(['conflict:dns-lambda', 'conflict:dns-fargate'], {
      status: 'conflict',
      message: inTheWay,
    });
    const status = buildStatus(pass, undefined);
    expect(status.conditions.find((c) => c.type === 'Conflict')).toMatchObject({
      status: 'True',
      reason: 'NotOwned',
      message: inTheWay,
    });
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Conflict',
      message: inTheWay,
    });
    expect(status.phase).toBe('Lambda');
    expect(status.conditions.some((c) => c.type === 'Errors')).toBe(false);
  });

  it('is gone once nothing is in the way', () => {
    const before = buildStatus(
      summary(['conflict:dns-lambda'], { status: 'conflict', message: inTheWay }),
      undefined,
    );
    const after = buildStatus(summary([]), before);
    expect(after.conditions.some((c) => c.type === 'Conflict')).toBe(false);
  });
});

describe('requeueAfter', () => {
  it.each<[string, string[], StepOutcome, number | undefined]>([
    ['nothing planned: never', [], { status: 'done' }, undefined],
    ['every step done: soon, to observe again', ['update:service'], { status: 'done' }, CHECK_AFTER_APPLY_MS],
    ['a step waits', ['wait:alb'], { status: 'waiting', reason: 'provisioning' }, 15_000],
    [
      'something not ours is in the way',
      ['conflict:dns-lambda'],
      { status: 'conflict', message: 'x' },
      CONFLICT_RECHECK_MS,
    ],
  ])('%s', (_name, steps, outcome, expected) => {
    expect(requeueAfter(summary(steps, outcome).result, {}, NOW)).toBe(expected);
  });

  it('counts the requeue from the pass’s start, as the dispatcher does: it comes at the retry time', () => {
    const pass = summary(['create:tg'], { status: 'retryable', message: 'Throttling' });
    const retryAt = NOW + 40_000;
    // The pass took 12 s.
    const status = buildStatus(
      { ...pass, now: NOW + 12_000, retries: { 'create:tg': { attempts: 1, retryAt, lastError: 'x' } } },
      undefined,
    );
    expect(status.lastPass!.at + status.lastPass!.requeueAfterMs!).toBe(retryAt);
  });

  describe('a wait that says when its resource is usually ready', () => {
    const result = (outcomes: Record<string, StepOutcome>): ApplyResult => ({
      outcomes,
      observation: { resources: {}, unknown: {} },
      settled: false,
      outOfTime: false,
    });
    const provisioning = (until: number): StepOutcome => ({
      status: 'waiting',
      reason: 'ALB provisioning',
      until,
    });
    const blocked: StepOutcome = { status: 'blocked', reason: 'behind wait:alb' };

    it('comes back then, not every 15 s', () => {
      const outcomes = { 'wait:alb': provisioning(NOW + 170_000), 'create:listener-http': blocked };
      expect(requeueAfter(result(outcomes), {}, NOW)).toBe(170_000);
    });

    it('comes back in 15 s once that time is near or past', () => {
      expect(requeueAfter(result({ 'wait:alb': provisioning(NOW + 3_000) }), {}, NOW)).toBe(15_000);
      expect(requeueAfter(result({ 'wait:alb': provisioning(NOW - 60_000) }), {}, NOW)).toBe(15_000);
    });

    it('comes back in 15 s when another wait says nothing of when', () => {
      const outcomes = {
        'wait:alb': provisioning(NOW + 170_000),
        'wait:service': { status: 'waiting', reason: 'tasks starting' } as StepOutcome,
      };
      expect(requeueAfter(result(outcomes), {}, NOW)).toBe(15_000);
    });

    it('comes back for a step’s retry that is due sooner', () => {
      const outcomes = { 'wait:alb': provisioning(NOW + 170_000), 'create:tg': blocked };
      const retries = { 'create:tg': { attempts: 1, retryAt: NOW + 40_000, lastError: 'Throttling' } };
      expect(requeueAfter(result(outcomes), retries, NOW)).toBe(40_000);
    });
  });

  describe('a stack held by something not its own', () => {
    const result = (outcomes: Record<string, StepOutcome>): ApplyResult => ({
      outcomes,
      observation: { resources: {}, unknown: {} },
      settled: false,
      outOfTime: false,
    });
    const inTheWay: StepOutcome = { status: 'conflict', message: 'lf-orders-api-alb is not the stack’s' };
    const behind = (heldBy: string): StepOutcome => ({
      status: 'blocked',
      reason: `waits for ${heldBy}`,
      heldBy,
    });

    it('comes back at the conflict’s interval, not every 15 s, when every blocked step is held by it', () => {
      const outcomes = {
        'conflict:alb': inTheWay,
        'create:listener-http': behind('conflict:alb'),
        // Held through the listener: the chain's first step that is not blocked is the conflict.
        'create:service': behind('conflict:alb'),
      };
      expect(requeueAfter(result(outcomes), {}, NOW)).toBe(CONFLICT_RECHECK_MS);
    });

    it('comes back in 15 s when it also waits for something that moves on its own (a drain, tasks starting)', () => {
      const waiting: StepOutcome = { status: 'waiting', reason: 'tasks starting' };
      const outcomes = {
        'conflict:alb': inTheWay,
        'create:listener-http': behind('conflict:alb'),
        'wait:service': waiting,
        'update:scaling-target': behind('wait:service'),
      };
      expect(requeueAfter(result(outcomes), {}, NOW)).toBe(WAIT_REQUEUE_MS);
      // A step blocked behind a wait is a wait too, the wait itself aside.
      const onlyBlocked = { 'conflict:alb': inTheWay, 'update:scaling-target': behind('wait:service') };
      expect(requeueAfter(result(onlyBlocked), {}, NOW)).toBe(WAIT_REQUEUE_MS);
    });

    it('comes back at the sooner of the two: the conflict’s interval before a wait that says a later time', () => {
      const provisioning: StepOutcome = {
        status: 'waiting',
        reason: 'ALB provisioning',
        until: NOW + 170_000,
      };
      const outcomes = { 'conflict:dns-lambda': inTheWay, 'wait:alb': provisioning };
      expect(requeueAfter(result(outcomes), {}, NOW)).toBe(CONFLICT_RECHECK_MS);
    });

    it('comes back for a step’s retry due before the conflict’s interval', () => {
      const outcomes = {
        'conflict:alb': inTheWay,
        'create:tg': { status: 'retryable', message: 'Throttling' } as StepOutcome,
      };
      const retries = { 'create:tg': { attempts: 1, retryAt: NOW + 20_000, lastError: 'Throttling' } };
      expect(requeueAfter(result(outcomes), retries, NOW)).toBe(20_000);
    });
  });
});

describe('buildStatus: resources the stack forgot, still listed by the Tagging API', () => {
  const stillListed = { missed: [{ key: 'vpc', id: 'vpc-0abc', forgottenAt: NOW - 60_000 }], listed: true };

  it('is not Ready although the plan is empty, says why, and comes back soon', () => {
    const status = buildStatus({ ...summary([]), stillListed }, undefined);
    expect(status.phase).toBe('Lambda');
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Progressing',
      message: expect.stringMatching(/^vpc \(vpc-0abc\): forgotten .* Tagging API still lists it/),
    });
    expect(status.lastPass?.requeueAfterMs).toBe(WAIT_REQUEUE_MS);
    // Without them, the same pass is settled and does not come back by itself.
    const settled = buildStatus(summary([]), undefined);
    expect(settled.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(settled.lastPass?.requeueAfterMs).toBeUndefined();
  });

  it('comes back at the sooner of that and what the steps ask', () => {
    const applied = buildStatus({ ...summary(['delete:vpc']), stillListed }, undefined);
    expect(applied.lastPass?.requeueAfterMs).toBe(CHECK_AFTER_APPLY_MS);
  });
});
