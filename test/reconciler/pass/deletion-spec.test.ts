/**
 * The spec a stack's deletion runs from (reconciler/pass/deletion-spec.ts), and the pass's load and keep of
 * it: no simulator, an in-memory store where a stage writes.
 */
import { deletionSpec, usableKeptSpec, type WrittenSpec } from '../../../reconciler/pass/deletion-spec';
import { eventsOf } from '../../../reconciler/pass/events';
import { loadStack } from '../../../reconciler/pass/load';
import { persistBeforeApply } from '../../../reconciler/pass/persist';
import { emptyBookkeeping, type ReconciledSpec } from '../../../reconciler/state/bookkeeping';
import { InMemoryStateStore } from '../../../reconciler/state/memory-store';
import type { SystemRecord } from '../../../reconciler/state/system-record';
import type { StackRecord, StackStatus } from '../../../reconciler/state/types';
import type { Plan } from '../../../reconciler/engine/types';
import { validateSpec } from '../../../spec';
import type { DesiredState } from '../../../spec/types';
import { testSpec } from '../engine/fake-kinds';

const NOW = 1_700_000_000_000;
const dns = {
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  recordName: 'api.example.com',
  ttlSeconds: 60,
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
};

/** `spec` as the pass keeps it: validated (with its defaults). */
function validated(spec: DesiredState): DesiredState {
  const result = validateSpec(spec);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const lastReconciled = validated(testSpec({ mode: 'fargate', dns }));

function record(
  overrides: Partial<StackRecord> = {},
  kept: unknown = { generation: 3, spec: lastReconciled },
) {
  return {
    stack: 'orders-api',
    spec: lastReconciled,
    generation: 4,
    version: 9,
    events: [],
    bookkeeping: { ...emptyBookkeeping(), reconciledSpec: kept as ReconciledSpec },
    deletionRequestedAt: NOW - 60_000,
    ...overrides,
  } as StackRecord;
}

const ok = (spec: DesiredState): WrittenSpec => ({ ok: true, spec: validated(spec) });
const invalid: WrittenSpec = {
  ok: false,
  problems: [{ path: 'fargate.minTasks', message: 'must be at least 1' }],
};

describe('the spec a deletion runs from', () => {
  it('is the kept one; the record holding the same spec says nothing', () => {
    expect(deletionSpec(record(), ok(lastReconciled))).toEqual({
      kind: 'spec',
      spec: lastReconciled,
      keep: { generation: 3, spec: lastReconciled },
    });
  });

  it('is the kept one when the record holds an invalid spec, which it names, with its problems, as not acted on', () => {
    const chosen = deletionSpec(record(), invalid);
    expect(chosen).toMatchObject({ kind: 'spec', spec: lastReconciled, keep: { generation: 3 } });
    expect(chosen.kind === 'spec' && chosen.ignored).toEqual({
      valid: false,
      message:
        'the spec (generation 4) is not acted on (fargate.minTasks: must be at least 1); the stack is being ' +
        'deleted as it was last reconciled (generation 3): its deletion was asked for, and no spec written ' +
        'since changes what is deleted',
    });
  });

  it('is the kept one when the record holds another valid spec (a new name, another tier): the fields changed, named', () => {
    const other = testSpec({
      mode: 'lambda',
      dns: { ...dns, recordName: 'shop.example.com', ttlSeconds: 10 },
    });
    const chosen = deletionSpec(record(), ok(other));
    expect(chosen).toMatchObject({ kind: 'spec', spec: lastReconciled });
    expect(chosen.kind === 'spec' && chosen.ignored).toEqual({
      valid: true,
      message: expect.stringMatching(/^the spec \(generation 4\) is not acted on \(mode, dns changed\); /),
    });
  });

  it.each<[string, unknown]>([
    ['none (a record from before it was kept)', undefined],
    ['null', null],
    ['a generation that is none', { generation: 'three', spec: lastReconciled }],
    ['a spec that no longer validates', { generation: 3, spec: { ...lastReconciled, port: 70000 } }],
    ['a spec naming another stack', { generation: 3, spec: { ...lastReconciled, stack: 'billing' } }],
  ])("with %s kept, is the record's valid spec, which the pass then keeps", (_what, kept) => {
    const written = ok(testSpec({ mode: 'lambda' }));
    const bookkeeping = { ...emptyBookkeeping(), reconciledSpec: kept as ReconciledSpec };
    const chosen = deletionSpec(record({ bookkeeping }), written);
    expect(chosen).toEqual({
      kind: 'spec',
      spec: written.ok && written.spec,
      keep: { generation: 4, spec: written.ok && written.spec },
    });
  });

  it("with none kept and the record's spec invalid, is none: the spec's problems and why nothing stands in", () => {
    const chosen = deletionSpec(record({ bookkeeping: emptyBookkeeping() }), invalid);
    expect(chosen).toEqual({
      kind: 'none',
      problems: [
        { path: 'fargate.minTasks', message: 'must be at least 1' },
        {
          path: 'spec',
          message: expect.stringMatching(
            /^the stack is to be deleted, and no spec it was reconciled with is kept/,
          ),
        },
      ],
    });
  });

  it('a kept spec is validated again, with its defaults', () => {
    const bare = { ...testSpec({ mode: 'lambda' }) } as Partial<DesiredState>;
    delete bare.traffic;
    const kept = usableKeptSpec(record({}, { generation: 2, spec: bare }));
    // The schema's defaults (spec/schema.ts): steps of 10, 50, 100 % a minute apart.
    expect(kept?.spec.traffic).toEqual({ shiftSteps: [10, 50, 100], stepSeconds: 60 });
  });
});

describe('loading a stack whose deletion was asked for', () => {
  const only = (id: string): SystemRecord => ({
    hostedZones: [{ id, recordNames: ['*.example.com'] }],
    zoneNames: { [id]: 'example.com' },
  });

  it('loads the kept spec, not the invalid one written since: valid, to be deleted, the written one named', async () => {
    const stored = record({ spec: { ...lastReconciled, fargate: { minTasks: -1 } } });
    const loaded = await loadStack({ get: async () => stored }, 'orders-api', async () =>
      only(dns.hostedZoneId),
    );
    expect(loaded).toMatchObject({
      kind: 'valid',
      spec: lastReconciled,
      deletionRequested: true,
      reconciledSpec: { generation: 3, spec: lastReconciled },
      ignoredSpec: { valid: false, message: expect.stringContaining('fargate.minTasks') },
    });
  });

  it('a spec written since naming a zone bootstrap does not allow holds nothing', async () => {
    const stored = record(
      { spec: testSpec({ dns: { ...dns, hostedZoneId: 'ZFORBIDDEN' } }) },
      { generation: 3, spec: validated(testSpec({ mode: 'lambda' })) },
    );
    const loaded = await loadStack({ get: async () => stored }, 'orders-api', async () =>
      only(dns.hostedZoneId),
    );
    expect(loaded).toMatchObject({ kind: 'valid', deletionRequested: true, ignoredSpec: { valid: true } });
  });

  it("holds it when the kept spec's zone is no longer allowed: the policy would refuse the records' DELETE", async () => {
    const loaded = await loadStack({ get: async () => record() }, 'orders-api', async () => only('ZOTHER'));
    expect(loaded).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/^dns\.hostedZoneId: Z0123456789ABCDEFGHIJ is not a hosted zone/),
    });
  });

  it('a reservation over the ceiling holds no deletion (it reserves nothing), though it holds the stack otherwise', async () => {
    const reserving = validated(
      testSpec({ mode: 'lambda', lambda: { memoryMb: 512, timeoutSeconds: 29, reservedConcurrency: 500 } }),
    );
    const system: SystemRecord = { hostedZones: [], zoneNames: {}, maxReservedConcurrency: 10 };
    const deleting = record({ spec: reserving }, { generation: 3, spec: reserving });
    await expect(
      loadStack({ get: async () => deleting }, 'orders-api', async () => system),
    ).resolves.toMatchObject({
      kind: 'valid',
      deletionRequested: true,
    });
    const { deletionRequestedAt: _none, ...live } = deleting;
    await expect(
      loadStack({ get: async () => live }, 'orders-api', async () => system),
    ).resolves.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('lambda.reservedConcurrency'),
    });
  });

  it("a stack not being deleted loads its record's spec and keeps it at the record's generation", async () => {
    const { deletionRequestedAt: _none, ...live } = record({ spec: testSpec({ mode: 'lambda' }) });
    const loaded = await loadStack({ get: async () => live }, 'orders-api');
    expect(loaded).toMatchObject({
      kind: 'valid',
      deletionRequested: false,
      spec: { mode: 'lambda' },
      reconciledSpec: { generation: 4, spec: { mode: 'lambda' } },
    });
    expect(loaded).not.toHaveProperty('ignoredSpec');
  });
});

