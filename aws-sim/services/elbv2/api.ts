/**
 * What other simulated services use from ELBv2, as plain functions on the account: ECS registers and
 * deregisters task IPs and checks that a target group has a load balancer; the traffic model and Application
 * Auto Scaling read healthy target counts and write `requestCountLastMinute`.
 */
import type { SimAccount } from '../../core/account';
import { deregistrationDelayMs, healthySince } from './health';
import { loadBalancersOfTargetGroup } from './lookup';
import { loadBalancerStateCode } from './shapes';
import type { Elbv2State, LoadBalancerRecord, TargetGroupRecord } from './state';
import { deregisterFromGroup, registerInGroup, targetHealths } from './targets';

function elbv2(account: SimAccount): Elbv2State {
  return account.stateOf<Elbv2State>('elbv2');
}

export function findTargetGroup(account: SimAccount, targetGroupArn: string): TargetGroupRecord | undefined {
  return elbv2(account).targetGroups[targetGroupArn];
}

export function findLoadBalancer(
  account: SimAccount,
  loadBalancerArn: string,
): LoadBalancerRecord | undefined {
  return elbv2(account).loadBalancers[loadBalancerArn];
}

/** ECS CreateService needs this: a target group reached by no listener "does not have an associated load balancer". */
export function targetGroupHasLoadBalancer(account: SimAccount, targetGroupArn: string): boolean {
  return loadBalancersOfTargetGroup(elbv2(account), targetGroupArn).length > 0;
}

export function isLoadBalancerActive(account: SimAccount, loadBalancerArn: string): boolean {
  const record = findLoadBalancer(account, loadBalancerArn);
  return record !== undefined && loadBalancerStateCode(record, account.now()) === 'active';
}

/** Registers an IP target at `at` (a task's RUNNING time); ignored if the group is gone. */
export function registerIpTarget(
  account: SimAccount,
  targetGroupArn: string,
  target: { ip: string; port: number; availabilityZone?: string },
  at: number,
): void {
  const group = findTargetGroup(account, targetGroupArn);
  if (group)
    registerInGroup(
      group,
      { id: target.ip, port: target.port, availabilityZone: target.availabilityZone },
      at,
    );
}

/** Starts draining an IP target at `at`; returns how long it drains (0 when the group or target is gone). */
export function deregisterIpTarget(
  account: SimAccount,
  targetGroupArn: string,
  target: { ip: string; port: number },
  at: number,
): number {
  const group = findTargetGroup(account, targetGroupArn);
  if (!group || !deregisterFromGroup(elbv2(account), group, target.ip, target.port, at)) return 0;
  return deregistrationDelayMs(group);
}

/**
 * Since when an IP target has been healthy, or undefined when it is not healthy now: ECS's rolling
 * update stops an old task at the moment a new one became healthy.
 */
export function targetHealthySince(
  account: SimAccount,
  targetGroupArn: string,
  ip: string,
  port: number,
): number | undefined {
  const group = findTargetGroup(account, targetGroupArn);
  const target = group?.targets.find((t) => t.id === ip && t.port === port && t.deregisteredAt === undefined);
  if (!group || !target) return undefined;
  return healthySince(elbv2(account), group, target, account.now(), account.faults);
}

/** Healthy targets now: what HealthyHostCount reports and what traffic can be served by. */
export function healthyTargetCount(account: SimAccount, targetGroupArn: string): number {
  const group = findTargetGroup(account, targetGroupArn);
  if (!group) return 0;
  return targetHealths(elbv2(account), group, account).filter((h) => h.health.State === 'healthy').length;
}
