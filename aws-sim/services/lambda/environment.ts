/**
 * What Lambda checks in `Environment.Variables` on CreateFunction and UpdateFunctionConfiguration: keys
 * match `[a-zA-Z]([a-zA-Z0-9_])+` (a constraint violation, ValidationException), none of the runtime's
 * reserved keys, and at most 4 KB measured on the variables as one compact JSON object, the string
 * Lambda quotes back in its refusal (both InvalidParameterValueException).
 */
import type { OperationContext } from '../../core/service';
import type { LambdaState } from './state';

const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]+$/;
const MAX_BYTES = 4096;

/** The keys Lambda's runtimes define ("Defined runtime environment variables", Lambda developer guide). */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
]);

/** Fails the call as Lambda does when `variables` would not be accepted. */
export function checkEnvironment(ctx: OperationContext<LambdaState>, variables: unknown): void {
  if (variables === undefined || variables === null) return;
  const entries = Object.entries(variables as Record<string, unknown>);
  if (entries.some(([key]) => !KEY_PATTERN.test(key))) {
    ctx.fail(
      'ValidationException',
      "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
    );
  }
  const reserved = entries.map(([key]) => key).filter((key) => RESERVED_KEYS.has(key));
  if (reserved.length > 0) {
    ctx.fail(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured, 'utf8') > MAX_BYTES) {
    ctx.fail(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}
