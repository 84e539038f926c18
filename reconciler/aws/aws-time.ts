/**
 * AWS's current time as its own responses bound it, for waits that must hold in AWS's time whatever the
 * reconciler's clock does (safety rule 2's drain: resolvers' caches and the target group's deregistration
 * delay run out in real time, and a wall clock stepped forward by NTP, a worker's clock ahead of another's,
 * or a different Lambda host would shorten the wait).
 *
 * Every AWS response carries an HTTP `Date` header: the time AWS answered, to the second (docs/aws-facts.md,
 * "Time"). The SDK v3 reads it to correct clock skew; here a middleware reads it on every call of a pass
 * and pairs it with the pass's monotonic clock (the lease's: performance.now() in production), read when
 * the call was sent and when its answer came. Between a response and the instant asked about, only the
 * monotonic clock counts time, and it is never compared across processes or passes: each pass starts with
 * no sample of its own. So, at any instant of the pass:
 *
 * - AWS's time is at least `Date + (monotonic now − answer received)`: AWS wrote the header no earlier than
 *   `Date` and no later than the answer arrived;
 * - and at most `Date + 1 s + (monotonic now − request sent)`: the header is truncated to the second, and
 *   AWS answered no earlier than the request was sent.
 *
 * A wait starts at the upper bound and is over once the lower bound has passed it by the wait: never shorter
 * in AWS's time, longer by one second plus the round trip of the calls sampled (retries and the call
 * budget's waits included). A response with an `Age` header came from a cache and is not sampled (the SDK
 * skips those too).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AwsClients } from './clients';
import { addToEachClient } from './middleware';

/** Bounds of AWS's current time (epoch milliseconds): it is at least `earliest` and at most `latest`. */
export interface AwsTimeBounds {
  earliest: number;
  latest: number;
}

/** An HTTP date such as `Tue, 01 Dec 2026 20:41:07 GMT` is exact to the second. */
const DATE_RESOLUTION_MS = 1000;

/** The AWS time of one pass: the samples its calls brought, on its monotonic clock. */
export class AwsClock {
  /** The largest `Date − received` seen: AWS's time is at least this plus the monotonic clock. */
  private lowerOffset = Number.NEGATIVE_INFINITY;
  /** The smallest `Date + 1 s − sent` seen: AWS's time is at most this plus the monotonic clock. */
  private upperOffset = Number.POSITIVE_INFINITY;
  /** The loosest of each (the smallest lower, the largest upper): what every answer allows, together. */
  private loosestLower = Number.POSITIVE_INFINITY;
  private loosestUpper = Number.NEGATIVE_INFINITY;

  constructor(private readonly monotonic: () => number) {}

  /** Runs `work` with this clock sampling the responses of its calls through instrumented clients. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return currentClock.run(this, work);
  }

  /** When a call was sent, on the monotonic clock. */
  sent(): number {
    return this.monotonic();
  }

  /** An answer's Date header (an HTTP date), for a call sent at `sentAt` (monotonic) and just received. */
  sample(date: string, sentAt: number): void {
    const awsAt = Date.parse(date);
    if (Number.isNaN(awsAt)) return;
    const receivedAt = this.monotonic();
    const lower = awsAt - receivedAt;
    const upper = awsAt + DATE_RESOLUTION_MS - sentAt;
    this.lowerOffset = Math.max(this.lowerOffset, lower);
    this.upperOffset = Math.min(this.upperOffset, upper);
    this.loosestLower = Math.min(this.loosestLower, lower);
    this.loosestUpper = Math.max(this.loosestUpper, upper);
  }

  /** AWS's time now, as the samples so far bound it; undefined before any response with a Date. */
  bounds(): AwsTimeBounds | undefined {
    if (this.lowerOffset === Number.NEGATIVE_INFINITY) return undefined;
    const now = this.monotonic();
    // Answers that contradict each other (AWS's servers seconds apart, a monotonic clock that misbehaved)
    // cross the tight bounds: then the loosest ones hold, so that no wait is shortened by the contradiction.
    const consistent = this.lowerOffset <= this.upperOffset;
    return consistent
      ? { earliest: now + this.lowerOffset, latest: now + this.upperOffset }
      : { earliest: now + this.loosestLower, latest: now + this.loosestUpper };
  }
}

const currentClock = new AsyncLocalStorage<AwsClock>();

interface HttpResponseLike {
  headers?: Record<string, string | undefined>;
}

/** The Date of a response not served from a cache (no Age header), in either case of the header's name. */
function dateOf(response: unknown): string | undefined {
  const headers = (response as HttpResponseLike | undefined)?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  if ((headers.age ?? headers.Age) !== undefined) return undefined;
  return headers.date ?? headers.Date;
}

/**
 * Adds the sampling middleware to each client once. It sits last of the initialize step, after the lease
 * fence and the call budget, so that their waits count as little as possible in the round trip; an error
 * answer is not sampled (the SDK's errors carry their response only in part).
 */
export function instrumentAwsTime(clients: AwsClients): AwsClients {
  return addToEachClient(clients, 'lambdaflexAwsTime', 'low', () => (next) => async (args) => {
    const clock = currentClock.getStore();
    const sentAt = clock?.sent();
    const answer = (await next(args)) as { response?: unknown } | undefined;
    const date = clock && dateOf(answer?.response);
    if (clock && date !== undefined) clock.sample(date, sentAt!);
    return answer;
  });
}
