import { emptyBookkeeping } from '../../reconciler/state/bookkeeping';
import type { StackRecord } from '../../reconciler/state/types';
import { PhaseHistory } from '../../sandbox/history';
import { CHART_MINUTES, dashboardView, type ViewInput } from '../../sandbox/view';
import type { MinuteLogEntry } from '../../simulation/traffic';
import { validateSpec } from '../../spec';

const START = Date.UTC(2026, 0, 1);

function entry(minute: number, overrides: Partial<MinuteLogEntry> = {}): MinuteLogEntry {
  // Unless told otherwise, every request sent to a tier reached it.
  const sent = { lambdaRequests: 600, fargateRequests: 0, ...overrides };
  return {
    lambdaReached: sent.lambdaRequests,
    fargateReached: sent.fargateRequests,
    minute,
    stack: 'orders-api',
    rps: 10,
    durationMs: 100,
    lambdaRequests: 600,
    fargateRequests: 0,
    tasks: 0,
    lambdaThrottled: 0,
    fargateOverCapacity: 0,
    unrouted: 0,
    cost: 0.01,
    ...overrides,
  };
}

function record(overrides: Partial<StackRecord> = {}): StackRecord {
  const validation = validateSpec({ stack: 'orders-api', image: 'example.com/orders:1', mode: 'auto' });
  if (!validation.ok) throw new Error('fixture spec is invalid');
  return {
    stack: 'orders-api',
    spec: validation.spec,
    generation: 1,
    version: 4,
    events: [],
    bookkeeping: emptyBookkeeping(),
    ...overrides,
  };
}

function input(overrides: Partial<ViewInput> = {}): ViewInput {
  return {
    stack: 'orders-api',
    record: record(),
    log: [entry(0), entry(1)],
    history: PhaseHistory.empty(),
    now: START + 2 * 60_000,
    minute: 2,
    startTime: START,
    speed: 60,
    rps: 10,
    command: (rest) => `lambdaflex --local ${rest}`,
    ...overrides,
  };
}

