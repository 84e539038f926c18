import { validateSpec } from '../../spec';
import { alwaysFargate, alwaysLambda, oracle } from '../../simulation/policy';
import type { Trace } from '../../simulation/traffic';
import {
  beforeRow,
  comparisonLines,
  parseAfterRows,
  parseOldRun,
  yardstickDrift,
  type AfterRow,
} from '../../bench/traces-compare';
import { TARGET, meetsTarget, moveGaps, movesStarted } from '../../bench/traces-targets';

const validated = validateSpec({ stack: 'web', image: 'public.ecr.aws/example/web:1', mode: 'auto' });
if (!validated.ok) throw new Error('test spec invalid');
const spec = validated.spec;
const cooldown = spec.thresholds.cooldownMinutes;

/** An hour at 1 rps, then an hour at 300 rps, then an hour at 1 rps: a move up and one down pay. */
const trace: Trace = {
  rows: Array.from({ length: 180 }, (_, minute) => ({
    minute,
    rps: minute >= 60 && minute < 120 ? 300 : 1,
    durationMs: 100,
  })),
};

function oldDoc(overrides: { cost?: number; slo?: number; lambda?: number; fargate?: number } = {}) {
  return {
    stack: 'web',
    minutes: 180,
    cost: { total: overrides.cost ?? 1.5, lambda: 1, fargate: 0.5 },
    sloViolationMinutes: overrides.slo ?? 2,
    transitions: [
      { minute: 63, from: 'Lambda', to: 'ScalingUp', reason: 'up' },
      { minute: 69, from: 'ScalingUp', to: 'Fargate', reason: 'ready' },
      { minute: 125, from: 'Fargate', to: 'ScalingDown', reason: 'down' },
      { minute: 131, from: 'ScalingDown', to: 'Lambda', reason: 'gone' },
    ],
    scaleUpMinutes: [6],
    scaleDownMinutes: [6],
    baselines: {
      alwaysLambda: { cost: overrides.lambda ?? 2, sloViolationMinutes: 0 },
      alwaysFargate: { cost: overrides.fargate ?? 1.2, sloViolationMinutes: 0 },
      oracle: { cost: 1.1, sloViolationMinutes: 0, scaleUpMinutes: 6, scaleDownMinutes: 6 },
    },
    timeline: [],
  };
}

const run = { cost: 1, optimum: 1, cheaperFixed: 1, slo: 0, optimumSlo: 0, gaps: [] as number[] };

describe('meetsTarget: the bench targets as rules on a run', () => {
  it('holds cost to 1.10 × the optimum and 1.05 × the cheaper fixed tier, at the bound and past it', () => {
    expect(meetsTarget(TARGET.smoothCost, { ...run, cost: 1.1 }, cooldown)).toBe(true);
    expect(meetsTarget(TARGET.smoothCost, { ...run, cost: 1.1001 }, cooldown)).toBe(false);
    expect(meetsTarget(TARGET.burstCost, { ...run, cost: 1.05 }, cooldown)).toBe(true);
    expect(meetsTarget(TARGET.burstCost, { ...run, cost: 1.0501 }, cooldown)).toBe(false);
  });

  it('holds SLO minutes to the optimum’s and moves to one a cooldown window', () => {
    expect(meetsTarget(TARGET.slo, { ...run, slo: 3, optimumSlo: 3 }, cooldown)).toBe(true);
    expect(meetsTarget(TARGET.slo, { ...run, slo: 4, optimumSlo: 3 }, cooldown)).toBe(false);
    expect(meetsTarget(TARGET.moves(cooldown), { ...run, gaps: [cooldown, 50] }, cooldown)).toBe(true);
    expect(meetsTarget(TARGET.moves(cooldown), { ...run, gaps: [50, cooldown - 1] }, cooldown)).toBe(false);
  });

  it('refuses a target it has no rule for instead of passing it', () => {
    expect(() => meetsTarget('≤ 1.20 × opt', run, cooldown)).toThrow(/no rule for the target '≤ 1.20 × opt'/);
    // The moves target of another cooldown is another target.
    expect(() => meetsTarget(TARGET.moves(cooldown + 5), run, cooldown)).toThrow(/no rule/);
  });

  it('counts moves and the minutes between their starts, not their ends', () => {
    const transitions = oldDoc().transitions;
    expect(moveGaps(transitions)).toEqual([125 - 63]);
    expect(movesStarted(transitions)).toEqual({ ups: 1, downs: 1 });
  });
});

describe('parseOldRun', () => {
  it('reads the cost, SLO minutes, moves and yardsticks of a simulate --json document', () => {
    const old = parseOldRun(oldDoc());
    expect(old).toEqual({
      minutes: 180,
      cost: 1.5,
      slo: 2,
      transitions: oldDoc().transitions.map(({ minute, to }) => ({ minute, to })),
      alwaysLambda: 2,
      alwaysFargate: 1.2,
      oracle: { cost: 1.1, sloViolationMinutes: 0, scaleUpMinutes: 6, scaleDownMinutes: 6 },
    });
  });

  it('names the field that is missing or not a number', () => {
    const doc = oldDoc() as Record<string, unknown>;
    const baselines = doc.baselines as Record<string, unknown>;
    delete baselines.alwaysFargate;
    expect(() => parseOldRun(doc, 'spike.json')).toThrow(
      'reading spike.json: baselines.alwaysFargate.cost must be a number, got undefined',
    );
    expect(() => parseOldRun({ ...oldDoc(), cost: { total: '1' } })).toThrow(/cost\.total must be a number/);
    expect(() => parseOldRun({ ...oldDoc(), transitions: [{ minute: 3 }] })).toThrow(
      /transitions\.0\.to must be a phase/,
    );
  });
});

