/**
 * Adversary (faults): the old name's drain with every AWS call of the edit's passes throttled or failing
 * half of the time (the SDK's own retries used up on about one call in eight), over several fault streams.
 * A throttled or failed look-up is never "gone" (safety rule 6): nothing serving the old name goes before it
 * drained for the whole wait, and once the faults stop the stack settles where its spec asks.
 */
import { callsBeforeDrained, settledOnFargateWithDns } from './drain-watch';
import { passFor, specInput } from './harness';

describe('adversary: the old name drains under throttling and 5xx answers', () => {
  it.each(['fargate', 'lambda'] as const)('dns removed asking for %s', async (mode) => {
    const broken: string[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { s, watch } = await settledOnFargateWithDns({ seed: 100 + seed });
      await s.apply(specInput({ mode }));
      s.account.setFaults({ throttle: 0.35, error5xx: 0.15, seed });
      await passFor(s, 15 * 60_000);
      s.account.setFaults({});
      const last = (await s.settle()).at(-1);
      const early = callsBeforeDrained(watch);
      const want = mode === 'fargate' ? 'Fargate' : 'Lambda';
      if (early.length > 0 || last?.phase !== want || !last.settled)
        broken.push(`fault seed ${seed}: ${JSON.stringify({ early, phase: last?.phase })}`);
      if (mode === 'lambda') expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    }
    expect(broken).toEqual([]);
  });
});
