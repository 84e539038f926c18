/**
 * The normalised difference between what a kind wants and what its finder saw. Only keys present in
 * `desired` count, so attributes AWS adds on its own never cause an endless update (docs/design.md "Design choices": ACK's delta).
 */
import type { AttributeChange } from '../resources/types';

export function diffAttributes(
  desired: Record<string, unknown>,
  observed: Record<string, unknown>,
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [key, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    collect(key, want, observed[key], changes);
  }
  return changes;
}

function collect(path: string, want: unknown, have: unknown, changes: AttributeChange[]): void {
  if (isPlainObject(want) && isPlainObject(have)) {
    for (const [key, value] of Object.entries(want)) {
      if (value !== undefined) collect(`${path}.${key}`, value, have[key], changes);
    }
    return;
  }
  if (!deepEqual(want, have)) changes.push({ path, from: have, to: want });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
