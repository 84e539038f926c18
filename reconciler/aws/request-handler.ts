/**
 * The SDK clients' timeouts and retries, apart from the clients themselves so that the service (which
 * loads only the DynamoDB client, for its cold start) can use the same settings as the reconciler.
 */

/**
 * How long one attempt of a call may take, from connecting to the last byte of the answer. Control-plane
 * calls answer in well under a second; the bound is what lets a pass know a call it started ends while its
 * lease still holds (reconciler/lease-keeper.ts).
 */
export const REQUEST_TIMEOUT_MS = 10_000;
export const CONNECTION_TIMEOUT_MS = 3_000;
/** The SDK's standard retry mode: 3 attempts (docs/aws-facts.md). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** The SDK's cap on the wait before a retry (`MAXIMUM_RETRY_DELAY` of its standard retry strategy). */
const SDK_MAX_RETRY_DELAY_MS = 20_000;

/**
 * The request handler's settings, for the real clients and the simulated ones alike. NodeHttpHandler's
 * `requestTimeout` bounds the whole attempt, but since @smithy/node-http-handler 4.4 only throws when
 * `throwOnRequestTimeout` is set (otherwise it logs a warning and keeps waiting); the error is then a
 * `TimeoutError`, which the SDK retries and classify.ts reads as retryable.
 */
export function requestHandlerOptions(requestTimeoutMs = REQUEST_TIMEOUT_MS) {
  return {
    requestTimeout: requestTimeoutMs,
    connectionTimeout: Math.min(CONNECTION_TIMEOUT_MS, requestTimeoutMs),
    throwOnRequestTimeout: true,
  };
}

/** The longest one `send` can take: every attempt timing out, with the longest wait before each retry. */
export function maxCallMs(maxAttempts = DEFAULT_MAX_ATTEMPTS, requestTimeoutMs = REQUEST_TIMEOUT_MS): number {
  return maxAttempts * requestTimeoutMs + (maxAttempts - 1) * SDK_MAX_RETRY_DELAY_MS;
}

/** One call of the default clients, at most: 70 s, inside the two-minute lease with a heartbeat to spare. */
export const MAX_CALL_MS = maxCallMs();
