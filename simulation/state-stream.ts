/**
 * The state table's stream, simulated: the reconciler's state store with every write that changes a record
 * pushed to a change feed of the simulated account (aws-sim/runtime/change-feed.ts), as DynamoDB Streams
 * would deliver it. The records are taken from the store as it is before and after each write, so that
 * what the feed shows is what the table holds, whatever the store.
 *
 * @example
 * const feed = new ChangeFeed({ streamArn, region: 'us-east-1', partitionKey: 'stack', now: () => account.now() });
 * const store = withChangeFeed(new InMemoryStateStore(() => account.now()), feed);
 */
import type { ChangeFeed } from '../aws-sim/runtime/change-feed';
import type { StateStore } from '../reconciler/state/types';

/** The stack each write of the StateStore touches, from its arguments (the others only read). */
const WRITES: Record<string, (args: unknown[]) => string | undefined> = {
  putSpec: ([doc]) =>
    typeof (doc as { stack?: unknown })?.stack === 'string' ? (doc as { stack: string }).stack : undefined,
  requestDelete: ([stack]) => stack as string,
  deleteRecord: ([stack]) => stack as string,
  writeStatus: ([stack]) => stack as string,
  writeReconcilerState: ([stack]) => stack as string,
  acquireLease: ([stack]) => stack as string,
  renewLease: ([stack]) => stack as string,
  releaseLease: ([stack]) => stack as string,
  appendEvents: ([stack]) => stack as string,
};

/** `store`, with every write that changes a record appended to `feed`. */
export function withChangeFeed<S extends StateStore>(store: S, feed: ChangeFeed): S {
  const read = async (stack: string) => {
    try {
      return await store.get(stack);
    } catch {
      return undefined;
    }
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const stackOf = typeof property === 'string' ? WRITES[property] : undefined;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (!stackOf) return method;
      return async (...args: unknown[]) => {
        const stack = stackOf(args);
        const before = stack === undefined ? undefined : await read(stack);
        try {
          return await method(...args);
        } finally {
          // A write that failed after part of it took effect still shows as what the table holds.
          if (stack !== undefined) feed.push(stack, before, await read(stack));
        }
      };
    },
  });
}
