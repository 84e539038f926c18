/**
 * Adversary scenarios: safety rule 2's TTL is the one resolvers use. The stack's records are alias
 * records, which carry no TTL of their own: Route 53 answers an alias to a load balancer with the load
 * balancer's fixed TTL, 60 s (Route 53 FAQ, DNS failover: "alias records with a fixed TTL of 60
 * seconds"; the simulator's ALIAS_TTL_SECONDS), whatever `dns.ttlSeconds` says. A spec with a TTL below
 * 60 s (the schema allows 10) must not shorten the wait: resolvers that took the ALB's answer just
 * before the change turned INSYNC keep it 60 s. Measured in AWS's time (the simulated account's clock)
 * from when Route 53's answers stopped naming the Fargate tier.
 */
import { resolverWeights } from '../../aws-sim/services/route53/answers';
import { watchDrain } from './drain-watch';
import {
  byType,
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
} from './harness';

describe('adversary: a dns.ttlSeconds below the alias records’ TTL', () => {
  it.each([10, 30, 60, 90])(
    'ttlSeconds %i: nothing serving the Fargate tier goes before INSYNC + the TTL resolvers use × 2 + the deregistration delay',
    async (ttlSeconds) => {
      const s = scenario({ seed: 29 });
      const zone = await exampleZoneId(s);
      const dns = exampleDns(zone, EXAMPLE_RECORD, ttlSeconds);
      await s.apply(specInput({ mode: 'fargate', dns }));
      expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });

      const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
      // Whether some resolver may still send lookups to the ALB when each serving part goes.
      const stillResolved: string[] = [];
      s.account.observeCalls(({ operation }) => {
        if (
          !['DeleteService', 'DeleteListener', 'DeleteTargetGroup', 'DeleteLoadBalancer'].includes(operation)
        )
          return;
        const fargate = resolverWeights(s.account, zone, EXAMPLE_RECORD).find(
          (w) => w.setIdentifier === 'fargate',
        );
        if (fargate) stillResolved.push(`${operation}: ${(fargate.share * 100).toFixed(0)} % of lookups`);
      });
      await s.apply(specInput({ mode: 'lambda', dns }));
      expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
      expect(byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBeUndefined();

      expect(stillResolved).toEqual([]);
      expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
      const early = watch.calls
        .filter((c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS)
        .map((c) => `${c.operation} ${c.at - (c.drainedSince ?? c.at)} ms after INSYNC`);
      expect(early).toEqual([]);
    },
  );
});