describe('keeping the spec before the steps that act on it', () => {
  const step = (action: 'create' | 'wait') => ({
    id: `${action}:vpc`,
    action,
    key: 'vpc',
    type: 'T',
    reason: 'test',
    dependsOn: [],
  });
  const planOf = (...steps: Plan['steps']): Plan => ({ stack: 'orders-api', at: NOW, steps });

  async function leased() {
    const store = new InMemoryStateStore(() => NOW);
    await store.putSpec(testSpec({ mode: 'lambda' }));
    await store.acquireLease('orders-api', 'me');
    return { store, record: (await store.get('orders-api'))! };
  }

  it('writes it before a plan that changes something, once: the same spec kept is not written again', async () => {
    const { store, record: first } = await leased();
    const spec = validated(testSpec({ mode: 'lambda' }));
    const keep = { generation: first.generation, spec };
    await persistBeforeApply(store, 'me', first, spec, planOf(step('create')), keep);
    const kept = (await store.get('orders-api'))!;
    expect(kept.version).toBe(first.version + 1);
    expect(kept.bookkeeping.reconciledSpec).toEqual(keep);
    await persistBeforeApply(store, 'me', kept, spec, planOf(step('create')), keep);
    expect((await store.get('orders-api'))!.version).toBe(kept.version);
  });

  it('writes nothing for a plan that only waits', async () => {
    const { store, record: first } = await leased();
    const spec = validated(testSpec({ mode: 'lambda' }));
    await persistBeforeApply(store, 'me', first, spec, planOf(step('wait')), { generation: 1, spec });
    const after = (await store.get('orders-api'))!;
    expect(after.version).toBe(first.version);
    expect(after.bookkeeping.reconciledSpec).toBeUndefined();
  });
});

describe('the event of a spec not acted on', () => {
  const status = (message?: string): StackStatus => ({
    phase: 'Deleting',
    observedGeneration: 4,
    resources: {},
    conditions: message
      ? [
          {
            type: 'SpecValid',
            status: 'False',
            reason: 'IgnoredWhileDeleting',
            message,
            lastTransitionTime: NOW,
          },
        ]
      : [
          {
            type: 'SpecValid',
            status: 'True',
            reason: 'Valid',
            message: 'the spec is valid',
            lastTransitionTime: NOW,
          },
        ],
  });
  const traffic = {};

  it('is said once, and again when the message changes', () => {
    const first = eventsOf(status(), status('a'), NOW, traffic).filter((e) => e.reason === 'SpecIgnored');
    expect(first).toEqual([{ at: NOW, type: 'Warning', reason: 'SpecIgnored', message: 'a' }]);
    expect(
      eventsOf(status('a'), status('a'), NOW, traffic).filter((e) => e.reason === 'SpecIgnored'),
    ).toEqual([]);
    expect(eventsOf(status('a'), status('b'), NOW, traffic).map((e) => e.reason)).toContain('SpecIgnored');
  });
});
