/**
 * Adversary (faults): the removal of the records at a name the spec dropped takes effect, and its answer
 * is lost to a 5xx (AWS documents that a request may meet a server error although it took effect); the
 * SDK sends the same batch again, whose DELETEs now find nothing (Route 53 answers InvalidChangeBatch:
 * "Tried to delete resource record set … but it was not found"). The stack must still drain the old name
 * for the whole wait from a change it knows, and settle where its spec asks, nothing left at the old name.
 */
import { atTheExampleName, callsBeforeDrained, settledOnFargateWithDns } from './drain-watch';
import { ROUTE53_MODELS, specInput, STACK } from './harness';

describe('adversary: the old name’s removal answered with a 5xx after it took effect', () => {
  it.each(
    ROUTE53_MODELS.flatMap((route53) => [
      ['fargate', route53],
      ['lambda', route53],
    ]) as ['fargate' | 'lambda', (typeof ROUTE53_MODELS)[number]][],
  )('dns removed asking for %s (Route 53 refusing a change %s)', async (mode, route53) => {
    const { s, zone, watch } = await settledOnFargateWithDns({ seed: 97, route53 });
    await s.apply(specInput({ mode }));
    s.account.setFaults({ error5xxAfterOperation: 'ChangeResourceRecordSets' });
    const passes = await s.settle();
    expect(s.account.faults.error5xxAfterOperation).toBeUndefined();
    expect(passes.at(-1)).toMatchObject({ phase: mode === 'fargate' ? 'Fargate' : 'Lambda', settled: true });
    expect(watch.calls.length).toBeGreaterThan(0);
    expect(callsBeforeDrained(watch)).toEqual([]);
    expect(await atTheExampleName(s, zone)).toEqual([]);
    const record = await s.store.get(STACK);
    expect(record?.status?.phase).toBe(mode === 'fargate' ? 'Fargate' : 'Lambda');
  });
});
