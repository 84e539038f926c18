/**
 * Time-driven ELBv2 state. An ALB turns `active` once its provisioning time has passed and, for an
 * internet-facing one, every subnet has a route to an internet gateway: without it AWS leaves the ALB
 * `provisioning` indefinitely rather than failing (hashicorp/terraform PR #11333, docs/aws-facts.md).
 */
import type { SimAccount } from '../../core/account';
import { hasInternetRoute } from '../common/network-interfaces';
import type { Elbv2State, LoadBalancerRecord } from './state';
import { dropDrainedTargets } from './targets';

function canReachInternet(account: SimAccount, record: LoadBalancerRecord): boolean {
  if (record.scheme === 'internal') return true;
  return record.subnets.every((node) => hasInternetRoute(account, node.subnetId));
}

export function refreshElbv2(state: Elbv2State, account: SimAccount): void {
  const now = account.now();
  // for…in rather than Object.values: no array of every load balancer made on each step of the clock.
  for (const arn in state.loadBalancers) {
    const record = state.loadBalancers[arn];
    if (record.activeAt !== undefined || now < record.readyAt) continue;
    if (canReachInternet(account, record)) {
      // The route may have appeared any time since the last look; the later of that look and readyAt is
      // the closest time we know, and the same whatever step the clock moved by.
      record.activeAt = Math.max(record.readyAt, record.lastSeenWithoutRouteAt ?? record.readyAt);
    } else {
      record.lastSeenWithoutRouteAt = now;
    }
  }
  dropDrainedTargets(state, now);
}
