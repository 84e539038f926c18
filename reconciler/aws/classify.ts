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
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { ErrorCodes, MessageRule } from '../resources/types';

export type Verdict = 'notFound' | 'retryable' | 'terminal' | 'fatal';

/**
 * Throttling, 5xx and network trouble are the SDK's own judgement (@smithy/core's service error
 * classification, what its retry strategy retries: throttling codes, a 429, the `$retryable` trait,
 * transient status codes and Node's connection errors). What follows is only what is ours.
 */
type SdkError = Parameters<typeof isTransientError>[0];

/** Ordering and consistency: refused now, but the next pass usually finds the way clear. */
const ORDERING_CODES = [
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

/**
 * Answers that will not pass until the spec changes. Checked before the SDK's throttling codes: the SDK
 * retries LimitExceededException as throttling, but ECS, Application Auto Scaling and IAM mean a quota by
 * it.
 */
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

/**
 * An answer from AWS: a service exception carries its fault and the HTTP status. `$metadata` alone proves
 * nothing: the SDK's retry step stamps `{ attempts }` on anything it rethrows, a bug or a crash included.
 */
function isAwsAnswer(error: object): boolean {
  const e = error as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return e.$fault !== undefined || typeof e.$metadata?.httpStatusCode === 'number';
}

/** What the SDK's retry strategy would retry, or would have retried with attempts left. */
function sdkRetries(error: object): boolean {
  const e = error as SdkError;
  return isThrottlingError(e) || isTransientError(e) || isServerError(e);
}

export function classify(
  error: unknown,
  codes: ErrorCodes = { notFound: [], retryable: [], terminal: [] },
): Verdict {
  if (!error || typeof error !== 'object') return 'fatal';
  const code = errorCode(error);
  if (code !== undefined) {
    // A passing condition that AWS reports with a code it also uses for real mistakes (IAM propagation).
    const retryableByMessage = codes.retryableWhen?.some((rule) => matchesRule(error, rule));
    if (retryableByMessage) return 'retryable';
    // A kind's own lists come first: e.g. ResourceConflictException is terminal for one API, retryable for another.
    if (codeMatches(code, codes.notFound) || /\.NotFound$|NotFound(Exception)?$|^NoSuchEntity/.test(code)) {
      if (!codeMatches(code, codes.retryable) && !codeMatches(code, codes.terminal)) return 'notFound';
    }
    if (codeMatches(code, codes.retryable)) return 'retryable';
    if (codeMatches(code, codes.terminal) || codeMatches(code, TERMINAL_CODES)) return 'terminal';
    if (codeMatches(code, ORDERING_CODES)) return 'retryable';
  }
  if (sdkRetries(error)) return 'retryable';
  // Not an AWS answer, nor network trouble the SDK retries: a bug, which must not be retried away.
  if (!isAwsAnswer(error)) return 'fatal';
  return 'terminal';
}

/**
 * An error answer that proves the call did nothing: a 4xx heard on the call's first attempt. After an
 * attempt that timed out or met a 5xx, the SDK's retry may hear a 4xx (throttled, 'EntityAlreadyExists',
 * not found) while the first attempt took effect and its answer was lost.
 */
export function refusedOnFirstAttempt(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return attemptsOf(error) <= 1 && status !== undefined && status >= 400 && status < 500;
}

/** How many attempts the SDK made of the call that ended in `error` (1 when it does not say). */
export function attemptsOf(error: unknown): number {
  if (!error || typeof error !== 'object') return 1;
  return (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
}

/** Whether `error` is the answer `rule` describes: its code, with a message that says it. */
export function matchesRule(error: unknown, rule: MessageRule): boolean {
  const code = errorCode(error);
  return code !== undefined && codeMatches(code, [rule.code]) && rule.message.test(messageOf(error));
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
