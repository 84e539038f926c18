import { simulateTrace, type SimulationResult } from '../../../simulation/simulate';
import { moveDurations, phaseTransitions } from '../../../simulation/simulate/measure';
import type { Trace } from '../../../simulation/traffic';
import type { DesiredStateInput } from '../../../spec/types';

const SPEC: DesiredStateInput = {
  stack: 'shop',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1',
  mode: 'auto',
  fargate: { cpu: 256, memoryMb: 512, minTasks: 1, maxTasks: 4, targetRequestsPerTask: 100 },
};

/** An hour: quiet, a long busy stretch that is worth Fargate, quiet again. */
function hour(): Trace {
  const rps = (minute: number) => (minute >= 5 && minute < 40 ? 150 : 0.5);
  return { rows: Array.from({ length: 60 }, (_, minute) => ({ minute, rps: rps(minute), durationMs: 100 })) };
}

describe('simulateTrace', () => {
  let result: SimulationResult;
  const passes: { minute: number; phase?: string; reason?: string }[] = [];
  beforeAll(async () => {
    result = await simulateTrace({
      trace: hour(),
      spec: SPEC,
      seed: 3,
      onPass: (minute, status) =>
        passes.push({ minute, phase: status?.phase, reason: status?.lastDecision?.reason }),
    });
  }, 60_000);

  it('hands every pass’s status to onPass, in order: the decisions minute by minute', () => {
    expect(passes.map((p) => p.minute)).toEqual(result.timeline.map((e) => e.minute));
    expect(passes.map((p) => p.phase)).toEqual(result.timeline.map((e) => e.phase));
    expect(passes.every((p) => typeof p.reason === 'string' && p.reason.length > 0)).toBe(true);
  });

  it('marks the minutes that broke the SLO in the timeline, as many as it counts', () => {
    const marked = result.timeline.filter((e) => e.sloViolated === true);
    expect(marked).toHaveLength(result.sloViolationMinutes);
  });

  it('reports every minute of the trace, in order, with the trace’s demand', () => {
    expect(result.minutes).toBe(60);
    expect(result.timeline).toHaveLength(60);
    result.timeline.forEach((entry, minute) => {
      expect(entry.minute).toBe(minute);
      expect(entry.rps).toBe(hour().rows[minute]!.rps);
      expect(entry.fargateShare).toBeGreaterThanOrEqual(0);
      expect(entry.fargateShare).toBeLessThanOrEqual(1);
      expect(['Lambda', 'ScalingUp', 'Fargate', 'ScalingDown']).toContain(entry.phase);
    });
  });

  it('prices the run from the cost meter: the timeline adds up to the total, the tiers too', () => {
    const timelineSum = result.timeline.reduce((sum, e) => sum + e.cost, 0);
    expect(timelineSum).toBeCloseTo(result.cost.total, 4);
    expect(result.cost.lambda + result.cost.fargate).toBeCloseTo(result.cost.total, 5);
    expect(result.cost.total).toBeGreaterThan(0);
  });

  it('prices the three yardsticks, the oracle with the move times it used', () => {
    const { alwaysLambda, alwaysFargate, oracle } = result.baselines;
    for (const b of [alwaysLambda, alwaysFargate, oracle]) {
      expect(b.cost).toBeGreaterThan(0);
      expect(Number.isInteger(b.sloViolationMinutes)).toBe(true);
    }
    expect(oracle.cost).toBeLessThanOrEqual(alwaysLambda.cost + 1e-9);
    const measuredUp = result.scaleUpMinutes;
    if (measuredUp.length > 0)
      expect(oracle.scaleUpMinutes).toBeCloseTo(measuredUp.reduce((a, b) => a + b) / measuredUp.length);
    else expect(oracle.scaleUpMinutes).toBe(6);
  });

  it('moves the busy stretch to Fargate and measures the scale-up', () => {
    expect(result.timeline.some((e) => e.phase === 'Fargate' && e.fargateShare === 1)).toBe(true);
    expect(result.scaleUpMinutes).toHaveLength(1);
    expect(result.baselines.oracle.scaleUpMinutes).toBe(result.scaleUpMinutes[0]);
    expect(result.unroutedMinutes).toBe(0);
  });

  it('lists phase changes that agree with the timeline', () => {
    let phase = result.timeline[0]!.phase;
    const seen = result.timeline.flatMap((e) => {
      const changed = e.phase !== phase;
      phase = e.phase;
      return changed ? [e.minute] : [];
    });
    const listed = result.transitions.map((t) => t.minute).filter((m) => m > 0);
    expect(listed).toEqual(seen);
    for (const t of result.transitions) expect(t.from).not.toBe(t.to);
    expect(result.sloViolationMinutes).toBeLessThanOrEqual(60);
  });
});

