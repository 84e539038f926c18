/**
 * The customer managed policies bootstrap installs for the stack roles of a region (the permissions
 * boundary, the task execution role's log-group policy, the function role's state-table policy; reconciler/iam/stack-role-policies.ts), looked
 * up by their IAM path `/lambdaflex/<region>/`. The reconciler learns their ARNs (and so the account)
 * from IAM itself rather than from its configuration.
 *
 * Where bootstrap has not run (a local simulated account, a pass run by hand), nothing is found and the
 * roles are made without them; the reconciler's own IAM policy refuses that in a real account
 * (iam:CreateRole requires the boundary), so it cannot happen to a bootstrapped reconciler.
 */
import { ListPoliciesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { POLICY_NAMES, stackRolePath } from '../../iam/arns';

export interface StackIamPolicies {
  boundaryArn?: string;
  logsPolicyArn?: string;
  /** The function role's access to its own item of the state table. */
  tablePolicyArn?: string;
}

export async function stackIamPolicies(iam: IAMClient, region: string): Promise<StackIamPolicies> {
  const found: StackIamPolicies = {};
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListPoliciesCommand({ Scope: 'Local', PathPrefix: stackRolePath(region), Marker: marker }),
    );
    for (const policy of page.Policies ?? []) {
      if (policy.PolicyName === POLICY_NAMES.boundary(region)) found.boundaryArn = policy.Arn;
      if (policy.PolicyName === POLICY_NAMES.stackLogs(region)) found.logsPolicyArn = policy.Arn;
      if (policy.PolicyName === POLICY_NAMES.stackTable(region)) found.tablePolicyArn = policy.Arn;
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return found;
}
