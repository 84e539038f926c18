/**
 * The Lambda function's execution role: trusted by lambda.amazonaws.com, with AWS's managed
 * AWSLambdaBasicExecutionRole (CloudWatch Logs) and bootstrap's state-table policy (the service reads
 * and writes its stack's own item: GET/PUT /desired-state, /stack-status) attached and nothing else,
 * created with bootstrap's permissions boundary. Named `lf-<stack>-lambda-role-<region>` under `/lambdaflex/<region>/`; the role
 * of the same stack from before names carried the region is replaced (`lambdaRoleReplacedResource`).
 *
 * IAM is eventually consistent: for a few seconds after CreateRole, Lambda may refuse the role. The
 * function kind retries that specific error (by message); this role is ready at once.
 */
import { COMPONENTS, names } from '../../../spec';
import { stackRoleName, stackRolePath } from '../../iam/arns';
import { ROLE_ERRORS, replacedRoleResource, roleResource } from './role';
import type { StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

export const LAMBDA_PRINCIPAL = 'lambda.amazonaws.com';
export const LAMBDA_BASIC_POLICY_NAME = 'AWSLambdaBasicExecutionRole';

/**
 * @example
 * lambdaRoleResource.desiredAttributes(spec, {}).managedPolicies; // ['AWSLambdaBasicExecutionRole']
 */
export const lambdaRoleResource: StackResource = roleResource({
  key: COMPONENTS.lambdaRole,
  tier: 'lambda',
  dependsOn: [],
  errors: ROLE_ERRORS,
  roleName: (spec, region) => stackRoleName(spec.stack, COMPONENTS.lambdaRole, region),
  path: stackRolePath,
  description: (spec) => `LambdaFlex ${spec.stack}: Lambda function execution (logs, own state item)`,
  trustedService: LAMBDA_PRINCIPAL,
  managedPolicies: [LAMBDA_BASIC_POLICY_NAME],
  stackRole: { logs: false, table: true },
});

/** The account-wide `lf-<stack>-lambda-role` of before: deleted once the function runs with the new one. */
export const lambdaRoleReplacedResource: StackResource = replacedRoleResource({
  key: RESOURCE_KEYS.lambdaRoleReplaced,
  tier: 'lambda',
  roleName: (spec) => names(spec.stack).lambdaRole,
});
