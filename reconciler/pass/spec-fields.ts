/**
 * What a pass remembers of the spec it acted on, to name what the next generation changed: each top-level
 * field as a short digest of its value (bookkeeping.specFields). Names, never values: `environment` holds
 * what users keep secret, and the event that names the fields is shown to anyone who reads the stack.
 */
import { createHash } from 'node:crypto';
import { desiredStateSchema } from '../../spec';
import type { DesiredState } from '../../spec/types';

/** Each top-level field of `spec` as a digest of its value. */
export function specFields(spec: DesiredState): Record<string, string> {
  return Object.fromEntries(
    Object.entries(spec).map(([field, value]) => [
      field,
      createHash('sha256').update(canonical(value)).digest('hex').slice(0, 16),
    ]),
  );
}

/** The schema's order of the fields (the README's table): a spec read back from DynamoDB keeps none. */
const ORDER = Object.keys(desiredStateSchema.properties);

/**
 * The fields whose value differs, or that one of the two has alone, in the schema's order. Only the
 * schema's fields: the remembered map comes from the record, where a hand edit may have put any name (one
 * written to read like another change, `constructor`), and the event would print it as a field.
 */
export function changedSpecFields(before: Record<string, string>, after: Record<string, string>): string[] {
  const digest = (fields: Record<string, string>, field: string) =>
    Object.prototype.hasOwnProperty.call(fields, field) ? fields[field] : undefined;
  return ORDER.filter((field) => digest(before, field) !== digest(after, field));
}

/** Whether two specs (or anything read from a record) hold the same values, whatever the keys' order. */
export function sameSpec(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with every object's keys sorted: DynamoDB keeps no order of a map's keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The bookkeeping's fields when they are a map of digests (the record may have been edited by hand). */
export function rememberedSpecFields(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every(([, digest]) => typeof digest === 'string')
    ? Object.fromEntries(entries as [string, string][])
    : undefined;
}
