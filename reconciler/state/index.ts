/** The state store: the only code that reads or writes the stacks' table. */
export * from './types';
export * from './incarnation';
export * from './deletion-mark';
export { DynamoStateStore, type DynamoStateStoreOptions } from './dynamo-store';
export { ensureTable } from './table';
export { InMemoryStateStore } from './memory-store';
export * from './bookkeeping';
