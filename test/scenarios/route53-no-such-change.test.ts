/**
 * GetChange answering NoSuchChange for a change the stack itself just made (the simulator's adversary
 * `getChangeLagMs`, an eventually consistent read). AWS documents NoSuchChange only as "A change with the
 * specified change ID does not exist", and no expiry of change ids: the answer says nothing of whether
 * the records are in sync. Read as INSYNC (before the fix), the drain started while Route 53's servers
 * still answered the Fargate tier, and its serving path went before resolvers could have let go.
 * Measured on the simulated account's clock (drain-watch.ts).
 */
import { setRoute53Config } from '../../aws-sim/services/route53';
import { callsBeforeDrained, settledOnFargateWithDns } from './drain-watch';
import { exampleDns, specInput } from './harness';

/** Longer than a pass's requeue while a change is PENDING (15 s): the next pass asks within the lag. */
const LAG_MS = 20_000;

describe('Route 53 answering NoSuchChange for a change of ours', () => {
  it('asking for Lambda: nothing of the serving path goes before the whole drain from the real INSYNC', async () => {
    const { s, zone, watch } = await settledOnFargateWithDns({ seed: 91 });
    setRoute53Config(s.account, { getChangeLagMs: LAG_MS });
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    expect(callsBeforeDrained(watch)).toEqual([]);
  });

  it('dns removed staying on Fargate: the HTTPS listener waits for the whole drain of the old name', async () => {
    const { s, watch } = await settledOnFargateWithDns({ seed: 92 });
    setRoute53Config(s.account, { getChangeLagMs: LAG_MS });
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(watch.calls.map((c) => c.operation)).toEqual(['DeleteListener']);
    expect(callsBeforeDrained(watch)).toEqual([]);
  });
});
