/**
 * Adversary scenario: safety rule 1 against an ALB that is not the stack's. While all traffic is on
 * Fargate, someone deletes the stack's ALB and makes one of the same name (ALB names are unique in an
 * account and region, so the stack cannot make its own again), without the stack's tags, with a listener
 * that forwards to the stack's target group: its targets stay healthy. The fargate record still points
 * at the deleted ALB's DNS name, and the stack may not point it at the new one (safety rule 3). Checked
 * against the simulated account: within two passes, no weight of the stack's records goes to a name
 * that is not an active ALB of the stack.
 */
import {
  CreateListenerCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { clientsFor } from '../../aws-sim';
import { isLoadBalancerActive } from '../../aws-sim/services/elbv2/api';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  recordWeights,
  scenario,
  specInput,
  type Scenario,
} from './harness';
import { ALB_TYPE, deleteOurAlb, takeItsName } from './alb-taken';

const TG_TYPE = 'AWS::ElasticLoadBalancingV2::TargetGroup';

/** The fargate record as Route 53 holds it: its weight and where it points. */
async function fargateRecord(s: Scenario, zone: string) {
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
  const set = answer.ResourceRecordSets?.find(
    (r) => r.Name?.replace(/\.$/, '') === EXAMPLE_RECORD && r.SetIdentifier === 'fargate',
  );
  return (
    set && { weight: set.Weight ?? 0, target: set.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase() }
  );
}

/** The DNS names of the stack's own active ALBs, as the simulated account holds them. */
async function ownActiveAlbNames(s: Scenario): Promise<string[]> {
  const ours = s.owned().filter((i) => i.type === ALB_TYPE && isLoadBalancerActive(s.account, i.id));
  if (ours.length === 0) return [];
  const answer = await clientsFor(s.account).elbv2.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: ours.map((i) => i.id) }),
  );
  return (answer.LoadBalancers ?? []).map((lb) => lb.DNSName!.toLowerCase());
}

describe('adversary: the stack’s ALB replaced by someone else’s of the same name', () => {
  it('no weight stays on a name that is not an active ALB of the stack', async () => {
    const s = scenario({ seed: 67 });
    const zone = await exampleZoneId(s);
    const dns = exampleDns(zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 0, fargate: 100 });

    // Someone else's hands: the stack's ALB goes, one of the same name takes its place, untagged, and
    // forwards to the stack's target group so that its targets stay healthy.
    const group = s.owned().find((i) => i.type === TG_TYPE)!;
    const theirs = await takeItsName(s, await deleteOurAlb(s), true);
    await clientsFor(s.account).elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: theirs.LoadBalancerArn!,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: group.id }],
      }),
    );
    // Long enough for it to be active: the stack sees an active ALB at its name and healthy targets.
    s.account.advance(5 * 60_000);
    expect(isLoadBalancerActive(s.account, theirs.LoadBalancerArn!)).toBe(true);

    const stranded: string[] = [];
    for (let pass = 1; pass <= 6; pass++) {
      const result = await s.pass();
      const record = await fargateRecord(s, zone);
      const ownNames = await ownActiveAlbNames(s);
      if (pass >= 2 && record && record.weight > 0 && !ownNames.includes(record.target ?? ''))
        stranded.push(`after pass ${pass}: weight ${record.weight} on ${record.target}`);
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(stranded).toEqual([]);
  });
});
