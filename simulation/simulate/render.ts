/**
 * The human-readable report of a simulation: a summary table against the yardsticks, the transitions, and
 * a small chart of the request rate and the phase over time (one column per time bucket). Pure: returns
 * lines, the CLI prints them.
 */
import type { Phase } from '../../reconciler/state/types';
import type { SimulationResult, TimelineEntry } from './types';

const BARS = ' ▁▂▃▄▅▆▇█';
const PHASE_CHAR: Partial<Record<Phase, string>> = {
  Lambda: 'L',
  ScalingUp: '↑',
  Fargate: 'F',
  ScalingDown: '↓',
};
const MAX_TRANSITIONS_LISTED = 20;

const usd = (value: number) => value.toFixed(4);
const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

function ratio(run: number, baseline: number): string {
  if (baseline === 0) return run === 0 ? '1.00×' : '∞';
  return `${(run / baseline).toFixed(2)}×`;
}

export function summaryLines(result: SimulationResult, title: string): string[] {
  const rows: [string, number, string, number][] = [
    ['this run', result.cost.total, '', result.sloViolationMinutes],
    ...(
      [
        ['always Lambda', result.baselines.alwaysLambda],
        ['always Fargate', result.baselines.alwaysFargate],
        ['oracle', result.baselines.oracle],
      ] as const
    ).map(
      ([name, b]) =>
        [name, b.cost, ratio(result.cost.total, b.cost), b.sloViolationMinutes] as [
          string,
          number,
          string,
          number,
        ],
    ),
  ];
  const lines = [
    title,
    '',
    `${pad('policy', 16)}${padLeft('cost (USD)', 12)}${padLeft('run ÷ it', 10)}${padLeft('SLO violation min', 19)}`,
    ...rows.map(
      ([name, cost, r, violations]) =>
        `${pad(name, 16)}${padLeft(usd(cost), 12)}${padLeft(r || '—', 10)}${padLeft(String(violations), 19)}`,
    ),
    '',
    `this run: Lambda ${usd(result.cost.lambda)} + Fargate ${usd(result.cost.fargate)} USD; ` +
      `${result.unroutedMinutes} min with unrouted requests`,
    `moves measured: scale-up ${minutesText(result.scaleUpMinutes)}, scale-down ${minutesText(result.scaleDownMinutes)} ` +
      `(oracle used ${result.baselines.oracle.scaleUpMinutes} / ${result.baselines.oracle.scaleDownMinutes} min)`,
    '',
    `${result.transitions.length} transition${result.transitions.length === 1 ? '' : 's'}`,
    ...result.transitions
      .slice(0, MAX_TRANSITIONS_LISTED)
      .map((t) => `  min ${padLeft(String(t.minute), 5)}  ${pad(`${t.from} → ${t.to}`, 24)} ${t.reason}`),
  ];
  if (result.transitions.length > MAX_TRANSITIONS_LISTED)
    lines.push(`  … and ${result.transitions.length - MAX_TRANSITIONS_LISTED} more (see --json)`);
  return lines;
}

function minutesText(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  return values.length === 1 ? `${values[0]} min` : `${values.join(', ')} min`;
}

/** The phase held longest within a bucket: what the bucket mostly was. */
function dominantPhase(entries: readonly TimelineEntry[]): Phase {
  const counts = new Map<Phase, number>();
  for (const e of entries) counts.set(e.phase, (counts.get(e.phase) ?? 0) + 1);
  let best: Phase = entries[0]?.phase ?? 'Pending';
  for (const [phase, n] of counts) if (n > (counts.get(best) ?? 0)) best = phase;
  return best;
}

/**
 * A bar chart of the peak rate per bucket, `height` rows of eighth-blocks, over a phase row.
 *
 * @example
 * chartLines(result.timeline, { width: 60, height: 6 }); // ['  180 rps ┤      ▂▅██▇▃ …', …, 'phase     L…↑FFF↓L']
 */
export function chartLines(
  timeline: readonly TimelineEntry[],
  options: { width?: number; height?: number } = {},
): string[] {
  if (timeline.length === 0) return [];
  const width = Math.min(options.width ?? 60, timeline.length);
  const height = options.height ?? 6;
  const size = Math.ceil(timeline.length / width);
  const buckets: TimelineEntry[][] = [];
  for (let i = 0; i < timeline.length; i += size) buckets.push(timeline.slice(i, i + size));
  const peaks = buckets.map((b) => Math.max(...b.map((e) => e.rps)));
  const top = Math.max(...peaks, 0);
  const label = `${top.toFixed(top >= 10 ? 0 : 1)} rps`;
  const margin = Math.max(label.length, 'phase'.length) + 1;
  const rows: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    const cells = peaks.map((peak) => {
      const eighths = top > 0 ? Math.round((peak / top) * height * 8) : 0;
      return BARS[Math.max(0, Math.min(8, eighths - row * 8))];
    });
    const axis = row === height - 1 ? label : row === 0 ? '0' : '';
    rows.push(`${padLeft(axis, margin)}┤${cells.join('')}`);
  }
  rows.push(
    `${padLeft('phase', margin)} ${buckets.map((b) => PHASE_CHAR[dominantPhase(b)] ?? '?').join('')}`,
  );
  rows.push(
    `${' '.repeat(margin)} minute 0 → ${timeline.length}, ${size} min per column; ` +
      'L Lambda, ↑ ScalingUp, F Fargate, ↓ ScalingDown',
  );
  return rows;
}
