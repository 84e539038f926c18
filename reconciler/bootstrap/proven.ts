/**
 * Safety rule 3 for bootstrap's own resources (docs/ownership.md "Bootstrap's own resources"): a system
 * kind wrapped here is bootstrap's only when its tags say so AND the identity AWS gave it (the finder's
 * `uniqueId`: a RoleId, a PolicyId, a queue's or a schedule's creation time, the function's creation
 * nonce) is the one recorded in the system record's ledger (ledger.ts): the rule the stacks' ledger
 * applies too (engine/ownership-proof.ts), with that identity in place of the id, which here is a name
 * a copy would have too. Anything else of its name is foreign: never updated, never deleted; bootstrap
 * stops and names it (run.ts).
 *
 * A create is journaled as the stacks' are: the intent (a fresh nonce) is written to the ledger first, the
 * create carries the nonce (a `lambdaflex:nonce` tag, or the schedule's description), and the identity is
 * recorded once AWS answers. A run that died in between finds the resource carrying the intent's nonce
 * and records it then; nothing is made twice (the names are unique, AWS refuses a second one).
 */
import { TAG_NONCE } from '../../spec/names';
import { randomNonce } from '../engine/ownership';
import { proofOf, type ProofRecords } from '../engine/ownership-proof';
import { NotCreatedHereError } from '../resources/common/created-here';
import type { ObservedResource } from '../resources/types';
import { ledgerOf, SYSTEM_RECORD_KIND_KEY } from './system-record-kind';
import type { Ledger, LedgerStore } from './ledger';
import type { SystemContext, SystemResource } from './system-spec';

/** What the identity is, in a message: `RoleId`, `PolicyId`, `creation time`, `creation nonce`. */
export interface ProvenOptions {
  identityLabel: string;
  ledger: LedgerStore;
  /**
   * Gives a resource adopted from a release before ledgers the nonce it lacks (the function, whose
   * identity is its nonce tag): called by the upgrade (run.ts) before the ledger is written.
   */
  stamp?: (ctx: SystemContext, current: ObservedResource, nonce: string) => Promise<void>;
}

export type ProvenResource = SystemResource & { proven: ProvenOptions };

/** The identity a finder gave, or undefined. */
export const identityOf = (found: ObservedResource): string | undefined => found.uniqueId;

function foreignBecause(
  found: ObservedResource,
  label: string,
  ledger: ReturnType<typeof ledgerOf>,
  tableName: string,
): string {
  const identity = identityOf(found) ?? 'none';
  const why =
    ledger === undefined
      ? `table ${tableName} has no system record naming what bootstrap made`
      : ledger === 'legacy' || ledger.owned[found.key] === undefined
        ? `bootstrap recorded no ${found.key} of its own`
        : `bootstrap recorded ${label} ${ledger.owned[found.key]}`;
  return (
    `${found.type} ${found.id} has bootstrap's name and lambdaflex-system tags but is not the one bootstrap ` +
    `made (its ${label} is ${identity}; ${why}): delete or rename it, then run bootstrap again`
  );
}

/** What the ledger holds for `key`, as the shared proof (engine/ownership-proof.ts) reads it. */
function proofRecords(ledger: Ledger, key: string): ProofRecords {
  const intent = ledger.intents[key];
  return { recorded: ledger.owned[key], journaled: intent ? [intent.nonce] : [] };
}

export function provenResource(kind: SystemResource, options: ProvenOptions): ProvenResource {
  const { ledger: store, identityLabel } = options;
  return {
    ...kind,
    dependsOn: [...new Set([...kind.dependsOn, SYSTEM_RECORD_KIND_KEY])],
    // Its own proof, not its dependencies' (engine/observe.ts: a kind without `creates` inherits a
    // foreign dependency's verdict); AWS refuses a second resource of the name.
    creates: 'name',
    proven: options,
    async find(ctx) {
      const found = await kind.find(ctx);
      if (!found || found.foreign) return found;
      const ledger = ledgerOf(ctx.refs);
      // A record made before ledgers: what carries the tags is adopted once by the upgrade (run.ts).
      if (ledger === 'legacy') return found;
      const proof = ledger && proofOf(found, 'uniqueId', proofRecords(ledger, kind.key));
      // Made by a run that died before recording it: recorded now.
      if (proof === 'journaled') await store.owned(kind.key, identityOf(found)!);
      if (proof !== undefined) return found;
      return {
        ...found,
        attributes: {},
        foreign: true,
        conflict: foreignBecause(found, identityLabel, ledger, store.tableName),
      };
    },
    async create(ctx) {
      const nonce = randomNonce();
      await store.intend(kind.key, { nonce, at: ctx.now() });
      const created = await kind.create({ ...ctx, nonce });
      // SQS answers CreateQueue with the queue already of that name when its attributes are the ones
      // asked for: made by someone between this pass's find and its create, it carries no nonce of ours.
      // Nothing recorded: the apply reports the conflict, holds what depends on it, and the next pass
      // finds it foreign and stops.
      if (created.tags[TAG_NONCE] !== nonce)
        throw new NotCreatedHereError(kind.key, created.id, `creating ${kind.type} (${kind.key})`);
      const identity = identityOf(created);
      // Without its identity in the answer, the intent stays: the next pass finds it by its nonce.
      if (identity !== undefined) await store.owned(kind.key, identity);
      return created;
    },
    async delete(ctx, current) {
      await kind.delete(ctx, current);
      await store.released(kind.key);
    },
  };
}
