/**
 * A record's incarnation: a random nonce written once, when the record is created, and never changed by a
 * later write. The spec's generation starts again at 1 when a stack is deleted and created again, so a
 * generation read from the old record can name the new one; the pair (incarnation, generation) cannot. A
 * spec write conditional on a generation is conditional on the incarnation too (docs/design.md "The record").
 *
 * A record created before incarnations has none, and keeps none: a record is given one only when it is
 * created. Its generation alone still names it, and safely: every record created since has an incarnation,
 * so an expectation without one never matches a stack deleted and created again.
 */
import { randomBytes } from 'node:crypto';

/** What a spec write expects to find: a generation of one incarnation (none: a record from before them). */
export interface SpecRevision {
  generation: number;
  incarnation?: string;
}

/** 12 lowercase hex digits (48 random bits): two incarnations of one stack never share one in practice. */
export function newIncarnation(): string {
  return randomBytes(6).toString('hex');
}

/**
 * What an incarnation may look like where one is read from outside (an ETag, a request body): a token, so
 * that it can sit in an ETag and a message as it is. Wider than newIncarnation's, to leave room to change it.
 */
export const INCARNATION_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The incarnation a stored attribute holds: a string of INCARNATION_PATTERN's, else none. One edited by
 * hand into anything else (a number, a string with a dot) leaves a record no spec write matches, and the
 * conflict then says so (VersionConflictError's `unreadable`).
 */
export function readIncarnation(value: unknown): string | undefined {
  return typeof value === 'string' && INCARNATION_PATTERN.test(value) ? value : undefined;
}

/**
 * The revision a spec write expects: the one its options name, else the one just read (`current`; none
 * read: no record), which a write that names nothing is then conditional on.
 */
export function expectedRevision(
  options: { expectedGeneration?: number; expectedIncarnation?: string },
  current: SpecRevision | undefined,
): SpecRevision {
  return options.expectedGeneration === undefined
    ? { generation: current?.generation ?? 0, incarnation: current?.incarnation }
    : { generation: options.expectedGeneration, incarnation: options.expectedIncarnation };
}

/** Whether a record (or what was read of it) is the revision a writer expects. */
export function sameRevision(record: SpecRevision | undefined, expected: SpecRevision): boolean {
  return (record?.generation ?? 0) === expected.generation && record?.incarnation === expected.incarnation;
}

/**
 * "generation 3 of incarnation 9f2c4e1a7b3d", for a conflict's message ("version 3 …" for a write
 * conditional on the version); "no record" for 0.
 */
export function describeRevision(
  revision: SpecRevision | undefined,
  counter: 'generation' | 'version' = 'generation',
): string {
  if (!revision || revision.generation === 0) return 'no record';
  const of =
    revision.incarnation === undefined
      ? 'of a record without an incarnation'
      : `of incarnation ${revision.incarnation}`;
  return `${counter} ${revision.generation} ${of}`;
}