describe('dashboardView', () => {
  it('turns each logged minute into a chart point with the share of each tier and the phase seen', () => {
    const history = PhaseHistory.empty();
    history.record(1, 'ScalingUp');
    const view = dashboardView(
      input({ history, log: [entry(0), entry(1, { lambdaRequests: 450, fargateRequests: 150, tasks: 2 })] }),
    );
    expect(view.minutes).toEqual([
      {
        minute: 0,
        at: START,
        rps: 10,
        lambdaShare: 1,
        fargateShare: 0,
        unroutedShare: 0,
        tasks: 0,
        cost: 0.01,
      },
      {
        minute: 1,
        at: START + 60_000,
        rps: 10,
        lambdaShare: 0.75,
        fargateShare: 0.25,
        unroutedShare: 0,
        tasks: 2,
        phase: 'ScalingUp',
        cost: 0.01,
      },
    ]);
    expect(view.tasks).toBe(2);
  });

  it('counts requests sent to a tier that could not answer (the function gone) as reaching none', () => {
    // The simulated traffic logs them both as sent to Lambda and as unrouted.
    const log = [entry(0, { lambdaRequests: 600, unrouted: 600, lambdaReached: 0 })];
    const view = dashboardView(input({ log }));
    expect(view.minutes[0]).toMatchObject({ lambdaShare: 0, fargateShare: 0, unroutedShare: 1 });
    expect(view.traffic.served).toEqual({ lambda: 0, fargate: 0, unrouted: 1 });
  });

  it('counts requests that reached no tier apart', () => {
    const view = dashboardView(input({ log: [entry(0, { lambdaRequests: 0, unrouted: 600 })] }));
    expect(view.minutes[0]).toMatchObject({ lambdaShare: 0, fargateShare: 0, unroutedShare: 1 });
  });

  it('shows only the chart window of recent minutes, but costs every minute', () => {
    const log = Array.from({ length: CHART_MINUTES + 30 }, (_, minute) => entry(minute));
    const view = dashboardView(input({ log, minute: CHART_MINUTES + 30 }));
    expect(view.minutes).toHaveLength(CHART_MINUTES - 1);
    expect(view.cost.actual).toBeCloseTo(0.01 * log.length, 10);
  });

  it('prices the requests served in the same minutes on Lambda alone as the yardstick', () => {
    const view = dashboardView(input());
    expect(view.cost.alwaysLambda).toBeGreaterThan(0);
    const doubled = entry(0, { rps: 20, lambdaRequests: 900, fargateRequests: 300 });
    expect(dashboardView(input({ log: [doubled] })).cost.alwaysLambda).toBeCloseTo(
      dashboardView(input({ log: [entry(0), entry(1)] })).cost.alwaysLambda,
      10,
    );
  });

  it('says where traffic goes as status does (the Route 53 weights), and what the last minute served', () => {
    const status = { observedGeneration: 1, phase: 'ScalingUp' as const, conditions: [], resources: {} };
    const withDns = record({
      spec: { ...(record().spec as object), dns: { hostedZoneId: 'Z1', recordName: 'api.example.test' } },
      status: { ...status, traffic: { lambda: 90, fargate: 10 } },
    });
    const log = [entry(0), entry(1, { lambdaRequests: 540, fargateRequests: 60 })];
    const view = dashboardView(input({ record: withDns, log }));
    expect(view.traffic).toEqual({
      line: 'Lambda 90 % · Fargate 10 % (Route 53 weights of api.example.test)',
      weights: { lambda: 90, fargate: 10 },
      served: { lambda: 0.9, fargate: 0.1, unrouted: 0 },
    });
    expect(view.shares).toEqual({ lambda: 0.9, fargate: 0.1 });
    expect(view.phase).toBe('ScalingUp');
  });

  it('without a domain claims no weights: the bar shows what was served, as the chart does', () => {
    // The reconciler's intended split is all Fargate, but with no record to weight, clients call the API.
    const status = {
      observedGeneration: 1,
      phase: 'Fargate' as const,
      conditions: [],
      resources: {},
      traffic: { lambda: 0, fargate: 100 },
    };
    const view = dashboardView(input({ record: record({ status }) }));
    expect(view.traffic.line).toMatch(/^no custom domain, so no weights to move/);
    expect(view.traffic.weights).toBeUndefined();
    expect(view.shares).toEqual({ lambda: 1, fargate: 0 });
  });

  it('after a delete: phase Deleted, nothing served by the stack, nothing costs; what it cost said apart', () => {
    const log = [entry(0), entry(1, { lambdaRequests: 0, unrouted: 600, cost: 0 })];
    const view = dashboardView(input({ record: undefined, log }));
    expect(view).toMatchObject({ phase: 'Deleted', shares: { lambda: 0, fargate: 0 } });
    expect(view.traffic.line).toBe('nothing: the stack was deleted');
    expect(view.cost).toEqual({ actual: 0, alwaysLambda: 0, compared: false, deletedStack: 0.01 });
    // The last record seen still gives the events.
    const events = [
      { at: START, type: 'Normal' as const, reason: 'PhaseChanged', message: 'Deleting → gone' },
    ];
    const kept = dashboardView(input({ record: undefined, lastRecord: record({ events }), log }));
    expect(kept.events.map((e) => e.message)).toEqual(['Deleting → gone']);
    expect(kept.phase).toBe('Deleted');
  });

  it("counts the costs of the record's life only: a stack deleted and made again not the old one's", () => {
    const log = [
      entry(0, { cost: 0.5, fargateRequests: 600, tasks: 2 }),
      entry(1, { cost: 0 }),
      entry(2),
      entry(3),
    ];
    const view = dashboardView(input({ log, lifeFrom: 2, minute: 4, now: START + 4 * 60_000 }));
    expect(view.cost.actual).toBeCloseTo(0.02, 10);
    // Priced over the same minutes, and on Lambda all along in them: no saving claimed.
    const alone = dashboardView(input({ log: [entry(2), entry(3)], minute: 4, now: START + 4 * 60_000 }));
    expect(view.cost.alwaysLambda).toBeCloseTo(alone.cost.alwaysLambda, 10);
    expect(view.cost.compared).toBe(false);
    // The chart still shows the window's every minute.
    expect(view.minutes.map((m) => m.minute)).toEqual([0, 1, 2, 3]);
    // Once deleted, what the last record cost while it existed.
    const gone = dashboardView(input({ record: undefined, log, lifeFrom: 2, minute: 4 }));
    expect(gone.cost.deletedStack).toBeCloseTo(0.02, 10);
  });

  it('claims no saving for a run that never left Lambda', () => {
    const view = dashboardView(input({ log: [entry(0, { unrouted: 60, lambdaRequests: 540 }), entry(1)] }));
    expect(view.cost.compared).toBe(false);
    const mixed = dashboardView(input({ log: [entry(0), entry(1, { fargateRequests: 300, tasks: 1 })] }));
    expect(mixed.cost.compared).toBe(true);
  });

  it('gives auto mode’s thresholds for the chart', () => {
    expect(dashboardView(input()).thresholds).toEqual({ scaleUp: 7, scaleDown: 3 });
  });

  it('reads a teardown’s expected waits as progress, collapsed, and lists resources with their state', () => {
    const retry = {
      type: 'Warning' as const,
      reason: 'Retrying',
      message:
        'deleting AWS::EC2::SecurityGroup (sg-tasks): DependencyViolation: resource sg-1 has a dependent object',
    };
    const events = [START + 1, START + 2, START + 3].map((at) => ({ at, ...retry }));
    const lastPlan = {
      at: 0,
      targetTier: 'none',
      steps: [
        { id: 'delete:sg-tasks', reason: 'x', outcome: { status: 'retryable', message: retry.message } },
        {
          id: 'delete:vpc',
          reason: 'x',
          outcome: { status: 'blocked', reason: 'waits for delete:sg-tasks' },
        },
      ],
    };
    const status = {
      observedGeneration: 1,
      phase: 'Deleting' as const,
      conditions: [],
      lastPlan,
      resources: {
        'sg-tasks': { kind: 'AWS::EC2::SecurityGroup', id: 'sg-1' },
        vpc: { kind: 'AWS::EC2::VPC', id: 'vpc-1', state: 'available' },
      },
    };
    const view = dashboardView(input({ record: record({ events, status, deletionRequestedAt: START }) }));
    expect(view.events).toEqual([
      {
        at: START + 3,
        type: 'Progress',
        reason: 'Waiting',
        message: 'AWS is still releasing network interfaces; sg-tasks waits (DependencyViolation, retried)',
        count: 3,
      },
    ]);
    // In the kinds' order (the network first), as `status` lists them.
    expect(view.resources).toEqual([
      { key: 'vpc', kind: 'AWS::EC2::VPC', id: 'vpc-1', state: 'deleting' },
      { key: 'sg-tasks', kind: 'AWS::EC2::SecurityGroup', id: 'sg-1', state: 'deleting' },
    ]);
    expect(view.problems).toEqual([]);
    expect(view.deletionRequested).toBe(true);
  });

  it('gives the mode and version a conditional mode change needs, newest events first, and problems', () => {
    const events = [1, 2, 3].map((n) => ({
      at: START + n,
      type: 'Normal' as const,
      reason: 'R',
      message: `e${n}`,
    }));
    const conditions = [
      { type: 'Ready', status: 'False' as const, reason: 'Progressing', message: 'x', lastTransitionTime: 0 },
      {
        type: 'Errors',
        status: 'False' as const,
        reason: 'Retrying',
        message: 'Route 53 busy',
        lastTransitionTime: 0,
      },
    ];
    const status = { observedGeneration: 1, phase: 'Lambda' as const, conditions, resources: {} };
    const view = dashboardView(input({ record: record({ events, status }) }));
    expect(view).toMatchObject({ mode: 'auto', version: 4, generation: 1 });
    expect(view.events.map((e) => e.message)).toEqual(['e3', 'e2', 'e1']);
    expect(view.problems).toEqual(['retrying: Route 53 busy']);
  });

  it("shows the record's incarnation beside its generation, and none for a record without one", () => {
    const view = dashboardView(input({ record: record({ incarnation: '9f2c4e1a7b3d' }) }));
    expect(view).toMatchObject({ generation: 1, incarnation: '9f2c4e1a7b3d' });
    // A record created before incarnations: the mode change is then based on the generation alone.
    expect(dashboardView(input())).not.toHaveProperty('incarnation');
    expect(dashboardView(input({ record: undefined }))).not.toHaveProperty('incarnation');
  });

  it('says NoRecord before the stack exists, and Lambda-only traffic before any minute', () => {
    const view = dashboardView(input({ record: undefined, log: [] }));
    expect(view).toMatchObject({ phase: 'NoRecord', shares: { lambda: 0, fargate: 0 }, tasks: 0 });
    expect(view.cost).toEqual({ actual: 0, alwaysLambda: 0, compared: false });
    expect(view.mode).toBeUndefined();
  });
});

describe('dashboardView: a deletion mark edited by hand into no time', () => {
  it("is no deletion, and its problems say the stack is held, why and what to do (the folder's command)", () => {
    const view = dashboardView(input({ record: record({ unreadableDeletionMark: 'null' }) }));
    expect(view.deletionRequested).toBe(false);
    expect(view.problems).toEqual([
      expect.stringMatching(
        /^deletionRequestedAt: null is not a deletion request .*so the stack is held.*`lambdaflex --local delete orders-api`/,
      ),
    ]);
  });
});
