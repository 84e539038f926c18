/**
 * What one minute of each tier costs at a given request rate, by the prices of docs/aws-facts.md (`PRICES`).
 *
 * Shared by the auto decider (the ski-rental weighing in `ski-rental.ts`) and the cost simulation's
 * baselines and oracle (`simulation/policy/`), so that the decider and its yardstick count money the same way.
 * Pure: no SDK, no clock.
 */
import { ALB_PUBLIC_IPS, PRICES, lambdaCostPerRequest } from '../../spec';
import type { FargateSize } from '../../spec/types';
import { MINUTES_PER_HOUR, SECONDS_PER_MINUTE } from '../../util/time';

/** Lambda + HTTP API cost of one minute at `rps`: nothing runs (or costs) without requests. */
export function lambdaMinuteCost(rps: number, durationMs: number, memoryMb: number): number {
  return rps * SECONDS_PER_MINUTE * lambdaCostPerRequest(memoryMb, durationMs);
}

/**
 * Running tasks the ECS target-tracking policy settles on for `rps`: enough for `targetRequestsPerTask`
 * each, within the service's bounds.
 */
export function fargateTasksFor(
  rps: number,
  fargate: Pick<FargateSize, 'minTasks' | 'maxTasks' | 'targetRequestsPerTask'>,
): number {
  const wanted = Math.ceil(rps / fargate.targetRequestsPerTask);
  return Math.min(fargate.maxTasks, Math.max(fargate.minTasks, wanted));
}

/** Hourly price of one task: its vCPU, its memory and its public IPv4 address (no NAT gateway is used). */
export function fargateTaskHourlyCost(fargate: Pick<FargateSize, 'cpu' | 'memoryMb'>): number {
  return (
    (fargate.cpu / 1024) * PRICES.fargate.perVcpuHour +
    (fargate.memoryMb / 1024) * PRICES.fargate.perGbHour +
    PRICES.publicIpv4PerHour
  );
}

/**
 * Fargate tier cost of one minute while it serves `rps`: the tasks, the ALB hour, the ALB's public IPs,
 * and LCUs by new connections only (one per request, 25 per second per LCU); the other LCU dimensions
 * (active connections, bytes, rule evaluations) are left out, as docs/aws-facts.md's model does.
 * With `rps` 0 it is the idle tier: minTasks tasks and the ALB, as during a scale-up or scale-down.
 */
export function fargateMinuteCost(rps: number, fargate: FargateSize): number {
  const tasks = fargateTasksFor(rps, fargate);
  const lcus = rps / PRICES.alb.newConnectionsPerSecondPerLcu;
  const perHour =
    tasks * fargateTaskHourlyCost(fargate) +
    PRICES.alb.perHour +
    ALB_PUBLIC_IPS * PRICES.publicIpv4PerHour +
    lcus * PRICES.alb.perLcuHour;
  return perHour / MINUTES_PER_HOUR;
}
