/**
 * The SDK v3 clients LambdaFlex talks to, built once and injected everywhere (DESIGN.md rule 6).
 * Real AWS, LocalStack (through the SDK's own AWS_ENDPOINT_URL settings) and the simulated account
 * (`sim/`) all hand out this same shape, so the code under test is the code that runs in AWS.
 */
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsClients {
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
  autoscaling: ApplicationAutoScalingClient;
  route53: Route53Client;
  lambda: LambdaClient;
  apigatewayv2: ApiGatewayV2Client;
  cloudwatch: CloudWatchClient;
  tagging: ResourceGroupsTaggingAPIClient;
  iam: IAMClient;
  scheduler: SchedulerClient;
  /** The reconciler's own work queue (one message per stack due, reconciler/dispatch/). */
  sqs: SQSClient;
}

export type ServiceName = keyof AwsClients;

/** Client constructors by service, so that the simulator and the real factory build the same set. */
export const CLIENT_CLASSES = {
  ec2: EC2Client,
  elbv2: ElasticLoadBalancingV2Client,
  ecs: ECSClient,
  autoscaling: ApplicationAutoScalingClient,
  route53: Route53Client,
  lambda: LambdaClient,
  apigatewayv2: ApiGatewayV2Client,
  cloudwatch: CloudWatchClient,
  tagging: ResourceGroupsTaggingAPIClient,
  iam: IAMClient,
  scheduler: SchedulerClient,
  sqs: SQSClient,
} as const;

export const SERVICE_NAMES = Object.keys(CLIENT_CLASSES) as ServiceName[];

export interface ClientConfig {
  region?: string;
  maxAttempts?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Per attempt, REQUEST_TIMEOUT_MS by default (tests of the timeout itself set a short one). */
  requestTimeoutMs?: number;
}

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

/** Clients for real AWS (or an endpoint named by AWS_ENDPOINT_URL): region and credentials from the usual chain. */
export function createAwsClients(config: ClientConfig = {}): AwsClients {
  const { requestTimeoutMs, ...sdkConfig } = config;
  const options = {
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    ...sdkConfig,
    requestHandler: requestHandlerOptions(requestTimeoutMs),
  };
  const build = <K extends ServiceName>(name: K) => new CLIENT_CLASSES[name](options) as AwsClients[K];
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, build(name)])) as unknown as AwsClients;
}
