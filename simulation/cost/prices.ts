/**
 * What one minute of each billed item costs, by docs/aws-facts.md's prices (spec/prices.ts). Pure functions,
 * so the arithmetic is tested apart from the simulation.
 */
import { PRICES } from '../../spec/prices';
import { MINUTES_PER_HOUR } from '../../util/time';

/** Lambda requests and GB-seconds of the invocations, plus the HTTP API requests in front of them. */
export function lambdaMinuteCost(usage: {
  invocations: number;
  durationMs: number;
  memoryMb: number;
  apiRequests: number;
}): number {
  const gbSeconds = usage.invocations * (usage.durationMs / 1000) * (usage.memoryMb / 1024);
  return (
    usage.invocations * PRICES.lambda.perRequest +
    gbSeconds * PRICES.lambda.perGbSecond +
    usage.apiRequests * PRICES.httpApi.perRequest
  );
}

/**
 * One ALB for one minute: the hourly charge, the LCUs (1 LCU = 25 new connections per second; one new
 * connection per request) and one public IPv4 address per subnet.
 */
export function albMinuteCost(usage: { newConnectionsInMinute: number; publicIps: number }): number {
  const connectionsPerSecond = usage.newConnectionsInMinute / 60;
  const lcus = connectionsPerSecond / PRICES.alb.newConnectionsPerSecondPerLcu;
  return (
    (PRICES.alb.perHour + lcus * PRICES.alb.perLcuHour + usage.publicIps * PRICES.publicIpv4PerHour) /
    MINUTES_PER_HOUR
  );
}

/** One Fargate task for one minute: vCPU and GB hours, and its public IPv4 address if it has one. */
export function taskMinuteCost(task: { vcpu: number; memoryGb: number; publicIp: boolean }): number {
  return (
    (task.vcpu * PRICES.fargate.perVcpuHour +
      task.memoryGb * PRICES.fargate.perGbHour +
      (task.publicIp ? PRICES.publicIpv4PerHour : 0)) /
    MINUTES_PER_HOUR
  );
}
