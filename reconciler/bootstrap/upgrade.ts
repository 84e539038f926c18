/**
 * The upgrade of an installation made before bootstrap recorded the identities of what it made
 * (docs/ownership.md "Bootstrap's own resources"): its system record has no ledger. Each proven kind
 * found with the `lambdaflex-system` tags is taken as bootstrap's once, as before this release, and
 * its identity recorded, all in one conditional write (a run dying before it adopts again; one that
 * lost the race to another run's upgrade keeps that one's). The function, whose identity is its creation
 * nonce, is tagged with a fresh one first. The risk left: a copy of the tags made before the upgrade
 * is adopted, as it would have been before it.
 */
import { awsMessage } from '../aws/classify';
import type { ResourceGraph } from '../engine/graph';
import { randomNonce } from '../engine/ownership';
import type { Observation } from '../engine/types';
import { DEFAULT_INTENT } from '../resources/intent';
import type { BaseContext } from '../resources/types';
import { identityOf, type ProvenResource } from './proven';
import { ledgerOf } from './system-record-kind';
import type { SystemResource, SystemSpec } from './system-spec';

const isProven = (kind: SystemResource): kind is ProvenResource => 'proven' in kind;

/**
 * Given a pass's observation: undefined when its record has a ledger (or there is none), 'upgraded' once
 * the ledger is written (by this run or another), else why it could not be (nothing written).
 */
export async function adoptLegacyInstallation(
  base: BaseContext<SystemSpec>,
  kinds: ResourceGraph<SystemResource>,
  observation: Observation,
): Promise<string | undefined> {
  const proven = kinds.topological().filter(isProven);
  if (proven.length === 0 || ledgerOf(observation.resources) !== 'legacy') return undefined;
  const unread = proven.filter((kind) => kind.key in observation.unknown);
  if (unread.length > 0) {
    return `upgrading the system record: ${unread.map((k) => observation.unknown[k.key]).join('; ')}; nothing was changed, run bootstrap again`;
  }
  const owned: Record<string, string> = {};
  // The table the record is in (a table bootstrap does not own has no identity here).
  const table = observation.resources['table'];
  if (table && !table.foreign && table.uniqueId !== undefined) owned['table'] = table.uniqueId;
  const context = { ...base, intent: base.intent ?? DEFAULT_INTENT, refs: observation.resources };
  for (const kind of proven) {
    const found = observation.resources[kind.key];
    if (!found || found.foreign) continue;
    let identity = identityOf(found);
    if (identity === undefined && kind.proven.stamp) {
      identity = randomNonce();
      await kind.proven.stamp(context, found, identity);
    }
    if (identity !== undefined) owned[kind.key] = identity;
  }
  try {
    await proven[0]!.proven.ledger.adopt(owned);
  } catch (error) {
    // Another run upgraded it meanwhile: its ledger stands.
    if (awsMessage(error).includes('ConditionalCheckFailed')) return 'upgraded';
    return `upgrading the system record: ${awsMessage(error)}`;
  }
  return 'upgraded';
}
