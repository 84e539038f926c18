import { emptyBookkeeping } from '../../reconciler/state/bookkeeping';
import type { StackRecord } from '../../reconciler/state/types';
import { PhaseHistory } from '../../sim/sandbox/history';
import { CHART_MINUTES, dashboardView, type ViewInput } from '../../sim/sandbox/view';
import type { MinuteLogEntry } from '../../sim/traffic';
import { validateSpec } from '../../spec';

const START = Date.UTC(2026, 0, 1);

function entry(minute: number, overrides: Partial<MinuteLogEntry> = {}): MinuteLogEntry {
  return {
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

  it('prices the same minutes on Lambda alone as the yardstick', () => {
    const view = dashboardView(input());
    expect(view.cost.alwaysLambda).toBeGreaterThan(0);
    expect(dashboardView(input({ log: [entry(0, { rps: 20 })] })).cost.alwaysLambda).toBeCloseTo(
      dashboardView(input({ log: [entry(0), entry(1)] })).cost.alwaysLambda,
      10,
    );
  });

  it('reads where traffic goes from the Route 53 weights in the status, as shares', () => {
    const status = { observedGeneration: 1, phase: 'ScalingUp' as const, conditions: [], resources: {} };
    const view = dashboardView(
      input({ record: record({ status: { ...status, traffic: { lambda: 90, fargate: 10 } } }) }),
    );
    expect(view.shares).toEqual({ lambda: 0.9, fargate: 0.1 });
    expect(view.phase).toBe('ScalingUp');
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
    expect(view.problems).toEqual(['Retrying: Route 53 busy']);
  });

  it('says NoRecord before the stack exists, and Lambda-only traffic before any minute', () => {
    const view = dashboardView(input({ record: undefined, log: [] }));
    expect(view).toMatchObject({ phase: 'NoRecord', shares: { lambda: 1, fargate: 0 }, tasks: 0 });
    expect(view.cost).toEqual({ actual: 0, alwaysLambda: 0 });
    expect(view.mode).toBeUndefined();
  });
});