describe('beforeRow', () => {
  const targets = [TARGET.slo, TARGET.moves(cooldown), TARGET.smoothCost, TARGET.wall];

  it('prices the optimum with this commit’s oracle and the old run’s moves, the fixed tiers from the old run', () => {
    const row = beforeRow({ name: 't', family: 'public', trace }, spec, parseOldRun(oldDoc()), targets);
    const best = oracle(trace, spec, { scaleUpMinutes: 6, scaleDownMinutes: 6, start: 'Lambda' });
    expect(row.optimum).toBe(best.cost);
    expect(row.optimumSlo).toBe(best.sloViolationMinutes);
    // The old run's own baselines, not this commit's: each ratio compares like with like.
    expect(row.cheaperFixed).toBe(1.2);
    expect(row.yardsticks.alwaysLambda).toEqual({ old: 2, now: alwaysLambda(trace, spec).cost });
    expect(row.yardsticks.alwaysFargate).toEqual({ old: 1.2, now: alwaysFargate(trace, spec).cost });
    expect(row.yardsticks.optimum).toEqual({ old: 1.1, now: best.cost });
    expect({ ups: row.ups, downs: row.downs, closestMoves: row.closestMoves }).toEqual({
      ups: 1,
      downs: 1,
      closestMoves: 62,
    });
  });

  it('judges the trace’s targets on the old run’s numbers, the wall time left out', () => {
    const best = oracle(trace, spec, { scaleUpMinutes: 6, scaleDownMinutes: 6, start: 'Lambda' });
    const within = beforeRow(
      { name: 't', family: 'public', trace },
      spec,
      parseOldRun(oldDoc({ cost: best.cost * 1.09, slo: best.sloViolationMinutes })),
      targets,
    );
    expect(within.targets).toEqual([
      { what: TARGET.slo, ok: true },
      { what: TARGET.moves(cooldown), ok: true },
      { what: TARGET.smoothCost, ok: true },
    ]);
    const over = beforeRow(
      { name: 't', family: 'public', trace },
      spec,
      parseOldRun(oldDoc({ cost: best.cost * 1.11, slo: best.sloViolationMinutes + 1 })),
      targets,
    );
    expect(over.targets.filter((t) => !t.ok).map((t) => t.what)).toEqual([TARGET.slo, TARGET.smoothCost]);
  });

  it('refuses an old run of another length than the trace', () => {
    const doc = { ...oldDoc(), minutes: 120 };
    expect(() => beforeRow({ name: 'spike', family: 'public', trace }, spec, parseOldRun(doc), [])).toThrow(
      'spike: the old run has 120 minutes, the trace 180',
    );
  });
});

describe('comparisonLines', () => {
  const best = oracle(trace, spec, { scaleUpMinutes: 6, scaleDownMinutes: 6, start: 'Lambda' });
  const before = beforeRow(
    { name: 'ramp-1', family: 'ramp', trace },
    spec,
    parseOldRun(oldDoc({ cost: best.cost * 1.2, slo: 2, fargate: best.cost })),
    [TARGET.slo, TARGET.smoothCost],
  );
  const after: AfterRow = {
    name: 'ramp-1',
    family: 'ramp',
    cost: best.cost * 1.05,
    optimum: best.cost,
    cheaperFixed: best.cost * 2,
    slo: 0,
    optimumSlo: 0,
    ups: 1,
    downs: 1,
    targets: [
      { what: TARGET.slo, ok: true },
      { what: TARGET.smoothCost, ok: true },
      { what: TARGET.wall, ok: false },
    ],
  };

  it('writes each trace before → after and counts the targets met, the wall time left out', () => {
    expect(best.sloViolationMinutes).toBe(0);
    const lines = comparisonLines([before], [after]);
    expect(lines[2]).toBe(
      '| ramp-1 | 1.200 → 1.050 | 1.200 → 0.525 | 2 (0) → 0 (0) | 1/1 → 1/1 | 0/2 (SLO, 1.10×opt) → 2/2 |',
    );
    expect(lines).toContain(`| ${TARGET.slo} | 0 of 1 | 1 of 1 |`);
    expect(lines).toContain(`| ${TARGET.smoothCost} | 0 of 1 | 1 of 1 |`);
    expect(lines.at(-1)).toBe('| all | 0 of 2 | 2 of 2 |');
  });

  it('refuses a before row the bench rows do not have', () => {
    expect(() => comparisonLines([before], [{ ...after, name: 'ramp-11' }])).toThrow(
      /ramp-1: no row of that name/,
    );
  });
});

describe('parseAfterRows and yardstickDrift', () => {
  it('names the row and field of a bench row that does not read', () => {
    expect(() => parseAfterRows([{ name: 'spike', family: 'public', targets: [] }], 'after.json')).toThrow(
      'reading after.json, spike: cost must be a number, got undefined',
    );
    expect(() => parseAfterRows({ rows: [] })).toThrow(/must be an array of rows/);
  });

  it('is 0 where the old yardsticks are this commit’s and the relative difference where not', () => {
    const row = beforeRow({ name: 't', family: 'public', trace }, spec, parseOldRun(oldDoc()), []);
    const same = {
      ...row,
      yardsticks: {
        alwaysLambda: { old: 2, now: 2 },
        alwaysFargate: { old: 1, now: 1 },
        optimum: { old: 1, now: 1 },
      },
    };
    expect(yardstickDrift([same])).toEqual({ alwaysLambda: 0, alwaysFargate: 0, optimum: 0 });
    const off = { ...same, yardsticks: { ...same.yardsticks, alwaysFargate: { old: 1.1, now: 1 } } };
    expect(yardstickDrift([same, off]).alwaysFargate).toBeCloseTo(0.1, 10);
  });
});
