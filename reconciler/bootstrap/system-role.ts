/**
 * An IAM role of LambdaFlex itself (the reconciler's, the scheduler's): trusted by one AWS service, with
 * one inline policy and optionally AWS managed policies. Same verbs as the stacks' role kinds (it is one
 * of them, resources/iam-role.ts), found by its fixed name and ours only with the `lambdaflex-system`
 * ownership tags.
 */
import { ROLE_ERRORS, roleKind } from '../resources/iam-role';
import type { ResourceContext, ResourceKind } from '../resources/types';
import { SYSTEM_NAMES, SYSTEM_STACK } from './names';

export interface SystemRoleOptions {
  key: string;
  roleName: string;
  principal: string;
  description: string;
  dependsOn: string[];
  /** The inline policy; undefined while a dependency it names is not known yet. Pure. */
  policy(refs: ResourceContext['refs']): unknown;
  /** Names of AWS managed service-role policies to attach (`AWSLambdaBasicExecutionRole`). */
  managedPolicies: string[];
}

/**
 * @example
 * const kind = systemRoleKind({ key: 'scheduler-role', roleName: 'lambdaflex-reconciler-scheduler',
 *   principal: 'scheduler.amazonaws.com', description: '…', dependsOn: [], policy: () => doc, managedPolicies: [] });
 */
export function systemRoleKind(options: SystemRoleOptions): ResourceKind {
  return roleKind({
    key: options.key,
    tier: 'lambda',
    dependsOn: options.dependsOn,
    errors: ROLE_ERRORS,
    owner: SYSTEM_STACK,
    roleName: () => options.roleName,
    description: () => options.description,
    trustedService: options.principal,
    managedPolicies: options.managedPolicies,
    // The policy names account, region and partition: it takes them from its dependencies' ARNs.
    inlinePolicy: { name: SYSTEM_NAMES.inlinePolicy, document: (_spec, refs) => options.policy(refs) },
  });
}
