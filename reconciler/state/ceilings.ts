/**
 * The ceilings the table's system record sets on what one stack's spec may take of the region's shared
 * capacity, each given to `lambdaflex bootstrap` by an option of its own and kept like the hosted zones
 * (a bootstrap without the option keeps the one stored; a record from before a ceiling existed reads as
 * its default). One mechanism, one rule per ceiling:
 *
 * - `--max-reserved-concurrency`: the most `lambda.reservedConcurrency` may reserve of the region's Lambda
 *   concurrency (one pool per account and region, the reconciler's own function included).
 * - `--max-fargate-vcpus`: the most vCPUs the stack's Fargate tier may run at its largest, a rollout
 *   included (`fargate.maxTasks` tasks, and the rollout's surge ROLLOUT_MAXIMUM_PERCENT allows, × the
 *   vCPUs of `fargate.cpu`), of the account's Fargate On-Demand vCPU quota (one per account and region,
 *   every stack's tasks included).
 *
 * A spec over a ceiling is refused by `apply` and invalid to the pass (reconciler/pass/load.ts), whatever
 * wrote it; bootstrap names the stacks a lowered ceiling leaves over it. docs/security.md, "Lambda
 * concurrency" and "Fargate vCPUs".
 */
import { desiredStateSchema } from '../../spec/schema';

/** How advice names the lambdaflex command: `lambdaflex <rest>`, or `lambdaflex --local <rest>` locally. */
export type CommandNamer = (rest: string) => string;

/** What a ceiling reads of a spec (a whole DesiredState is one). */
export interface CeilingSpec {
  lambda: { reservedConcurrency?: number };
  /** `cpu` in units, 1024 a vCPU. */
  fargate: { cpu: number; maxTasks: number };
}

/** The system record's fields that hold a ceiling (SystemRecord, and the stored item's attributes). */
export type CeilingAttribute = 'maxReservedConcurrency' | 'maxFargateVcpus';

/** Where a ceiling is kept: the system record's fields, any of them absent (a record built in code). */
export type CeilingHolder = Partial<Record<CeilingAttribute, number>>;

export interface Ceiling {
  /** The system record's field, and the stored item's attribute. */
  attribute: CeilingAttribute;
  /** The spec's field a refusal names (its problem's path). */
  field: string;
  /** bootstrap's option that sets it. */
  option: string;
  /** The ceiling when no bootstrap gave one. */
  defaultValue: number;
  /** The smallest ceiling the option takes; a spec asking no more is never refused by it. */
  least: number;
  /**
   * The smallest the option took before `least` was raised to it: a record keeping a ceiling from there
   * up to `least` reads as `least` (what that ceiling allows now is said where `least` is set).
   */
  formerLeast?: number;
  /** What the option takes, after `<option> <value>: ` in the message refusing a bad value. */
  optionRule: string;
  /** What the spec asks, in the ceiling's unit; undefined when it asks nothing of it. */
  asked(spec: CeilingSpec): number | undefined;
  /** The value refused, and what it is more than: `<field>: <this>, at most <ceiling>`. */
  exceeds(spec: CeilingSpec, asked: number): string;
  /** The spec's value, short, for the sweep's verdicts (`its <field> (<this>)`). */
  said(spec: CeilingSpec): string;
}

const reservedConcurrency: Ceiling = {
  attribute: 'maxReservedConcurrency',
  field: 'lambda.reservedConcurrency',
  option: '--max-reserved-concurrency',
  // A tenth of the 1,000 concurrent executions a region's account has by default (docs/aws-facts.md):
  // one stack at the ceiling leaves 900 to the reconciler and every other function, of which AWS keeps
  // 100 unreserved anyway; and the Lambda tier is the low-traffic tier: with 100 reserved, auto mode
  // moves to Fargate at 80 concurrent executions (`lambdaConcurrencyPercent`), some 400 requests a second
  // at 200 ms each.
  defaultValue: 100,
  least: 0,
  optionRule: 'a whole number of concurrent executions, 0 or more (0: no stack may reserve any)',
  asked: (spec) => spec.lambda.reservedConcurrency,
  exceeds: (_spec, asked) => `${asked} is more than one stack may reserve of the region's Lambda concurrency`,
  said: (spec) => String(spec.lambda.reservedConcurrency),
};

