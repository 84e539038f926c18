/**
 * Turns ajv's errors into `{ path, message }` errors that name the field and the rule in plain words,
 * so that the CLI, the service and the reconciler's `SpecValid` condition all show the same text.
 */
import type { ErrorObject } from 'ajv';
import type { SpecError } from './types';

/** ajv's `/fargate/memoryMb` JSON pointer → `fargate.memoryMb` ('' for the root). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

export function joinPath(parent: string, child: string | number): string {
  return parent === '' ? String(child) : `${parent}.${child}`;
}

const ARTICLE: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean',
  null: 'null',
};

function typeMessage(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return `must be ${types.map((t) => ARTICLE[String(t)] ?? String(t)).join(' or ')}`;
}

/** Edit distance, to suggest `thresholds` for `tresholds`. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function suggestion(unknown: string, parentSchema: unknown): string {
  const properties = (parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  const known = Object.keys(properties);
  const closest = known
    .map((name) => ({ name, d: distance(unknown.toLowerCase(), name.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  if (closest && closest.d <= Math.max(1, Math.floor(closest.name.length / 3))) {
    return ` (did you mean '${closest.name}'?)`;
  }
  return known.length > 0 ? ` (known fields: ${known.join(', ')})` : '';
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One ajv error as a SpecError. Needs ajv's `verbose: true` (for `parentSchema`). */
export function translateAjvError(error: ErrorObject): SpecError {
  const path = pointerToPath(error.instancePath);
  const p = error.params as Record<string, unknown>;
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      return { path: joinPath(path, name), message: `unknown field '${name}'${suggestion(name, parent)}` };
    }
    case 'required': {
      const missing = String(p.missingProperty);
      const reason = (parent?.['x-requiredReasons'] as Record<string, string> | undefined)?.[missing];
      return { path: joinPath(path, missing), message: reason ? `is required: ${reason}` : 'is required' };
    }
    case 'type':
      return { path, message: typeMessage(p.type) };
    case 'enum':
      return {
        path,
        message: `must be one of ${(p.allowedValues as unknown[]).map(formatValue).join(', ')}`,
      };
    case 'minimum':
      return { path, message: `must be at least ${p.limit}` };
    case 'maximum':
      return { path, message: `must be at most ${p.limit}` };
    case 'exclusiveMinimum':
      return { path, message: `must be greater than ${p.limit}` };
    case 'exclusiveMaximum':
      return { path, message: `must be less than ${p.limit}` };
    case 'minLength':
      return { path, message: `must be at least ${p.limit} character${p.limit === 1 ? '' : 's'} long` };
    case 'maxLength':
      return { path, message: `must be at most ${p.limit} character${p.limit === 1 ? '' : 's'} long` };
    case 'minItems':
      return { path, message: `must have at least ${p.limit} item${p.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { path, message: `must have at most ${p.limit} items` };
    case 'pattern': {
      // The schema carries a human description next to each pattern; the regex itself helps nobody.
      const description = parent?.['x-patternDescription'];
      return {
        path,
        message: typeof description === 'string' ? `must be ${description}` : 'has an invalid format',
      };
    }
    default:
      return { path, message: error.message ?? `breaks the '${error.keyword}' rule` };
  }
}

/**
 * All ajv errors, translated. A value of the wrong type also fails the keywords that apply to that
 * type's neighbours (an `enum`, say); only the type error is kept, as it is the one to fix first.
 */
export function translateAjvErrors(errors: readonly ErrorObject[]): SpecError[] {
  const typeErrorPaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const seen = new Set<string>();
  const out: SpecError[] = [];
  for (const error of errors) {
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath)) continue;
    const translated = translateAjvError(error);
    const key = `${translated.path}\u0000${translated.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(translated);
  }
  return out;
}
