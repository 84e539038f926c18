/**
 * An IAM role of LambdaFlex itself (the reconciler's, the scheduler's): trusted by one AWS service, with
 * AWS managed policies and bootstrap's own managed policies attached; no inline policy. Same verbs as
 * the stacks' role kinds (it is one of them, resources/iam/role.ts), found by its fixed name (which
 * carries the region) and ours only with the `lambdaflex-system` ownership tags.
 */
import { ROLE_ERRORS, roleResource } from '../resources/iam/role';
import type { SystemResource, SystemContext } from './system-spec';
import { SYSTEM_STACK } from './names';

export interface SystemRoleOptions {
  key: string;
  roleName: string;
  principal: string;
  description: string;
  dependsOn: string[];
  /** Names of AWS managed service-role policies to attach (`AWSLambdaBasicExecutionRole`). */
  managedPolicies: string[];
  /** Bootstrap's own managed policies to attach: their names, and the keys of the kinds that make them. */
  customerPolicies: { names: string[]; keys: string[] };
}

/**
 * @example
 * const kind = systemRoleResource({ key: 'scheduler-role', roleName: 'lambdaflex-reconciler-scheduler-eu-west-1',
 *   principal: 'scheduler.amazonaws.com', description: '…', dependsOn: ['scheduler-policy'], managedPolicies: [],
 *   customerPolicies: { names: ['lambdaflex-reconciler-invoke-eu-west-1'], keys: ['scheduler-policy'] } });
 */
export function systemRoleResource(options: SystemRoleOptions): SystemResource {
  const { keys, names } = options.customerPolicies;
  return roleResource({
    key: options.key,
    dependsOn: options.dependsOn,
    errors: ROLE_ERRORS,
    owner: SYSTEM_STACK,
    roleName: () => options.roleName,
    description: () => options.description,
    trustedService: options.principal,
    managedPolicies: options.managedPolicies,
    customerPolicies: {
      names,
      arns: (refs: SystemContext['refs']) => {
        const arns = keys.map((key) => refs[key]?.arn);
        return arns.every((a): a is string => a !== undefined) ? arns : undefined;
      },
    },
  });
}