/** `2.5 vCPUs`, `1 vCPU`, `0.5 vCPU`. */
function vcpusSaid(vcpus: number): string {
  return `${vcpus} vCPU${vcpus > 1 ? 's' : ''}`;
}

/**
 * The ECS service's rolling update's `maximumPercent` (resources/ecs/service.ts sends it): while a new
 * task definition rolls out, ECS runs up to this percent of the desired count (rounded down), starting
 * the new tasks before it stops the old, so that `minimumHealthyPercent` 100 keeps every task of the
 * desired count serving. 200, ECS's default: a rollout replaces every task at once and is over soonest;
 * the Fargate ceiling counts it (fargateRolloutTasks), docs/security.md, "Fargate vCPUs".
 */
export const ROLLOUT_MAXIMUM_PERCENT = 200;

/**
 * The most tasks the Fargate tier runs at once: `maxTasks` while no rollout runs, and while one does (an
 * image, environment or token change, which a token holder may PUT at will) the percent of it that
 * ROLLOUT_MAXIMUM_PERCENT allows, rounded down as ECS does.
 */
export function fargateRolloutTasks(maxTasks: number): number {
  return Math.floor((maxTasks * ROLLOUT_MAXIMUM_PERCENT) / 100);
}

/**
 * The vCPUs a Fargate tier runs at its largest, a rollout included: fargateRolloutTasks(`maxTasks`) tasks
 * of `cpu` units (1024 a vCPU). What the ceiling counts.
 */
export function fargateVcpus(fargate: CeilingSpec['fargate']): number {
  return (fargateRolloutTasks(fargate.maxTasks) * fargate.cpu) / 1024;
}

/**
 * The least `--max-fargate-vcpus` takes: the schema's default Fargate tier (FARGATE_DEFAULT_TIER_VCPUS)
 * and one task of 4 vCPUs (8 with its rollout) fit under every ceiling, so a spec asking no more needs no
 * system record read.
 */
const FARGATE_VCPUS_LEAST = 8;

/** The vCPUs of the schema's default Fargate tier (`fargate.maxTasks` and `fargate.cpu` left out), its rollout counted. */
const FARGATE_DEFAULT_TIER_VCPUS = fargateVcpus({
  cpu: desiredStateSchema.properties.fargate.properties.cpu.default,
  maxTasks: desiredStateSchema.properties.fargate.properties.maxTasks.default,
});

const fargateVcpusCeiling: Ceiling = {
  attribute: 'maxFargateVcpus',
  field: 'fargate.maxTasks',
  option: '--max-fargate-vcpus',
  // docs/security.md, "Fargate vCPUs": a rollout counted (twice maxTasks), every spec the default allowed
  // before it was counted (32 vCPUs of maxTasks) still fits, and so every spec of the repository's
  // examples and the bench's (40 tasks of 0.5 vCPU, 40 with its rollout); at the default task size (0.25
  // vCPU, 100 requests a second each) it is 128 tasks between rollouts, some 12,800 requests a second, far
  // past where Fargate is the cheaper tier; at its largest, with the least memory Fargate gives a vCPU
  // (2 GB), about 3.2 $ an hour of tasks during a rollout, 1.6 between them.
  defaultValue: 64,
  least: FARGATE_VCPUS_LEAST,
  // Before the ceiling counted the rollout, the option took 4 or more: a record keeping 4 to 7 reads as 8,
  // which allows the same specs (up to 4 vCPUs of maxTasks) it allowed, their rollouts counted now.
  formerLeast: 4,
  optionRule:
    `a whole number of vCPUs, ${FARGATE_VCPUS_LEAST} or more (a stack's Fargate tier runs at most fargate.maxTasks × the vCPUs of fargate.cpu, ` +
    `twice that while a change rolls out, and the ceiling counts the rollout; ${FARGATE_VCPUS_LEAST} or less, ` +
    `the default tier's ${FARGATE_DEFAULT_TIER_VCPUS} among them, is always allowed)`,
  asked: (spec) => fargateVcpus(spec.fargate),
  exceeds: (spec, asked) =>
    `${spec.fargate.maxTasks} tasks of fargate.cpu ${spec.fargate.cpu} (${vcpusSaid(spec.fargate.cpu / 1024)} each) ` +
    `are ${fargateRolloutTasks(spec.fargate.maxTasks)} while a change rolls out (ECS starts the new tasks before it stops the old), ` +
    `${vcpusSaid(asked)}, more than one stack may run of the region's Fargate vCPUs`,
  said: (spec) => `${spec.fargate.maxTasks} tasks of ${vcpusSaid(spec.fargate.cpu / 1024)}`,
};

