/**
 * `dns` taken out of the spec around a move between tiers (safety rule 2, docs/design.md "How traffic
 * moves"): the records left at the old name send resolvers to the ALB until their removal is INSYNC and
 * resolvers have let go of them. With the stack staying on Fargate, or on its way there, the records go
 * and the Fargate tier stays; on the way down the Fargate tier's serving path goes only once the old name
 * has drained for the whole wait, also when the pass that removed the records died before keeping the
 * change's id. Measured on the simulated account's clock (drain-watch.ts).
 */
import type { PriorRequestModel } from '../../aws-sim/services/route53';
import {
  atTheExampleName,
  callsBeforeDrained,
  settledOnFargateWithDns,
  watchDrain,
  type DrainWatch,
} from './drain-watch';
import {
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  passUntilShiftStarts,
  recordWeights,
  ROUTE53_MODELS,
  scenario,
  specInput,
  STACK,
} from './harness';

/**
 * The Fargate tier's calls but the HTTPS listener's: that one goes with the certificate `dns` carried,
 * once the old name has drained (the cases below that watch it).
 */
function tierCalls(watch: DrainWatch): string[] {
  return watch.calls.map((c) => c.operation).filter((operation) => operation !== 'DeleteListener');
}

describe('dns removed around a move between tiers', () => {
  it('staying on Fargate: the old name’s records and TXT go, the Fargate tier stays', async () => {
    const { s, zone, watch } = await settledOnFargateWithDns({ seed: 83 });
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(await atTheExampleName(s, zone)).toEqual([]);
    expect(tierCalls(watch)).toEqual([]);
    expect((await s.store.get(STACK))!.status?.weightless).toBe(true);
  });

  it('during ScalingUp: the old name’s records go and the stack reaches Fargate; nothing of its tier goes', async () => {
    const s = scenario({ seed: 84 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    await s.settle();
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone) }));
    await passUntilShiftStarts(s, zone, EXAMPLE_RECORD);
    expect((await recordWeights(s, zone, EXAMPLE_RECORD)).fargate).toBeGreaterThan(0);
    const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(await atTheExampleName(s, zone)).toEqual([]);
    expect(tierCalls(watch)).toEqual([]);
  });

  // `dns.certificateArn` goes with `dns`, and with it the ALB's HTTPS listener is no longer wanted; but the
  // old name's records send resolvers to the ALB, over HTTPS for clients that used the name, until their
  // removal is INSYNC and resolvers have let go of the answer. So the listener (and the security group's
  // port) stays until the old name has drained for the whole wait, then goes (traffic/old-name.ts).
  it('staying on Fargate: the HTTPS listener goes only once the old name has drained, and then goes', async () => {
    const { s, zone, watch } = await settledOnFargateWithDns({ seed: 83 });
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(watch.calls.map((c) => c.operation)).toEqual(['DeleteListener']);
    expect(callsBeforeDrained(watch)).toEqual([]);
    expect(await atTheExampleName(s, zone)).toEqual([]);
  });

  // The records are aliases (answered with 60 s), but a longer `dns.ttlSeconds` is the user's word on
  // resolvers that hold answers longer: remembered with the name, the old name drains with it.
  it.each([
    ['staying on Fargate', 'fargate'],
    ['asking for Lambda', 'lambda'],
  ] as const)(
    '%s with dns.ttlSeconds 300 removed: the wait is TTL × 2 of the TTL the records were written with',
    async (_case, mode) => {
      const { s, zone, watch } = await settledOnFargateWithDns({ seed: 88 }, 300);
      await s.apply(specInput({ mode }));
      await s.settle();
      const wait = 2 * 300_000 + (DRAIN_WAIT_MS - 2 * 60_000);
      const calls = watch.calls.filter((c) => c.operation !== 'UpdateService');
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.drainedSince === undefined || c.at - c.drainedSince < wait)).toEqual([]);
      expect(await atTheExampleName(s, zone)).toEqual([]);
    },
  );

  it.each(ROUTE53_MODELS)(
    'staying on Fargate, the pass dying right after the old records’ removal (Route 53 refusing a change %s): the HTTPS listener waits for the whole drain, from a change the next pass knows',
    async (route53: PriorRequestModel) => {
      for (const afterCrashMs of [0, 5_000]) {
        const { s, zone, watch } = await settledOnFargateWithDns({ seed: 87, route53, afterCrashMs });
        await s.apply(specInput({ mode: 'fargate' }));
        s.account.setFaults({ crashAfterOperation: 'ChangeResourceRecordSets' });
        const passes = await s.settle();
        expect(s.account.faults.crashAfterOperation).toBeUndefined();
        expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
        expect(watch.calls.map((c) => c.operation)).toEqual(['DeleteListener']);
        expect(callsBeforeDrained(watch)).toEqual([]);
        expect(await atTheExampleName(s, zone)).toEqual([]);
      }
    },
  );

  // The old name's removal seen INSYNC while the stack stays on Fargate, then Lambda asked for before
  // resolvers can have let go of it (before the fix: the leftovers gone read as weightless, and the Fargate
  // tier went at once, DeleteService 0 ms after the old name drained). The way down finds the old name's
  // TXT still there, writes it again to wait on a change it knows, and waits the whole drain from it.
  it('dns removed on Fargate, then Lambda asked for once the removal is INSYNC but before TTL × 2: the serving path waits for the rest', async () => {
    const { s, watch } = await settledOnFargateWithDns({ seed: 86 });
    await s.apply(specInput({ mode: 'fargate' }));
    for (let i = 0; watch.drainedSince() === undefined; i++) {
      if (i >= 20) throw new Error('the old name’s records were not removed and INSYNC in 20 passes');
      const result = await s.pass();
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(s.account.now() - watch.drainedSince()!).toBeLessThan(DRAIN_WAIT_MS);
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(tierCalls(watch)).toContain('DeleteLoadBalancer');
    expect(callsBeforeDrained(watch).filter((call) => !call.startsWith('DeleteListener'))).toEqual([]);
  });

  it.each(ROUTE53_MODELS)(
    'asking for Lambda, the pass dying right after the old records’ removal (Route 53 refusing a change %s): the wait is whole, from a change the next pass knows',
    async (route53: PriorRequestModel) => {
      for (const afterCrashMs of [0, 5_000]) {
        const { s, zone, watch } = await settledOnFargateWithDns({ seed: 85, route53, afterCrashMs });
        await s.apply(specInput({ mode: 'lambda' }));
        s.account.setFaults({ crashAfterOperation: 'ChangeResourceRecordSets' });
        const passes = await s.settle();
        // The crash happened, on the old records' removal: they were gone when the next pass looked.
        expect(s.account.faults.crashAfterOperation).toBeUndefined();
        expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
        expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
        expect(callsBeforeDrained(watch)).toEqual([]);
        expect(await atTheExampleName(s, zone)).toEqual([]);
      }
    },
  );
});
