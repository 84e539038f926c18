/**
 * Adversary: the stack's own code holding off its deletion. `lambdaflex delete` marks the record; from then
 * on a spec write is refused (`apply`, `PUT /desired-state`: deletion is final). But that refusal is the
 * state store's condition on the write, which IAM cannot impose: the stack roles may UpdateItem the spec's
 * attributes of their own item with any condition or none (docs/security.md), and the user's code runs
 * with them. So while its deletion waits for the next pass (or mid-deletion), the stack's code writes a
 * spec: an invalid one, which the reconciler does not act on (safety rule 5), or a valid one naming a new
 * DNS name and another tier. Neither may hold the deletion nor have anything created or written: the stack
 * is deleted from the spec it was last reconciled with (reconciler/pass/deletion-spec.ts), its records
 * drained first with the TTL they were written with (safety rule 2), and the record goes.
 */
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { PlanStep } from '../../reconciler/engine/types';
import { reconcileStack } from '../../reconciler/reconcile';
import { StackDeletingError, type StackRecord } from '../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { callsBeforeDrained, settledOnFargateWithDns, watchDrain } from './drain-watch';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  lambdaStackOnDynamo,
  passUntilShiftStarts,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

/** What the stack role writes: the `spec` attribute only (with the generation, as the service would). */
function roleWritesSpec(s: Scenario, spec: Record<string, unknown>): void {
  s.store.importRecords(
    s.store
      .exportRecords()
      .map((r): StackRecord => (r.stack === STACK ? { ...r, spec, generation: r.generation + 1 } : r)),
  );
}

/** A spec the reconciler may not act on: the role's own write, past every check. */
const invalidSpec = (zone?: string): Record<string, unknown> => ({
  ...specInput({ mode: 'lambda', ...(zone ? { dns: exampleDns(zone) } : {}) }),
  fargate: { minTasks: -1 },
});

/** Every record set the zone holds but its own SOA and NS. */
async function recordsIn(s: Scenario, zone: string): Promise<string[]> {
  const answer = await s.account.withoutFaults(() =>
    s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })),
  );
  return (answer.ResourceRecordSets ?? [])
    .filter((set) => set.Type !== 'SOA' && set.Type !== 'NS')
    .map((set) => `${set.Name} ${set.Type}${set.SetIdentifier ? ` ${set.SetIdentifier}` : ''}`);
}

/** The deletion over: the record gone, nothing of the stack left in the account, no record set in the zone. */
async function expectAllDeleted(s: Scenario, zone: string): Promise<void> {
  expect(await s.store.get(STACK)).toBeUndefined();
  expect(s.owned()).toEqual([]);
  expect(await recordsIn(s, zone)).toEqual([]);
}

/**
 * Passes until the record is gone (the clock moved as each asks), at most `max`: each step a pass started,
 * in order (and how many passes crashed). `edit` runs before each pass (the role writing again and again).
 */
