/**
 * Rules for the container's environment variables. The same variables go to Lambda and to the Fargate
 * task, and Lambda refuses (at CreateFunction/UpdateFunctionConfiguration time) names outside its
 * pattern, names it reserves for its runtime, and a set larger than 4 KB; catching them here keeps a typo
 * from becoming a terminal error in the middle of a pass. LambdaFlex adds variables of its own
 * (`LAMBDAFLEX_STACK`, `LAMBDAFLEX_TABLE`, …): they count against the 4 KB, and a user may not set them.
 */
import type { DesiredState } from './types';

/** Lambda's key pattern for `Environment.Variables` (API reference: `[a-zA-Z]([a-zA-Z0-9_])+`). */
export const ENV_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/** Reserved by the Lambda runtime ("Defined runtime environment variables" in the Lambda docs). */
export const LAMBDA_RESERVED_ENV = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
] as const;

/** Every `AWS_*` name is refused: most are reserved (AWS_REGION, AWS_LAMBDA_*, credentials) and the rest are AWS's to define. */
export const LAMBDA_RESERVED_ENV_PREFIX = 'AWS_';

/**
 * Lambda's limit on a function's environment variables: 4 KB, measured on the variables serialised as
 * one compact JSON object (`{"NAME":"value",…}`, quotes, colons, commas and escapes included), which is
 * the string Lambda quotes back when it refuses a set as too large.
 */
export const LAMBDA_ENV_MAX_BYTES = 4096;

/** Every name LambdaFlex sets itself starts with this; a user-supplied one would shadow or fake ours. */
export const LAMBDAFLEX_ENV_PREFIX = 'LAMBDAFLEX_';

/** The variable the shared image reads to know its stack. */
export const STACK_VARIABLE = 'LAMBDAFLEX_STACK';

/** The DynamoDB table the service reads its stack's record from (the reconciler's table). */
export const TABLE_VARIABLE = 'LAMBDAFLEX_TABLE';

/** DynamoDB's longest table name: what LAMBDAFLEX_TABLE may take of the 4 KB when validating a spec. */
export const MAX_TABLE_NAME_LENGTH = 255;

/** The hex SHA-256 of the service's API token, from `api.tokenSha256`; absent means the API is locked. */
export const API_TOKEN_HASH_VARIABLE = 'LAMBDAFLEX_API_TOKEN_SHA256';

/**
 * The properties every JavaScript object inherits. As a key of a plain object `__proto__` replaces the
 * prototype instead of holding a value (a DynamoDB read-back loses it), and the others read as functions
 * where a lookup expects "not set". Most already fail the name pattern; each is refused by name anyway.
 */
const OBJECT_PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The reason `name` can't be used, or undefined when it can. */
export function envNameProblem(name: string): string | undefined {
  if (OBJECT_PROTOTYPE_NAMES.has(name)) {
    return 'is a property every JavaScript object inherits (Object.prototype) and cannot be a variable name';
  }
  if (
    name.startsWith(LAMBDA_RESERVED_ENV_PREFIX) ||
    (LAMBDA_RESERVED_ENV as readonly string[]).includes(name)
  ) {
    return 'is reserved by AWS Lambda and cannot be set';
  }
  if (name === API_TOKEN_HASH_VARIABLE) {
    return 'is reserved for LambdaFlex, which sets it from api.tokenSha256: set api.tokenSha256 instead';
  }
  if (name.startsWith(LAMBDAFLEX_ENV_PREFIX)) {
    return `is reserved for LambdaFlex, which sets ${LAMBDAFLEX_ENV_PREFIX}* variables itself (${STACK_VARIABLE} is the stack's name)`;
  }
  if (!ENV_NAME_PATTERN.test(name)) {
    return "must match Lambda's [a-zA-Z][a-zA-Z0-9_]+: a letter, then at least one letter, digit or underscore";
  }
  return undefined;
}

/**
 * What LambdaFlex adds to the user's environment, on the function and on the task alike. The table is
 * the reconciler's, not the spec's: validation, which does not know it, passes the longest name there is.
 */
export function lambdaflexVariables(
  spec: Pick<DesiredState, 'stack' | 'api'>,
  tableName: string,
): Record<string, string> {
  const variables: Record<string, string> = { [STACK_VARIABLE]: spec.stack, [TABLE_VARIABLE]: tableName };
  if (spec.api?.tokenSha256 !== undefined) variables[API_TOKEN_HASH_VARIABLE] = spec.api.tokenSha256;
  return variables;
}

/**
 * The container's whole environment: the user's variables, then LambdaFlex's (validation refuses a user
 * variable of the same name, so nothing is overwritten here).
 *
 * @example
 * containerEnvironment(spec, 'lambdaflex'); // { LOG_LEVEL: 'info', LAMBDAFLEX_STACK: 'orders-api', LAMBDAFLEX_TABLE: 'lambdaflex' }
 */
export function containerEnvironment(
  spec: Pick<DesiredState, 'stack' | 'api' | 'environment'>,
  tableName: string,
): Record<string, string> {
  return { ...spec.environment, ...lambdaflexVariables(spec, tableName) };
}

/** `\uXXXX`: how an ASCII-only JSON encoder writes one UTF-16 unit. */
const ESCAPED_UNIT_BYTES = 6;

/**
 * Size as Lambda measures it: the variables as one compact JSON object, in bytes. Characters outside
 * ASCII are counted as their `\uXXXX` escapes, the larger of the two ways a JSON encoder may write them,
 * so that a set accepted here is accepted by Lambda either way.
 */
export function environmentBytes(variables: Record<string, string>): number {
  const json = JSON.stringify(variables);
  let bytes = 0;
  // JSON.stringify already escaped what JSON requires; what is left above 0x7f is one UTF-16 unit each.
  for (let i = 0; i < json.length; i++) bytes += json.charCodeAt(i) <= 0x7f ? 1 : ESCAPED_UNIT_BYTES;
  return bytes;
}
