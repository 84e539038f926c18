/**
 * The spec a stack's deletion runs from. Deletion is final, and a spec written after `lambdaflex delete`
 * must not stop it: the store refuses such a write, but that refusal is the store's condition, which IAM
 * cannot impose, and the stack's own roles (the user's code runs with them) may UpdateItem the `spec` of
 * their item with any condition or none (docs/security.md). An invalid spec would hold the deletion for
 * good (safety rule 5), `apply` being refused while the deletion is pending; a valid one naming a new DNS
 * name or another tier must not have anything created or written either.
 *
 * So a pass keeps, in the stack's private bookkeeping, the spec it acts on (`reconciledSpec`), before it
 * changes anything in AWS from it (pass/persist.ts `persistBeforeApply`): whatever exists of the stack was
 * built from a kept spec. Once the deletion is asked for, every pass runs from that spec, whatever the
 * record's `spec` says: the stack's name, the DNS name, TTL and tier it was last reconciled with (safety
 * rule 2's drain waits out the TTL its records were written with). A record's `spec` that is not the kept
 * one is named, not acted on (`IgnoredSpec`). A record from before the spec was kept (or whose kept spec no
 * longer validates, after an upgrade of the schema) is deleted from its `spec` when that is valid, which
 * the pass then keeps; with neither, the stack is held as an invalid spec is, saying why.
 *
 * Pure: no store, no AWS.
 */
import { validateSpec } from '../../spec';
import type { DesiredState, SpecError } from '../../spec/types';
import { storedReconciledSpec, type ReconciledSpec } from '../state/bookkeeping';
import type { StackRecord } from '../state/types';
import { changedSpecFields, specFields } from './spec-fields';

/** The reason of the `SpecValid` condition of a stack being deleted whose record holds another spec. */
export const IGNORED_WHILE_DELETING = 'IgnoredWhileDeleting';

/** The record's spec, not acted on by a deletion: whether it is valid, and what the status says of it. */
export interface IgnoredSpec {
  valid: boolean;
  message: string;
}

/** The record's `spec` as the pass validated it: the spec, or the problems naming each field. */
export type WrittenSpec = { ok: true; spec: DesiredState } | { ok: false; problems: SpecError[] };

export type DeletionSpec =
  | {
      kind: 'spec';
      /** What the deletion runs from. */
      spec: DesiredState;
      /** What the pass keeps in the bookkeeping: the kept spec, or the record's when none was kept. */
      keep: ReconciledSpec;
      /** The record's spec when it is not the one deleted from. */
      ignored?: IgnoredSpec;
    }
  | {
      kind: 'none';
      /** The record's spec's problems, and why no kept spec stands in (for the SpecValid condition). */
      problems: SpecError[];
    };

/**
 * What a stack whose deletion was asked for is deleted from: the kept spec when it is usable (valid, and
 * naming the record's stack), else the record's `spec` when valid (`written`, validated by the pass).
 */
export function deletionSpec(record: StackRecord, written: WrittenSpec): DeletionSpec {
  const kept = usableKeptSpec(record);
  if (kept) {
    const ignored = ignoredSpec(record, kept, written);
    return { kind: 'spec', spec: kept.spec, keep: kept, ...(ignored ? { ignored } : {}) };
  }
  if (written.ok) {
    return { kind: 'spec', spec: written.spec, keep: { generation: record.generation, spec: written.spec } };
  }
  return {
    kind: 'none',
    problems: [
      ...written.problems,
      {
        path: 'spec',
        message:
          'the stack is to be deleted, and no spec it was reconciled with is kept to delete it from (a record ' +
          'from before the reconciler kept one): nothing of it is deleted until its `spec` is valid again, ' +
          'which only an edit of the item in the table can do now (a spec write is refused while the deletion is pending)',
      },
    ],
  };
}

/**
 * The kept spec when a deletion may run from it: one that validates today and names the record's stack
 * (the bookkeeping is the reconciler's, but an upgrade may have tightened the schema, and a hand edit of
 * the item anything). Validated again, so that the planner gets the defaults it expects.
 */
export function usableKeptSpec(record: StackRecord): ReconciledSpec | undefined {
  const kept = storedReconciledSpec(record.bookkeeping);
  if (!kept) return undefined;
  const validation = validateSpec(kept.spec);
  if (!validation.ok || validation.spec.stack !== record.stack) return undefined;
  return { generation: kept.generation, spec: validation.spec };
}

/** What the status says of the record's spec when it is not the kept one deleted from; else undefined. */
function ignoredSpec(
  record: StackRecord,
  kept: ReconciledSpec,
  written: WrittenSpec,
): IgnoredSpec | undefined {
  const deletedFrom =
    `the stack is being deleted as it was last reconciled (generation ${kept.generation}): ` +
    'its deletion was asked for, and no spec written since changes what is deleted';
  if (!written.ok) {
    const problems = written.problems.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ');
    return {
      valid: false,
      message: `the spec (generation ${record.generation}) is not acted on (${problems}); ${deletedFrom}`,
    };
  }
  const changed = changedSpecFields(specFields(kept.spec), specFields(written.spec));
  if (changed.length === 0) return undefined;
  return {
    valid: true,
    message: `the spec (generation ${record.generation}) is not acted on (${changed.join(', ')} changed); ${deletedFrom}`,
  };
}
