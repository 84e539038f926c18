/**
 * The creates AWS does not deduplicate, which the reconciler sends once (reconciler/aws/create-retries.ts),
 * each with the tier that makes it and the CloudFormation type of what it makes: the cases of the scenarios
 * that make such a create take effect unanswered (a 5xx after it, a pass killed right after it).
 */
import type { Tier } from '../../spec';

export interface SentOnceCreate {
  operation: string;
  mode: Tier;
  type: string;
}

export const SENT_ONCE_CREATES: readonly SentOnceCreate[] = [
  { operation: 'CreateVpc', mode: 'fargate', type: 'AWS::EC2::VPC' },
  { operation: 'CreateInternetGateway', mode: 'fargate', type: 'AWS::EC2::InternetGateway' },
  { operation: 'RegisterTaskDefinition', mode: 'fargate', type: 'AWS::ECS::TaskDefinition' },
  { operation: 'CreateApi', mode: 'lambda', type: 'AWS::ApiGatewayV2::Api' },
  { operation: 'CreateIntegration', mode: 'lambda', type: 'AWS::ApiGatewayV2::Integration' },
];