async function deleteToTheEnd(
  s: Scenario,
  { max = 200, edit }: { max?: number; edit?: () => void } = {},
): Promise<PlanStep[] & { crashed?: number }> {
  const steps: PlanStep[] & { crashed?: number } = [];
  s.reconciler.onStep = (_stack, step, outcome) => {
    if (outcome.status === 'started') steps.push(step);
  };
  for (let i = 0; i < max && (await s.store.get(STACK)); i++) {
    edit?.();
    const result = await s.pass();
    if (result === 'crashed') steps.crashed = (steps.crashed ?? 0) + 1;
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  delete s.reconciler.onStep;
  return steps;
}

describe('adversary: the stack role writes a spec once its deletion is asked for', () => {
  it('an invalid spec on Lambda (DynamoDB): the deletion goes on from the spec last reconciled, though apply is refused', async () => {
    const { s, store, options, edit } = await lambdaStackOnDynamo(db, 'adversary-delete-held');
    expect(s.owned().length).toBeGreaterThan(0);
    await store.requestDelete(STACK);
    // The stack's code, with its role: `spec` is an attribute its grant lets it write.
    await edit(
      'SET #spec.#fargate = :bad',
      { ':bad': { minTasks: -1 } },
      { '#spec': 'spec', '#fargate': 'fargate' },
    );
    // The operator's way out is closed: the deletion is pending.
    await expect(store.putSpec(specInput({ mode: 'lambda' }))).rejects.toBeInstanceOf(StackDeletingError);
    const first = await reconcileStack(options, STACK);
    expect(first.outcome).not.toBe('invalid');
    const during = await store.get(STACK);
    // Said, not acted on: the status names the spec's problem and what the deletion runs from.
    expect(during?.status?.conditions.find((c) => c.type === 'SpecValid')).toMatchObject({
      status: 'False',
      reason: 'IgnoredWhileDeleting',
      message: expect.stringContaining('fargate.minTasks'),
    });
    expect(during?.events.filter((e) => e.reason === 'SpecIgnored')).toHaveLength(1);
    for (let i = 0; i < 20 && (await store.get(STACK)); i++) {
      await reconcileStack(options, STACK);
      s.account.advance(30_000);
    }
    expect(await store.get(STACK)).toBeUndefined();
    expect(s.owned()).toEqual([]);
  });

  // The other attributes the role may write. An incarnation edited into none a write can name kept the
  // record for good (its delete was conditional on the incarnation being absent), `apply` refused.
  it.each<[string, string, Record<string, unknown>]>([
    ['an incarnation no write can name', 'SET incarnation = :x', { ':x': 'not an incarnation!' }],
    ['an incarnation that is a map', 'SET incarnation = :x', { ':x': { a: 1 } }],
    ['an incarnation that is a number', 'SET incarnation = :x', { ':x': 7 }],
    ['no incarnation', 'REMOVE incarnation', {}],
    ['a generation that is none', 'SET generation = :x', { ':x': 'x' }],
    ['a version that is none', 'SET version = :x', { ':x': 'x' }],
    ['no spec', 'REMOVE spec', {}],
  ])(
    '%s written after the mark (DynamoDB): everything deleted, the record gone',
    async (_what, expression, values) => {
      const { s, store, options, edit } = await lambdaStackOnDynamo(db, 'adversary-delete-held-attrs');
      await store.requestDelete(STACK);
      await edit(expression, values);
      for (let i = 0; i < 20 && (await store.get(STACK)); i++) {
        await reconcileStack(options, STACK);
        s.account.advance(30_000);
      }
      expect(await store.get(STACK)).toBeUndefined();
      expect(s.owned()).toEqual([]);
    },
  );

  it('a record marked before the spec was kept (an upgrade): deleted from its valid spec, which the first pass keeps, then unmoved by an invalid one', async () => {
    const s = scenario({ seed: 35 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone) }));
    await s.settle();
    await s.store.requestDelete(STACK);
    // As the version before this one left it: no spec kept.
    s.store.importRecords(
      s.store.exportRecords().map((r) => {
        const { reconciledSpec: _dropped, ...bookkeeping } = r.bookkeeping;
        return { ...r, bookkeeping };
      }),
    );
    expect((await s.store.get(STACK))!.bookkeeping.reconciledSpec).toBeUndefined();
    const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
    await s.pass();
    s.account.advance(15_000);
    expect((await s.store.get(STACK))!.bookkeeping.reconciledSpec?.spec).toMatchObject({ mode: 'fargate' });
    roleWritesSpec(s, invalidSpec(zone));
    await deleteToTheEnd(s);
    // The Fargate tier went (else no call could have come too early).
    expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    expect(callsBeforeDrained(watch)).toEqual([]);
    await expectAllDeleted(s, zone);
  });

  it('an invalid spec on Fargate with dns: the name drains for the whole wait before the Fargate tier goes, and nothing is left', async () => {
    const { s, zone, watch, settling } = await settledOnFargateWithDns({ seed: 31 });
    expect(settling.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    await s.store.requestDelete(STACK);
    roleWritesSpec(s, invalidSpec(zone));
    const steps = await deleteToTheEnd(s);
    expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    expect(callsBeforeDrained(watch)).toEqual([]);
    // Steps were seen (the deletion's), none of them a create.
    expect(steps.map((step) => step.action)).toContain('delete');
    expect(steps.filter((step) => step.action === 'create').map((step) => step.id)).toEqual([]);
    await expectAllDeleted(s, zone);
  });

  it('an invalid spec written mid-ScalingUp, and again before every pass: the shift is drained back and everything deleted', async () => {
    const s = scenario({ seed: 32 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    await s.settle();
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone) }));
    await passUntilShiftStarts(s, zone, EXAMPLE_RECORD);
    const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
    // The shift's first step in effect: resolvers are sent to the Fargate tier.
    s.account.advance(60_000);
    expect(watch.drainedSince()).toBeUndefined();
    await s.store.requestDelete(STACK);
    const steps = await deleteToTheEnd(s, { edit: () => roleWritesSpec(s, invalidSpec(zone)) });
    expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    expect(callsBeforeDrained(watch)).toEqual([]);
    // Steps were seen (the deletion's), none of them a create.
    expect(steps.map((step) => step.action)).toContain('delete');
    expect(steps.filter((step) => step.action === 'create').map((step) => step.id)).toEqual([]);
    await expectAllDeleted(s, zone);
  });

  it('a valid spec naming a new dns name and mode fargate: nothing created, no record written at the new name, all deleted', async () => {
    const s = scenario({ seed: 33 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    const before = s.owned().length;
    expect(before).toBeGreaterThan(0);
    await s.store.requestDelete(STACK);
    roleWritesSpec(s, { ...specInput({ mode: 'fargate', dns: exampleDns(zone, 'shop.example.test') }) });
    // The steps of the first pass too: it may delete all there is to delete.
    const firstSteps: PlanStep[] = [];
    s.reconciler.onStep = (_stack, step, outcome) => {
      if (outcome.status === 'started') firstSteps.push(step);
    };
    const first = await s.pass();
    delete s.reconciler.onStep;
    expect(first).toMatchObject({ outcome: 'reconciled' });
    const during = (await s.store.get(STACK))!;
    expect(during.status?.conditions.find((c) => c.type === 'SpecValid')).toMatchObject({
      status: 'True',
      reason: 'IgnoredWhileDeleting',
      message: expect.stringMatching(/mode, .*dns changed|dns.*changed/),
    });
    expect(during.events.filter((e) => e.reason === 'SpecIgnored')).toHaveLength(1);
    // What it was last reconciled with stays what the deletion runs from.
    expect(during.bookkeeping.reconciledSpec?.spec).toMatchObject({ mode: 'lambda' });
    expect(during.bookkeeping.reconciledSpec?.spec.dns).toBeUndefined();
    expect(during.bookkeeping.dnsNames ?? []).toEqual([]);
    const steps = [...firstSteps, ...(await deleteToTheEnd(s))];
    expect(steps.map((step) => step.action)).toContain('delete');
    expect(steps.filter((step) => step.action !== 'delete' && step.action !== 'wait')).toEqual([]);
    await expectAllDeleted(s, zone);
  });

  it('a valid spec written mid-deletion from Fargate with dns, a pass killed after each of its calls: drained, nothing created, nothing left', async () => {
    const broken: string[] = [];
    for (const calls of [1, 3, 6, 10, 15]) {
      const { s, zone, watch } = await settledOnFargateWithDns({ seed: 34 });
      await s.store.requestDelete(STACK);
      // One pass of the deletion, then the role's spec: a new name, another TTL, and the Lambda tier.
      await s.pass();
      s.account.advance(15_000);
      roleWritesSpec(s, { ...specInput({ mode: 'lambda', dns: exampleDns(zone, 'shop.example.test', 10) }) });
      s.account.setFaults({ crashAfterCalls: calls });
      const steps = await deleteToTheEnd(s, { max: 300 });
      const what = `crash after call ${calls}`;
      if (!steps.crashed) broken.push(`${what}: no pass crashed`);
      if (await s.store.get(STACK)) broken.push(`${what}: the record is left`);
      const made = steps.filter((step) => step.action !== 'delete' && step.action !== 'wait');
      if (made.length > 0) broken.push(`${what}: ${made.map((step) => step.id).join(', ')}`);
      broken.push(...callsBeforeDrained(watch).map((call) => `${what}: ${call}`));
      if (s.owned().length > 0)
        broken.push(
          `${what}: left ${s
            .owned()
            .map((i) => i.type)
            .join(', ')}`,
        );
      const records = await recordsIn(s, zone);
      if (records.length > 0) broken.push(`${what}: records left ${records.join(', ')}`);
    }
    expect(broken).toEqual([]);
  }, 120_000);
});
