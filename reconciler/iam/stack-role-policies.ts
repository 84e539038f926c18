/**
 * The customer managed policies bootstrap keeps for the stack roles of a region:
 *
 * - the permissions boundary every stack role is created with (the reconciler may create and change a
 *   stack role only while it carries it): whatever a stack role is given, by a policy, by a trust policy
 *   naming someone else, or by mistake, it can do no more than write its own logs and pull images of
 *   this account;
 * - the policy a task execution role carries beyond AWS's AmazonECSTaskExecutionRolePolicy: creating the
 *   stack's log group (the awslogs driver's `awslogs-create-group`). It replaces the inline policy stack
 *   roles had, so the reconciler needs no iam:PutRolePolicy at all.
 */
import type { IamPolicy } from './policy';
import { arn, type Where } from './arns';

/** Log groups of the stacks: Lambda's own (`/aws/lambda/lf-*`) and the tasks' (`/lambdaflex/*`). */
const stackLogGroups = (w: Where) => [
  ...arn.logGroups(w, '/aws/lambda/lf-*'),
  ...arn.logGroups(w, '/lambdaflex/*'),
];

export function stackBoundaryPolicy(w: Where): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'StackLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: stackLogGroups(w),
      },
      {
        Sid: 'EcrToken',
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken'],
        Resource: '*',
      },
      {
        // Images of this account only; an image in another account needs the boundary widened on purpose.
        Sid: 'EcrPull',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: `arn:${w.partition}:ecr:*:${w.account}:repository/*`,
      },
    ],
  };
}

export function stackLogsPolicy(w: Where): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CreateStackLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup'],
        Resource: arn.logGroups(w, '/lambdaflex/*'),
      },
    ],
  };
}
