/**
 * Adversary scenarios: the fargate record's step that finds no ALB to point at waits for the pass that
 * makes it (resources/common/dependency-not-there.ts) instead of failing. A wait must not become a way
 * to stop for ever, nor to settle without the record, nor to put weight on an ALB that is not the
 * stack's, active and healthy (safety rule 1): checked against the simulated account after every pass.
 */
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { clientsFor } from '../../aws-sim';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  fargateWeightOffHealthyAlb,
  lastSteps,
  passUntilShiftStarts,
  recordWeights,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';
import { ALB_TYPE, deleteOurAlb, takeItsName } from './alb-taken';

/** Deletes the fargate record as someone else's hands would (the name's TXT and the lambda record stay). */
async function deleteFargateRecord(s: Scenario, zone: string) {
  const route53 = clientsFor(s.account).route53;
  const sets = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })))
    .ResourceRecordSets!;
  const fargate = sets.find((set) => set.SetIdentifier === 'fargate')!;
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone,
      ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: fargate }] },
    }),
  );
  expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 0 });
}

/**
 * What the passes broke, until `maxPasses` or the stack settles. Rule 1 is broken by the hand that
 * deleted the ALB from the start: the passes must mend it within `mendWithin` passes and never break it
 * again, nor leave no weight on any record. Settled is wrong without both records.
 */
async function watchPasses(s: Scenario, zone: string, maxPasses: number, mendWithin = 10) {
  const broken: string[] = [];
  let settled = false;
  let mended = false;
  for (let i = 1; i <= maxPasses && !settled; i++) {
    const result = await s.pass();
    const offHealthy = await fargateWeightOffHealthyAlb(s, zone, EXAMPLE_RECORD);
    if (!offHealthy) mended = true;
    else if (mended || i >= mendWithin) broken.push(`pass ${i}: ${offHealthy}`);
    // No weight anywhere (Route 53 then answers with every record alike) is mended as soon.
    const weights = await s.account.withoutFaults(() => recordWeights(s, zone, EXAMPLE_RECORD));
    if (i >= mendWithin && (weights.lambda ?? 0) + (weights.fargate ?? 0) === 0)
      broken.push(`pass ${i}: no weight on any record ${JSON.stringify(weights)}`);
    if (result !== 'crashed' && result.settled) {
      settled = true;
      const weights = await s.account.withoutFaults(() => recordWeights(s, zone, EXAMPLE_RECORD));
      if (weights.fargate === undefined || weights.lambda === undefined)
        broken.push(`pass ${i}: settled with the records ${JSON.stringify(weights)}`);
    }
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  return { broken, settled };
}

describe('adversary: the fargate record waiting for an ALB not made yet', () => {
  it.each([
    { when: 'settled on Fargate', midShift: false, recordToo: false },
    { when: 'in the middle of the shift', midShift: true, recordToo: false },
    { when: 'settled on Fargate, the fargate record deleted too', midShift: false, recordToo: true },
  ])(
    'the ALB deleted behind the stack’s back ($when), Route 53 throttled: the record rolls back, waits, and is made again',
    async ({ midShift, recordToo }) => {
      const s = scenario({ seed: 71 });
      const zone = await exampleZoneId(s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await s.apply(specInput({ mode: 'lambda', dns }));
      expect((await s.settle()).at(-1)).toMatchObject({ settled: true });
      await s.apply(specInput({ mode: 'fargate', dns }));
      if (midShift) await passUntilShiftStarts(s, zone, EXAMPLE_RECORD);
      else expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });

      await deleteOurAlb(s);
      if (recordToo) await deleteFargateRecord(s, zone);
      s.account.setFaults({ throttle: 0.3, seed: 5 });
      const { broken, settled } = await watchPasses(s, zone, 300);
      s.account.setFaults({});

      expect(broken).toEqual([]);
      expect(settled).toBe(true);
      expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 0, fargate: 100 });
      expect(s.owned().filter((i) => i.type === ALB_TYPE)).toHaveLength(1);
    },
  );

  it('a foreign ALB at the stack’s name in place of its own: never settles, no weight on it, says so', async () => {
    const s = scenario({ seed: 73 });
    const zone = await exampleZoneId(s);
    const dns = exampleDns(zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const old = await deleteOurAlb(s);
    // Someone else's ALB takes the stack's ALB name (unique in an account and region), untagged.
    await takeItsName(s, old);
    s.account.advance(5 * 60_000);
    const { broken, settled } = await watchPasses(s, zone, 40, 3);
    expect(broken).toEqual([]);
    expect(settled).toBe(false);
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 100 });
    // The user is told what is in the way; the record's step waits behind it, failing nothing.
    const status = (await s.store.get(STACK))!.status!;
    const alb = s.account.inventory().find((i) => i.type === ALB_TYPE)!;
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False' });
    expect(status.conditions.find((c) => c.type === 'Conflict')?.message).toContain(alb.id);
    const record = (await lastSteps(s)).find((step) => step.id === 'create:dns-fargate');
    expect(record?.outcome?.status).toBe('waiting');
    // Its reason names what it waits for: an ALB is there, not the stack's (not one "not made yet").
    expect(record?.outcome).toMatchObject({ reason: expect.stringContaining('not the stack') });
  });
});
