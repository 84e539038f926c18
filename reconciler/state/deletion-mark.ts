/**
 * The deletion mark, `deletionRequestedAt`: what `lambdaflex delete` (the store's requestDelete) writes,
 * the time of the request in milliseconds since the epoch. Deletion is final, so only such a mark is a
 * request. Anything else found there was written by hand (null, false, 0 or "" by someone "clearing" it in
 * the console, a time in words): it deletes nothing, and holds the stack instead, nothing of it created,
 * changed or deleted and no spec taken, until a delete writes a proper mark over it or the attribute is
 * removed (docs/design.md "The record").
 */

/** The earliest and the latest time a mark may hold: 0 is no time, and no Date holds one past 8.64e15. */
export const DELETION_MARK_RANGE = { first: 1, last: 8.64e15 } as const;

/** When a deletion was asked for, as every message says it: "requested at 2026-01-01T00:00:00.000Z". */
export function requestedAtText(at: number): string {
  return `requested at ${new Date(at).toISOString()}`;
}

/** The reason of the condition (SpecValid False) and the event of a stack held by a mark that is no time. */
export const UNREADABLE_MARK_REASON = 'DeletionMarkUnreadable';

/** A mark as requestDelete writes it: a number of milliseconds within DELETION_MARK_RANGE. */
function isDeletionTime(value: unknown): value is number {
  return typeof value === 'number' && value >= DELETION_MARK_RANGE.first && value <= DELETION_MARK_RANGE.last;
}

/**
 * The mark stored in an item (as the document client reads it): a request's time, or, for a mark that is
 * none, what it holds in words (`null`, `the string "yesterday"`). Undefined: no mark.
 */
export function readDeletionMark(value: unknown): { at: number } | { unreadable: string } | undefined {
  if (value === undefined) return undefined;
  return isDeletionTime(value) ? { at: value } : { unreadable: describeValue(value) };
}

/**
 * The rule, said where a mark that is none is found: `kind` as readDeletionMark describes it. In the
 * "<field>: <rule>" form of a spec's problems, so that it reads like them in the status.
 */
function unreadableMarkRule(kind: string): string {
  return (
    `deletionRequestedAt: ${kind} is not a deletion request (a deletion mark is the time of the request, ` +
    'a number of milliseconds since the epoch from 1 on, as `lambdaflex delete` writes it)'
  );
}

/**
 * What the pass and the status say of a stack held by a mark that is none, with what to do about it.
 * `command` names the lambdaflex command (`lambdaflex --local …` when local).
 */
export function unreadableMarkHold(
  stack: string,
  kind: string,
  command: (rest: string) => string = (rest) => `lambdaflex ${rest}`,
): string {
  return (
    `${unreadableMarkRule(kind)}, so the stack is held: nothing of it is created, changed or deleted until ` +
    `\`${command(`delete ${stack}`)}\` requests its deletion, or the attribute is removed to keep it`
  );
}

/** A value as a person would name it: `null`, `the boolean false`, `the string "x"`, `a map`. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${String(value)}`;
  // None from the store, which reads every number as a number (record.ts readNumber); a long one as 1e+100.
  if (typeof value === 'bigint') {
    const digits = String(value);
    return `the number ${digits.length > 21 ? String(Number(value)) : digits}`;
  }
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Set) return 'a set';
  if (value instanceof Uint8Array) return 'a binary value';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}
