/**
 * A deep copy for the simulator's answers and stored inputs: plain objects, arrays, Dates and primitives,
 * which is all the services build. It does what `structuredClone` did for them at a tenth of the cost
 * (structuredClone serializes and deserializes every value; this only walks the tree). Anything else
 * (a Map, a typed array, a class instance) is handed to `structuredClone`, so no value is ever shared.
 * Like JSON, it assumes no cycles: the account's state is plain JSON, and so is everything built from it.
 */
export function copyPlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return copyArray(value) as T;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype === Object.prototype || prototype === null) {
    return copyObject(value as Record<string, unknown>) as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return structuredClone(value);
}

function copyArray(items: unknown[]): unknown[] {
  const copy = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) copy[i] = copyPlain(items[i]);
  return copy;
}

function copyObject(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  // Own keys only: a plain object has no enumerable inherited ones, and Object.keys skips none of its own.
  for (const key of Object.keys(record)) copy[key] = copyPlain(record[key]);
  return copy;
}
