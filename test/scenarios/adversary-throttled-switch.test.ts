/**
 * Adversary scenarios: a whole round trip with `dns` (Lambda → Fargate → Lambda) while AWS throttles a
 * third of all calls and answers 5 % with a server error, at every step, reads included (safety rule 6:
 * unknown is not absent). Checked against the simulated account after every pass: a Fargate weight in
 * Route 53 only onto the stack's active ALB with a healthy target (safety rule 1); on the way down,
 * nothing serving the Fargate tier goes before Route 53's answers stopped naming it + TTL × 2 + the
 * deregistration delay (safety rule 2); the Lambda tier's function is there throughout (safety rule 4).
 */
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { clientsFor } from '../../aws-sim';
import { healthyTargetCount, isLoadBalancerActive } from '../../aws-sim/services/elbv2/api';
import { DEREGISTRATION_DELAY_MS } from '../../reconciler/traffic/shift';
import { watchDrain } from './drain-watch';
import { byType, exampleDns, exampleZoneId, scenario, specInput, type Scenario } from './harness';

const RECORD = 'api.example.test';
const WAIT_MS = 2 * 60 * 1000 + DEREGISTRATION_DELAY_MS;

/**
 * What breaks safety rules 1 and 4 right now, as the simulated account holds things. Rule 4 from the moment
 * the Lambda function first exists: a new stack's first passes make it, and a throttled create delays it.
 */
async function violations(s: Scenario, zone: string, made: { lambda: boolean }): Promise<string[]> {
  const found: string[] = [];
  const clients = clientsFor(s.account);
  const sets = (await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })))
    .ResourceRecordSets!;
  const fargate = sets.find((r) => r.Name === `${RECORD}.` && r.SetIdentifier === 'fargate');
  if (fargate && (fargate.Weight ?? 0) > 0) {
    const target = fargate.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase();
    const albs = s.owned().filter((i) => i.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    const described = albs.length
      ? (
          await clients.elbv2.send(
            new DescribeLoadBalancersCommand({ LoadBalancerArns: albs.map((a) => a.id) }),
          )
        ).LoadBalancers!
      : [];
    const alb = described.find((lb) => lb.DNSName!.toLowerCase() === target);
    const group = s.owned().find((i) => i.type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
    if (!alb || !isLoadBalancerActive(s.account, alb.LoadBalancerArn!))
      found.push(`weight ${fargate.Weight} on ${target}, not an active ALB of the stack`);
    else if (!group || healthyTargetCount(s.account, group.id) < 1)
      found.push(`weight ${fargate.Weight} on the ALB with no healthy target`);
  }
  const lambda = byType(s.owned())['AWS::Lambda::Function'] !== undefined;
  if (made.lambda && !lambda) found.push('the Lambda function is gone');
  made.lambda ||= lambda;
  return found;
}

async function untilSettled(
  s: Scenario,
  zone: string,
  broken: string[],
  label: string,
  made: { lambda: boolean },
) {
  for (let i = 0; i < 400; i++) {
    const result = await s.pass();
    for (const v of await s.account.withoutFaults(() => violations(s, zone, made)))
      broken.push(`${label}, pass ${i}: ${v}`);
    if (result !== 'crashed' && result.settled) return result;
    s.account.advance(
      result === 'crashed' ? 5_000 : Math.max(5_000, Math.min(result.requeueAfterMs ?? 15_000, 60_000)),
    );
  }
  throw new Error(`${label}: not settled after 400 passes`);
}

describe('adversary: a round trip with dns, a third of all calls throttled and 5 % server errors', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: safety rules 1, 2 and 4 hold against the account', async (seed) => {
    const s = scenario({ seed });
    const zone = await exampleZoneId(s);
    const dns = exampleDns(zone, RECORD);
    s.account.setFaults({ throttle: 0.33, error5xx: 0.05, seed });
    const broken: string[] = [];
    const made = { lambda: false };
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect(await untilSettled(s, zone, broken, 'up', made)).toMatchObject({ phase: 'Fargate' });
    const watch = watchDrain(s.account, s.clients, zone, RECORD);
    await s.apply(specInput({ mode: 'lambda', dns }));
    expect(await untilSettled(s, zone, broken, 'down', made)).toMatchObject({ phase: 'Lambda' });
    expect(made.lambda).toBe(true);
    expect(byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBeUndefined();
    for (const c of watch.calls) {
      if (c.drainedSince === undefined || c.at - c.drainedSince < WAIT_MS)
        broken.push(`down: ${c.operation} ${c.at - (c.drainedSince ?? c.at)} ms after INSYNC`);
    }
    expect(broken).toEqual([]);
  });
});
