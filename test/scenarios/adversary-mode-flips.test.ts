/**
 * Adversary scenarios: the mode flipped back and forth mid-switch (Fargate → Lambda → Fargate → Lambda),
 * each flip at the worst moment: back to Fargate once the drain has begun (traffic on Lambda, in sync,
 * the wait counting), back to Lambda once the first step has put weight on Fargate again. Under both of
 * the simulated Route 53's models. Checked against the simulated account after every pass: a Fargate
 * weight only onto the stack's active ALB with a healthy target (safety rule 1); nothing serving the
 * Fargate tier goes before Route 53's answers last stopped naming it + TTL × 2 + the deregistration
 * delay (safety rule 2: the first drain's wait does not carry over the second).
 */
import { watchDrain } from './drain-watch';
import {
  byType,
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  fargateWeightOffHealthyAlb,
  recordWeights,
  ROUTE53_MODELS,
  scenario,
  specInput,
} from './harness';

describe.each(ROUTE53_MODELS)('adversary: the mode flipped mid-switch, Route 53 %s', (route53) => {
  it('Fargate → Lambda → Fargate once the drain began → Lambda once Fargate has weight again', async () => {
    const s = scenario({ seed: 83, route53 });
    const zone = await exampleZoneId(s);
    const dns = exampleDns(zone, EXAMPLE_RECORD);
    const broken: string[] = [];
    const pass = async (label: string) => {
      const result = await s.pass();
      const v = await fargateWeightOffHealthyAlb(s, zone, EXAMPLE_RECORD);
      if (v) broken.push(`${label}: ${v}`);
      s.account.advance(
        result === 'crashed' ? 5_000 : Math.max(5_000, Math.min(result.requeueAfterMs ?? 15_000, 60_000)),
      );
      return result;
    };
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);

    await s.apply(specInput({ mode: 'lambda', dns }));
    for (let i = 0; i < 60 && watch.drainedSince() === undefined; i++) await pass('down');
    await pass('down');
    expect(watch.drainedSince()).toBeDefined();
    expect(watch.calls).toEqual([]);

    await s.apply(specInput({ mode: 'fargate', dns }));
    for (let i = 0; i < 60 && ((await recordWeights(s, zone, EXAMPLE_RECORD)).fargate ?? 0) === 0; i++)
      await pass('up again');
    expect((await recordWeights(s, zone, EXAMPLE_RECORD)).fargate).toBeGreaterThan(0);

    await s.apply(specInput({ mode: 'lambda', dns }));
    let last;
    for (let i = 0; i < 200; i++) {
      last = await pass('down again');
      if (last !== 'crashed' && last.settled) break;
    }
    expect(last).toMatchObject({ phase: 'Lambda', settled: true });
    expect(byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBeUndefined();
    for (const c of watch.calls) {
      if (c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS)
        broken.push(`${c.operation} ${c.at - (c.drainedSince ?? c.at)} ms after INSYNC`);
    }
    expect(broken).toEqual([]);
  });
});
