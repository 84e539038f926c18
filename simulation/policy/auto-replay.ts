/**
 * Auto mode replayed on a trace without the simulated AWS: one decideAuto per minute on the metrics the
 * trace implies, moves taking their measured minutes, priced by the same model as the baselines, plus
 * the tasks it asks for ahead of the rate beyond those the rate needs. A fast
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
  /** The scalable target's minimum auto mode set for each minute (by the pass before it), if any. */
  const minimums: number[] = [];
  let minimum = 0;
  const samples: MinuteSample[] = [];
  const transitions: AutoReplayResult['transitions'] = [];
  let history = emptyHistory();
  let ledger = emptyLedger();
  let phase: PolicyPhase = 'Lambda';
  let moveLeft = 0;
  let target: AutoDecision['tier'] = 'lambda';

  for (const row of trace.rows) {
    schedule.push(phase);
    minimums.push(phase === 'Fargate' ? minimum : 0);
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
  // The tasks asked for ahead of the rate beyond those target tracking runs for it (priceSchedule sizes
  // Fargate by the minute's rate alone).
  const taskMinute = fargateTaskHourlyCost(spec.fargate) / MINUTES_PER_HOUR;
  const ahead = trace.rows.reduce(
    (sum, row, i) => sum + Math.max(0, minimums[i]! - fargateTasksFor(row.rps, spec.fargate)) * taskMinute,
    0,
  );
  return {
    ...priced,
    cost: priced.cost + ahead,
    costByTier: {
      ...priced.costByTier,
      fargate: priced.costByTier.fargate + ahead,
      total: priced.costByTier.total + ahead,
    },
    transitions,
  };
}
