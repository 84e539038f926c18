/** The state store: the only code that reads or writes the stacks' table. */
export * from './types';
export { DynamoStateStore, DEFAULT_LEASE_TTL_MS, type DynamoStateStoreOptions } from './dynamo-store';
export { ensureTable } from './table';
export { InMemoryStateStore } from './memory-store';
export * from './bookkeeping';
