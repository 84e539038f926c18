/** Every simulated service, in the order their time-driven state is refreshed (dependencies first). */
import type { SimService } from '../core/service';
import { apigatewayv2Service } from './apigatewayv2';
import { autoscalingService } from './autoscaling';
import { cloudwatchService } from './cloudwatch';
import { ec2Service } from './ec2';
import { ecsService } from './ecs';
import { elbv2Service } from './elbv2';
import { iamService } from './iam';
import { lambdaService } from './lambda';
import { route53Service } from './route53';
import { schedulerService } from './scheduler';
import { sqsService } from './sqs';
import { taggingService } from './tagging';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ALL_SERVICES: SimService<any>[] = [
  ec2Service,
  elbv2Service,
  ecsService,
  autoscalingService,
  route53Service,
  lambdaService,
  apigatewayv2Service,
  iamService,
  schedulerService,
  sqsService,
  taggingService,
  cloudwatchService,
];
