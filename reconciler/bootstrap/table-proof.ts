/**
 * The table's proof (docs/ownership.md "Bootstrap's own resources"): the system record in it names its
 * TableId (`owned.table`), written with the record. The table holds the record, so no intent can come
 * before its create; a table of bootstrap's name and tags found without a record is taken on install
 * (a run that died between CreateTable and the record's write: the record is written next), but never
 * deleted: `--destroy` stops on it.
 */
import { proofOf } from '../engine/ownership-proof';
import type { Observation } from '../engine/types';
import type { LedgerStore } from './ledger';
import { ledgerOf } from './system-record-kind';

/** Why the run stops on the table, or undefined; records the TableId in a ledger that lacks it. */
export async function tableProofProblem(
  observation: Observation,
  store: LedgerStore,
  destroy: boolean,
): Promise<string | undefined> {
  const table = observation.resources['table'];
  if (!table || table.foreign || table.uniqueId === undefined) return undefined;
  const ledger = ledgerOf(observation.resources);
  // A record from before ledgers: the upgrade records the table with the rest (upgrade.ts).
  if (ledger === 'legacy') return undefined;
  const where = `table (${table.type}): ${table.id} (TableId ${table.uniqueId})`;
  if (ledger === undefined) {
    return destroy
      ? `${where} has bootstrap's name and tags but holds no system record naming it bootstrap's; it is left alone: delete it by hand if it is yours`
      : undefined;
  }
  const recorded = ledger.owned['table'];
  if (recorded === undefined) {
    // A ledger written before tables were recorded: the table it is in is the one it was written in.
    await store.owned('table', table.uniqueId);
    return undefined;
  }
  if (proofOf(table, 'uniqueId', { recorded, journaled: [] }) === 'recorded') return undefined;
  return (
    `${where} has bootstrap's name and tags but is not the table bootstrap made: the system record in it ` +
    `names TableId ${recorded} (a restore or a copy of another table); it is left alone. If it is a ` +
    `restore of bootstrap's own table, remove owned.table from its #lambdaflex-system item and run ` +
    'bootstrap again; otherwise delete it or give bootstrap another --table'
  );
}
