/**
 * What one ChangeResourceRecordSets batch of the pair holds (pure): the two records go in ONE
 * transactional batch, so that resolvers never see a half-moved pair of weights, with the name's
 * ownership TXT claimed (a free or remembered name) or carried as the batch's guard (safety rule 7).
 * What Route 53 already holds is left out, so the sibling's own step finds nothing to do, unless the
 * pass asks for the weights to be written again (safety rule 2, `Intent.rewriteWeights`).
 */
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import {
  guardChanges,
  OUR_SET_IDENTIFIERS,
  ownerTxtRecordSet,
  type DnsOwner,
  type Ownership,
} from './dns-ownership';
import type { NameContents } from './name-contents';
import { hasAliasTarget, sameRecord, toRecordSet, type WeightedRecord } from './weighted-record';

/** One of our weighted sets at the name. */
export function ourSet(contents: NameContents, tier: string): ResourceRecordSet | undefined {
  return contents.atName.find((set) => set.Type === 'A' && set.SetIdentifier === tier);
}

/** Our weighted sets at the name other than `tier`'s. */
export function otherOurSets(contents: NameContents, tier: string): ResourceRecordSet[] {
  return contents.atName.filter(
    (set) =>
      set.Type === 'A' && set.SetIdentifier !== tier && OUR_SET_IDENTIFIERS.includes(set.SetIdentifier ?? ''),
  );
}

/** The changes of the pair's records (`pairChange`, or `sameAgain` when the weights are written again). */
export function pairChanges(
  pair: readonly WeightedRecord[],
  contents: NameContents,
  albActive: boolean,
  rewrite: boolean,
): Change[] {
  return pair.flatMap((record) => {
    const heldSet = ourSet(contents, record.setIdentifier);
    const change =
      pairChange(record, heldSet, albActive) ?? (rewrite ? sameAgain(record, heldSet) : undefined);
    return change ? [change] : [];
  });
}

/**
 * What a batch of the pair does to one record, from what Route 53 holds (`held`): CREATE where nothing
 * was read (so that a record that appeared since fails the batch), UPSERT what differs, nothing where it
 * is right.
 *
 * A record without a known target (the fargate one while its ALB is not known: the first pass after the
 * ALB vanished reads it as unknown, not gone) can't be rewritten, and Route 53 does not promise to take an
 * alias to a load balancer that is gone; a DELETE needs only the values held. So when it must carry
 * nothing and still carries traffic, it is removed in the same batch as the other weight, whichever step
 * writes it: two batches would leave its share on a dead name for a Route 53 change. It is made again, at
 * weight 0, once the ALB is known.
 *
 * A fargate weight above 0 is written only while the ALB is seen active (`albActive`, safety rule 1): the
 * lambda record's step, which the plan does not hold behind the ALB (it stays within its tier), leaves
 * it to the fargate record's own step, which the plan holds until the ALB is ready.
 */
function pairChange(
  record: WeightedRecord,
  held: ResourceRecordSet | undefined,
  albActive: boolean,
): Change | undefined {
  if (record.setIdentifier === 'fargate' && record.weight > 0 && !albActive) return undefined;
  if (hasAliasTarget(record)) {
    const want = toRecordSet(record);
    if (!held) return { Action: 'CREATE', ResourceRecordSet: want };
    return sameRecord(held, want) ? undefined : { Action: 'UPSERT', ResourceRecordSet: want };
  }
  if (record.weight === 0 && held && (held.Weight ?? 0) > 0)
    return { Action: 'DELETE', ResourceRecordSet: held };
  return undefined;
}

/**
 * A record Route 53 already holds as wanted, written again (`Intent.rewriteWeights`): the same UPSERT, so
 * that a change whose id this pass keeps stands behind its values. Not a record without a known target,
 * which can't be written (`pairChange`).
 */
function sameAgain(record: WeightedRecord, held: ResourceRecordSet | undefined): Change | undefined {
  if (!held || !hasAliasTarget(record)) return undefined;
  const want = toRecordSet(record);
  return sameRecord(held, want) ? { Action: 'UPSERT', ResourceRecordSet: want } : undefined;
}

/** The changes that claim or guard the name in a batch (free/remembered: create the TXT; ours: guard it). */
export function ownershipChanges(recordName: string, owner: DnsOwner, ownership: Ownership): Change[] {
  if (ownership.verdict === 'ours') return guardChanges(ownership.txt);
  return [{ Action: 'CREATE', ResourceRecordSet: ownerTxtRecordSet(recordName, owner) }];
}

/** A delete's batch: this tier's record as held; the TXT guards it, or goes with the last of our records. */
export function deleteChanges(contents: NameContents, tier: string, ownership: Ownership): Change[] {
  const set = ourSet(contents, tier);
  const changes: Change[] = set ? [{ Action: 'DELETE', ResourceRecordSet: set }] : [];
  if (ownership.verdict === 'ours') {
    // The last of our records takes the TXT with it, last in the batch; otherwise the TXT guards it.
    const last = otherOurSets(contents, tier).length === 0;
    if (last) changes.push({ Action: 'DELETE', ResourceRecordSet: ownership.txt });
    else if (changes.length > 0) changes.unshift(...guardChanges(ownership.txt));
  }
  return changes;
}
