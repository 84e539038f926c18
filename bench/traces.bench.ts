/**
 * Auto mode on traffic: `simulate` (the real reconciler against the simulated account, one pass a minute)
 * on the five public traces of examples/traces and on a seeded sample of each generated family
 * (simulation/traffic/generate.ts), every run against the yardsticks of the same run. Printed per trace: cost ÷
 * the offline optimum, cost ÷ the cheaper fixed tier, SLO violation minutes against the optimum's, and the
 * moves (scale-ups / scale-downs started) against the optimum's.
 *
 * The spec is the README's example in mode auto with 1–40 tasks (Lambda 512 MB; Fargate 512 CPU /
 * 1024 MB, 100 requests per task). Targets (benchmarks, not tests):
 * - smooth traces (diurnal, flat-low, flat-high, oscillating, and the ramp, beyond-lambda, random-walk,
 *   weekly and slow-requests families): cost ≤ 1.10 × the optimum;
 * - bursts shorter than a scale-up (spike, and flash crowds whose bursts end before a measured scale-up
 *   would): cost ≤ 1.05 × the cheaper fixed tier;
 * - smooth and public traces: SLO violation minutes ≤ the optimum's;
 * - every trace: at most one move per cooldown window;
 * - a day's trace in under 30 s of wall time.
 *
 * Settings (environment): TRACES_PER_FAMILY (default 3; flash crowds twice as many), TRACES_SEED (first seed, default 1),
 * TRACES_ONLY (comma-separated names or families to run, e.g. `flash-crowd,spike`), TRACES_JSON (a file to
 * write the rows to, for comparing two runs), TRACES_WRITE (a folder to write the generated traces to, as
 * CSV files `lambdaflex simulate --trace` reads).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { validateSpec } from '../spec';
import type { DesiredStateInput } from '../spec/types';
import { oracle, scheduleTransitions } from '../simulation/policy';
import { DEFAULT_MOVES, exampleSpec, simulateTrace, type SimulationResult } from '../simulation/simulate';
import { loadTrace, type Trace } from '../simulation/traffic';
import { generateTrace, sampleFamilies, traceToCsv } from '../simulation/traffic/generate';

const PUBLIC_TRACES = join(__dirname, '..', 'examples', 'traces');
const SMOOTH_PUBLIC = ['diurnal', 'flat-low', 'flat-high', 'oscillating'];
const SMOOTH_FAMILIES = ['ramp', 'beyond-lambda', 'random-walk', 'weekly', 'slow-requests'];
const DAY_WALL_MS = 30_000;
const DAY_MINUTES = 1440;

interface Case {
  name: string;
  family: string;
  trace: Trace;
  /** A flash crowd's burst length, in minutes. */
  burstMinutes?: number;
  params?: Record<string, number>;
}

export interface TraceRow {
  name: string;
  family: string;
  minutes: number;
  cost: number;
  optimum: number;
  cheaperFixed: number;
  slo: number;
  optimumSlo: number;
  ups: number;
  downs: number;
  optimumMoves: number;
  /** Shortest time between two moves started (minutes), if there were two. */
  closestMoves?: number;
  scaleUpMinutes: number[];
  wallMs: number;
  targets: { what: string; ok: boolean }[];
}

function benchSpec(): DesiredStateInput {
  const spec = exampleSpec();
  return { ...spec, fargate: { ...spec.fargate!, maxTasks: 40 } } as DesiredStateInput;
}

