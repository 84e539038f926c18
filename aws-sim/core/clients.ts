/**
 * The SDK v3 clients the simulated account answers, by service name. The account's own list, so that it
 * depends on nothing of ours: the reconciler's `AwsClients` (reconciler/aws/clients.ts) has the same
 * shape, so the simulated clients are handed to it as they are (the type checker holds them to that), and
 * test/aws-sim/clients.test.ts checks that every client the reconciler builds is simulated.
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

export const SIMULATED_CLIENT_CLASSES = {
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

export type ServiceName = keyof typeof SIMULATED_CLIENT_CLASSES;

export type SimulatedClients = { [K in ServiceName]: InstanceType<(typeof SIMULATED_CLIENT_CLASSES)[K]> };

export const SIMULATED_SERVICE_NAMES = Object.keys(SIMULATED_CLIENT_CLASSES) as ServiceName[];

/** The SDK's own default number of attempts (its standard retry mode), which the real clients keep. */
export const SDK_DEFAULT_MAX_ATTEMPTS = 3;

/** The real clients' request timeout per attempt (reconciler/aws/request-handler.ts), unless told another. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
