/**
 * Copies of plain data, for the two sides that hand out what they keep: the simulated account (its state
 * and its answers) and the reconciler's in-memory state store (its records).
 *
 * `copyPlain` is a deep copy of plain objects, arrays, Dates and primitives, which is all that either
 * keeps. It does what `structuredClone` does for them at a fifth of the cost or less (structuredClone
 * serializes and deserializes every value; this only walks the tree). Anything else (a Map, a typed
 * array, a class instance) is handed to `structuredClone`, so no value is ever shared.
 * Like JSON, it assumes no cycles: what it copies is plain JSON, and so is everything built from it.
 */

// The builtins are read once, here. In a vm context (jest runs every test file in one), each read of a
// global such as `Object` or `Array` goes through the context's global object, and the copy cost as much
// as structuredClone's: the reads, not the copying.
const isArray = Array.isArray;
const keysOf = Object.keys;
const prototypeOf = Object.getPrototypeOf as (value: object) => object | null;
const objectPrototype = Object.prototype;
const DateClass = Date;
const clone = structuredClone;

export function copyPlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (isArray(value)) return copyArray(value) as T;
  if (isPlainObject(value)) return copyObject(value) as T;
  if (value instanceof DateClass) return new DateClass(value.getTime()) as T;
  return clone(value);
}

/**
 * An object literal's or JSON.parse's: its prototype is Object.prototype, of this realm or of another
 * (structuredClone's copies are made in Node's own realm, not in a vm context's), or none.
 */
function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = prototypeOf(value);
  return prototype === objectPrototype || prototype === null || prototypeOf(prototype) === null;
}

function copyArray(items: unknown[]): unknown[] {
  const length = items.length;
  const copy = new Array<unknown>(length);
  for (let i = 0; i < length; i++) copy[i] = copyPlain(items[i]);
  return copy;
}

function copyObject(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  // Own keys only: a plain object has no enumerable inherited ones, and Object.keys skips none of its own.
  const keys = keysOf(record);
  for (let i = 0; i < keys.length; i++) copy[keys[i]] = copyPlain(record[keys[i]]);
  return copy;
}

/**
 * `value` without the members whose value is undefined (as AWS's answers simply omit them). Only the objects
 * holding one (and those above them) are rebuilt, which is cheaper than deleting members (that also slows
 * every later read of the object); the rest is kept as it is, so this is for answers built fresh.
 */
export function withoutUndefined<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const cleaned = withoutUndefined(item);
      if (cleaned !== item) (copy ??= value.slice())[i] = cleaned;
    }
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  const keys = keysOf(value);
  let rebuilt: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const member = value[keys[i]];
    const cleaned = member === undefined ? undefined : withoutUndefined(member);
    if (rebuilt === undefined && (member === undefined || cleaned !== member)) {
      // The first member that changes: the object is rebuilt, with the members before it as they were.
      rebuilt = {};
      for (let j = 0; j < i; j++) rebuilt[keys[j]] = value[keys[j]];
    }
    if (rebuilt !== undefined && cleaned !== undefined) rebuilt[keys[i]] = cleaned;
  }
  return (rebuilt ?? value) as T;
}
