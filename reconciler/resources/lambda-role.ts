/**
 * The Lambda function's execution role: trusted by lambda.amazonaws.com, with AWS's managed
 * AWSLambdaBasicExecutionRole (CloudWatch Logs) attached and nothing else. The role is found by its
 * deterministic name (GetRole) and is ours only when it carries this stack's ownership tags.
 *
 * IAM is eventually consistent: for a few seconds after CreateRole, Lambda may refuse the role. The
 * function kind retries that specific error (by message); this role is ready at once.
 */
import { COMPONENTS, names } from '../../spec';
import { ROLE_ERRORS, roleKind } from './iam-role';
import type { ResourceKind } from './types';

export const LAMBDA_PRINCIPAL = 'lambda.amazonaws.com';
export const LAMBDA_BASIC_POLICY_NAME = 'AWSLambdaBasicExecutionRole';

/**
 * @example
 * lambdaRoleKind.desired(spec, {}).managedPolicies; // ['AWSLambdaBasicExecutionRole']
 */
export const lambdaRoleKind: ResourceKind = roleKind({
  key: COMPONENTS.lambdaRole,
  tier: 'lambda',
  dependsOn: [],
  errors: ROLE_ERRORS,
  roleName: (spec) => names(spec.stack).lambdaRole,
  description: (spec) => `LambdaFlex ${spec.stack}: Lambda function execution (logs)`,
  trustedService: LAMBDA_PRINCIPAL,
  managedPolicies: [LAMBDA_BASIC_POLICY_NAME],
});