/** Every ceiling, in the order their refusals are said. */
export const CEILINGS = { reservedConcurrency, fargateVcpus: fargateVcpusCeiling } as const;
const ALL: readonly Ceiling[] = Object.values(CEILINGS);

/** The ceiling a system record sets (the default when it sets none, or when there is no record). */
export function ceilingOf(ceiling: Ceiling, system: CeilingHolder | undefined): number {
  return system?.[ceiling.attribute] ?? ceiling.defaultValue;
}

/**
 * A stored ceiling, if it is one the option could have given (a whole number ≥ its least, or one its
 * former least allowed, read as the least), else undefined.
 */
export function storedCeiling(ceiling: Ceiling, value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return undefined;
  if (value >= ceiling.least) return value;
  return ceiling.formerLeast !== undefined && value >= ceiling.formerLeast ? ceiling.least : undefined;
}

/**
 * Why a spec may not be applied here for this ceiling, or undefined when it may: it asks more than the
 * system record allows (the default without one: a table bootstrap never saw has no operator, but one
 * stack's token holder still may not take the region's capacity). `<field>: <rule>`, ending with the
 * bootstrap that raises the ceiling; bootstrap keeps the zones and the other ceilings it is not given,
 * so that command changes nothing else.
 */
export function ceilingRefusal(
  ceiling: Ceiling,
  spec: CeilingSpec,
  system: CeilingHolder | undefined,
  command: CommandNamer = (rest) => `lambdaflex ${rest}`,
): string | undefined {
  const allowed = ceilingOf(ceiling, system);
  const asked = ceiling.asked(spec);
  if (asked === undefined || asked <= allowed) return undefined;
  return (
    `${ceiling.field}: ${ceiling.exceeds(spec, asked)}, at most ${allowed} ` +
    `(the ceiling of \`bootstrap ${ceiling.option}\`, ${ceiling.defaultValue} by default; ` +
    `\`${command(`bootstrap ${ceiling.option} ${Math.ceil(asked)}`)}\` raises it)`
  );
}

/** Every ceiling's refusal of a spec, in CEILINGS' order (none: it is within them all). */
export function ceilingRefusals(
  spec: CeilingSpec,
  system: CeilingHolder | undefined,
  command?: CommandNamer,
): string[] {
  return ALL.flatMap((ceiling) => {
    const refusal = ceilingRefusal(ceiling, spec, system, command);
    return refusal === undefined ? [] : [refusal];
  });
}

/**
 * The ceilings a spec asks something of that some ceiling could refuse: more than the least any
 * bootstrap may set. Only for those is the system record read.
 */
export function ceilingsConcerning(spec: CeilingSpec): Ceiling[] {
  return ALL.filter((ceiling) => {
    const asked = ceiling.asked(spec);
    return asked !== undefined && asked > ceiling.least;
  });
}

/** Every ceiling: the fields the system record checks of a spec besides its dns. */
export function allCeilings(): readonly Ceiling[] {
  return ALL;
}
