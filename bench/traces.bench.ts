/**
 * `simulate` on every sample trace of examples/traces, the example spec in mode auto, against
 * the yardsticks of the same run. Targets:
 * - smooth traces (diurnal, flat-low, flat-high, oscillating): cost within 10 % of the oracle;
 * - spike: within 5 % of the cheaper of always-Lambda and always-Fargate (no policy without foresight
 *   catches its bursts);
 * - every trace: no more SLO violation minutes than the oracle;
 * - oscillating: at most one move started per cooldown window;
 * - a day's trace (1440 passes) in under 30 s of wall time.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { validateSpec } from '../spec';
import { exampleSpec, simulateTrace, type SimulationResult } from '../sim/simulate';
import { loadTrace } from '../sim/traffic';

const TRACES = join(__dirname, '..', 'examples', 'traces');
const SMOOTH = ['diurnal', 'flat-low', 'flat-high', 'oscillating'];
const DAY_WALL_MS = 30_000;

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const pct = (run: number, base: number) => (base > 0 ? `${((run / base - 1) * 100).toFixed(1)} %` : 'n/a');

/** Minutes between consecutive move starts (Lambda → ScalingUp, Fargate → ScalingDown). */
function moveGaps(result: SimulationResult): number[] {
  const starts = result.transitions
    .filter((t) => t.to === 'ScalingUp' || t.to === 'ScalingDown')
    .map((t) => t.minute);
  return starts.slice(1).map((m, i) => m - starts[i]!);
}

export default async function traces(): Promise<void> {
  if (!existsSync(TRACES)) {
    console.log(`no traces at ${TRACES}: nothing to run`);
    return;
  }
  const files = readdirSync(TRACES)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  const spec = exampleSpec();
  const validated = validateSpec(spec);
  if (!validated.ok) throw new Error(`the example spec is invalid: ${JSON.stringify(validated.errors)}`);
  const cooldown = validated.spec.thresholds.cooldownMinutes;

  for (const file of files) {
    const name = basename(file, '.csv');
    const trace = loadTrace(readFileSync(join(TRACES, file), 'utf8'));
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    const result = await simulateTrace({ trace, spec });
    const wallMs = Date.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    // CPU time beside wall time: on a shared, loaded machine the wall time says more about the neighbours.
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const { alwaysLambda, alwaysFargate, oracle } = result.baselines;
    const run = result.cost.total;

    console.log(
      `\n${name}: ${result.minutes} min, wall ${(wallMs / 1000).toFixed(1)} s, CPU ${(cpuMs / 1000).toFixed(1)} s, ` +
        `${result.apiCalls} API calls (${(result.apiCalls / result.minutes).toFixed(0)} per pass)`,
    );
    console.log(
      `  cost ${run.toFixed(4)} USD (Lambda ${result.cost.lambda.toFixed(4)}, Fargate ${result.cost.fargate.toFixed(4)})`,
    );
    for (const [label, b] of [
      ['always Lambda', alwaysLambda],
      ['always Fargate', alwaysFargate],
      ['oracle', oracle],
    ] as const) {
      console.log(
        `  vs ${label.padEnd(15)} ${b.cost.toFixed(4)} USD: ratio ${(run / b.cost).toFixed(3)} (${pct(run, b.cost)}), ` +
          `violations ${result.sloViolationMinutes} vs ${b.sloViolationMinutes}`,
      );
    }
    console.log(
      `  transitions ${result.transitions.length}; moves measured up ${JSON.stringify(result.scaleUpMinutes)} ` +
        `down ${JSON.stringify(result.scaleDownMinutes)}; unrouted min ${result.unroutedMinutes}` +
        (result.passErrors.length
          ? `; pass errors ${result.passErrors.length}: ${result.passErrors[0]!.message}`
          : ''),
    );

    const targets: [string, boolean][] = [
      [
        `violations ≤ oracle's (${oracle.sloViolationMinutes})`,
        result.sloViolationMinutes <= oracle.sloViolationMinutes,
      ],
    ];
    if (SMOOTH.includes(name)) targets.push(['cost within 10 % of the oracle', run <= oracle.cost * 1.1]);
    if (name === 'spike') {
      const cheaper = Math.min(alwaysLambda.cost, alwaysFargate.cost);
      targets.push(['cost within 5 % of the cheaper fixed tier', run <= cheaper * 1.05]);
    }
    if (name === 'oscillating') {
      const gaps = moveGaps(result);
      targets.push([
        `at most one move per ${cooldown}-min cooldown (closest ${gaps.length ? Math.min(...gaps) : '—'} min)`,
        gaps.every((g) => g >= cooldown),
      ]);
    }
    // Scaled to the trace's length: the target is for a day of 1440 passes.
    targets.push([
      `wall time under ${DAY_WALL_MS / 1000} s per day`,
      wallMs * (1440 / result.minutes) < DAY_WALL_MS,
    ]);
    for (const [what, ok] of targets) console.log(`  ${verdict(ok)} ${what}`);
  }
}
