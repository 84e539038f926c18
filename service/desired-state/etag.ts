/** The record's `version` is its entity tag: every write bumps it, so it changes exactly when the record does. */
export function formatEtag(version: number): string {
  return `"${version}"`;
}

export type Precondition =
  | { kind: 'version'; version: number }
  /** `If-Match: *`: any existing record, at whatever version the store reads. */
  | { kind: 'exists' }
  /** `If-None-Match: *`: the stack must not exist yet (a create). */
  | { kind: 'absent' }
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string };

/**
 * Reads `If-Match` / `If-None-Match` into the store's terms. Only one tag is accepted in `If-Match`: a write
 * is conditional on a single version. A bare number is tolerated for hand-written curl calls.
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
  return { kind: 'version', version: Number(match[1]) };
}
