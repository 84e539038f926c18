/**
 * A stack's record as both stores make it: the first one of a stack (firstRecord), and one read from a
 * DynamoDB item (toRecord, as the document client unmarshalls it). The item may have been edited by hand in
 * the console, so nothing is assumed beyond what the record's readers can cope with.
 */
import { emptyBookkeeping, LEGACY_STATUS_FIELDS, type Bookkeeping } from './bookkeeping';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { readDeletionMark } from './deletion-mark';
import { newIncarnation, readIncarnation } from './incarnation';
import type { Lease, StackEvent, StackRecord, StackStatus } from './types';

type Item = Record<string, unknown>;

/** A stack's first record: generation and version 1, and the incarnation it keeps for its whole life. */
export function firstRecord(stack: string, spec: Record<string, unknown>): StackRecord {
  return {
    stack,
    spec,
    generation: 1,
    incarnation: newIncarnation(),
    version: 1,
    events: [],
    bookkeeping: emptyBookkeeping(),
  };
}

export function toRecord(item: Item): StackRecord {
  const record: StackRecord = {
    stack: String(item.stack),
    spec: isObject(item.spec) ? item.spec : {},
    // Past the safe integers (edited by hand) it could be written back in no status: read as none.
    generation: Number.isSafeInteger(Number(item.generation)) ? Number(item.generation) : 0,
    // A version edited by hand into no counter (a string, a fraction, past the safe integers) reads as 0,
    // which no record written by the store has: the reconciler's next write starts it again at 1.
    version: isCounter(item.version) ? item.version : UNREADABLE_VERSION,
    events: Array.isArray(item.events)
      ? (item.events.filter(isEvent).map(withTexts) as unknown as StackEvent[])
      : [],
    bookkeeping: toBookkeeping(item),
  };
  // Only a well-formed one is one: a hand edit that made it anything else leaves a record no spec write
  // matches (and the conflict says so).
  const incarnation = readIncarnation(item.incarnation);
  if (incarnation !== undefined) record.incarnation = incarnation;
  else if (item.incarnation !== undefined) record.unreadableIncarnation = item.incarnation;
  if (isObject(item.status)) record.status = toStatus(withoutLegacyFields(item.status));
  if (isObject(item.lease)) record.lease = item.lease as unknown as Lease;
  // Only a mark as `lambdaflex delete` writes it is a deletion request; any other holds the stack.
  const mark = readDeletionMark(item.deletionRequestedAt);
  if (mark && 'at' in mark) record.deletionRequestedAt = mark.at;
  if (mark && 'unreadable' in mark) record.unreadableDeletionMark = mark.unreadable;
  return record;
}

/**
 * The bookkeeping as stored; a record written before the bookkeeping had its own attribute kept it in
 * `status`, and is read from there once (the next write stores it in its place).
 */
function toBookkeeping(item: Item): Bookkeeping {
  const stored = isObject(item.bookkeeping)
    ? item.bookkeeping
    : isObject(item.status)
      ? pick(item.status, LEGACY_STATUS_FIELDS)
      : {};
  // `owned` stays absent when it was never stored: that is how a stack from before ownership is told
  // (one edited by hand into anything but a map reads so too, and its entries that are no resource go).
  const { owned: _recordedLater, ...defaults } = emptyBookkeeping();
  const { owned: storedOwned, ...rest } = stored as Partial<Bookkeeping>;
  // A record as the service creates it (the spec's attributes and an incarnation, nothing of the
  // reconciler's yet) owns nothing: it is no stack from before ownership.
  const fresh =
    item.bookkeeping === undefined &&
    item.status === undefined &&
    readIncarnation(item.incarnation) !== undefined;
  const owned = fresh ? {} : ownedOf(storedOwned);
  const terminal = terminalOf(stored.terminal);
  const { terminal: _checked, ...others } = rest;
  return {
    ...defaults,
    ...others,
    ...(owned ? { owned } : {}),
    ...(terminal ? { terminal } : {}),
    pendingChanges: isObject(stored.pendingChanges) ? (stored.pendingChanges as Record<string, string>) : {},
    retries: isObject(stored.retries) ? (stored.retries as Bookkeeping['retries']) : {},
    intents: intentsOf(stored.intents),
  };
}

/**
 * The status as stored, its lists and maps as the reconciler reads them: a condition or a resource edited
 * by hand into something else is dropped (the next pass writes them again from what it finds).
 */
