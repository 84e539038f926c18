/**
 * The dashboard's picture of the demo stack, built from what the sandbox holds: the record (phase, mode,
 * events), the simulated account's per-minute traffic log (requests by tier, tasks, cost) and the phase
 * history. Pure apart from reading those, so that it can be tested with a hand-made log.
 */
import type { StackRecord } from '../reconciler/state/types';
import {
  eventLines,
  phaseName,
  problemsOf,
  resourceLines,
  trafficLine,
  trafficView,
  urlsOf,
  waitingFor,
} from '../cli/stack-view';
import { effectiveThresholds } from '../reconciler/decide/effective-thresholds';
import type { DashboardMinute, DashboardState } from './dashboard/dashboard-source';
import { validateSpec } from '../spec';
import { DEFAULT_MEAN_DURATION_MS } from '../spec/thresholds';
import { alwaysLambda } from '../simulation/policy';
import type { MinuteLogEntry } from '../simulation/traffic';
import type { PhaseHistory } from './history';

/** Minutes shown on the chart: two simulated hours, two real minutes at the default speed. */
export const CHART_MINUTES = 120;
export const RECENT_EVENTS = 12;

export interface ViewInput {
  stack: string;
  record: StackRecord | undefined;
  /** The last record seen, kept once the record is gone: a deleted stack still shows its events and costs. */
  lastRecord?: StackRecord;
  /** This stack's traffic log, oldest first. */
  log: readonly MinuteLogEntry[];
  history: PhaseHistory;
  /** Simulated clock: epoch ms and the account's minute. */
  now: number;
  minute: number;
  /** Epoch ms of the account's minute 0. */
  startTime: number;
  speed: number;
  /** The traffic level the simulated clients send now. */
  rps: number;
  /**
   * The first minute of the record's life (once deleted, the last record's; PhaseHistory.lifeStart): costs
   * are counted from it, so that a stack deleted and made again does not count the old one's. Absent:
   * not known, every minute logged counts.
   */
  lifeFrom?: number;
  /**
   * How advice names a lambdaflex command (a problem's "run `lambdaflex --local delete …`"): as the
   * sandbox's passes name it, so that the page and the pass's own messages say the same.
   */
  command: (rest: string) => string;
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/**
 * What always-Lambda would have cost for the requests served in the same minutes, priced by the cost model
 * of simulation/policy. Requests that reached no tier (the stack not built yet, or gone) cost nothing either way.
 */
function alwaysLambdaCost(record: StackRecord | undefined, log: readonly MinuteLogEntry[]): number {
  const validation = record ? validateSpec(record.spec) : undefined;
  if (!validation?.ok || log.length === 0) return 0;
  const rows = log.map((e) => ({
    minute: e.minute,
    rps: (e.lambdaReached + e.fargateReached) / 60,
    durationMs: e.durationMs,
  }));
  return alwaysLambda({ rows }, validation.spec).cost;
}

/** Auto mode's rates for the chart: the written ones, the others computed as auto mode computes them. */
function thresholdsOf(record: StackRecord | undefined): DashboardState['thresholds'] {
  const validation = record ? validateSpec(record.spec) : undefined;
  if (!validation?.ok) return undefined;
  const mean = record?.status?.autoScaling?.meanDurationMs ?? DEFAULT_MEAN_DURATION_MS;
  const t = effectiveThresholds(validation.spec, mean);
  return { scaleUp: t.scaleUp.requestsPerSecond, scaleDown: t.scaleDown.requestsPerSecond };
}

/**
 * Cost so far: the stack's, over `lived` (the minutes of its record's life). A deleted stack runs nothing
 * and costs nothing: what it cost while it existed is said apart (`deletedStack`), not as cost so far.
 */
function costOf(record: StackRecord | undefined, lived: readonly MinuteLogEntry[]): DashboardState['cost'] {
  const total = lived.reduce((sum, e) => sum + e.cost, 0);
  if (!record) {
    return {
      actual: 0,
      alwaysLambda: 0,
      compared: false,
      ...(lived.length > 0 ? { deletedStack: total } : {}),
    };
  }
  return {
    actual: total,
    alwaysLambda: alwaysLambdaCost(record, lived),
    compared: lived.some((e) => e.fargateReached > 0 || e.tasks > 0),
  };
}

export function dashboardView(input: ViewInput): DashboardState {
  const { record, log, history } = input;
  const known = record ?? input.lastRecord;
  const recent = log.filter((e) => e.minute > input.minute - CHART_MINUTES);
  const from = recent[0]?.minute ?? input.minute;
  const phases = history.phasesFrom(from, input.minute);
  const minutes: DashboardMinute[] = recent.map((e) => {
    // What each tier served, and the rest: `unrouted` overlaps the requests sent to a tier that was not
    // reachable (a function not Active, an ALB gone), so the shares come from the reached counts.
    const sent = e.lambdaReached + e.fargateReached + e.unrouted;
    const phase = phases.get(e.minute);
    return {
      minute: e.minute,
      at: input.startTime + e.minute * 60_000,
      rps: e.rps,
      lambdaShare: share(e.lambdaReached, sent),
      fargateShare: share(e.fargateReached, sent),
      unroutedShare: share(e.unrouted, sent),
      tasks: e.tasks,
      ...(phase !== undefined ? { phase } : {}),
      cost: e.cost,
    };
  });
  const status = record?.status;
  const last = minutes.at(-1);
  const served = last
    ? { lambda: last.lambdaShare, fargate: last.fargateShare, unrouted: last.unroutedShare }
    : undefined;
  const view = trafficView(record);
  const spec = record?.spec as { mode?: DashboardState['mode'] } | undefined;
  // A record gone after the stack was seen (its traffic was logged) was deleted.
  const phase = phaseName(record, { deleted: log.length > 0 });
  return {
    stack: input.stack,
    now: input.now,
    speed: input.speed,
    ...(spec?.mode !== undefined ? { mode: spec.mode } : {}),
    ...(record ? { version: record.version, generation: record.generation } : {}),
    ...(record?.incarnation !== undefined ? { incarnation: record.incarnation } : {}),
    phase,
    deletionRequested: record?.deletionRequestedAt !== undefined,
    ...(status?.tier !== undefined ? { tier: status.tier } : {}),
    ...(status?.lastDecision?.reason !== undefined && record?.deletionRequestedAt === undefined
      ? { reason: status.lastDecision.reason }
      : {}),
    waitingFor: waitingFor(record),
    rps: input.rps,
    traffic: {
      line: record ? trafficLine(view) : 'nothing: the stack was deleted',
      ...(view.kind === 'weighted' ? { weights: { lambda: view.lambda, fargate: view.fargate } } : {}),
      ...(served ? { served } : {}),
    },
    shares: { lambda: served?.lambda ?? 0, fargate: served?.fargate ?? 0 },
    urls: urlsOf(record),
    tasks: last?.tasks ?? 0,
    cost: costOf(record, input.lifeFrom === undefined ? log : log.filter((e) => e.minute >= input.lifeFrom!)),
    ...(thresholdsOf(known) ? { thresholds: thresholdsOf(known) } : {}),
    minutes,
    events: eventLines(known?.events ?? [], RECENT_EVENTS).reverse(),
    problems: problemsOf(record, input.command),
    resources: resourceLines(record),
  };
}
