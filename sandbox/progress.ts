/**
 * The sandbox's console lines: one when something changes (phase, traffic, mode, an error) and a summary
 * every PROGRESS_EVERY_MINUTES simulated minutes, so that the terminal tells the story without the page.
 */
import { oneLine } from '../cli/terminal-text';
import type { DashboardState } from './dashboard/dashboard-source';

export const PROGRESS_EVERY_MINUTES = 15;

function clock(ms: number): string {
  // Day and time of the simulated clock: the sandbox can run for simulated days.
  return new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function summaryLine(view: DashboardState): string {
  const cost = `$${view.cost.actual.toFixed(4)} (always-Lambda $${view.cost.alwaysLambda.toFixed(4)})`;
  return (
    `[sim ${clock(view.now)}] ${view.stack} ${view.phase.padEnd(11)} mode ${view.mode ?? '-'}, ` +
    `${view.rps} rps, last minute ${served(view)}, ` +
    `${view.tasks} ${view.tasks === 1 ? 'task' : 'tasks'}, cost ${cost}`
  );
}

/**
 * Where the last minute's requests went, as the chart's last bar: the requests no DNS answer sent anywhere
 * (a stack being created) said, not left out of two shares that then add up to nothing.
 */
function served(view: DashboardState): string {
  const unrouted = view.traffic.served?.unrouted ?? 0;
  const { lambda, fargate } = view.shares;
  if (lambda + fargate + unrouted === 0) return 'nothing served';
  const tiers = `lambda ${percent(lambda)} / fargate ${percent(fargate)}`;
  return unrouted > 0 ? `${tiers} / no DNS answer ${percent(unrouted)}` : tiers;
}

/** Remembers what was last printed and says what is worth a line now. */
export class ProgressReporter {
  private lastPhase: string | undefined;
  private lastRps: number | undefined;
  private lastMode: string | undefined;
  private lastProblems = '';
  private lastSummaryMinute = -Infinity;

  constructor(private readonly print: (line: string) => void) {}

  report(view: DashboardState, minute: number): void {
    const changed = view.phase !== this.lastPhase || view.rps !== this.lastRps || view.mode !== this.lastMode;
    if (changed || minute - this.lastSummaryMinute >= PROGRESS_EVERY_MINUTES) {
      this.print(
        summaryLine(view) +
          (view.phase !== this.lastPhase && view.reason ? ` — ${oneLine(view.reason)}` : ''),
      );
      this.lastSummaryMinute = minute;
    }
    // Each problem on this one line: a line break in one (from the record) cannot print a line of its own.
    const problems = view.problems.map(oneLine).join('; ');
    // A failing step is retried every pass: print its message once, not every second.
    if (problems !== this.lastProblems && problems !== '') this.print(`  ${view.stack}: ${problems}`);
    // Kept while the stack is fine, so a retry that fails again with the same message stays one line.
    if (problems !== '') this.lastProblems = problems;
    this.lastPhase = view.phase;
    this.lastRps = view.rps;
    this.lastMode = view.mode;
  }
}
