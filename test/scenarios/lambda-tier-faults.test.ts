/**
 * The Lambda tier's crash sweep, with and without DNS (custom domain, API mapping, weighted record and its
 * ownership TXT): the reconciler dies right after any AWS call while it builds the tier from nothing or
 * deletes the stack, and the next pass comes at the same simulated instant or later. The end state must be
 * the fault-free run's, with no duplicate resource, and a delete must leave nothing behind. Each case
 * starts from the fault-free run's snapshot after its call (crash-sweep.ts).
 */
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { LAMBDA_TIER_RESOURCES } from '../../reconciler/resources';
import type { DesiredStateInput } from '../../spec/types';
import { resumeAfterCrash, snapshotEachCall, type CallSnapshot } from './crash-sweep';
import {
  byType,
  exampleDns,
  exampleZoneId,
  scenario as fullScenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

const KINDS = { kinds: LAMBDA_TIER_RESOURCES };
const scenario = () => fullScenario(KINDS);

/** The next pass at once, and as the harness times it after a crash. */
const AFTER_CRASH_MS = [0, 5_000];

/**
 * Every resource in the account by type, untagged ones too: an API's integrations and routes and the
 * function's permission carry no tags, and a duplicate of one must show.
 */
const everything = (s: Scenario) => byType(s.account.inventory());

/** Every record set of the example zone, by name and type (the TXT of the ownership registry included). */
async function records(s: Scenario): Promise<string[]> {
  const zone = await exampleZoneId(s);
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
  return (answer.ResourceRecordSets ?? [])
    .map((set) => `${set.Name} ${set.Type}${set.SetIdentifier ? ` ${set.SetIdentifier}` : ''}`)
    .sort();
}

/** The fault-free run of `spec`: snapshots of its build and of its delete, and what each left. */
async function reference(spec: (s: Scenario) => Promise<DesiredStateInput>) {
  const s = scenario();
  const doc = await spec(s);
  const emptyRecords = await records(s);
  const build = await snapshotEachCall(s, async () => {
    await s.apply(doc);
    await s.settle();
  });
  const built = { types: everything(s), records: await records(s) };
  const remove = await snapshotEachCall(s, async () => {
    await s.store.requestDelete(STACK);
    await s.settle();
  });
  return { build, built, remove, empty: { types: everything(scenario()), records: emptyRecords } };
}

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

describe.each([
  ['without DNS', async () => specInput({ mode: 'lambda' })],
  ['with DNS', async (s: Scenario) => specInput({ mode: 'lambda', dns: exampleDns(await exampleZoneId(s)) })],
])('scenario: faults in the Lambda tier, %s', (_name, spec) => {
  let expected: Awaited<ReturnType<typeof reference>>;
  beforeAll(async () => {
    expected = await reference(spec);
    expect(Object.keys(expected.built.types)).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function',
        'AWS::Lambda::Permission',
        'AWS::ApiGatewayV2::Api',
        'AWS::ApiGatewayV2::Integration',
        'AWS::ApiGatewayV2::Route',
        'AWS::IAM::Role',
      ]),
    );
    expect(expected.build.length).toBeGreaterThan(10);
  });

  it('a crash right after any call of the build ends in the same state with no duplicates', async () => {
    await sweep(expected.build, async (s, crash) => {
      const passes = await s.settle();
      expect({
        ...crash,
        types: everything(s),
        records: await records(s),
        phase: passes.at(-1)?.phase,
      }).toEqual({ ...crash, ...expected.built, phase: 'Lambda' });
    });
  });

  it('a crash right after any call of a delete leaves nothing, DNS included, and removes the record', async () => {
    await sweep(expected.remove, async (s, crash) => {
      const passes = await s.settle();
      // Everything left is what a new account holds (its example.test zone), tagged or not.
      expect({
        ...crash,
        left: everything(s),
        records: await records(s),
        outcome: passes.at(-1)?.outcome,
      }).toEqual({
        ...crash,
        left: expected.empty.types,
        records: expected.empty.records,
        outcome: 'deleted',
      });
      expect(await s.store.get(STACK)).toBeUndefined();
    });
  });
});
