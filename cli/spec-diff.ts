/**
 * The difference between the stored spec and the one about to be written, field by field, like
 * `kubectl diff`: `+ path: value` added, `- path: value` removed, `~ path: old → new` changed. Arrays and
 * scalars are compared whole. Pure.
 *
 * The values of `environment` are printed as `***`, as kubectl prints a Secret's: they hold connection
 * strings and passwords, and `apply` runs in CI logs that more people read than the table.
 */

export interface SpecChange {
  op: '+' | '-' | '~';
  path: string;
  before?: unknown;
  after?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function diffSpecs(before: unknown, after: unknown, path = ''): SpecChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const at = path ? `${path}.${key}` : key;
      if (!(key in after)) return [{ op: '-' as const, path: at, before: before[key] }];
      if (!(key in before)) return [{ op: '+' as const, path: at, after: after[key] }];
      return diffSpecs(before[key], after[key], at);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ op: '~', path, before, after }];
}

const HIDDEN = '***';

/** `environment` itself, or one of its variables. */
function isEnvironmentPath(path: string): boolean {
  return path === 'environment' || path.startsWith('environment.');
}

/** Whether printing the change hides a value (an empty `environment` has none to hide). */
export function hidesValues(change: SpecChange): boolean {
  if (change.path !== 'environment') return isEnvironmentPath(change.path);
  const value = change.op === '-' ? change.before : change.after;
  return !isObject(value) || Object.keys(value).length > 0;
}

function show(path: string, value: unknown): string {
  if (!isEnvironmentPath(path)) return JSON.stringify(value);
  if (isObject(value)) return JSON.stringify(Object.fromEntries(Object.keys(value).map((k) => [k, HIDDEN])));
  return HIDDEN;
}

export function formatSpecChanges(changes: SpecChange[]): string[] {
  return changes.map((c) => {
    if (c.op !== '~') return `  ${c.op} ${c.path}: ${show(c.path, c.op === '+' ? c.after : c.before)}`;
    // Two hidden values would read as no change.
    const hidden = isEnvironmentPath(c.path) ? ' (changed)' : '';
    return `  ~ ${c.path}: ${show(c.path, c.before)} → ${show(c.path, c.after)}${hidden}`;
  });
}
