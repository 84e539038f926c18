/**
 * The dashboard's picture of the demo stack, built from what the sandbox holds: the record (phase, mode,
 * events), the simulated account's per-minute traffic log (requests by tier, tasks, cost) and the phase
 * history. Pure apart from reading those, so that it can be tested with a hand-made log.
 */
import type { StackRecord } from '../../reconciler/state/types';
import type { DashboardMinute, DashboardState } from '../../service/dashboard/dashboard-source';
import { validateSpec } from '../../spec';
import { alwaysLambda } from '../policy';
import type { MinuteLogEntry } from '../traffic';
import type { PhaseHistory } from './history';

/** Minutes shown on the chart: two simulated hours, two real minutes at the default speed. */
export const CHART_MINUTES = 120;
export const RECENT_EVENTS = 12;

export interface ViewInput {
  stack: string;
  record: StackRecord | undefined;
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
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** What always-Lambda would have cost for the same minutes, priced by the cost model of sim/policy. */
function alwaysLambdaCost(record: StackRecord | undefined, log: readonly MinuteLogEntry[]): number {
  const validation = record ? validateSpec(record.spec) : undefined;
  if (!validation?.ok || log.length === 0) return 0;
  const rows = log.map((e) => ({ minute: e.minute, rps: e.rps, durationMs: e.durationMs }));
  return alwaysLambda({ rows }, validation.spec).cost;
}

export function dashboardView(input: ViewInput): DashboardState {
  const { record, log, history } = input;
  const recent = log.filter((e) => e.minute > input.minute - CHART_MINUTES);
  const from = recent[0]?.minute ?? input.minute;
  const phases = history.phasesFrom(from, input.minute);
  const minutes: DashboardMinute[] = recent.map((e) => {
    const sent = e.lambdaRequests + e.fargateRequests + e.unrouted;
    const phase = phases.get(e.minute);
    return {
      minute: e.minute,
      at: input.startTime + e.minute * 60_000,
      rps: e.rps,
      lambdaShare: share(e.lambdaRequests, sent),
      fargateShare: share(e.fargateRequests, sent),
      unroutedShare: share(e.unrouted, sent),
      tasks: e.tasks,
      ...(phase !== undefined ? { phase } : {}),
      cost: e.cost,
    };
  });
  const status = record?.status;
  // Route 53's weights as the reconciler last observed them; before any pass, the last minute's split.
  const last = minutes.at(-1);
  // The status holds Route 53 weights (percentages); the dashboard wants shares that add up to one.
  const weights = status?.traffic;
  const weightSum = weights ? weights.lambda + weights.fargate : 0;
  const shares =
    weights && weightSum > 0
      ? { lambda: weights.lambda / weightSum, fargate: weights.fargate / weightSum }
      : { lambda: last?.lambdaShare ?? 1, fargate: last?.fargateShare ?? 0 };
  const spec = record?.spec as { mode?: DashboardState['mode'] } | undefined;
  // The reconciler adds an `Errors` condition only while something fails; an invalid spec is SpecValid=False.
  const problems = (status?.conditions ?? [])
    .filter((c) => c.type === 'Errors' || (c.type === 'SpecValid' && c.status === 'False'))
    .map((c) => `${c.reason}: ${c.message}`);
  return {
    stack: input.stack,
    now: input.now,
    speed: input.speed,
    ...(spec?.mode !== undefined ? { mode: spec.mode } : {}),
    ...(record ? { version: record.version, generation: record.generation } : {}),
    phase: status?.phase ?? (record ? 'Pending' : 'NoRecord'),
    ...(status?.tier !== undefined ? { tier: status.tier } : {}),
    ...(status?.lastDecision?.reason !== undefined ? { reason: status.lastDecision.reason } : {}),
    rps: input.rps,
    shares: { lambda: shares.lambda, fargate: shares.fargate },
    tasks: last?.tasks ?? 0,
    cost: { actual: log.reduce((sum, e) => sum + e.cost, 0), alwaysLambda: alwaysLambdaCost(record, log) },
    minutes,
    events: (record?.events ?? []).slice(-RECENT_EVENTS).reverse(),
    problems,
  };
}
