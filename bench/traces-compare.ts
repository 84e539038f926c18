/**
 * The traces bench's rows for a run of another commit's `lambdaflex simulate --json` (the policy as it
 * was before a change), beside the bench's own rows (its TRACES_JSON): what bench/traces-before.ts
 * prints. Pure: the runs come in as parsed JSON.
 *
 * A before row is measured as the bench measures its runs: cost ÷ the offline optimum, computed by this
 * commit's oracle with the move durations the old run measured (as the bench does with its own run's);
 * cost ÷ the cheaper fixed tier, both baselines taken from the old run itself (like with like); SLO
 * minutes against the optimum's; the moves started; and the targets the bench held the trace to, judged
 * by the same rules (traces-targets.ts). Beside them, the old run's yardsticks against this commit's on
 * the same trace, so that a change of the cost model between the commits shows.
 */
import type { DesiredState } from '../spec/types';
import { alwaysFargate, alwaysLambda, oracle } from '../simulation/policy';
import type { Trace } from '../simulation/traffic';
import { TARGET, meetsTarget, moveGaps, movesStarted, type MoveTransition } from './traces-targets';

/** The fields of an old `simulate --json` document that the table reads. */
export interface OldRun {
  minutes: number;
  cost: number;
  slo: number;
  transitions: MoveTransition[];
  alwaysLambda: number;
  alwaysFargate: number;
  /** The old run's own optimum and the move durations it was priced with. */
  oracle: { cost: number; sloViolationMinutes: number; scaleUpMinutes: number; scaleDownMinutes: number };
}

/** The fields of a bench row (bench/traces.bench.ts TraceRow, as TRACES_JSON writes it) the table reads. */
export interface AfterRow {
  name: string;
  family: string;
  cost: number;
  optimum: number;
  cheaperFixed: number;
  slo: number;
  optimumSlo: number;
  ups: number;
  downs: number;
  targets: { what: string; ok: boolean }[];
}

export interface BeforeRow {
  name: string;
  family: string;
  minutes: number;
  cost: number;
  optimum: number;
  optimumSlo: number;
  cheaperFixed: number;
  slo: number;
  ups: number;
  downs: number;
  /** Shortest time between two moves started (minutes), if there were two. */
  closestMoves?: number;
  targets: { what: string; ok: boolean }[];
  /** The old run's yardsticks (`old`) against this commit's on the same trace and moves (`now`), USD. */
  yardsticks: Record<'alwaysLambda' | 'alwaysFargate' | 'optimum', { old: number; now: number }>;
}

type Json = Record<string, unknown>;

