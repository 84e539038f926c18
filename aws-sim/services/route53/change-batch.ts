/**
 * ChangeResourceRecordSets as Route 53 applies it: the changes are checked one after the other against a
 * working copy of the zone, and the batch takes effect only if every change is valid ("a batch is
 * transactional": ChangeResourceRecordSets API reference). A DELETE must match the record exactly.
 */
import { describeRecord, fqdn, isInZone, recordKey } from './names';
import type { RecordSet } from './state';
import { txtValueProblem } from './txt-values';

/**
 * Route 53 quotas, "Elements and characters in ChangeResourceRecordSets requests": at most 1,000
 * ResourceRecord elements and 32,000 characters in all Value elements of one request, an UPSERT counting
 * twice in both (docs/aws-facts.md, "Idempotency"). An alias record has no ResourceRecord element.
 */
const MAX_RECORDS_PER_BATCH = 1000;
const MAX_VALUE_CHARACTERS_PER_BATCH = 32_000;

export interface BatchError {
  code: 'InvalidChangeBatch' | 'InvalidInput';
  message: string;
}

interface ChangeInput {
  Action?: string;
  ResourceRecordSet?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type BatchResult =
  { ok: true; records: RecordSet[]; touched: Set<string> } | { ok: false; error: BatchError };

/** Applies `changes` to a copy of `records` in the zone `zoneName`; the input is never modified. */
export function applyChangeBatch(
  records: RecordSet[],
  zoneName: string,
  changes: ChangeInput[],
): BatchResult {
  if (!Array.isArray(changes) || changes.length === 0) {
    return invalidInput('Invalid request: Expected at least one change in the ChangeBatch');
  }
  const tooBig = sizeProblem(changes);
  if (tooBig) return { ok: false, error: { code: 'InvalidChangeBatch', message: tooBig } };
  const working = new Map(records.map((r) => [recordKey(r.Name, r.Type, r.SetIdentifier), r]));
  const touched = new Set<string>();
  for (const change of changes) {
    const parsed = parseRecordSet(change);
    if ('error' in parsed) return { ok: false, error: parsed.error };
    const { action, record } = parsed;
    if (!isInZone(record.Name, zoneName)) {
      return batchError(`RRSet with DNS name ${record.Name} is not permitted in zone ${zoneName}`);
    }
    const key = recordKey(record.Name, record.Type, record.SetIdentifier);
    const existing = working.get(key);
    const what = describeRecord(record.Name, record.Type, record.SetIdentifier);
    if (action === 'DELETE') {
      if (!existing) return batchError(`Tried to delete resource record set ${what} but it was not found`);
      if (!sameRecord(existing, record)) {
        return batchError(
          `Tried to delete resource record set ${what} but the values provided do not match the current values`,
        );
      }
      working.delete(key);
    } else {
      if (action === 'CREATE' && existing) {
        return batchError(`Tried to create resource record set ${what} but it already exists`);
      }
      const conflict = conflictWith(working, record);
      if (conflict) return batchError(conflict);
      working.set(key, record);
    }
    touched.add(`${record.Name}|${record.Type}`);
  }
  return { ok: true, records: [...working.values()], touched };
}

/**
 * Whether the request is over the quotas on its ResourceRecord elements or its Value characters, each
 * UPSERT counted twice (it deletes and creates). The record-count message is AWS's as users quote it;
 * the characters' is the simulator's wording.
 */
function sizeProblem(changes: ChangeInput[]): string | undefined {
  let records = 0;
  let characters = 0;
  for (const change of changes) {
    const weight = change?.Action === 'UPSERT' ? 2 : 1;
    const values: unknown[] = Array.isArray(change?.ResourceRecordSet?.ResourceRecords)
      ? change.ResourceRecordSet.ResourceRecords
      : [];
    records += weight * values.length;
    for (const value of values)
      characters += weight * String((value as { Value?: unknown })?.Value ?? '').length;
  }
  if (records > MAX_RECORDS_PER_BATCH) return `Number of records limit of ${MAX_RECORDS_PER_BATCH} exceeded.`;
  if (characters > MAX_VALUE_CHARACTERS_PER_BATCH) {
    return `Number of characters in Value elements limit of ${MAX_VALUE_CHARACTERS_PER_BATCH} exceeded (${characters}; an UPSERT counts twice).`;
  }
  return undefined;
}

function parseRecordSet(change: ChangeInput): { action: string; record: RecordSet } | { error: BatchError } {
  const action = change?.Action;
  const input = change?.ResourceRecordSet;
  if (action !== 'CREATE' && action !== 'DELETE' && action !== 'UPSERT') {
    return {
      error: { code: 'InvalidInput', message: `Invalid request: unknown Action '${String(action)}'` },
    };
  }
  if (!input?.Name || !input?.Type) {
    return {
      error: { code: 'InvalidInput', message: 'Invalid request: a ResourceRecordSet needs Name and Type' },
    };
  }
  const name = fqdn(String(input.Name));
  const type = String(input.Type);
  const setIdentifier = input.SetIdentifier === undefined ? undefined : String(input.SetIdentifier);
  const where = `in Change with [Action=${action}, Name=${name}, Type=${type}, SetIdentifier=${setIdentifier ?? 'null'}]`;
  const hasAlias = input.AliasTarget !== undefined;
  const hasValues = input.TTL !== undefined || input.ResourceRecords !== undefined;
  if (hasAlias === hasValues) {
    return {
      error: {
        code: 'InvalidInput',
        message: `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]] ${where}`,
      },
    };
  }
  if (
    hasValues &&
    (input.TTL === undefined || !Array.isArray(input.ResourceRecords) || input.ResourceRecords.length === 0)
  ) {
    return {
      error: {
        code: 'InvalidInput',
        message: `Invalid request: Missing field 'TTL' or 'ResourceRecords' ${where}`,
      },
    };
  }
  if ((input.Weight === undefined) !== (setIdentifier === undefined)) {
    const missing = setIdentifier === undefined ? 'SetIdentifier' : 'Weight';
    return {
      error: { code: 'InvalidInput', message: `Invalid request: Missing field '${missing}' ${where}` },
    };
  }
  if (
    input.Weight !== undefined &&
    !(Number.isInteger(input.Weight) && input.Weight >= 0 && input.Weight <= 255)
  ) {
    return {
      error: { code: 'InvalidInput', message: `Invalid request: Weight must be between 0 and 255 ${where}` },
    };
  }
  const record: RecordSet = { Name: name, Type: type };
  if (setIdentifier !== undefined) record.SetIdentifier = setIdentifier;
  if (input.Weight !== undefined) record.Weight = Number(input.Weight);
  if (hasAlias) {
    const alias = input.AliasTarget;
    if (!alias?.HostedZoneId || !alias?.DNSName || alias.EvaluateTargetHealth === undefined) {
      return {
        error: {
          code: 'InvalidInput',
          message: `Invalid request: AliasTarget needs HostedZoneId, DNSName and EvaluateTargetHealth ${where}`,
        },
      };
    }
    record.AliasTarget = {
      HostedZoneId: String(alias.HostedZoneId),
      DNSName: fqdn(String(alias.DNSName)),
      EvaluateTargetHealth: Boolean(alias.EvaluateTargetHealth),
    };
  } else {
    record.TTL = Number(input.TTL);
    record.ResourceRecords = (input.ResourceRecords as { Value?: string }[]).map((r) => ({
      Value: String(r.Value),
    }));
    if (type === 'TXT' || type === 'SPF') {
      for (const { Value } of record.ResourceRecords) {
        const problem = txtValueProblem(Value);
        if (problem) return { error: { code: 'InvalidChangeBatch', message: `[${problem}]` } };
      }
    }
  }
  return { action, record };
}

/** Weighted and simple records of one name and type can't be mixed; a CNAME can't share its name. */
function conflictWith(working: Map<string, RecordSet>, record: RecordSet): string | undefined {
  for (const other of working.values()) {
    if (other.Name !== record.Name) continue;
    if (other.Type === record.Type) {
      if (other.SetIdentifier === record.SetIdentifier) continue;
      if ((other.SetIdentifier === undefined) !== (record.SetIdentifier === undefined)) {
        return `RRSet ${describeRecord(record.Name, record.Type, record.SetIdentifier)} can not be created because a non multivalue answer rrset exists with the same name and type.`;
      }
    } else if (other.Type === 'CNAME' || record.Type === 'CNAME') {
      return `RRSet of type ${record.Type} with DNS name ${record.Name} is not permitted because a conflicting RRSet of type ${other.Type} with the same DNS name already exists in zone`;
    }
  }
  return undefined;
}

function sameRecord(a: RecordSet, b: RecordSet): boolean {
  const values = (r: RecordSet) => (r.ResourceRecords ?? []).map((v) => v.Value).sort();
  return (
    a.TTL === b.TTL &&
    a.Weight === b.Weight &&
    JSON.stringify(a.AliasTarget ?? null) === JSON.stringify(b.AliasTarget ?? null) &&
    JSON.stringify(values(a)) === JSON.stringify(values(b))
  );
}

function batchError(message: string): BatchResult {
  return { ok: false, error: { code: 'InvalidChangeBatch', message: `[${message}]` } };
}

function invalidInput(message: string): BatchResult {
  return { ok: false, error: { code: 'InvalidInput', message } };
}
