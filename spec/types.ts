/**
 * The desired state of one LambdaFlex stack, as stored in the `spec` attribute of its DynamoDB record.
 * The types are derived from the schema (spec/schema.ts, json-schema-to-ts), so that the two cannot
 * drift apart: each field's meaning is its `description` there. `DesiredStateInput` is what a user
 * writes (only `stack` and `image` required); `DesiredState` is the same document after `validateSpec`
 * filled in every default.
 */
import type { FromExtendedSchema } from 'json-schema-to-ts';
import type { desiredStateSchema, SchemaAnnotations } from './schema';

type Schema = typeof desiredStateSchema;

/** A document as a user writes it: `stack` and `image` required, everything with a default optional. */
export type DesiredStateInput = FromExtendedSchema<
  SchemaAnnotations,
  Schema,
  { keepDefaultedPropertiesOptional: true }
>;

/** The schema's reading of a validated document: a field with a default is there. */
type Defaulted = FromExtendedSchema<SchemaAnnotations, Schema>;

/**
 * Thresholds as the spec holds them: the timings with their defaults, the rates only where the user wrote
 * them. A rate left out is computed from the cost break-even when it is used, for the mean duration then
 * observed; it is never stored, so that a written rate and a computed one stay apart, even when equal.
 * `validateSpec` always fills the object in, though the schema has no default for it.
 */
export type ThresholdSettings = Required<NonNullable<Defaulted['thresholds']>>;

export type DesiredState = Omit<Defaulted, 'thresholds'> & {
  /** Rates left out are computed from the cost break-even when used (see spec/thresholds.ts). */
  thresholds: ThresholdSettings;
};

export type Mode = DesiredState['mode'];
/** The tiers a stack can serve from (every mode but `auto` pins one). */
export type Tier = Exclude<Mode, 'auto'>;

export type LambdaSize = DesiredState['lambda'];
export type FargateSize = DesiredState['fargate'];
export type Network = DesiredState['network'];
export type Dns = NonNullable<DesiredState['dns']>;
/** The service's own API: `/desired-state` and `/stack-status`. */
export type Api = NonNullable<DesiredState['api']>;
export type Traffic = DesiredState['traffic'];

export type ScaleUpThreshold = Required<ThresholdSettings['scaleUp']>;
export type ScaleDownThreshold = Required<ThresholdSettings['scaleDown']>;

/** Complete thresholds, every rate known: what auto mode decides with (see effectiveThresholds). */
export interface Thresholds {
  scaleUp: ScaleUpThreshold;
  scaleDown: ScaleDownThreshold;
  cooldownMinutes: number;
}

/** One validation problem: `path` is a JSON pointer-like dotted path (`fargate.memoryMb`), `message` names the rule. */
export interface SpecError {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; spec: DesiredState } | { ok: false; errors: SpecError[] };
