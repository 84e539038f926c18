/**
 * AWS's published API request rates, per account and region, as the token buckets AWS describes them
 * with: `capacity` calls at once (the burst), refilled at `refillPerSecond` (the sustained rate). Where
 * AWS publishes a rate but no burst, the burst is one second's worth. docs/aws-facts.md ("API rate
 * limits") gives the sources.
 *
 * Written once: the reconciler sizes its call budget with them (reconciler/aws/rate-budget.ts), and the
 * simulated account throttles with them (aws-sim/).
 */

import type { TokenBucketSize } from '../util/token-bucket';

/** A service's buckets for reads (Describe*, Get*, List*) and for changes. */
export interface ServiceRates {
  readonly read: TokenBucketSize;
  readonly write: TokenBucketSize;
  /** Each API action has a bucket of its own of these sizes, rather than one for the whole service. */
  readonly perAction?: true;
  /**
   * Reads and changes take from one bucket (`read`, the same size as `write`): AWS gives one rate for the
   * service's control plane as a whole, not one for reads and another for changes.
   */
  readonly oneBucket?: true;
}

export const API_RATE_LIMITS = {
  /** "Request throttling for the Amazon EC2 API": a token bucket per API action. */
  ec2: {
    read: { capacity: 100, refillPerSecond: 20 },
    write: { capacity: 50, refillPerSecond: 5 },
    perAction: true,
  },
  /**
   * "Request throttling for the Elastic Load Balancing API", ELB API version 2: actions are throttled by
   * category, each category one bucket for all its actions (not a bucket per action as EC2's):
   * non-mutating (every `Describe*`) 40 / 10, mutating (`CreateListener`, `CreateTargetGroup`, `AddTags`,
   * `Modify*`, `Delete*`, …) 20 / 3; `CreateLoadBalancer` and registrations apart (below). Every action
   * also takes a token from the account-level bucket all of them share (ELBV2_ACCOUNT).
   */
  elbv2: { read: { capacity: 40, refillPerSecond: 10 }, write: { capacity: 20, refillPerSecond: 3 } },
  /** ECS request throttling: DescribeClusters burst 50, about 20 sustained. */
  ecs: { read: { capacity: 50, refillPerSecond: 20 }, write: { capacity: 50, refillPerSecond: 20 } },
  /** Application Auto Scaling: no figure published; as ECS's. */
  autoscaling: { read: { capacity: 50, refillPerSecond: 20 }, write: { capacity: 50, refillPerSecond: 20 } },
  /**
   * API Gateway quotas: "total operations" of the control plane, 10 requests per second, burst 40: one
   * bucket for reads and changes together.
   */
  apigatewayv2: {
    read: { capacity: 40, refillPerSecond: 10 },
    write: { capacity: 40, refillPerSecond: 10 },
    oneBucket: true,
  },
  /**
   * Lambda quotas: control plane API requests (invocation, GetFunction and GetPolicy apart), 15 per second
   * across all of them, reads and changes together.
   */
  lambda: {
    read: { capacity: 15, refillPerSecond: 15 },
    write: { capacity: 15, refillPerSecond: 15 },
    oneBucket: true,
  },
  /** CloudWatch quotas: GetMetricData 50 transactions per second. */
  cloudwatch: { read: { capacity: 50, refillPerSecond: 50 }, write: { capacity: 50, refillPerSecond: 50 } },
  /** Resource Groups Tagging API: no published figure ("a few per second"); anecdotal. */
  tagging: { read: { capacity: 5, refillPerSecond: 5 }, write: { capacity: 5, refillPerSecond: 5 } },
  /** SQS quotas: a FIFO queue takes 300 transactions per second per API action. */
  sqs: {
    read: { capacity: 300, refillPerSecond: 300 },
    write: { capacity: 300, refillPerSecond: 300 },
    perAction: true,
  },
} as const satisfies Record<string, ServiceRates>;

/** EC2's unfiltered, unpaginated DescribeNetworkInterfaces / DescribeSecurityGroups / DescribeInstances. */
export const EC2_UNFILTERED_DESCRIBE: TokenBucketSize = { capacity: 50, refillPerSecond: 10 };

/**
 * ELBv2's account-level bucket, "shared across all Elastic Load Balancing API actions", describes and
 * changes alike: 40 / 10. A call takes a token from it and one from its category's bucket.
 */
export const ELBV2_ACCOUNT: TokenBucketSize = { capacity: 40, refillPerSecond: 10 };

/** ELBv2's resource-intensive actions (`CreateLoadBalancer`, `SetSubnets`): 10, refilled 0.2 a second. */
export const ELBV2_RESOURCE_INTENSIVE: TokenBucketSize = { capacity: 10, refillPerSecond: 0.2 };

/** ELBv2's registration actions (`RegisterTargets`, `DeregisterTargets`): 20 / 4. */
export const ELBV2_REGISTRATION: TokenBucketSize = { capacity: 20, refillPerSecond: 4 };

/** Lambda's GetFunction, apart from the rest of the control plane: 100 per second. */
export const LAMBDA_GET_FUNCTION: TokenBucketSize = { capacity: 100, refillPerSecond: 100 };

/** Lambda's GetPolicy, apart from the rest of the control plane too: 15 per second. */
export const LAMBDA_GET_POLICY: TokenBucketSize = { capacity: 15, refillPerSecond: 15 };

/** API Gateway's fixed control-plane rates, no burst beyond one call: CreateApi 1 per 3 s, DeleteApi 1 per 30 s. */
export const API_GATEWAY_CREATE_API: TokenBucketSize = { capacity: 1, refillPerSecond: 1 / 3 };
export const API_GATEWAY_DELETE_API: TokenBucketSize = { capacity: 1, refillPerSecond: 1 / 30 };

/** API Gateway's fixed rates for custom domain names, each action apart: CreateDomainName, UpdateDomainName and DeleteDomainName 1 per 30 s. */
export const API_GATEWAY_DOMAIN_NAME: TokenBucketSize = { capacity: 1, refillPerSecond: 1 / 30 };

/**
 * "Throttling for Amazon Route 53 API requests": every request of the account takes a token from one
 * bucket, 50 / 10 (it was five requests a second, no burst), whoever makes it: the console and any other
 * tool of the account share it. Each API action has a bucket of its own besides, which a request also
 * takes from; it is 50 / 10 too for every action AWS does not list apart, and the actions it lists apart
 * (CreateHostedZone 40 / 2, DeleteHostedZone 40 / 5, the health checks', …) are none that LambdaFlex calls
 * or the simulator implements, so the account's bucket is always the one that runs out first. Record
 * changes also draw on a bucket of changes per second ("change throughput"), not written here: its figure
 * is further down AWS's page than the copies of it available reach, and none is invented (docs/aws-facts.md,
 * "API rate limits"), so the simulator has no such bucket.
 */
export const ROUTE53_REQUESTS: TokenBucketSize = { capacity: 50, refillPerSecond: 10 };
