/**
 * The SDK v3 clients LambdaFlex talks to, built once and injected everywhere (docs/design.md, code rule 6).
 * Real AWS, LocalStack (through the SDK's own AWS_ENDPOINT_URL settings) and the simulated account
 * (`aws-sim/`) all hand out this same shape, so the code under test is the code that runs in AWS.
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
import { guardCreateRetries } from './create-retries';
import { ACCOUNT_BUDGETS, budgetClients, CallBudget } from './rate-budget';
import { DEFAULT_MAX_ATTEMPTS, requestHandlerOptions } from './request-handler';

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
  /**
   * The call budget every call of these clients waits for (aws/rate-budget.ts): by default one of the
   * account's whole budget; a process that shares the account with others passes its share.
   */
  budget?: Pick<CallBudget, 'take'>;
}

export {
  CONNECTION_TIMEOUT_MS,
  DEFAULT_MAX_ATTEMPTS,
  MAX_CALL_MS,
  maxCallMs,
  REQUEST_TIMEOUT_MS,
  requestHandlerOptions,
} from './request-handler';

/** Clients for real AWS (or an endpoint named by AWS_ENDPOINT_URL): region and credentials from the usual chain. */
export function createAwsClients(config: ClientConfig = {}): AwsClients {
  const { requestTimeoutMs, budget, ...sdkConfig } = config;
  const options = {
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    // Adaptive: a client that meets throttling slows its own sending rate (client-side rate limiting).
    retryMode: 'adaptive',
    ...sdkConfig,
    requestHandler: requestHandlerOptions(requestTimeoutMs),
  };
  const build = <K extends ServiceName>(name: K) => new CLIENT_CLASSES[name](options) as AwsClients[K];
  const clients = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, build(name)]),
  ) as unknown as AwsClients;
  // The creates AWS does not deduplicate are sent once after an answer that may hide their effect.
  guardCreateRetries(clients);
  // One limiter per call, for look-ups and changes alike, whoever makes them (observe, apply, discovery).
  return budgetClients(clients, budget ?? new CallBudget(ACCOUNT_BUDGETS));
}
