/**
 * Scenarios: the hosted zones and record names `lambdaflex bootstrap --hosted-zone` recorded in the table's
 * system record bind the reconciler itself, not only `apply`. A spec written straight to the table (as
 * `PUT /desired-state` or the dashboard does, which cannot read the system record) whose `dns` is not
 * allowed is invalid: nothing is built, and the status and events say which field breaks which rule. A
 * stack built while its zone was allowed, whose zone is then taken away, is left as it is, DNS included.
 */
import { formatStatus } from '../../cli/commands/status';
import { reconcileAll } from '../../reconciler/reconcile-all';
import type { InMemoryStateStore } from '../../reconciler/state';
import type { SystemRecord } from '../../reconciler/state/system-record';
import { fanOutWorld, quietMetrics } from './fan-out-world';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  recordWeights,
  scenario,
  specInput,
  STACK,
} from './harness';

/** What `lambdaflex --local bootstrap` records: no zone at all. */
const NO_ZONES: SystemRecord = { hostedZones: [], zoneNames: {} };

function allowing(zoneId: string, recordNames = ['*.example.test']): SystemRecord {
  return { hostedZones: [{ id: zoneId, recordNames }], zoneNames: { [zoneId]: 'example.test' } };
}

describe('dns the system record does not allow', () => {
  it('a stack written straight to the table with a zone bootstrap was not given: nothing built, and the status says why', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    s.store.systemRecord = NO_ZONES;
    // The store takes it: only the schema is checked there, as by PUT /desired-state.
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone) }));

    for (let i = 0; i < 3; i++) {
      const result = await s.pass();
      expect(result).toMatchObject({
        outcome: 'invalid',
        reason: expect.stringMatching(
          new RegExp(`^dns\\.hostedZoneId: ${zone} is not a hosted zone the reconciler may write in`),
        ),
      });
      s.account.advance(60_000);
    }
    expect(s.owned()).toEqual([]);
    expect(s.account.inventory().filter((i) => i.type !== 'AWS::Route53::HostedZone')).toEqual([]);

    const record = (await s.store.get(STACK))!;
    const specValid = record.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(specValid).toMatchObject({
      status: 'False',
      message: expect.stringContaining('bootstrap was given none'),
    });
    expect(specValid?.message).toContain(`\`lambdaflex bootstrap --hosted-zone ${zone}\` adds it`);
    expect(specValid?.message).toContain('nothing of the stack is created, changed or deleted');
    // One event, not one a pass.
    expect(record.events.filter((e) => e.reason === 'SpecInvalid')).toEqual([
      expect.objectContaining({ type: 'Warning', message: specValid?.message }),
    ]);
    expect(formatStatus(record)).toContain('dns.hostedZoneId');
  });

  it('a record name outside the names given for the zone is refused the same way', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    s.store.systemRecord = allowing(zone, ['shop.example.test']);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone, EXAMPLE_RECORD) }));
    await expect(s.pass()).resolves.toMatchObject({
      outcome: 'invalid',
      reason: expect.stringMatching(
        /^dns\.recordName: api\.example\.test is not a name the reconciler may write in/,
      ),
    });
    expect(s.owned()).toEqual([]);
  });

  it('a built stack whose zone is taken away is left as it is, records included, even when its deletion is asked for', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    s.store.systemRecord = allowing(zone);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({
      outcome: 'reconciled',
      settled: true,
      phase: 'Lambda',
    });
    const built = s.account.inventory();
    const weights = await recordWeights(s, zone, EXAMPLE_RECORD);
    expect(weights).toEqual({ lambda: 100 });

    // Bootstrap run again without the zone; the user then asks for Fargate, which would build a VPC.
    s.store.systemRecord = allowing('ZOTHERZONE');
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone) }));
    s.account.advance(60_000);
    await expect(s.pass()).resolves.toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining(
        `dns.hostedZoneId: ${zone} is not a hosted zone the reconciler may write in`,
      ),
    });
    expect(s.account.inventory()).toEqual(built);
    await expect(recordWeights(s, zone, EXAMPLE_RECORD)).resolves.toEqual(weights);

    // So is a request to delete it: deleting the records would cut a live name off.
    await s.store.requestDelete(STACK);
    await expect(s.pass()).resolves.toMatchObject({ outcome: 'invalid' });
    expect(s.account.inventory()).toEqual(built);
  });

  it('given back, the zone lets the next pass carry on', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    s.store.systemRecord = NO_ZONES;
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    await expect(s.pass()).resolves.toMatchObject({ outcome: 'invalid' });
    s.store.systemRecord = allowing(zone);
    s.account.advance(60_000);
    expect((await s.settle()).at(-1)).toMatchObject({
      outcome: 'reconciled',
      settled: true,
      phase: 'Lambda',
    });
    await expect(recordWeights(s, zone, EXAMPLE_RECORD)).resolves.toEqual({ lambda: 100 });
    const record = (await s.store.get(STACK))!;
    expect(record.status?.conditions.find((c) => c.type === 'SpecValid')?.status).toBe('True');
  });

  it('a pass over every stack reads the system record once, not once per stack', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    s.store.systemRecord = NO_ZONES;
    const stacks = ['alpha', 'bravo', 'charlie', 'delta'];
    for (const stack of stacks)
      await s.store.putSpec({
        ...specInput({ mode: 'lambda', dns: exampleDns(zone, `${stack}.example.test`) }),
        stack,
      });
    const reads = jest.spyOn(s.store, 'getSystemRecord');
    const result = await reconcileAll(s.reconciler, { parallelism: 2 });
    expect(result.results.map((r) => [r.stack, r.outcome]).sort()).toEqual(
      stacks.map((stack) => [stack, 'invalid']),
    );
    expect(reads).toHaveBeenCalledTimes(1);
    expect(s.account.inventory().filter((i) => i.type !== 'AWS::Route53::HostedZone')).toEqual([]);
  });

  it("fanned out: each minute's sweep reads the system record once for the fleet, sends the stacks it refuses, and their passes stop", async () => {
    const restore = quietMetrics();
    try {
      const w = await fanOutWorld();
      const zone = await exampleZoneId({ clients: w.clients } as Parameters<typeof exampleZoneId>[0]);
      const table = w.store as InMemoryStateStore;
      table.systemRecord = allowing(zone);
      const stacks = ['alpha', 'bravo', 'charlie'];
      for (const stack of stacks) {
        await w.store.putSpec({
          ...specInput({ mode: 'lambda', dns: exampleDns(zone, `${stack}.example.test`) }),
          stack,
        });
      }
      await w.runtime.drain();
      const settled = async () => {
        for (const stack of stacks) {
          const status = (await w.store.get(stack))?.status;
          if (status?.phase !== 'Lambda' || status.lastPass?.requeueAfterMs !== undefined) return false;
        }
        return true;
      };
      for (let i = 0; i < 40 && !(await settled()); i++) {
        w.account.advance(15_000);
        await w.schedule();
        await w.runtime.drain();
      }
      expect(await settled()).toBe(true);
      w.account.advance(60_000);
      expect((await w.schedule()).dispatched).toEqual([]);

      // Bootstrap again without the zone: the next sweep sends every stack, after one read.
      table.systemRecord = allowing('ZOTHERZONE');
      const built = w.account.inventory();
      // Counted by hand: the change feed's proxy binds the store's methods, so a jest spy reads as a function.
      let reads = 0;
      const read = table.getSystemRecord.bind(table);
      table.getSystemRecord = () => {
        reads += 1;
        return read();
      };
      w.account.advance(60_000);
      const swept = await w.schedule();
      expect(reads).toBe(1);
      expect(swept.dispatched?.map((d) => d.stack).sort()).toEqual(stacks);
      for (const d of swept.dispatched ?? []) {
        expect(d.reason).toMatch(/^the system record does not allow its dns \(\w+\.example\.test in /);
      }
      await w.runtime.drain();
      expect(w.account.inventory()).toEqual(built);
      for (const stack of stacks) {
        const specValid = (await w.store.get(stack))!.status!.conditions.find((c) => c.type === 'SpecValid');
        expect(specValid).toMatchObject({
          status: 'False',
          message: expect.stringContaining(`dns.hostedZoneId: ${zone} is not a hosted zone`),
        });
      }
      // Said once: the next minutes send nobody for it.
      w.account.advance(60_000);
      expect((await w.schedule()).dispatched).toEqual([]);
      // Given back: sent again, and valid.
      table.systemRecord = allowing(zone);
      w.account.advance(60_000);
      expect((await w.schedule()).dispatched?.map((d) => [d.stack, d.reason]).sort()).toEqual(
        stacks.map((stack) => [stack, 'the system record allows its dns again']),
      );
      await w.runtime.drain();
      for (const stack of stacks) {
        const specValid = (await w.store.get(stack))!.status!.conditions.find((c) => c.type === 'SpecValid');
        expect(specValid?.status).toBe('True');
      }
    } finally {
      restore();
    }
  });
});
