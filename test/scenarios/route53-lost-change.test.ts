/**
 * Safety rule 2 when the id of the change that moved traffic off Fargate is lost. Route 53 has no way to
 * list a zone's changes: the only handle on a change is the id ChangeResourceRecordSets answers. A pass
 * that dies after Route 53 took that change, but before it wrote the id to the stack's record, leaves the
 * next pass records already at Fargate 0 and no change to ask about; taken as INSYNC, the drain's wait
 * would start up to a whole propagation (≈ 60 s) early. Under both of the simulator's models: it is not a
 * matter of PriorRequestNotComplete. The reconciler writes the records again (the same UPSERT, under the
 * ownership TXT's guard) and waits on that change, which carries the same values (docs/design.md, "In
 * sync by a change the reconciler knows").
 */
import { watchDrain } from './drain-watch';
import {
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  recordWeights,
  ROUTE53_MODELS,
  scenario,
  specInput,
} from './harness';

describe.each(ROUTE53_MODELS)(
  'Route 53 %s: the id of the change that moved traffic lost in a crash',
  (route53) => {
    it('nothing serving the Fargate tier goes before that change’s INSYNC + TTL × 2 + the deregistration delay', async () => {
      const s = scenario({ seed: 81, route53 });
      const zone = await exampleZoneId(s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await s.apply(specInput({ mode: 'fargate', dns }));
      await s.settle();
      expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 0, fargate: 100 });
      const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
      // The pass that writes the weights back to Lambda dies as Route 53's answer comes back.
      s.account.setFaults({ crashAfterOperation: 'ChangeResourceRecordSets' });
      await s.apply(specInput({ mode: 'lambda', dns }));
      expect((await s.settle(300)).at(-1)).toMatchObject({ settled: true, phase: 'Lambda' });
      expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
      const early = watch.calls.filter(
        (c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS,
      );
      expect(early.map((c) => ({ ...c, waitedMs: c.at - (c.drainedSince ?? c.at) }))).toEqual([]);
    });

    it('the same when the pass after the crash was made by a version that kept no word of the change', async () => {
      const s = scenario({ seed: 82, route53 });
      const zone = await exampleZoneId(s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await s.apply(specInput({ mode: 'fargate', dns }));
      await s.settle();
      const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
      s.account.setFaults({ crashAfterOperation: 'ChangeResourceRecordSets' });
      await s.apply(specInput({ mode: 'lambda', dns }));
      let crashed = false;
      for (let i = 0; i < 5 && !crashed; i++) {
        crashed = (await s.pass()) === 'crashed';
        s.account.advance(1_000);
      }
      expect(crashed).toBe(true);
      expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 100, fargate: 0 });
      // What the version before this one saved on the next pass: the records found at Fargate 0 and "in
      // sync" with no change to ask about, the shift at 0, nothing pending. Its next pass started the drain.
      const [record, ...others] = s.store.exportRecords();
      expect(others).toEqual([]);
      s.store.importRecords([
        {
          ...record!,
          bookkeeping: { ...record!.bookkeeping, shift: { fargateWeight: 0 }, pendingChanges: {} },
        },
      ]);
      expect((await s.settle(300)).at(-1)).toMatchObject({ settled: true, phase: 'Lambda' });
      expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
      const early = watch.calls.filter(
        (c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS,
      );
      expect(early.map((c) => ({ ...c, waitedMs: c.at - (c.drainedSince ?? c.at) }))).toEqual([]);
    });
    it.each([
      ['mid-drain', false],
      ['the drain waited out, the deletes that followed all failed', true],
    ])(
      'two passes in a row dying after their change, %s: Fargate asked again, then Lambda again',
      async (_when, waitedOut) => {
        const s = scenario({ seed: 83, route53 });
        const zone = await exampleZoneId(s);
        const dns = exampleDns(zone, EXAMPLE_RECORD);
        await s.apply(specInput({ mode: 'fargate', dns }));
        await s.settle();
        const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
        // The drain starts from a change this reconciler knows.
        await s.apply(specInput({ mode: 'lambda', dns }));
        const shift = () => s.store.exportRecords()[0]!.bookkeeping.shift;
        for (let i = 0; i < 30 && shift()?.drain === undefined; i++) {
          expect(await s.pass()).not.toBe('crashed');
          s.account.advance(5_000);
        }
        expect(shift()).toMatchObject({ fargateWeight: 0, knownChange: true, drain: {} });
        if (waitedOut) {
          // What a pass that found the wait over leaves when every delete after it failed (throttled): the
          // Fargate tier whole and healthy, the drain marked waited.
          s.account.advance(DRAIN_WAIT_MS);
          const [record] = s.store.exportRecords();
          const done = {
            ...record!.bookkeeping.shift!,
            drain: { ...shift()!.drain!, waited: true as const },
          };
          s.store.importRecords([{ ...record!, bookkeeping: { ...record!.bookkeeping, shift: done } }]);
        }
        // Fargate asked for again: the pass dies as Route 53's answer to its first step comes back.
        const dyingAfterItsChange = async () => {
          s.account.setFaults({ crashAfterOperation: 'ChangeResourceRecordSets' });
          let crashed = false;
          // Under until-insync, the change waits for the one before it to be INSYNC.
          for (let i = 0; i < 40 && !crashed; i++) {
            crashed = (await s.pass()) === 'crashed';
            s.account.advance(5_000);
          }
          expect(crashed).toBe(true);
        };
        await s.apply(specInput({ mode: 'fargate', dns }));
        await dyingAfterItsChange();
        expect((await recordWeights(s, zone, EXAMPLE_RECORD)).fargate).toBeGreaterThan(0);
        // And Lambda again, its pass dying the same way: both changes' ids are lost.
        await s.apply(specInput({ mode: 'lambda', dns }));
        await dyingAfterItsChange();
        expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 100, fargate: 0 });
        expect((await s.settle(300)).at(-1)).toMatchObject({ settled: true, phase: 'Lambda' });
        expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
        const early = watch.calls.filter(
          (c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS,
        );
        expect(early.map((c) => ({ ...c, waitedMs: c.at - (c.drainedSince ?? c.at) }))).toEqual([]);
      },
    );
  },
);
