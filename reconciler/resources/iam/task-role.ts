/**
 * The Fargate task's own role (`taskRoleArn`), the credentials the service runs with in the task:
 * trusted by ecs-tasks.amazonaws.com, with bootstrap's state-table policy attached (the service reads and
 * writes its stack's own item: GET/PUT /desired-state, /stack-status) and nothing else, created with
 * bootstrap's permissions boundary. Named `lf-<stack>-task-role-<region>` under `/lambdaflex/<region>/`.
 *
 * Apart from the execution role, which ECS itself uses to pull the image and write the logs: the
 * application never gets those rights.
 */
import { stackRoleName, stackRolePath } from '../../iam/arns';
import { ECS_TASKS_PRINCIPAL } from './execution-role';
import { ROLE_ERRORS, roleResource } from './role';
import type { StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

export const TASK_ROLE_KEY = RESOURCE_KEYS.taskRole;

export const taskRoleResource: StackResource = roleResource({
  key: TASK_ROLE_KEY,
  tier: 'fargate',
  dependsOn: [],
  errors: ROLE_ERRORS,
  roleName: (spec, region) => stackRoleName(spec.stack, TASK_ROLE_KEY, region),
  path: stackRolePath,
  description: (spec) => `LambdaFlex ${spec.stack}: the Fargate task's own role (own state item)`,
  trustedService: ECS_TASKS_PRINCIPAL,
  managedPolicies: [],
  stackRole: { logs: false, table: true },
});
