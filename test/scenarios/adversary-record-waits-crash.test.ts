/**
 * Adversary scenario: a scale-up with a custom domain whose pass dies right after a change on the way to
 * the fargate record (the ALB made, a listener, the first record batch), the next pass run at once. The
 * record's step waits for the ALB it has not seen made (resources/common/dependency-not-there.ts): no
 * pass may put a Fargate weight on an ALB not active and healthy (safety rule 1, checked against the
 * simulated account after every pass), the stack settles on Fargate with both records and one ALB, and
 * the user is shown no warning for a wait.
 */
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  fargateWeightOffHealthyAlb,
  recordWeights,
  scenario,
  specInput,
  STACK,
} from './harness';

const ALB_TYPE = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const OPERATIONS = ['CreateLoadBalancer', 'CreateTargetGroup', 'CreateListener', 'ChangeResourceRecordSets'];

describe('adversary: a scale-up with a custom domain, the pass killed right after a change', () => {
  it.each(OPERATIONS)(
    'after %s, the next pass at once: rule 1 kept, settled on Fargate',
    async (operation) => {
      const s = scenario({ seed: 79, afterCrashMs: 0 });
      const zone = await exampleZoneId(s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await s.apply(specInput({ mode: 'lambda', dns }));
      expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
      const warningsBefore = (await s.store.get(STACK))!.events.filter((e) => e.type === 'Warning').length;

      await s.apply(specInput({ mode: 'fargate', dns }));
      s.account.setFaults({ crashAfterOperation: operation });
      const broken: string[] = [];
      let settled = false;
      for (let i = 1; i <= 200 && !settled; i++) {
        const result = await s.pass();
        const offHealthy = await fargateWeightOffHealthyAlb(s, zone, EXAMPLE_RECORD);
        if (offHealthy) broken.push(`pass ${i}: ${offHealthy}`);
        if (result === 'crashed') continue;
        settled = result.settled;
        s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
      }
      expect(s.account.faults.crashAfterOperation).toBeUndefined();
      expect(broken).toEqual([]);
      expect(settled).toBe(true);
      await s.expectPlansNothing();
      expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 0, fargate: 100 });
      expect(s.owned().filter((i) => i.type === ALB_TYPE)).toHaveLength(1);
      const warnings = (await s.store.get(STACK))!.events.filter((e) => e.type === 'Warning');
      expect(warnings.slice(warningsBefore).map((e) => e.message)).toEqual([]);
    },
  );
});
