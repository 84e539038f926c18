/**
 * Scenario: the ALB deleted behind the stack's back while traffic shifts to Fargate, against the simulated
 * AWS. Traffic leaves Fargate at once (safety rule 1), the ALB is made again and provisions for minutes.
 * The weighted records' steps are ordered after the ALB's step but, while no weight goes to Fargate, not
 * held by its provisioning (a dependency of strength 'order', resources/types.ts): the fargate record
 * follows the new ALB at weight 0 from the pass that made it, and no record step waits behind the ALB.
 * Once the ALB is active with healthy targets, the shift starts again.
 *
 * Run under both of the simulated Route 53's models of PriorRequestNotComplete: as documented (a zone
 * refuses a change only while it processes the last, so the rollback and the new ALB's record go while
 * the shift's change is still PENDING), and the adversary's (a zone refuses every change until the last is
 * INSYNC), where a pass that began with a change of the zone PENDING could write no record: its records
 * are Route 53's doing, not the pass's, and are not checked.
 */
import {
  DescribeLoadBalancersCommand,
  DeleteLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { clientsFor } from '../../aws-sim';
import { isLoadBalancerActive } from '../../aws-sim/services/elbv2/api';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  expectNoFargateWeightOffHealthyAlb,
  lastSteps,
  passUntilShiftStarts,
  pendingChangesOf,
  recordWeights,
  ROUTE53_MODELS,
  scenario,
  specInput,
  type Scenario,
} from './harness';

const ALB_TYPE = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
/** A create, update or wait of either weighted record. */
const RECORD_STEP = /^(create|update|wait):dns-(lambda|fargate)$/;

/** The stack's ALB as the simulated account holds it (not as the reconciler saw it). */
async function albNow(s: Scenario): Promise<{ arn: string; dnsName: string; active: boolean } | undefined> {
  const item = s.owned().find((i) => i.type === ALB_TYPE);
  if (!item) return undefined;
  const answer = await clientsFor(s.account).elbv2.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: [item.id] }),
  );
  const lb = answer.LoadBalancers![0]!;
  return { arn: item.id, dnsName: lb.DNSName!, active: isLoadBalancerActive(s.account, item.id) };
}

/** The fargate record's alias target as Route 53 holds it. */
async function fargateAlias(s: Scenario, zone: string): Promise<string | undefined> {
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
  const set = answer.ResourceRecordSets?.find(
    (r) => r.Name?.replace(/\.$/, '') === EXAMPLE_RECORD && r.SetIdentifier === 'fargate',
  );
  return set?.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase();
}

describe('scenario: the ALB made again while traffic shifts to Fargate', () => {
  it.each(ROUTE53_MODELS)(
    'Route 53 %s: takes traffic off at once, points the fargate record at the new ALB at weight 0 while it provisions, and holds no record step behind it',
    async (route53) => {
      const s = scenario({ seed: 61, route53 });
      const zone = await exampleZoneId(s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await s.apply(specInput({ mode: 'lambda', dns }));
      await s.settle();
      await s.apply(specInput({ mode: 'fargate', dns }));
      await passUntilShiftStarts(s, zone, EXAMPLE_RECORD);
      const first = (await albNow(s))!;
      s.account.advance(5_000);
      await clientsFor(s.account).elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: first.arn }));

      let followedWhileProvisioning = 0;
      let settled = false;
      for (let i = 0; i < 300 && !settled; i++) {
        const refused = route53 === 'until-insync' && pendingChangesOf(s, zone) > 0;
        const result = await s.pass();
        expect(result).not.toBe('crashed');
        if (result === 'crashed') break;
        const weights = await recordWeights(s, zone, EXAMPLE_RECORD);
        const alb = await albNow(s);
        if (!refused) await expectNoFargateWeightOffHealthyAlb(s, zone, EXAMPLE_RECORD);
        // No record step of any pass waits behind the ALB while traffic leaves it or stays off it.
        for (const step of await lastSteps(s)) {
          if (!RECORD_STEP.test(step.id)) continue;
          expect({ step: step.id, outcome: step.outcome }).not.toMatchObject({
            outcome: { status: 'blocked', reason: expect.stringMatching(/:alb\b/) },
          });
          // Nor fails for want of it: a record the other step's batch removed is simply done.
          expect({ step: step.id, outcome: step.outcome }).not.toMatchObject({
            outcome: { code: 'AlbNotReady' },
          });
        }
        if (alb && alb.arn !== first.arn && !alb.active && !refused) {
          // The ALB made again is still provisioning: the fargate record already follows it, carrying nothing.
          expect(weights.fargate).toBe(0);
          expect(await fargateAlias(s, zone)).toBe(alb.dnsName.toLowerCase());
          followedWhileProvisioning += 1;
        }
        settled = result.settled;
        s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
      }
      expect(settled).toBe(true);
      expect(followedWhileProvisioning).toBeGreaterThan(0);
      expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 0, fargate: 100 });
      expect(await fargateAlias(s, zone)).toBe((await albNow(s))!.dnsName.toLowerCase());
    },
  );
});
