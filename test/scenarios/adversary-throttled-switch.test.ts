/**
 * Adversary scenarios: a whole round trip with `dns` (Lambda → Fargate → Lambda) while AWS throttles a
 * third of all calls and answers 5 % with a server error, at every step, reads included (safety rule 6:
 * unknown is not absent). Checked against the simulated account after every pass: a Fargate weight in
 * Route 53 only onto the stack's active ALB with a healthy target (safety rule 1); on the way down,
 * nothing serving the Fargate tier goes before Route 53's answers stopped naming it + TTL × 2 + the
 * deregistration delay (safety rule 2); the Lambda tier's function is there throughout (safety rule 4).
 */
import { watchDrain } from './drain-watch';
import {
  byType,
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  fargateWeightOffHealthyAlb,
  scenario,
  specInput,
  type Scenario,
} from './harness';

/**
 * What breaks safety rules 1 and 4 right now, as the simulated account holds things. Rule 4 from the moment
 * the Lambda function first exists: a new stack's first passes make it, and a throttled create delays it.
 */
async function violations(s: Scenario, zone: string, made: { lambda: boolean }): Promise<string[]> {
  const found: string[] = [];
  const rule1 = await fargateWeightOffHealthyAlb(s, zone, EXAMPLE_RECORD);
  if (rule1) found.push(rule1);
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
    const dns = exampleDns(zone, EXAMPLE_RECORD);
    s.account.setFaults({ throttle: 0.33, error5xx: 0.05, seed });
    const broken: string[] = [];
    const made = { lambda: false };
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect(await untilSettled(s, zone, broken, 'up', made)).toMatchObject({ phase: 'Fargate' });
    const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'lambda', dns }));
    expect(await untilSettled(s, zone, broken, 'down', made)).toMatchObject({ phase: 'Lambda' });
    expect(made.lambda).toBe(true);
    expect(byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBeUndefined();
    for (const c of watch.calls) {
      if (c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS)
        broken.push(`down: ${c.operation} ${c.at - (c.drainedSince ?? c.at)} ms after INSYNC`);
    }
    expect(broken).toEqual([]);
  });
});
