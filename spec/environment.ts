/**
 * Rules for the container's environment variables. The same variables go to Lambda, which refuses
 * (at CreateFunction/UpdateFunctionConfiguration time) names it reserves for its runtime; catching
 * them here keeps a typo from becoming a terminal error in the middle of a pass.
 */

export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

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

/** Lambda's limit on the total size of a function's environment variables. */
export const LAMBDA_ENV_MAX_BYTES = 4096;

/** The reason `name` can't be used, or undefined when it can. */
export function envNameProblem(name: string): string | undefined {
  if (!ENV_NAME_PATTERN.test(name)) {
    return 'is not a valid environment variable name (letters, digits and underscores, not starting with a digit)';
  }
  if (
    name.startsWith(LAMBDA_RESERVED_ENV_PREFIX) ||
    (LAMBDA_RESERVED_ENV as readonly string[]).includes(name)
  ) {
    return 'is reserved by AWS Lambda and cannot be set';
  }
  return undefined;
}

/** Size as Lambda counts it: names and values, in bytes. */
export function environmentBytes(environment: Record<string, string>): number {
  return Object.entries(environment).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
    0,
  );
}
