/**
 * Auto mode replayed on a trace without the simulated AWS: one decideAuto per minute on the metrics the
 * trace implies, moves taking their measured minutes, priced by the same model as the baselines, plus
 * the tasks the service runs beyond those the rate needs. On Fargate the task count is target
 * tracking's, by the simulated Application Auto Scaling's own rule (trackMinute: alarms of several
 * datapoints, cooldowns) above the minimum auto mode sets; a minute whose rate is beyond the tasks
 * running breaks the SLO. A task asked for at a minute's boundary serves from that minute, as in the
 * simulated account (docs/aws-facts.md: about a minute from asking to serving). A fast
 * estimate of the policy's cost and a check on the decider alone; `lambdaflex simulate` measures the
 * real thing (decide, plan, apply against aws-sim/).
 */
import { decideAuto, type AutoDecision } from '../../reconciler/decide/auto';
import { emptyHistory } from '../../reconciler/decide/history';
import { emptyLedger } from '../../reconciler/decide/ledger';
import type { MinuteSample } from '../../reconciler/decide/metrics';
import type { DesiredState } from '../../spec/types';
import type { Trace, TraceRow } from '../traffic/types';
import { priceSchedule } from './baselines';
import type { MoveMinutes } from './oracle';
import type { PolicyOptions, PolicyPhase, PolicyResult } from './types';
import { MINUTE_MS, MINUTES_PER_HOUR } from '../../util/time';
import { fargateTaskHourlyCost, fargateTasksFor } from '../../reconciler/decide/tier-cost';
import {
  SCALE_IN_COOLDOWN_SECONDS,
  SCALE_OUT_COOLDOWN_SECONDS,
  requestCountTargetValue,
} from '../../reconciler/resources/autoscaling/scaling';
import { trackMinute, type TrackedTarget } from '../../aws-sim/services/autoscaling/target-tracking';

export interface AutoReplayResult extends PolicyResult {
  /** The decisions that changed the tier, with their reasons. */
  transitions: { minute: number; from: string; to: string; reason: string }[];
}

/** What CloudWatch would report for a minute served in `phase` (the ALB's hosts while it exists). */
function sampleFor(row: TraceRow, phase: PolicyPhase): MinuteSample {
  const requests = row.rps * 60;
  if (phase === 'Fargate') return { minute: row.minute, albRequests: requests, healthyHosts: 1 };
  const lambda = {
    minute: row.minute,
    apiRequests: requests,
    lambdaDurationMs: row.durationMs,
    lambdaConcurrentMax: (row.rps * row.durationMs) / 1000,
  };
  return phase === 'Lambda' ? lambda : { ...lambda, healthyHosts: 1 };
}

export function replayAuto(
  trace: Trace,
  spec: Pick<DesiredState, 'mode' | 'lambda' | 'fargate' | 'thresholds'>,
  moves: MoveMinutes,
  options: PolicyOptions = {},
): AutoReplayResult {
  const up = Math.max(0, Math.ceil(moves.scaleUpMinutes));
  const down = Math.max(0, Math.ceil(moves.scaleDownMinutes));
  const schedule: PolicyPhase[] = [];
  /** The tasks the service runs in each minute on Fargate (0 elsewhere). */
  const tasks: number[] = [];
  let minimum = 0;
  let tracked: TrackedTarget | undefined;
  const fargate = spec.fargate;
  const tracking = {
    targetValue: requestCountTargetValue(fargate.targetRequestsPerTask),
    maxCapacity: fargate.maxTasks,
  };
  const newTracker = (capacity: number): TrackedTarget => ({
    capacity,
    datapoints: [],
    cooldowns: {
      scaleOutMs: SCALE_OUT_COOLDOWN_SECONDS * 1000,
      scaleInMs: SCALE_IN_COOLDOWN_SECONDS * 1000,
    },
  });
  const samples: MinuteSample[] = [];
  const transitions: AutoReplayResult['transitions'] = [];
  let history = emptyHistory();
  let ledger = emptyLedger();
  let phase: PolicyPhase = 'Lambda';
  let moveLeft = 0;
  let target: AutoDecision['tier'] = 'lambda';

  for (const row of trace.rows) {
    schedule.push(phase);
    // The scalable target's minimum is the spec's or the tasks auto mode asked for ahead; the service
    // starts at it (the reconciler creates it with that desired count) and target tracking works above.
    const minCapacity = Math.min(fargate.maxTasks, Math.max(fargate.minTasks, minimum));
    if (phase === 'Fargate') {
      tracked ??= newTracker(minCapacity);
      tracked = { ...tracked, capacity: Math.max(tracked.capacity, minCapacity) };
      tasks.push(tracked.capacity);
      // Application Auto Scaling's minute: the ALB counted the minute's requests over the tasks.
      tracked = trackMinute(
        tracked,
        { requests: row.rps * 60, healthyTargets: tracked.capacity },
        { ...tracking, minCapacity },
        (row.minute + 1) * MINUTE_MS,
      );
    } else {
      tracked = undefined;
      tasks.push(0);
    }
    samples.push(sampleFor(row, phase));
    // The reconciler's pass at the end of the minute.
    const decision = decideAuto({
      spec,
      samples: samples.slice(-60),
      phase,
      history,
      ledger,
      now: (row.minute + 1) * MINUTE_MS,
      ...(options.lambdaConcurrencyLimit === undefined
        ? {}
        : { lambdaConcurrencyLimit: options.lambdaConcurrencyLimit }),
      moves: { scaleUpMinutes: up, scaleDownMinutes: down },
    });
    history = decision.history;
    ledger = decision.ledger;
    if (decision.transition) {
      transitions.push({
        minute: row.minute + 1,
        from: decision.from,
        to: decision.tier,
        reason: decision.reason,
      });
    }
    target = decision.tier;
    minimum = decision.tasksAhead?.tasks ?? 0;
    // A move, once begun, runs its length; a new target is taken up when it ends.
    if (moveLeft > 0) moveLeft--;
    if (moveLeft === 0) {
      if (phase === 'ScalingUp') phase = 'Fargate';
      else if (phase === 'ScalingDown') phase = 'Lambda';
      if (phase === 'Lambda' && target === 'fargate')
        [phase, moveLeft] = up > 0 ? ['ScalingUp', up] : ['Fargate', 0];
      else if (phase === 'Fargate' && target === 'lambda')
        [phase, moveLeft] = down > 0 ? ['ScalingDown', down] : ['Lambda', 0];
    }
  }
  const priced = priceSchedule(trace, schedule, spec, options);
  // The tasks running beyond those the rate needs (priceSchedule sizes Fargate by the minute's rate
  // alone), and the minutes whose rate the running tasks could not take (priceSchedule counts only those
  // beyond the largest fleet).
  const taskMinute = fargateTaskHourlyCost(fargate) / MINUTES_PER_HOUR;
  let ahead = 0;
  let overrun = 0;
  trace.rows.forEach((row, i) => {
    if (schedule[i] !== 'Fargate') return;
    ahead += Math.max(0, tasks[i]! - fargateTasksFor(row.rps, fargate)) * taskMinute;
    const beyondFleet = row.rps > fargate.maxTasks * fargate.targetRequestsPerTask;
    if (!beyondFleet && row.rps > tasks[i]! * fargate.targetRequestsPerTask) overrun++;
  });
  return {
    ...priced,
    cost: priced.cost + ahead,
    costByTier: {
      ...priced.costByTier,
      fargate: priced.costByTier.fargate + ahead,
      total: priced.costByTier.total + ahead,
    },
    sloViolationMinutes: priced.sloViolationMinutes + overrun,
    transitions,
  };
}
