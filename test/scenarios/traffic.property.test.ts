/**
 * A property: over random sequences of mode changes, spec edits, faults and clock advances,
 * at every step the Lambda tier and its record exist and no weight points at an ALB that is missing or
 * unhealthy; after settling in mode lambda nothing of the Fargate tier is left and nothing is duplicated.
 * Under either of the simulated Route 53's models of PriorRequestNotComplete, drawn with the rest: under
 * the adversary's ('until-insync'), a step that began with a change of the zone PENDING could write no
 * weight, so its weights are Route 53's doing and are not checked.
 */
import fc from 'fast-check';
import { healthyTargetCount, isLoadBalancerActive } from '../../aws-sim/services/elbv2/api';
import {
  byType,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  pendingChangesOf,
  recordWeights,
  ROUTE53_MODELS,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

type Action =
  | { kind: 'mode'; mode: 'lambda' | 'fargate' }
  | { kind: 'edit'; tag: number; minTasks: number }
  | { kind: 'throttle' }
  | { kind: 'crash'; afterCalls: number }
  | { kind: 'advance'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('mode' as const),
    mode: fc.constantFrom('lambda' as const, 'fargate' as const),
  }),
  fc.record({
    kind: fc.constant('edit' as const),
    tag: fc.integer({ min: 1, max: 3 }),
    minTasks: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({ kind: fc.constant('throttle' as const) }),
  fc.record({ kind: fc.constant('crash' as const), afterCalls: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 5_000, max: 300_000 }) }),
);

async function checkInvariants(s: Scenario, zone: string, route53Refused = false) {
  const owned = s.owned();
  expect(owned.filter((r) => r.type === 'AWS::Lambda::Function')).toHaveLength(1);
  const weights = await recordWeights(s, zone, EXAMPLE_RECORD);
  expect(weights.lambda).toBeDefined();
  if (weights.fargate && !route53Refused) {
    const resources = (await s.store.get(STACK))!.status!.resources;
    expect(resources.alb && isLoadBalancerActive(s.account, resources.alb.arn ?? resources.alb.id)).toBe(
      true,
    );
    expect(healthyTargetCount(s.account, resources.tg.arn ?? resources.tg.id)).toBeGreaterThanOrEqual(1);
  }
}

describe('property: traffic safety under random operations', () => {
  it('holds the safety rules at every step and leaves no Fargate tier and no duplicate in mode lambda', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom(...ROUTE53_MODELS),
        async (actions, seed, route53) => {
          const s = scenario({ seed, route53 });
          const zone = await exampleZoneId(s);
          let spec = specInput({
            mode: 'lambda',
            dns: exampleDns(zone, EXAMPLE_RECORD),
          });
          await s.apply(spec);
          await s.settle();
          for (const a of actions) {
            if (a.kind === 'mode') spec = { ...spec, mode: a.mode };
            if (a.kind === 'edit') {
              spec = {
                ...spec,
                image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:${a.tag}`,
                fargate: { ...spec.fargate, minTasks: a.minTasks },
              };
            }
            if (a.kind === 'mode' || a.kind === 'edit') await s.apply(spec);
            if (a.kind === 'throttle') s.account.setFaults({ throttle: 0.2, seed });
            if (a.kind === 'crash') s.account.setFaults({ crashAfterCalls: a.afterCalls });
            s.account.advance(a.kind === 'advance' ? a.ms : 10_000);
            const refused = route53 === 'until-insync' && pendingChangesOf(s, zone) > 0;
            await s.pass();
            s.account.setFaults({});
            await checkInvariants(s, zone, refused);
          }
          await s.apply({ ...spec, mode: 'lambda' });
          await s.settle(400);
          await checkInvariants(s, zone);
          const fargateLeft = s
            .owned()
            .filter((r) => /EC2|ElasticLoadBalancingV2|ECS|ApplicationAutoScaling/.test(r.type));
          expect(fargateLeft).toEqual([]);
          for (const [type, count] of Object.entries(byType(s.owned()))) {
            expect({ type, count }).toEqual({ type, count: 1 });
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
