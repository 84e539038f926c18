/**
 * The task execution role: what ECS itself assumes to pull the image and write the container's logs.
 * Trusted by ecs-tasks.amazonaws.com, with AWS's managed AmazonECSTaskExecutionRolePolicy, plus
 * logs:CreateLogGroup because the awslogs driver creates `/lambdaflex/<stack>` on first use
 * (`awslogs-create-group`) and the managed policy does not allow that.
 *
 * IAM is eventually consistent: for a few seconds after CreateRole, ECS may refuse the role. The task
 * definition and service kinds list the resulting errors as retryable; this role is ready at once.
 */
import { names, type DesiredState } from '../../spec';
import type { PolicyDocument } from './iam-policy-documents';
import { ROLE_ERRORS, roleKind } from './iam-role';
import type { ErrorCodes, ResourceKind } from './types';

const KEY = 'execution-role';
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';
export const EXECUTION_POLICY_NAME = 'AmazonECSTaskExecutionRolePolicy';
/** The inline policy's name within the role. */
export const CREATE_LOG_GROUP_POLICY_NAME = 'lambdaflex-create-log-group';

const ERRORS: ErrorCodes = {
  ...ROLE_ERRORS,
  terminal: [...ROLE_ERRORS.terminal, 'PolicyNotAttachable'],
};

/**
 * logs:CreateLogGroup on the stack's log group only. The partition and account are wildcards so that the
 * document is the same wherever it runs (and `desired` stays a pure function of the spec).
 */
export function createLogGroupPolicy(spec: DesiredState): PolicyDocument {
  const logGroup = names(spec.stack).logGroup;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'logs:CreateLogGroup',
        // The group itself and the `:*` form that some log actions are authorised against.
        Resource: [`arn:*:logs:*:*:log-group:${logGroup}`, `arn:*:logs:*:*:log-group:${logGroup}:*`],
      },
    ],
  };
}

export const executionRoleKind: ResourceKind = roleKind({
  key: KEY,
  tier: 'fargate',
  dependsOn: [],
  errors: ERRORS,
  roleName: (spec) => names(spec.stack).executionRole,
  description: (spec) => `LambdaFlex ${spec.stack}: ECS task execution (image pull, logs)`,
  trustedService: ECS_TASKS_PRINCIPAL,
  managedPolicies: [EXECUTION_POLICY_NAME],
  inlinePolicy: { name: CREATE_LOG_GROUP_POLICY_NAME, document: createLogGroupPolicy },
});
