/**
 * What one retired name's leftovers become in a batch (pure), and how many of its lookups they send to the
 * Fargate tier. The weighted records at a name the spec no longer wants are the stack's traffic all the
 * same until their removal is INSYNC and resolvers have let go of them (safety rule 2): removing them is
 * how traffic leaves Fargate there. So while traffic drains (`Intent.drainingRecords`), the weighted
 * records go and the name's ownership TXT stays, the last record of the stack's at the name: a pass that
 * lost the id of the change that removed the records (it died after Route 53 took it) writes the TXT again
 * (the same values, a guarded batch) and waits on that change instead, as the record kinds write the pair
 * again (traffic/known-change.ts). The TXT goes once the drain is over, with the Fargate tier, or at once
 * when nothing drains (the stack on Lambda, or staying on Fargate).
 */
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { guardChanges, ownerTxtRecordSet, type DnsOwner } from './dns-ownership';

/** What is left of the stack at one retired name, as Route 53 holds it. */
export interface LeftoverSets {
  hostedZoneId: string;
  recordName: string;
  /** The stack's weighted A records there. */
  records: ResourceRecordSet[];
  /** The ownership TXT naming the stack; absent for records written before the TXT registry. */
  ownerTxt?: ResourceRecordSet;
}

/** How the pass removes leftovers: while traffic drains, and whether it must write a change to wait on. */
export interface LeftoverRemoval {
  draining: boolean;
  rewrite: boolean;
  /**
   * The spec's hosted zone, whose weighted records the pass writes again when it asks for a change to wait
   * on: that later change of the zone stands for a name of the same zone too (as it does for a `fargate`
   * record a lost change deleted: docs/design.md, "In sync by a change the reconciler knows"). Route 53
   * takes one change of a zone at a time, so a second one there would hold the record's back, pass after
   * pass, where it refuses a zone's change until the last is INSYNC.
   */
  rewrittenZone?: string;
}

/**
 * The changes for one name (in the order Route 53 must apply them) and the TXT the name keeps after them
 * (undefined: nothing of the stack's is left there).
 */
export function leftoverChanges(
  left: LeftoverSets,
  owner: DnsOwner,
  removal: LeftoverRemoval,
): { changes: Change[]; keptTxt?: ResourceRecordSet } {
  const deletes = left.records.map((set): Change => ({ Action: 'DELETE', ResourceRecordSet: set }));
  if (!removal.draining) {
    // Nothing drains: the records, then the TXT last (safety rule 7), in one batch.
    const txt = left.ownerTxt ? [{ Action: 'DELETE' as const, ResourceRecordSet: left.ownerTxt }] : [];
    return { changes: [...deletes, ...txt] };
  }
  if (left.ownerTxt) {
    // The TXT stays and guards the batch: it commits only while the name is still the stack's.
    if (deletes.length > 0)
      return { changes: [...guardChanges(left.ownerTxt), ...deletes], keptTxt: left.ownerTxt };
    const own = removal.rewrite && left.hostedZoneId !== removal.rewrittenZone;
    return { changes: own ? guardChanges(left.ownerTxt) : [], keptTxt: left.ownerTxt };
  }
  // Records from before the TXT registry: the name is claimed as they go, so that something of the
  // stack's stays there to write again while the drain lasts.
  const txt = ownerTxtRecordSet(left.recordName, owner);
  return { changes: [...deletes, { Action: 'CREATE', ResourceRecordSet: txt }], keptTxt: txt };
}

/**
 * The share of the name's lookups (percent) its weighted records send to the Fargate tier. Route 53 answers
 * each record of a weighted set in proportion to its weight, and all of them alike when every weight is 0
 * (Route 53 Developer Guide, "Weighted routing"). Any weight on Fargate counts as at least 1 %: rounded
 * to 0, it would read as drained.
 */
export function fargateShare(records: readonly ResourceRecordSet[]): number {
  const fargate = records.find((set) => set.SetIdentifier === 'fargate');
  if (!fargate) return 0;
  const total = records.reduce((sum, set) => sum + (set.Weight ?? 0), 0);
  if (total === 0) return Math.round(100 / records.length);
  const weight = fargate.Weight ?? 0;
  return weight > 0 ? Math.max(1, Math.round((weight / total) * 100)) : 0;
}
