/**
 * Adversary: two stacks of one table whose names are a prefix of each other (`orders` and `orders-api`), so
 * that every derived name of the first (`lf-orders-…`) begins what the second's do (`lf-orders-api-…`),
 * and a task definition family, a log group or a role name read as a prefix would take in the other's.
 * Both built to Fargate with DNS; then `orders` switched back to Lambda and deleted: nothing of
 * `orders-api` is changed or deleted, and it still plans nothing.
 */
import { planStack, reconcileStack } from '../../reconciler/reconcile';
import { READ, beforeEveryCall } from './call-hooks';
import { exampleDns, exampleZoneId, scenario, specInput, STACK } from './harness';

const SHORT = 'orders';

describe('adversary: stacks named orders and orders-api in one table', () => {
  it('switching and deleting orders leaves everything of orders-api as it was', async () => {
    expect(STACK.startsWith(`${SHORT}-`)).toBe(true);
    const s = scenario({ seed: 91 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone) }));
    await s.settle();
    const short = async () => {
      for (let i = 0; i < 120 && (await s.store.get(SHORT)); i++) {
        const result = await reconcileStack(s.reconciler, SHORT);
        if (result.settled) return;
        s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
      }
    };
    await s.store.putSpec(
      specInput({ stack: SHORT, mode: 'fargate', dns: exampleDns(zone, 'shop.example.test') }),
    );
    await short();
    const theirs = () =>
      s.account
        .inventory()
        .filter((item) => item.tags['lambdaflex:stack'] === STACK)
        .map((item) => `${item.type} ${item.id} ${item.state ?? ''}`)
        .sort();
    const before = theirs();
    const ids = s.owned().flatMap((item) => [item.id, ...(item.arn ? [item.arn] : [])]);
    const touching: string[] = [];
    beforeEveryCall(s.clients, 'watchPrefix', (operation, input) => {
      if (READ.test(operation) || operation.startsWith('Create')) return;
      const text = JSON.stringify(input);
      const hit = ids.find((id) => text.includes(`"${id}"`));
      if (hit) touching.push(`${operation} ${hit}`);
    });
    await s.store.putSpec(
      specInput({ stack: SHORT, mode: 'lambda', dns: exampleDns(zone, 'shop.example.test') }),
      {
        expectedGeneration: 1,
        expectedIncarnation: (await s.store.get(SHORT))?.incarnation,
      },
    );
    await short();
    await s.store.requestDelete(SHORT);
    await short();
    expect(await s.store.get(SHORT)).toBeUndefined();
    expect(touching).toEqual([]);
    expect(theirs()).toEqual(before);
    const { plan } = await planStack(s.reconciler, STACK);
    expect(plan.steps.map((step) => step.id)).toEqual([]);
  });
});
