/**
 * Deep copies for the simulator's answers: plain objects, arrays, Dates and primitives, which is all the
 * services build. They do what `structuredClone` did for them at a tenth of the cost (structuredClone
 * serializes and deserializes every value; these only walk the tree). Anything else (a Map, a typed
 * array, a class instance) is handed to `structuredClone`, so no value is ever shared.
 * Like JSON, they assume no cycles: the account's state is plain JSON, and so is everything built from it.
 */
export function copyPlain<T>(value: T): T {
  return copyValue(value, false);
}

/** Answers made by `copyDefined` and not yet handed out: they share nothing with the account. */
const unsharedAnswers = new WeakSet<object>();

/**
 * A copy without the members whose value is undefined, as AWS's answers simply omit them (building a new
 * object is cheaper than deleting members, which also slows every later read of the object). The account
 * hands it out as it is, without copying it again (see `answerOf`).
 */
export function copyDefined<T extends object>(value: T): T {
  const copy = copyValue(value, true);
  unsharedAnswers.add(copy);
  return copy;
}

/** What the account answers with: a copy of `output`, unless `copyDefined` made `output` already. */
export function answerOf<T extends object>(output: T): T {
  if (unsharedAnswers.delete(output)) return output;
  return copyPlain(output);
}

function copyValue<T>(value: T, dropUndefined: boolean): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return copyArray(value, dropUndefined) as T;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype === Object.prototype || prototype === null) {
    return copyObject(value as Record<string, unknown>, dropUndefined) as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return structuredClone(value);
}

function copyArray(items: unknown[], dropUndefined: boolean): unknown[] {
  const copy = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) copy[i] = copyValue(items[i], dropUndefined);
  return copy;
}

function copyObject(record: Record<string, unknown>, dropUndefined: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  // Own keys only: a plain object has no enumerable inherited ones, and Object.keys skips none of its own.
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined && dropUndefined) continue;
    copy[key] = copyValue(value, dropUndefined);
  }
  return copy;
}
