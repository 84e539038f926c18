/**
 * Token buckets on the virtual clock (docs/aws-facts.md "API rate limits"): `capacity` tokens, refilled at
 * `refillPerSecond`, with the arithmetic of util/token-bucket.ts (the reconciler's budget uses the same).
 * Their state is plain JSON, saved with the account.
 *
 * Each service declares its buckets; an operation takes a token from one of them. A bucket with
 * `scope: 'operation'` is one bucket per API action (EC2: "each API is evaluated individually"); with
 * `scope: 'service'`, one bucket for every operation whose bucket is so scoped, reads and changes alike
 * (Lambda's and API Gateway's control planes: one rate for all of them); otherwise one bucket shared by
 * every operation that names it (ELBv2's describes: one bucket for all of them, not one per action).
 *
 * `DOCUMENTED_LIMITS` holds AWS's published account-wide limits per service, which an account made with
 * `rateLimits: 'documented'` enforces on top of the services' own buckets (services that have none by
 * default, such as Lambda's control plane and the Tagging API, get theirs): the accounts of the scale
 * benchmark and of the fan-out scenarios.
 */
import type { ServiceName } from './clients';
import type { SimService } from './service';
import {
  API_RATE_LIMITS,
  LAMBDA_GET_FUNCTION,
  LAMBDA_GET_POLICY,
  ROUTE53_REQUESTS,
  type ServiceRates,
} from '../../aws-facts/api-rate-limits';
import type { TokenBucketSize } from '../../util/token-bucket';

export interface BucketSpec extends TokenBucketSize {
  /**
   * 'operation': a bucket per API action; 'service': one bucket for every operation of the service whose
   * bucket is so scoped, whatever its name; default: one bucket for every operation that names it.
   */
  scope?: 'operation' | 'service';
}

export interface ServiceLimits {
  /** Buckets by name; they replace the service's own buckets of the same name. */
  buckets: Record<string, BucketSpec>;
  /** Operations that take a token from a named bucket rather than 'describe' / 'mutating'. */
  operations?: Record<string, string>;
  /** Where the numbers come from. */
  source: string;
}

/**
 * A service's `describe` and `mutating` buckets from its published rates, scoped as AWS counts them
 * (aws-facts/api-rate-limits.ts): `perAction`, a bucket per API action; `oneBucket`, one for reads and
 * changes together.
 */
export function readWriteBuckets(rates: ServiceRates): { describe: BucketSpec; mutating: BucketSpec } {
  const scope = rates.perAction ? 'operation' : rates.oneBucket ? 'service' : undefined;
  const scoped = (size: TokenBucketSize): BucketSpec => ({
    capacity: size.capacity,
    refillPerSecond: size.refillPerSecond,
    ...(scope ? { scope } : {}),
  });
  return { describe: scoped(rates.read), mutating: scoped(rates.write) };
}

/**
 * AWS's published account-wide API limits (per account and region), or, where AWS publishes none, the
 * figure named as anecdotal. Where AWS gives a rate but no burst, the burst is one second's worth.
 */
export const DOCUMENTED_LIMITS: Partial<Record<ServiceName, ServiceLimits>> = {
  ec2: {
    buckets: readWriteBuckets(API_RATE_LIMITS.ec2),
    source: 'Request throttling for the Amazon EC2 API: a token bucket per API action',
  },
  route53: {
    buckets: { all: ROUTE53_REQUESTS },
    source:
      'Throttling for Amazon Route 53 API requests: every request of the account, 50 / 10 (it was five a second)',
  },
  lambda: {
    buckets: {
      // One bucket for reads and changes: "15 requests per second across all APIs".
      ...readWriteBuckets(API_RATE_LIMITS.lambda),
      getFunction: LAMBDA_GET_FUNCTION,
      getPolicy: LAMBDA_GET_POLICY,
    },
    operations: { GetFunction: 'getFunction', GetPolicy: 'getPolicy' },
    source:
      'Lambda quotas: control plane API requests 15 per second across all APIs, reads and changes (GetFunction 100 per second and GetPolicy 15 apart)',
  },
  cloudwatch: {
    buckets: readWriteBuckets(API_RATE_LIMITS.cloudwatch),
    source: 'CloudWatch quotas: GetMetricData 50 transactions per second',
  },
  tagging: {
    buckets: readWriteBuckets(API_RATE_LIMITS.tagging),
    source: 'Resource Groups Tagging API: no published figure ("a few per second"); anecdotal, configurable',
  },
  sqs: {
    buckets: readWriteBuckets(API_RATE_LIMITS.sqs),
    source:
      'SQS quotas: a FIFO queue takes 300 transactions per second per API action (3,000 messages with batching)',
  },
};

/** A bucket a call takes a token from: its key among the account's saved buckets, and its size. */
export interface HeldBucket {
  key: string;
  spec: BucketSpec;
}

/**
 * The buckets a call of `operationName` takes a token from, as the simulated account throttles it (and
 * the scale benchmark counts it): its own, by the bucket's scope (a key with no spec: the operation is not
 * rate limited), and the service's account-level bucket when it has one (ELBv2's `account`).
 * `documented`: the service's DOCUMENTED_LIMITS when the account enforces them.
 */
export function bucketsOf(
  service: Pick<SimService<unknown>, 'name' | 'buckets' | 'operations'>,
  operationName: string,
  documented: ServiceLimits | undefined,
): { own: { key: string; spec?: BucketSpec }; account?: HeldBucket } {
  const operation = service.operations[operationName];
  const bucketName =
    documented?.operations?.[operationName] ??
    operation?.bucket ??
    (operation?.mutating ? 'mutating' : 'describe');
  const spec = documented?.buckets[bucketName] ?? service.buckets[bucketName];
  const account = documented?.buckets.account ?? service.buckets.account;
  // A bucket per API action, one for the service's operations so scoped, or one shared by the operations
  // that name it.
  const key =
    spec?.scope === 'operation'
      ? `${service.name}:${operationName}`
      : spec?.scope === 'service'
        ? `${service.name}:service`
        : `${service.name}:${bucketName}`;
  return {
    own: { key, ...(spec ? { spec } : {}) },
    ...(account && bucketName !== 'account'
      ? { account: { key: `${service.name}:account`, spec: account } }
      : {}),
  };
}
