/**
 * The retry strategy of the simulated clients: the SDK's standard retry mode decides what to try again
 * and how often, and no attempt waits, in real time or on the virtual clock.
 */
import { StandardRetryStrategy } from '@smithy/core/retry';

type RetryToken = Awaited<ReturnType<StandardRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1];

/**
 * The standard strategy's own decision, which its types keep private: 0 when `token`'s call may try
 * again after `errorInfo` (an error type the mode retries, attempts left, quota left), else the reason.
 */
interface StandardRetryDecision {
  retryCode(token: RetryToken, errorInfo: RetryErrorInfo, maxAttempts: number): number;
}

/** A token of attempt `count` + 1 that asks for no wait before it. */
function attemptToken(count: number): RetryToken {
  return {
    getRetryCount: () => count,
    getRetryDelay: () => 0,
    getRetryCost: () => undefined,
    isLongPoll: () => false,
  };
}

/**
 * What to retry is the SDK's standard strategy's call (`retryCode`, from the error type the SDK's retry
 * middleware gave the error, with the client's `maxAttempts`); what this strategy leaves out:
 * - the wait. Even a configured delay of 0 sleeps one timer turn (a millisecond of idle real time) in
 *   the SDK's refreshRetryTokenForRetry; on the virtual clock no real wait makes sense, and under the
 *   scenarios' fault rates those turns were most of a test's wall time. The answer's
 *   `$metadata.totalRetryDelay` says 0.
 * - the client-wide retry quota: a circuit breaker for outages, which the injected fault rates (half the
 *   calls throttled) would trip for good, turning every later call of a test into a single attempt. The
 *   SDK strategy here is only asked, never charged, so its quota stays full for every call.
 */
export class SimulatedRetries {
  private readonly standard: StandardRetryDecision;

  constructor(private readonly maxAttempts: number) {
    const standard = new StandardRetryStrategy(maxAttempts) as unknown as Partial<StandardRetryDecision>;
    if (typeof standard.retryCode !== 'function') {
      throw new Error(
        'the SDK standard retry strategy has no retryCode any more: the simulated clients cannot ask it what to retry',
      );
    }
    this.standard = standard as StandardRetryDecision;
  }

  acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return Promise.resolve(attemptToken(0));
  }

  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (this.standard.retryCode(token, errorInfo, this.maxAttempts) !== 0) {
      // What the SDK strategy throws; the retry middleware then hands the caller the call's own error.
      return Promise.reject(new Error('No retry token available'));
    }
    return Promise.resolve(attemptToken(token.getRetryCount() + 1));
  }

  recordSuccess(_token: RetryToken): void {
    // No quota to give back.
  }
}

/** The retry settings of the simulated account's clients (SimulatedRetries). */
export function simulatedRetries(maxAttempts: number) {
  return { maxAttempts, retryStrategy: new SimulatedRetries(maxAttempts) };
}
