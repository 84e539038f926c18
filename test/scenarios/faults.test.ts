/**
 * The crash sweep of the Fargate tier: the reconciler can die right after any AWS call, and the next pass
 * comes at the same simulated instant (before EC2's eventual consistency shows what the dead pass made)
 * or later; either way the same end state is reached with one resource per wanted thing, and a delete
 * leaves nothing. Each crash case starts from the fault-free run's snapshot after that call or record
 * write (crash-sweep.ts) instead of replaying every call before it; moments that left the account and the
 * record as the one before did are one case. Throttling and 5xx come last.
 * lambda-tier-faults.test.ts sweeps the Lambda tier and DNS; traffic.property.test.ts crashes both tiers
 * at random while traffic moves between them.
 */
import { FARGATE_TIER_RESOURCES } from '../../reconciler/resources';
import { resumeAfterCrash, snapshotEachCall, type CallSnapshot } from './crash-sweep';
import { byType, scenario as fullScenario, specInput, STACK, type ScenarioOptions } from './harness';

const KINDS = { kinds: FARGATE_TIER_RESOURCES };
const scenario = (options: ScenarioOptions = {}) => fullScenario({ ...KINDS, ...options });

type Scenario = ReturnType<typeof scenario>;

/** The next pass at once, and as the harness times it after a crash (5 s, then the schedule's 5 s). */
const AFTER_CRASH_MS = [0, 5_000];

/** The fault-free run, with the account and the records saved after each call of each phase. */
async function reference() {
  const s = scenario();
  const up = await snapshotEachCall(s, async () => {
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
  });
  const built = byType(s.owned());
  const down = await snapshotEachCall(s, async () => {
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
  });
  const scaledDown = byType(s.owned());

  const t = scenario();
  await t.apply(specInput({ mode: 'fargate' }));
  await t.settle();
  const deleted = await snapshotEachCall(t, async () => {
    await t.store.requestDelete(STACK);
    await t.settle();
  });
  return { up, built, down, scaledDown, deleted };
}

/** Every crash case of a phase: each call's snapshot, the next pass at once and later. */
async function sweep(
  snapshots: CallSnapshot[],
  check: (s: Scenario, crash: { k: number; operation: string; afterCrashMs: number }) => Promise<void>,
) {
  for (const snapshot of snapshots) {
    for (const afterCrashMs of AFTER_CRASH_MS) {
      const s = resumeAfterCrash(snapshot, { ...KINDS, afterCrashMs });
      await check(s, { k: snapshot.index, operation: snapshot.operation, afterCrashMs });
    }
  }
}

describe('scenario: faults', () => {
  let expected: Awaited<ReturnType<typeof reference>>;
  beforeAll(async () => {
    expected = await reference();
    expect(expected.up.length).toBeGreaterThan(40);
    expect(expected.built).toMatchObject({ 'AWS::EC2::VPC': 1, 'AWS::EC2::Subnet': 2 });
  });

  it('4a. a crash right after any call of a scale-up ends in the same state with one of each resource', async () => {
    await sweep(expected.up, async (s, crash) => {
      const passes = await s.settle();
      expect({ ...crash, types: byType(s.owned()), phase: passes.at(-1)?.phase }).toEqual({
        ...crash,
        types: expected.built,
        phase: 'Fargate',
      });
    });
  });

  it('4b. a crash right after any call of a scale-down leaves nothing of the Fargate tier', async () => {
    await sweep(expected.down, async (s, crash) => {
      await s.settle();
      expect({ ...crash, types: byType(s.owned()) }).toEqual({ ...crash, types: expected.scaledDown });
    });
  });

  it('4c. a crash right after any call of a delete leaves nothing and removes the record', async () => {
    await sweep(expected.deleted, async (s, crash) => {
      const passes = await s.settle();
      expect({ ...crash, left: byType(s.owned()), outcome: passes.at(-1)?.outcome }).toEqual({
        ...crash,
        left: {},
        outcome: 'deleted',
      });
    });
  });

  it('5. with 20 % throttling and 5 % 5xx, scale-up and scale-down end in the same states', async () => {
    for (const seed of [1, 2, 3]) {
      const s = scenario({ faults: { throttle: 0.2, error5xx: 0.05, seed } });
      await s.apply(specInput({ mode: 'fargate' }));
      await s.settle();
      expect({ seed, types: byType(s.owned()) }).toEqual({ seed, types: expected.built });
      await s.apply(specInput({ mode: 'lambda' }));
      await s.settle();
      expect({ seed, types: byType(s.owned()) }).toEqual({ seed, types: expected.scaledDown });
    }
  });
});