function toStatus(stored: Item): StackStatus {
  const conditions = Array.isArray(stored.conditions)
    ? stored.conditions.filter((c) => isObject(c) && hasStrings(c, ['type', 'status'])).map(withTexts)
    : [];
  const resources = isObject(stored.resources)
    ? Object.fromEntries(
        Object.entries(stored.resources).filter(([, r]) => isObject(r) && hasStrings(r, ['id', 'kind'])),
      )
    : {};
  const { lastPass, ...rest } = stored;
  const passOk =
    isObject(lastPass) &&
    Number.isFinite(lastPass.at) &&
    isObject(lastPass.apiCalls) &&
    Number.isFinite(lastPass.apiCalls.total) &&
    Number.isFinite(lastPass.apiCalls.mutating);
  return { ...rest, ...(passOk ? { lastPass } : {}), conditions, resources } as unknown as StackStatus;
}

/** An event as the reconciler writes it: a time and a type (its reason and message are text). */
function isEvent(event: unknown): event is Item {
  return isObject(event) && Number.isFinite(event.at) && hasStrings(event, ['type']);
}

/** A condition's or an event's reason and message, as text whatever was edited in. */
function withTexts(item: Item): Item {
  const text = (value: unknown) =>
    typeof value === 'string' ? value : value === undefined ? '' : String(value);
  return { ...item, reason: text(item.reason), message: text(item.message) };
}

function hasStrings(item: Item, fields: string[]): boolean {
  return fields.every((field) => typeof item[field] === 'string');
}

/** The creates journaled, by key; an intent edited by hand into anything without its nonce is none. */
function intentsOf(stored: unknown): NonNullable<Bookkeeping['intents']> {
  if (!isObject(stored)) return {};
  const intents: NonNullable<Bookkeeping['intents']> = {};
  for (const [key, list] of Object.entries(stored)) {
    if (!Array.isArray(list)) continue;
    const kept = list.filter((i) => isObject(i) && typeof i.nonce === 'string' && Number.isFinite(i.at));
    if (kept.length > 0) intents[key] = kept as NonNullable<Bookkeeping['intents']>[string];
  }
  return intents;
}

/** A terminal error is a generation and its messages; anything else edited in is none (the pass retries). */
function terminalOf(stored: unknown): Bookkeeping['terminal'] {
  if (!isObject(stored) || !Array.isArray(stored.messages)) return undefined;
  return {
    generation: toNumber(stored.generation),
    messages: stored.messages.filter((m): m is string => typeof m === 'string'),
  };
}

function ownedOf(stored: unknown): Bookkeeping['owned'] {
  if (!isObject(stored)) return undefined;
  return Object.fromEntries(
    Object.entries(stored).filter(([, owned]) => isObject(owned) && typeof owned.id === 'string'),
  ) as Bookkeeping['owned'];
}

function withoutLegacyFields(status: Item): Item {
  const rest = { ...status };
  for (const field of LEGACY_STATUS_FIELDS) delete rest[field];
  return rest;
}

function pick(item: Item, fields: readonly string[]): Item {
  return Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
}

/** A number stored in a raw (marshalled) item, as ConditionalCheckFailedException.Item returns it. */
export function rawNumber(
  item: Record<string, { N?: string }> | undefined,
  field: 'version' | 'generation',
): number | undefined {
  const n = item?.[field]?.N;
  return n === undefined ? undefined : Number(n);
}

/**
 * A number of an item as every reader of the table reads it: a JavaScript number, the nearest one past
 * 2^53. No write of the product stores a number it cannot hold exactly, but DynamoDB keeps 38 digits and a
 * hand edit can write any: by default the document client reads an integer past 2^53 as a bigint, which
 * JSON cannot write (`get -o json`, the service's answers failed with "Do not know how to serialize a
 * BigInt"), and throws on a fraction or an exponent past it (`10000000000000000.5`, `1E+100`), which made
 * the whole item unreadable, and with it every scan of the table.
 */
function readNumber(digits: string): number {
  return Number(digits);
}

/**
 * The unmarshalling of every reader of the table's items (the document clients, stream images). A new
 * object each time: lib-dynamodb writes into the options it is given (convertWithoutMapWrapper), which
 * would change what a plain unmarshall given the same object reads.
 */
export function unmarshallOptions(): { wrapNumbers: (digits: string) => number } {
  return { wrapNumbers: readNumber };
}

/** One attribute of a raw (marshalled) item as the document client reads it (readNumber). */
export function rawValue(attribute: unknown): unknown {
  if (attribute === undefined) return undefined;
  return unmarshall({ value: attribute } as unknown as Parameters<typeof unmarshall>[0], unmarshallOptions())[
    'value'
  ];
}

/**
 * A spec as it comes back from DynamoDB: `undefined` members dropped. Comparing two specs in this form
 * tells whether an apply changes anything.
 */
export function normaliseSpec(spec: unknown): unknown {
  return JSON.parse(JSON.stringify(spec));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The version of a record whose stored one is no counter: no write of the store ever sets it. */
export const UNREADABLE_VERSION = 0;

/** A version as the store writes it: a safe integer from 1. */
export function isCounter(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function toNumber(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}