function field(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

function numberAt(doc: unknown, path: string, what: string): number {
  const value = field(doc, path);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`reading ${what}: ${path} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The old run's numbers, or an error naming the field that is missing or of the wrong type. */
export function parseOldRun(doc: unknown, what = 'a simulate --json document'): OldRun {
  const transitions = field(doc, 'transitions');
  if (!Array.isArray(transitions)) throw new Error(`reading ${what}: transitions must be an array`);
  const moves = transitions.map((t: unknown, i) => {
    const to = field(t, 'to');
    if (typeof to !== 'string') throw new Error(`reading ${what}: transitions.${i}.to must be a phase`);
    return { minute: numberAt(t, 'minute', `${what}, transitions.${i}`), to };
  });
  return {
    minutes: numberAt(doc, 'minutes', what),
    cost: numberAt(doc, 'cost.total', what),
    slo: numberAt(doc, 'sloViolationMinutes', what),
    transitions: moves,
    alwaysLambda: numberAt(doc, 'baselines.alwaysLambda.cost', what),
    alwaysFargate: numberAt(doc, 'baselines.alwaysFargate.cost', what),
    oracle: {
      cost: numberAt(doc, 'baselines.oracle.cost', what),
      sloViolationMinutes: numberAt(doc, 'baselines.oracle.sloViolationMinutes', what),
      scaleUpMinutes: numberAt(doc, 'baselines.oracle.scaleUpMinutes', what),
      scaleDownMinutes: numberAt(doc, 'baselines.oracle.scaleDownMinutes', what),
    },
  };
}

/** The bench's rows (TRACES_JSON), or an error naming the row and field that do not read. */
export function parseAfterRows(doc: unknown, what = 'the bench rows'): AfterRow[] {
  if (!Array.isArray(doc)) throw new Error(`reading ${what}: must be an array of rows`);
  return doc.map((row: unknown, i) => {
    const name = field(row, 'name');
    const family = field(row, 'family');
    const targets = field(row, 'targets');
    if (typeof name !== 'string' || typeof family !== 'string') {
      throw new Error(`reading ${what}: row ${i} must have a name and a family`);
    }
    if (!Array.isArray(targets)) throw new Error(`reading ${what}: ${name}.targets must be an array`);
    const of = `${what}, ${name}`;
    return {
      name,
      family,
      cost: numberAt(row, 'cost', of),
      optimum: numberAt(row, 'optimum', of),
      cheaperFixed: numberAt(row, 'cheaperFixed', of),
      slo: numberAt(row, 'slo', of),
      optimumSlo: numberAt(row, 'optimumSlo', of),
      ups: numberAt(row, 'ups', of),
      downs: numberAt(row, 'downs', of),
      targets: targets.map((t: unknown, j) => {
        const target = field(t, 'what');
        const ok = field(t, 'ok');
        if (typeof target !== 'string' || typeof ok !== 'boolean') {
          throw new Error(`reading ${of}: targets.${j} must have a what and an ok`);
        }
        return { what: target, ok };
      }),
    };
  });
}

/**
 * The before row of one trace: the old run measured as the bench measures its own, held to the targets
 * `targets` (the bench's for this trace, the wall time left out: an old run's wall time says nothing of
 * its policy).
 */
export function beforeRow(
  c: { name: string; family: string; trace: Trace },
  spec: DesiredState,
  old: OldRun,
  targets: readonly string[],
): BeforeRow {
  if (old.minutes !== c.trace.rows.length) {
    throw new Error(`${c.name}: the old run has ${old.minutes} minutes, the trace ${c.trace.rows.length}`);
  }
  const cooldown = spec.thresholds.cooldownMinutes;
  const { scaleUpMinutes, scaleDownMinutes } = old.oracle;
  const best = oracle(c.trace, spec, { scaleUpMinutes, scaleDownMinutes, start: 'Lambda' });
  const cheaperFixed = Math.min(old.alwaysLambda, old.alwaysFargate);
  const gaps = moveGaps(old.transitions);
  const numbers = {
    cost: old.cost,
    optimum: best.cost,
    cheaperFixed,
    slo: old.slo,
    optimumSlo: best.sloViolationMinutes,
    gaps,
  };
  return {
    name: c.name,
    family: c.family,
    minutes: old.minutes,
    cost: old.cost,
    optimum: best.cost,
    optimumSlo: best.sloViolationMinutes,
    cheaperFixed,
    slo: old.slo,
    ...movesStarted(old.transitions),
    ...(gaps.length ? { closestMoves: Math.min(...gaps) } : {}),
    targets: targets
      .filter((what) => what !== TARGET.wall)
      .map((what) => ({ what, ok: meetsTarget(what, numbers, cooldown) })),
    yardsticks: {
      alwaysLambda: { old: old.alwaysLambda, now: alwaysLambda(c.trace, spec).cost },
      alwaysFargate: { old: old.alwaysFargate, now: alwaysFargate(c.trace, spec).cost },
      optimum: { old: old.oracle.cost, now: best.cost },
    },
  };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : a === 0 ? 1 : Infinity);
const fixed3 = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '∞');

/** Short names of the targets, for the table's misses. */
function shortTarget(what: string): string {
  if (what === TARGET.slo) return 'SLO';
  if (what === TARGET.smoothCost) return '1.10×opt';
  if (what === TARGET.burstCost) return '1.05×fixed';
  if (what.startsWith('≤ 1 move')) return 'moves';
  return what;
}

function metOf(targets: { what: string; ok: boolean }[]): string {
  const judged = targets.filter((t) => t.what !== TARGET.wall);
  const missed = judged.filter((t) => !t.ok).map((t) => shortTarget(t.what));
  return `${judged.length - missed.length}/${judged.length}${missed.length ? ` (${missed.join(', ')})` : ''}`;
}

/**
 * The before → after table (Markdown), one line per trace in the bench's order, and the targets met
 * before → after, by target. Every before row needs the after row of the same name.
 */
export function comparisonLines(before: readonly BeforeRow[], after: readonly AfterRow[]): string[] {
  const afterOf = new Map(after.map((r) => [r.name, r]));
  const pairs = before.map((b) => {
    const a = afterOf.get(b.name);
    if (!a) throw new Error(`${b.name}: no row of that name in the bench's rows (another sample or seed?)`);
    return { b, a };
  });
  const lines = [
    '| trace | cost ÷ optimum | cost ÷ cheaper fixed tier | SLO minutes (optimum) | moves ↑/↓ | targets met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...pairs.map(
      ({ b, a }) =>
        `| ${b.name} | ${fixed3(ratio(b.cost, b.optimum))} → ${fixed3(ratio(a.cost, a.optimum))} ` +
        `| ${fixed3(ratio(b.cost, b.cheaperFixed))} → ${fixed3(ratio(a.cost, a.cheaperFixed))} ` +
        `| ${b.slo} (${b.optimumSlo}) → ${a.slo} (${a.optimumSlo}) ` +
        `| ${b.ups}/${b.downs} → ${a.ups}/${a.downs} | ${metOf(b.targets)} → ${metOf(a.targets)} |`,
    ),
  ];
  const kinds = [...new Set(pairs.flatMap(({ a }) => a.targets.map((t) => t.what)))].filter(
    (what) => what !== TARGET.wall,
  );
  lines.push('', '| target | met before | met after |', '| --- | --- | --- |');
  for (const what of kinds) {
    const count = (rows: { targets: { what: string; ok: boolean }[] }[]) => {
      const of = rows.flatMap((r) => r.targets.filter((t) => t.what === what));
      return `${of.filter((t) => t.ok).length} of ${of.length}`;
    };
    lines.push(`| ${what} | ${count(pairs.map(({ b }) => b))} | ${count(pairs.map(({ a }) => a))} |`);
  }
  const all = (rows: { targets: { what: string; ok: boolean }[] }[]) =>
    rows.flatMap((r) => r.targets.filter((t) => t.what !== TARGET.wall));
  const met = (rows: { targets: { what: string; ok: boolean }[] }[]) => all(rows).filter((t) => t.ok).length;
  const befores = pairs.map(({ b }) => b);
  const afters = pairs.map(({ a }) => a);
  lines.push(`| all | ${met(befores)} of ${all(befores).length} | ${met(afters)} of ${all(afters).length} |`);
  return lines;
}

/**
 * The largest relative difference between the old run's yardsticks and this commit's over the rows,
 * per yardstick: 0 where the cost model and the oracle price the same traces the same.
 */
export function yardstickDrift(rows: readonly BeforeRow[]): Record<keyof BeforeRow['yardsticks'], number> {
  const worst = (key: keyof BeforeRow['yardsticks']) =>
    Math.max(
      0,
      ...rows.map((r) => {
        const { old, now } = r.yardsticks[key];
        return now === old ? 0 : Math.abs(old - now) / Math.max(Math.abs(now), Number.EPSILON);
      }),
    );
  return {
    alwaysLambda: worst('alwaysLambda'),
    alwaysFargate: worst('alwaysFargate'),
    optimum: worst('optimum'),
  };
}
