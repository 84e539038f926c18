/**
 * Time-driven ELBv2 state. An ALB turns `active` once its provisioning time has passed and, for an
 * internet-facing one, every subnet has a route to an internet gateway: without it AWS leaves the ALB
 * `provisioning` indefinitely rather than failing (hashicorp/terraform PR #11333, docs/aws-facts.md).
 */
import type { SimAccount } from '../../core/account';
import { derivedIndex } from '../../core/derived';
import { hasInternetRoute } from '../common/network-interfaces';
import type { Elbv2State, LoadBalancerRecord } from './state';
import { dropDrainedTargets } from './targets';

function canReachInternet(account: SimAccount, record: LoadBalancerRecord): boolean {
  if (record.scheme === 'internal') return true;
  return record.subnets.every((node) => hasInternetRoute(account, node.subnetId));
}

/**
 * The load balancers not active yet: the only ones a refresh has to look at (an active one stays active),
 * instead of every load balancer of the account at every step of the clock. Kept beside the account's
 * JSON (core/derived.ts): a restored account builds it again from its records.
 */
const provisioning = derivedIndex(
  (loadBalancers: Elbv2State['loadBalancers']) =>
    new Set(Object.keys(loadBalancers).filter((arn) => loadBalancers[arn].activeAt === undefined)),
);

/** After CreateLoadBalancer: the new one is looked at by the next refresh. */
export function loadBalancerCreated(state: Elbv2State, arn: string): void {
  provisioning.get(state.loadBalancers).add(arn);
}

export function refreshElbv2(state: Elbv2State, account: SimAccount): void {
  const now = account.now();
  const pending = provisioning.get(state.loadBalancers);
  for (const arn of pending) {
    const record = state.loadBalancers[arn];
    if (record === undefined || record.activeAt !== undefined) {
      pending.delete(arn);
      continue;
    }
    if (now < record.readyAt) continue;
    if (canReachInternet(account, record)) {
      pending.delete(arn);
      // The route may have appeared any time since the last look; the later of that look and readyAt is
      // the closest time we know, and the same whatever step the clock moved by.
      record.activeAt = Math.max(record.readyAt, record.lastSeenWithoutRouteAt ?? record.readyAt);
    } else {
      record.lastSeenWithoutRouteAt = now;
    }
  }
  dropDrainedTargets(state, now);
}
