/**
 * The spec's entity tag: its `generation`, and the record's `incarnation` (reconciler/state/incarnation.ts),
 * as `"<generation>.<incarnation>"`. Every spec write raises the generation, and nothing else does. Not the
 * record's `version`: the reconciler's status writes raise that every pass, so an ETag following it would
 * be stale seconds after a GET, and almost every read-edit-write would answer 412. The incarnation because
 * a stack deleted and created again starts again at generation 1: the generation alone, read from the
 * record that was, would name the new one.
 *
 * A record created before incarnations has none; its ETag is its generation alone (`"3"`), as it was, and
 * stays so for the record's life. That form never names a record that has an incarnation, and every record
 * created since has one, so such an ETag is refused once the stack is deleted and created again.
 */
import { INCARNATION_PATTERN, type SpecRevision } from '../../reconciler/state/incarnation';

export function formatEtag(revision: SpecRevision): string {
  const incarnation = revision.incarnation === undefined ? '' : `.${revision.incarnation}`;
  return `"${revision.generation}${incarnation}"`;
}

export type Precondition =
  /** An ETag: the revision it names (without an incarnation: a record from before them). */
  | { kind: 'revision'; revision: SpecRevision }
  /** `If-Match: *`: any existing record, at whatever generation the store reads. */
  | { kind: 'exists' }
  /** `If-None-Match: *`: the stack must not exist yet (a create). */
  | { kind: 'absent' }
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string };

/** Generation 1 or more (a spec write never leaves 0), then `.` and the incarnation when there is one. */
const ETAG = /^"?([1-9]\d{0,14})(?:\.([^".]*))?"?$/;

/**
 * Reads `If-Match` / `If-None-Match` into the store's terms. Only one tag is accepted in `If-Match`: a write
 * is conditional on a single revision. The quotes may be left out, for hand-written curl calls.
 */
export function parsePrecondition(
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
): Precondition {
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    return { kind: 'invalid', reason: 'send either If-Match or If-None-Match, not both' };
  }
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === '*'
      ? { kind: 'absent' }
      : { kind: 'invalid', reason: 'If-None-Match accepts only "*" (create the stack)' };
  }
  if (ifMatch === undefined || ifMatch.trim() === '') return { kind: 'missing' };
  const value = ifMatch.trim();
  if (value === '*') return { kind: 'exists' };
  const match = ETAG.exec(value);
  const incarnation = match?.[2];
  if (!match?.[1] || (incarnation !== undefined && !INCARNATION_PATTERN.test(incarnation))) {
    return {
      kind: 'invalid',
      reason: `If-Match must be one ETag from GET /desired-state, such as "3.9f2c4e1a7b3d": a generation of 1 or more, a dot, and the record's incarnation (got ${value.slice(0, 80)})`,
    };
  }
  const generation = Number(match[1]);
  return {
    kind: 'revision',
    revision: incarnation === undefined ? { generation } : { generation, incarnation },
  };
}
