/**
 * The difference between the stored spec and the one about to be written, field by field, like
 * `kubectl diff`: `+ path: value` added, `- path: value` removed, `~ path: old → new` changed. Arrays and
 * scalars are compared whole. Pure.
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

function show(value: unknown): string {
  return JSON.stringify(value);
}

export function formatSpecChanges(changes: SpecChange[]): string[] {
  return changes.map((c) =>
    c.op === '~'
      ? `  ~ ${c.path}: ${show(c.before)} → ${show(c.after)}`
      : `  ${c.op} ${c.path}: ${show(c.op === '+' ? c.after : c.before)}`,
  );
}
