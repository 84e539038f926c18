/**
 * The one place where AWS errors are classified (docs/design.md "Errors"). Kinds only list their codes
 * (`ErrorCodes`); this module turns any error into one of four verdicts.
 *
 * - notFound: the resource is gone (a finder answers undefined, a delete is done);
 * - retryable: wait with backoff and try again (throttling, 5xx, DependencyViolation, ResourceInUse,
 *   eventual consistency, IAM propagation);
 * - terminal: will not succeed until the spec changes (validation, quotas, access denied);
 * - fatal: not an AWS answer at all (a bug, or the process dying): never swallowed.
 */
import type { ErrorCodes } from '../resources/types';

export type Verdict = 'notFound' | 'retryable' | 'terminal' | 'fatal';

/** Codes every kind retries: throttling and server-side trouble. */
const THROTTLING_CODES = [
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
];

const TRANSIENT_CODES = [
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceException',
  'ServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNREFUSED',
  // Ordering and consistency: the next pass usually finds the way clear.
  'DependencyViolation',
  'ResourceInUse',
  'ResourceInUseException',
  'InvalidGroup.InUse',
  'ResourceConflictException',
  'ConcurrentModificationException',
  'ConflictException',
  'IncorrectState',
  'OperationAbortedException',
];

const TERMINAL_CODES = [
  'ValidationError',
  'ValidationException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidParameterException',
  'InvalidParameterCombination',
  'MissingParameter',
  'InvalidInput',
  'InvalidChangeBatch',
  'BadRequestException',
  'ClientException',
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'LimitExceeded',
  'LimitExceededException',
  'ServiceQuotaExceededException',
  'VpcLimitExceeded',
  'TooManyLoadBalancers',
  'TooManyTargetGroups',
  'OperationNotPermitted',
  'OperationNotPermittedException',
  'MalformedPolicyDocument',
];

/** The AWS error code of `error`: the SDK puts it in `name` (and `Code` for some protocols). */
export function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const candidate = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [candidate.Code, candidate.name, candidate.code]) {
    if (typeof value === 'string' && value !== 'Error') return value;
  }
  return undefined;
}

/** Modeled SDK exceptions are named `<Code>Exception`; AWS's docs and our kinds list the bare code. */
function codeMatches(code: string, listed: readonly string[]): boolean {
  return listed.some((c) => c === code || `${c}Exception` === code || c === `${code}Exception`);
}

function isAwsError(error: unknown): boolean {
  return !!error && typeof error === 'object' && ('$metadata' in error || '$fault' in error);
}

export function classify(
  error: unknown,
  codes: ErrorCodes = { notFound: [], retryable: [], terminal: [] },
): Verdict {
  const code = errorCode(error);
  if (code === undefined) return 'fatal';
  // A passing condition that AWS reports with a code it also uses for real mistakes (IAM propagation).
  const retryableByMessage = codes.retryableWhen?.some(
    (rule) => codeMatches(code, [rule.code]) && rule.message.test(messageOf(error)),
  );
  if (retryableByMessage) return 'retryable';
  // A kind's own lists come first: e.g. ResourceConflictException is terminal for one API, retryable for another.
  if (codeMatches(code, codes.notFound) || /\.NotFound$|NotFound(Exception)?$|^NoSuchEntity/.test(code)) {
    if (!codeMatches(code, codes.retryable) && !codeMatches(code, codes.terminal)) return 'notFound';
  }
  if (codeMatches(code, codes.retryable)) return 'retryable';
  if (codeMatches(code, codes.terminal)) return 'terminal';
  if (codeMatches(code, THROTTLING_CODES) || codeMatches(code, TRANSIENT_CODES)) return 'retryable';
  if (codeMatches(code, TERMINAL_CODES)) return 'terminal';
  // Not an AWS answer, nor a network failure listed above: a bug, which must not be retried away.
  if (!isAwsError(error)) return 'fatal';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  const fault = (error as { $fault?: string }).$fault;
  if (fault === 'server' || status >= 500 || status === 429) return 'retryable';
  return 'terminal';
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}

/** True when `error` means the resource is gone, for a finder or a delete. */
export function isNotFound(error: unknown, codes?: ErrorCodes): boolean {
  return classify(error, codes) === 'notFound';
}

/** The error's message as AWS wrote it, for conditions and events. */
export function awsMessage(error: unknown): string {
  if (error instanceof Error) return `${errorCode(error) ?? error.name}: ${error.message}`;
  return String(error);
}