describe('phaseTransitions and moveDurations', () => {
  it('measures a move from entering it to arriving, and leaves out a move that turned back', () => {
    const snapshots = [
      { minute: 0, phase: 'Lambda' as const, reason: '' },
      { minute: 1, phase: 'ScalingUp' as const, reason: 'up' },
      { minute: 6, phase: 'Fargate' as const, reason: 'ready' },
      { minute: 20, phase: 'ScalingDown' as const, reason: 'down' },
      { minute: 27, phase: 'Lambda' as const, reason: 'gone' },
      { minute: 30, phase: 'ScalingUp' as const, reason: 'up' },
      { minute: 32, phase: 'Lambda' as const, reason: 'rollback' },
    ];
    const transitions = phaseTransitions('Lambda', snapshots);
    expect(transitions.map((t) => `${t.minute}:${t.from}>${t.to}`)).toEqual([
      '1:Lambda>ScalingUp',
      '6:ScalingUp>Fargate',
      '20:Fargate>ScalingDown',
      '27:ScalingDown>Lambda',
      '30:Lambda>ScalingUp',
      '32:ScalingUp>Lambda',
    ]);
    expect(moveDurations(transitions, 'ScalingUp', 'Fargate')).toEqual([5]);
    expect(moveDurations(transitions, 'ScalingDown', 'Lambda')).toEqual([7]);
  });
});

describe('simulateTrace on a Lambda that throttles', () => {
  it('marks the throttled minutes in the timeline, as many as it counts', async () => {
    // 150 rps of 100 ms need 15 concurrent executions; the function may run 5.
    const trace: Trace = {
      rows: Array.from({ length: 12 }, (_, minute) => ({ minute, rps: 150, durationMs: 100 })),
    };
    const spec = { ...SPEC, lambda: { memoryMb: 512, reservedConcurrency: 5 } };
    const result = await simulateTrace({ trace, spec, seed: 3 });
    const marked = result.timeline.filter((e) => e.sloViolated === true).map((e) => e.minute);
    expect(result.sloViolationMinutes).toBeGreaterThan(0);
    expect(marked).toHaveLength(result.sloViolationMinutes);
    // The first minutes are on Lambda, throttled.
    expect(marked[0]).toBe(0);
  }, 60_000);

  it('simulates a spec reserving more than the default ceiling, as an installation allowing it would run it', async () => {
    // 150 rps of 100 ms need 15 concurrent executions: 300 reserved carry them.
    const trace: Trace = {
      rows: Array.from({ length: 5 }, (_, minute) => ({ minute, rps: 150, durationMs: 100 })),
    };
    const spec = { ...SPEC, mode: 'lambda' as const, lambda: { memoryMb: 512, reservedConcurrency: 300 } };
    const result = await simulateTrace({ trace, spec, seed: 3 });
    expect(result.passErrors).toEqual([]);
    expect(result.timeline.map((e) => e.phase)).toEqual(['Lambda', 'Lambda', 'Lambda', 'Lambda', 'Lambda']);
    expect(result.sloViolationMinutes).toBe(0);
  }, 60_000);
});
