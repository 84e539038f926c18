/**
 * Safety rule 3's test, the one the stacks' ledger (engine/ownership.ts) and bootstrap's
 * (bootstrap/proven.ts, table-proof.ts) both apply: a resource is its owner's only when its tags name
 * the owner AND what identifies it is recorded, or it carries the nonce of a create the owner journaled
 * and has not yet tied to an identity. Tags alone prove nothing: anyone may copy them.
 *
 * What identifies a resource is chosen by the caller: its `id` where the stacks' ledger records ids, or
 * `uniqueId` (what AWS gave that resource alone: a RoleId, a PolicyId, a queue's creation time) where
 * bootstrap records those, its ids being names that a copy made under the name has too.
 */
import { TAG_NONCE } from '../../spec/names';
import type { ObservedResource } from '../resources/types';

/** What the owner holds for the resource's key. */
export interface ProofRecords {
  /** The identity recorded for the key, if any. */
  recorded: string | undefined;
  /**
   * Where that identity is a name (a stack's role or service): what AWS gave the recorded resource
   * alone, as last seen (`uniqueId`).
   */
  recordedUniqueId?: string;
  /** Nonces of creates journaled for the key and not yet tied to an identity. */
  journaled: readonly string[];
}

/**
 * How a resource is proven: by its recorded identity, or by the nonce of a journaled create (whose
 * identity the caller then records: the nonce is random and written before the call, so nobody copying
 * tags could have put it on a resource made before ours).
 */
export type Proof = 'recorded' | 'journaled';

/**
 * The proof of `found` under `records`, or undefined when it has none (foreign, if it carries the tags).
 * `carriers` is how many resources found for the key carry its nonce: a create makes one resource, so
 * with two, one is a copy made after ours showed, and nothing tells which.
 */
export function proofOf(
  found: Pick<ObservedResource, 'id' | 'uniqueId' | 'tags' | 'foreign'>,
  identifiedBy: 'id' | 'uniqueId',
  records: ProofRecords,
  carriers = 1,
): Proof | undefined {
  // Untagged (a finder marks what lacks the owner's tags foreign): nothing recorded makes it the owner's.
  if (found.foreign) return undefined;
  const identity = found[identifiedBy];
  // Without an identity, there is nothing to compare and nothing a nonce's proof could record.
  if (identity === undefined) return undefined;
  if (identity === records.recorded && !madeAgainUnderName(found, records.recordedUniqueId))
    return 'recorded';
  const nonce = found.tags[TAG_NONCE];
  if (nonce !== undefined && records.journaled.includes(nonce) && carriers === 1) return 'journaled';
  return undefined;
}

/**
 * Whether `found`, at a recorded name, is another resource than the one recorded there: AWS gave it
 * another unique id (deleted behind the owner's back and made again under the name, tags copied). One
 * found without a unique id (a finder that gives none) is not told apart: its name is all there is.
 */
export function madeAgainUnderName(
  found: Pick<ObservedResource, 'uniqueId'>,
  recordedUniqueId: string | undefined,
): boolean {
  return (
    recordedUniqueId !== undefined && found.uniqueId !== undefined && found.uniqueId !== recordedUniqueId
  );
}