function cases(): Case[] {
  const only = (process.env.TRACES_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const wanted = (c: Case) => only.length === 0 || only.includes(c.name) || only.includes(c.family);
  const perFamily = Number(process.env.TRACES_PER_FAMILY ?? 3);
  const firstSeed = Number(process.env.TRACES_SEED ?? 1);
  const publicCases: Case[] = readdirSync(PUBLIC_TRACES)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => ({
      name: basename(file, '.csv'),
      family: 'public',
      trace: loadTrace(readFileSync(join(PUBLIC_TRACES, file), 'utf8')),
    }));
  // Flash crowds get twice the sample: their bursts' length (2–15 min) decides which target applies.
  const sample = [
    ...sampleFamilies(perFamily, firstSeed).filter((g) => g.family !== 'flash-crowd'),
    ...Array.from({ length: 2 * perFamily }, (_, i) => generateTrace('flash-crowd', firstSeed + i)),
  ];
  const generated: Case[] = sample.map((g) => ({
    name: g.name,
    family: g.family,
    trace: g.trace,
    params: g.params,
    ...(g.family === 'flash-crowd' ? { burstMinutes: g.params.length } : {}),
  }));
  const chosen = [...publicCases, ...generated].filter(wanted);
  const folder = process.env.TRACES_WRITE;
  if (folder) {
    mkdirSync(folder, { recursive: true });
    for (const c of chosen) {
      if (c.family !== 'public') writeFileSync(join(folder, `${c.name}.csv`), traceToCsv(c.trace));
    }
  }
  return chosen;
}

/** Minutes between consecutive move starts (Lambda → ScalingUp, Fargate → ScalingDown). */
function moveGaps(result: SimulationResult): number[] {
  const starts = result.transitions
    .filter((t) => t.to === 'ScalingUp' || t.to === 'ScalingDown')
    .map((t) => t.minute);
  return starts.slice(1).map((m, i) => m - starts[i]!);
}

/** Moves the optimum starts: each change into a move phase. */
function optimumMoves(trace: Trace, spec: DesiredStateInput, result: SimulationResult): number {
  const validated = validateSpec(spec);
  if (!validated.ok) return 0;
  const { scaleUpMinutes, scaleDownMinutes } = result.baselines.oracle;
  const best = oracle(trace, validated.spec, { scaleUpMinutes, scaleDownMinutes, start: 'Lambda' });
  return scheduleTransitions(best.schedule).filter((t) => t.to === 'ScalingUp' || t.to === 'ScalingDown')
    .length;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : a === 0 ? 1 : Infinity);
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '∞');

