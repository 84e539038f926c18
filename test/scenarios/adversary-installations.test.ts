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
import { exampleDns, exampleZoneId, scenario, specInput, STACK, type Scenario } from './harness';

interface Call {
  commandName?: string;
}
type Handler = (args: { input: Record<string, unknown> }) => Promise<unknown>;
interface HookClient {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: Call) => Handler,
      options: { step: 'initialize'; name: string; priority?: 'high' | 'low' },
    ): void;
  };
}

const READ = /^(Get|List|Describe)/;

/** The second team's table: another table name, the same stack names. */
function otherTeamsTable(now: () => number): InMemoryStateStore {
  const store = new InMemoryStateStore(now);
  Object.defineProperty(store, 'tableName', { value: 'lambdaflex-other-team' });
  return store;
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
  const changes: { command: string; input: string }[] = [];
  for (const client of Object.values(clients) as HookClient[]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        if (!READ.test(command)) changes.push({ command, input: JSON.stringify(args.input) });
        return next(args);
      },
      { step: 'initialize', name: 'secondInstallationCalls', priority: 'high' },
    );
  }
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

/** The first stack's ids and ARNs, which no change of the second installation may name. */
function firstIds(s: Scenario): string[] {
  return s.owned().flatMap((item) => [item.id, ...(item.arn ? [item.arn] : [])]);
}

/** Changes of the second installation that name one of the first stack's resources (creates aside). */
function touching(changes: { command: string; input: string }[], ids: string[]) {
  return changes.filter(
    (c) => !c.command.startsWith('Create') && ids.some((id) => id.length > 6 && c.input.includes(id)),
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
    ['the same record name', 'api.example.test'],
  ])(
    'the second team’s stack (%s) never touches the first’s resources or records, building, switching or deleted',
    async (_label, otherRecordName) => {
      const first = scenario({ seed: 31 });
      const zone = await exampleZoneId(first);
      await first.apply(specInput({ mode: 'fargate', dns: exampleDns(zone, 'api.example.test') }));
      await first.settle();
      const before = await firstStack(first, zone);
      const ids = firstIds(first);
      expect(before.records.length).toBeGreaterThanOrEqual(3);

      const second = secondInstallation(first);
      await second.store.putSpec(specInput({ mode: 'fargate', dns: exampleDns(zone, otherRecordName) }));
      await turns(first, second, 12);
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
