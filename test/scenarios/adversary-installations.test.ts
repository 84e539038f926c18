/**
 * Adversary scenarios: two installations of LambdaFlex in one account (two teams, two state tables), each
 * with a stack of the same name. The tags name the stack, and both stacks are called `orders-api`: tags
 * say where to look, never whose a thing is (docs/ownership.md). Reconciled concurrently and in turns,
 * the second installation never changes, adopts, deletes or re-points what the first one built, its DNS
 * records included, and deleting it leaves the first's stack as it was.
 */
import { ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { clientsFor, type InventoryItem } from '../../aws-sim';
import { reconcileStack, type PassResult, type ReconcilerOptions } from '../../reconciler/reconcile';
import { InMemoryStateStore } from '../../reconciler/state';
import { createRandomState, nextRandom } from '../../aws-sim/core/random';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';
import { beforeEveryCall, READ } from './call-hooks';

/** The second team's table: another table name, the same stack names. */
function otherTeamsTable(now: () => number): InMemoryStateStore {
  const store = new InMemoryStateStore(now);
  Object.defineProperty(store, 'tableName', { value: 'lambdaflex-other-team' });
  return store;
}

/** Every change (not a read) the clients make, with its input. */
function recordChanges(clients: object): { command: string; input: string }[] {
  const changes: { command: string; input: string }[] = [];
  beforeEveryCall(clients, 'otherInstallationCalls', (command, input) => {
    if (!READ.test(command)) changes.push({ command, input: JSON.stringify(input) });
  });
  return changes;
}

/** A second installation in the first's account and region, with clients of its own to watch. */
function secondInstallation(first: Scenario) {
  const clients = clientsFor(first.account);
  const store = otherTeamsTable(() => first.account.now());
  const jitter = createRandomState(99);
  const reconciler: ReconcilerOptions = {
    ...first.reconciler,
    store,
    clients,
    holder: 'other-team',
    random: () => nextRandom(jitter),
  };
  const changes = recordChanges(clients);
  // Once deleted, the second team's stack has no record and no more passes.
  const pass = async (): Promise<PassResult | undefined> =>
    (await store.get(STACK)) ? reconcileStack(reconciler, STACK) : undefined;
  return { store, reconciler, changes, pass };
}

/**
 * What the first installation's stack is made of: its resources (`ids`: those it had built; both stacks'
 * carry the same tags) and its DNS records.
 */
async function firstStack(s: Scenario, zoneId: string, ids?: string[]) {
  const resources = s
    .owned()
    .filter((item: InventoryItem) => !ids || ids.includes(item.id))
    .map((item: InventoryItem) => `${item.type} ${item.id} ${item.state ?? ''}`)
    .sort();
  const answer = await s.account.withoutFaults(() =>
    s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId })),
  );
  const records = (answer.ResourceRecordSets ?? [])
    .filter((r: ResourceRecordSet) => r.Type === 'A' || r.Type === 'TXT')
    .map((r) => JSON.stringify(r))
    .sort();
  return { resources, records };
}

/**
 * The first stack's ids and ARNs, which no change of another installation may name. Across regions a
 * name (a cluster's, a custom domain's) is another region's resource: only the ids that carry their
 * region (ARNs, generated ids) are compared.
 */
function firstIds(s: Scenario, options: { acrossRegions?: boolean } = {}): string[] {
  return s
    .owned()
    .flatMap((item) => [
      ...(options.acrossRegions && item.id === item.name ? [] : [item.id]),
      ...(item.arn ? [item.arn] : []),
    ]);
}

/** Every string in a call's input. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Changes of another installation that name one of the first stack's resources (creates aside). */
function touching(changes: { command: string; input: string }[], ids: string[]) {
  const theirs = new Set(ids);
  return changes.filter(
    (c) =>
      !c.command.startsWith('Create') &&
      stringsIn(JSON.parse(c.input)).some((value) =>
        [...theirs].some((id) => value === id || (id.includes(':') && value.includes(id))),
      ),
  );
}

async function turns(
  first: Scenario,
  second: ReturnType<typeof secondInstallation>,
  count: number,
): Promise<(PassResult | undefined)[]> {
  const results: (PassResult | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    // Concurrently on odd turns, one after the other on even ones.
    if (i % 2 === 1) {
      const [, theirs] = await Promise.all([first.pass(), second.pass()]);
      results.push(theirs);
    } else {
      await first.pass();
      results.push(await second.pass());
    }
    first.account.advance(15_000);
  }
  return results;
}