export default async function traces(): Promise<TraceRow[]> {
  const spec = benchSpec();
  const validated = validateSpec(spec);
  if (!validated.ok) throw new Error(`the bench spec is invalid: ${JSON.stringify(validated.errors)}`);
  const cooldown = validated.spec.thresholds.cooldownMinutes;
  const rows: TraceRow[] = [];
  // What "a scale-up" lasts: the moves measured so far in this bench (the public traces run first).
  const measuredUps: number[] = [];
  const scaleUpMinutes = () =>
    measuredUps.length ? [...measuredUps].sort((a, b) => a - b)[Math.floor(measuredUps.length / 2)]! : 0;

  console.log(
    `spec: Lambda ${validated.spec.lambda.memoryMb} MB; Fargate ${validated.spec.fargate.cpu} CPU / ` +
      `${validated.spec.fargate.memoryMb} MB, ${validated.spec.fargate.minTasks}–${validated.spec.fargate.maxTasks} tasks, ` +
      `${validated.spec.fargate.targetRequestsPerTask} rps per task; cooldown ${cooldown} min\n`,
  );
  console.log(
    `${'trace'.padEnd(18)}${'min'.padStart(6)}${'÷opt'.padStart(7)}${'÷fixed'.padStart(8)}` +
      `${'SLO'.padStart(6)}${'opt'.padStart(5)}${'↑/↓'.padStart(8)}${'opt'.padStart(5)}${'gap'.padStart(5)}` +
      `${'wall s'.padStart(8)}  targets`,
  );
  for (const c of cases()) {
    const started = Date.now();
    const result = await simulateTrace({ trace: c.trace, spec });
    const wallMs = Date.now() - started;
    measuredUps.push(...result.scaleUpMinutes);
    const { alwaysLambda, alwaysFargate, oracle: best } = result.baselines;
    const cheaperFixed = Math.min(alwaysLambda.cost, alwaysFargate.cost);
    const run = result.cost.total;
    const gaps = moveGaps(result);
    const starts = result.transitions.filter((t) => t.to === 'ScalingUp' || t.to === 'ScalingDown');

    const targets: { what: string; ok: boolean }[] = [
      { what: `≤ 1 move / ${cooldown} min`, ok: gaps.every((g) => g >= cooldown) },
    ];
    // The SLO target is the smooth traces' (and the public traces', as before). A flash crowd on Fargate
    // overruns its tasks for a minute or two whatever a policy without foresight does; the optimum's
    // Fargate is sized without delay.
    if (c.family === 'public' || SMOOTH_FAMILIES.includes(c.family)) {
      targets.unshift({ what: 'SLO ≤ opt', ok: result.sloViolationMinutes <= best.sloViolationMinutes });
    }
    const smooth = SMOOTH_PUBLIC.includes(c.name) || SMOOTH_FAMILIES.includes(c.family);
    if (smooth) targets.push({ what: '≤ 1.10 × opt', ok: run <= best.cost * 1.1 });
    const upLength = scaleUpMinutes() || DEFAULT_MOVES.scaleUpMinutes;
    const shortBursts = c.name === 'spike' || (c.burstMinutes !== undefined && c.burstMinutes < upLength);
    if (shortBursts) targets.push({ what: '≤ 1.05 × fixed', ok: run <= cheaperFixed * 1.05 });
    targets.push({
      what: 'wall',
      ok: wallMs * (DAY_MINUTES / result.minutes) < DAY_WALL_MS,
    });

    const row: TraceRow = {
      name: c.name,
      family: c.family,
      minutes: result.minutes,
      cost: run,
      optimum: best.cost,
      cheaperFixed,
      slo: result.sloViolationMinutes,
      optimumSlo: best.sloViolationMinutes,
      ups: starts.filter((t) => t.to === 'ScalingUp').length,
      downs: starts.filter((t) => t.to === 'ScalingDown').length,
      optimumMoves: optimumMoves(c.trace, spec, result),
      ...(gaps.length ? { closestMoves: Math.min(...gaps) } : {}),
      scaleUpMinutes: result.scaleUpMinutes,
      wallMs,
      targets,
    };
    rows.push(row);
    const missed = targets.filter((t) => !t.ok).map((t) => `MISS ${t.what}`);
    const passed = targets.filter((t) => t.ok && t.what !== 'wall').map((t) => t.what);
    console.log(
      `${c.name.padEnd(18)}${String(row.minutes).padStart(6)}${fixed(ratio(run, best.cost), 3).padStart(7)}` +
        `${fixed(ratio(run, cheaperFixed), 3).padStart(8)}${String(row.slo).padStart(6)}${String(row.optimumSlo).padStart(5)}` +
        `${`${row.ups}/${row.downs}`.padStart(8)}${String(row.optimumMoves).padStart(5)}` +
        `${(row.closestMoves === undefined ? '—' : String(row.closestMoves)).padStart(5)}` +
        `${(wallMs / 1000).toFixed(1).padStart(8)}  ${[...missed, ...(passed.length ? [`ok: ${passed.join(', ')}`] : [])].join('; ')}` +
        (c.params ? `   ${JSON.stringify(c.params)}` : '') +
        (result.passErrors.length
          ? `   pass errors ${result.passErrors.length}: ${result.passErrors[0]!.message}`
          : ''),
    );
  }

  const all = rows.flatMap((r) => r.targets.map((t) => ({ ...t, name: r.name })));
  const kinds = [...new Set(all.map((t) => t.what))];
  console.log(
    `\nscale-up measured: median ${scaleUpMinutes() || '—'} min (a flash crowd's bursts shorter than it are "short")`,
  );
  for (const what of kinds) {
    const of = all.filter((t) => t.what === what);
    const misses = of.filter((t) => !t.ok).map((t) => t.name);
    console.log(
      `${what.padEnd(20)} ${of.length - misses.length}/${of.length} met${misses.length ? `; missed: ${misses.join(', ')}` : ''}`,
    );
  }
  if (process.env.TRACES_JSON) writeFileSync(process.env.TRACES_JSON, JSON.stringify(rows, null, 2));
  return rows;
}
