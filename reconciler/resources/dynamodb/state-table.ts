/**
 * The state table the stack's record lives in, as a pseudo-resource in the observation: the function and
 * the task read their record from it (`LAMBDAFLEX_TABLE`), so the kinds that write their environment need
 * its name in `desired(spec, refs)` (a new table is then a diff) and in their verbs (`ctx.refs`). The
 * engine adds it beside what was observed (reconcile.ts), like the traffic weights; no kind has its key.
 *
 * @example
 * observation.resources = { ...observation.resources, [STATE_TABLE_KEY]: stateTableRef(store.tableName) };
 * tableNameFromRefs(observation.resources); // the store's table
 */
import { DEFAULT_TABLE_NAME } from '../../state/types';
import type { ObservedResource, ResourceContext } from '../types';

export const STATE_TABLE_KEY = 'state-table';

export function stateTableRef(tableName: string): ObservedResource {
  return {
    key: STATE_TABLE_KEY,
    type: 'LambdaFlex::State::Table',
    id: tableName,
    tags: {},
    attributes: { name: tableName },
    ready: true,
  };
}

/** The table's name; the default table where no engine added it (unit tests of a single kind). */
export function tableNameFromRefs(refs: ResourceContext['refs']): string {
  const name = refs[STATE_TABLE_KEY]?.attributes.name;
  return typeof name === 'string' && name !== '' ? name : DEFAULT_TABLE_NAME;
}