describe('adversary: two installations in one account, each with a stack of the same name', () => {
  it.each([
    ['another record name', 'orders.other-team.example.test'],
    ['the same record name', EXAMPLE_RECORD],
  ])(
    'the second team’s stack (%s) never touches the first’s resources or records, building, switching or deleted',
    async (_label, otherRecordName) => {
      const first = scenario({ seed: 31 });
      const zone = await exampleZoneId(first);
      await first.apply(specInput({ mode: 'fargate', dns: exampleDns(zone, EXAMPLE_RECORD) }));
      await first.settle();
      const before = await firstStack(first, zone);
      const ids = firstIds(first);
      expect(before.records.length).toBeGreaterThanOrEqual(3);

      const second = secondInstallation(first);
      await second.store.putSpec(specInput({ mode: 'fargate', dns: exampleDns(zone, otherRecordName) }));
      await turns(first, second, 12);
      // Every name AWS keeps unique is the first's: the second stack is kept from them, and says so.
      const conflict = (await second.store.get(STACK))?.status?.conditions?.find(
        (c) => c.type === 'Conflict',
      );
      expect(conflict).toMatchObject({ status: 'True' });
      // The second team switches its stack back and forth, then deletes it.
      await second.store.putSpec(specInput({ mode: 'lambda', dns: exampleDns(zone, otherRecordName) }));
      await turns(first, second, 12);
      await second.store.requestDelete(STACK);
      const deleting = await turns(first, second, 20);
      expect(deleting.find((p) => p?.outcome === 'deleted')).toBeDefined();
      expect(await second.store.get(STACK)).toBeUndefined();

      expect(touching(second.changes, ids)).toEqual([]);
      expect(await firstStack(first, zone, ids)).toEqual(before);
      await first.expectPlansNothing();
    },
  );
});

describe('adversary: the same stack name in a second region’s installation of the account', () => {
  it.each([
    ['another record name', 'orders.eu.example.test'],
    ['the same record name', EXAMPLE_RECORD],
  ])(
    'the other region’s stack (%s) never touches the first’s resources or records, building, switching or deleted',
    async (_label, otherRecordName) => {
      const east = scenario({ seed: 37, region: 'us-east-1' });
      const zone = await exampleZoneId(east);
      await east.apply(specInput({ mode: 'fargate', dns: exampleDns(zone, EXAMPLE_RECORD) }));
      await east.settle();
      const before = await firstStack(east, zone);
      const ids = firstIds(east);
      const regionalIds = firstIds(east, { acrossRegions: true });

      // Its own table, its own region; IAM and Route 53 are the account's, shared with the first region.
      const west = scenario({ seed: 41, region: 'eu-west-1', sameAccountAs: east.account });
      west.account.advance(east.account.now() - west.account.now());
      const changes = recordChanges(west.clients);
      const both = async (count: number) => {
        for (let i = 0; i < count; i++) {
          if (await west.store.get(STACK)) await Promise.all([east.pass(), west.pass()]);
          else await east.pass();
          east.account.advance(15_000);
          west.account.advance(15_000);
        }
      };
      // Lambda runs images from the function's own region.
      const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2';
      await west.apply(specInput({ image, mode: 'fargate', dns: exampleDns(zone, otherRecordName) }));
      await both(60);
      // The other region's stack was built and serves from Fargate at its own name; at the first stack's
      // name it is kept from the records the first stack's TXT claims, and says so.
      const built = (await west.store.get(STACK))?.status;
      const conflict = built?.conditions?.find((c) => c.type === 'Conflict');
      if (otherRecordName === EXAMPLE_RECORD) {
        expect(conflict).toMatchObject({ status: 'True' });
        expect(conflict?.message).toContain('us-east-1');
      } else {
        expect(built?.phase).toBe('Fargate');
      }
      await west.apply(specInput({ image, mode: 'lambda', dns: exampleDns(zone, otherRecordName) }));
      await both(30);
      await west.store.requestDelete(STACK);
      await both(30);
      expect(await west.store.get(STACK)).toBeUndefined();

      expect(touching(changes, regionalIds)).toEqual([]);
      expect(await firstStack(east, zone, ids)).toEqual(before);
      await east.expectPlansNothing();
    },
  );
});
