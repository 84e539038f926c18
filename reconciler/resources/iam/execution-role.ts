/**
 * The task execution role: what ECS itself assumes to pull the image and write the container's logs.
 * Trusted by ecs-tasks.amazonaws.com, with AWS's managed AmazonECSTaskExecutionRolePolicy and
 * bootstrap's log-group policy (the awslogs driver creates `/lambdaflex/<stack>` on first use,
 * `awslogs-create-group`, which the managed policy does not allow), created with bootstrap's permissions
 * boundary. Named `lf-<stack>-execution-role-<region>` under `/lambdaflex/<region>/`; the role of before
 * (with an inline policy) is replaced (`executionRoleReplacedResource`).
 *
 * IAM is eventually consistent: for a few seconds after CreateRole, ECS may refuse the role. The task
 * definition and service kinds list the resulting errors as retryable; this role is ready at once.
 */
import { COMPONENTS, names } from '../../../spec';
import { stackRoleName, stackRolePath } from '../../iam/arns';
import { ROLE_ERRORS, replacedRoleResource, roleResource } from './role';
import type { ErrorCodes, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

const KEY = COMPONENTS.executionRole;
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';
export const EXECUTION_POLICY_NAME = 'AmazonECSTaskExecutionRolePolicy';

const ERRORS: ErrorCodes = {
  ...ROLE_ERRORS,
  terminal: [...ROLE_ERRORS.terminal, 'PolicyNotAttachable'],
};

export const executionRoleResource: StackResource = roleResource({
  key: KEY,
  tier: 'fargate',
  dependsOn: [],
  errors: ERRORS,
  roleName: (spec, region) => stackRoleName(spec.stack, KEY, region),
  path: stackRolePath,
  description: (spec) => `LambdaFlex ${spec.stack}: ECS task execution (image pull, logs)`,
  trustedService: ECS_TASKS_PRINCIPAL,
  managedPolicies: [EXECUTION_POLICY_NAME],
  stackRole: { logs: true },
});

/** The account-wide `lf-<stack>-execution-role` of before: deleted once the task definition moved. */
export const executionRoleReplacedResource: StackResource = replacedRoleResource({
  key: RESOURCE_KEYS.executionRoleReplaced,
  tier: 'fargate',
  roleName: (spec) => names(spec.stack).executionRole,
});
