/**
 * `validateSpec`: the one gate every desired state passes before anything acts on it (docs/design.md, safety rule 5:
 * an invalid spec changes nothing). Schema first (ajv, compiled once), then the cross-field rules, then
 * the threshold band, checked with the computed rates (which the returned spec leaves out).
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { desiredStateSchema } from './schema';
import { checkCrossFieldRules, checkThresholdBand } from './rules';
import { translateAjvErrors } from './schema-errors';
import {
  completeThresholds,
  DEFAULT_MEAN_DURATION_MS,
  thresholdSettings,
  type PartialThresholds,
} from './thresholds';
import type { DesiredState, SpecError, ValidationResult } from './types';

export { desiredStateSchema };

let compiled: ValidateFunction | undefined;

/** Compiled on first use, not at import, so that importing `spec/` for its types or names costs nothing. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, useDefaults: true, verbose: true, strict: true });
    // Annotation only: the human wording of a pattern, read back when translating its errors.
    ajv.addKeyword({ keyword: 'x-patternDescription', schemaType: 'string' });
    // Annotation only: why a required field is required, where "is required" alone would puzzle.
    ajv.addKeyword({ keyword: 'x-requiredReasons', schemaType: 'object' });
    compiled = ajv.compile(desiredStateSchema);
  }
  return compiled;
}

export interface ValidateOptions {
  /** Mean Lambda duration the band check computes rates for; 100 ms by default. */
  meanDurationMs?: number;
}

/** The caller's object is never changed: defaults are filled in on a copy. */
function copyOf(doc: unknown): { ok: true; copy: unknown } | { ok: false; error: SpecError } {
  try {
    return { ok: true, copy: structuredClone(doc) };
  } catch {
    return {
      ok: false,
      error: {
        path: '',
        message: 'must be a JSON document (plain objects, arrays, strings, numbers, booleans)',
      },
    };
  }
}

/**
 * Validates a desired-state document and fills in every default.
 *
 * @example
 * const result = validateSpec({ stack: 'orders-api', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2' });
 * if (result.ok) result.spec.fargate.cpu; // 256
 * else console.error(formatSpecErrors(result.errors).join('\n')); // e.g. "fargate.memoryMb: must be one of 512, 1024, 2048 …"
 */
export function validateSpec(doc: unknown, options: ValidateOptions = {}): ValidationResult {
  const copied = copyOf(doc);
  if (!copied.ok) return { ok: false, errors: [copied.error] };
  const copy = copied.copy;

  const validate = schemaValidator();
  const schemaOk = validate(copy);
  const errors = [
    ...(schemaOk ? [] : translateAjvErrors(validate.errors ?? [])),
    ...checkCrossFieldRules(copy),
  ];
  if (errors.length > 0) {
    // The band is still checked, so that one run names every problem, when what it needs is sound.
    const band = bandErrorsIfSound(copy, errors, options);
    return { ok: false, errors: [...errors, ...band] };
  }

  // The schema passed, so the shape is known; only thresholds may still be partial.
  const partial = copy as Omit<DesiredState, 'thresholds'> & { thresholds?: PartialThresholds };
  // The band is checked on the rates in effect, computed ones included; the spec keeps only the given ones.
  const complete = completeThresholds(
    partial.thresholds,
    partial,
    options.meanDurationMs ?? DEFAULT_MEAN_DURATION_MS,
  );
  const bandErrors = checkThresholdBand(complete, {
    scaleUp: partial.thresholds?.scaleUp?.requestsPerSecond !== undefined,
  });
  if (bandErrors.length > 0) return { ok: false, errors: bandErrors };

  return { ok: true, spec: { ...partial, thresholds: thresholdSettings(partial.thresholds) } };
}

/**
 * The threshold band of a document that has other errors: checked when the rates it compares are valid
 * numbers, and a computed scale-up rate only from sizes with no error of their own.
 */
function bandErrorsIfSound(copy: unknown, errors: SpecError[], options: ValidateOptions): SpecError[] {
  const partial = copy as { thresholds?: PartialThresholds } & Record<string, unknown>;
  const given = partial?.thresholds;
  const bad = (path: string) => errors.some((e) => e.path === path || e.path.startsWith(`${path}.`));
  const down = given?.scaleDown?.requestsPerSecond;
  const up = given?.scaleUp?.requestsPerSecond;
  if (typeof down !== 'number' || bad('thresholds.scaleDown.requestsPerSecond')) return [];
  if (up !== undefined && (typeof up !== 'number' || bad('thresholds.scaleUp.requestsPerSecond'))) return [];
  if (up === undefined && (bad('lambda') || bad('fargate'))) return [];
  const thresholds = completeThresholds(
    given,
    partial as unknown as Parameters<typeof completeThresholds>[1],
    options.meanDurationMs ?? DEFAULT_MEAN_DURATION_MS,
  );
  if (!Number.isFinite(thresholds.scaleUp.requestsPerSecond)) return [];
  return checkThresholdBand(thresholds, { scaleUp: up !== undefined });
}
