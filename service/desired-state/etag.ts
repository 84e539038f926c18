/**
 * The spec's `generation` is its entity tag: every spec write raises it, and nothing else does. Not the
 * record's `version`: the reconciler's status writes raise that every pass, so an ETag following it
 * would be stale seconds after a GET, and almost every read-edit-write would answer 412.
 */
export function formatEtag(generation: number): string {
  return `"${generation}"`;
}

export type Precondition =
  | { kind: 'generation'; generation: number }
  /** `If-Match: *`: any existing record, at whatever generation the store reads. */
  | { kind: 'exists' }
  /** `If-None-Match: *`: the stack must not exist yet (a create). */
  | { kind: 'absent' }
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string };

/**
 * Reads `If-Match` / `If-None-Match` into the store's terms. Only one tag is accepted in `If-Match`: a write
 * is conditional on a single generation. A bare number is tolerated for hand-written curl calls.
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
  const match = /^"?(\d{1,15})"?$/.exec(value);
  if (!match?.[1]) {
    return {
      kind: 'invalid',
      reason: `If-Match must be one ETag from GET /desired-state, such as "3" (got ${value.slice(0, 40)})`,
    };
  }
  return { kind: 'generation', generation: Number(match[1]) };
}
