/**
 * How one stack's requests divide between the tiers: by the Route 53 answers resolvers hold for the
 * stack's record (answers.ts). A stack without a custom domain name has no record: its clients call the
 * API's execute-api endpoint, so all its traffic goes to Lambda.
 */
import type { SimAccount } from '../../aws-sim/core/account';
import { fqdn, resolverWeights, zoneForName, type Route53State } from '../../aws-sim/services/route53';
import type { StackResources } from './stacks';

export interface TierShares {
  lambda: number;
  fargate: number;
  /** Lookups that got no usable answer (no record yet, or a target the stack does not own). */
  unrouted: number;
}

/** The shares at `at` (the traffic model uses the middle of the minute). */
export function tierShares(account: SimAccount, resources: StackResources, at: number): TierShares {
  const domain = resources.domain;
  if (!domain) return { lambda: 1, fargate: 0, unrouted: 0 };
  const zone = zoneForName(account.stateOf<Route53State>('route53'), domain.name);
  if (!zone) return { lambda: 0, fargate: 0, unrouted: 1 };
  const lambdaTarget = fqdn(domain.apiGatewayDomainName);
  const albTarget = resources.loadBalancer ? fqdn(resources.loadBalancer.dnsName) : undefined;
  const shares: TierShares = { lambda: 0, fargate: 0, unrouted: 0 };
  for (const answer of resolverWeights(account, zone.id, domain.name, 'A', at)) {
    // Alias targets may carry the `dualstack.` prefix that Route 53 accepts for ELB names.
    const target = answer.target.replace(/^dualstack\./, '');
    if (target === lambdaTarget) shares.lambda += answer.share;
    else if (albTarget !== undefined && target === albTarget) shares.fargate += answer.share;
    else shares.unrouted += answer.share;
  }
  shares.unrouted += Math.max(0, 1 - shares.lambda - shares.fargate - shares.unrouted);
  return shares;
}
