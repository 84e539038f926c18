/**
 * The customer managed policies bootstrap installs for the stack roles of a region (the permissions
 * boundary, the task execution role's log-group policy, the function role's state-table policy; reconciler/iam/stack-role-policies.ts), looked
 * up by their IAM path `/lambdaflex/<region>/`. The reconciler learns their ARNs (and so the account)
 * from IAM itself rather than from its configuration.
 *
 * Where bootstrap has not run (a local simulated account, a pass run by hand), nothing is found and the
 * roles are made without them; the reconciler's own IAM policy refuses that in a real account
 * (iam:CreateRole requires the boundary), so it cannot happen to a bootstrapped reconciler.
 *
 * They are the region's, not a stack's, and change only when bootstrap runs: once the boundary is found,
 * the answer is kept per IAM client for `REMEMBER_MS`, so that every role of every stack a worker passes
 * (three a pass, a pass every 15 s while a stack moves between tiers) does not list them again.
 */
import { ListPoliciesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { POLICY_NAMES, stackRolePath } from '../../iam/arns';

export interface StackIamPolicies {
  boundaryArn?: string;
  logsPolicyArn?: string;
  /** The function role's access to its own item of the state table. */
  tablePolicyArn?: string;
}

/** How long a found answer is kept: a policy bootstrap adds reaches the roles within this time. */
export const REMEMBER_MS = 5 * 60_000;

const remembered = new WeakMap<IAMClient, Map<string, { at: number; found: StackIamPolicies }>>();

export async function stackIamPolicies(
  iam: IAMClient,
  region: string,
  now: number,
): Promise<StackIamPolicies> {
  const byRegion = remembered.get(iam) ?? new Map<string, { at: number; found: StackIamPolicies }>();
  remembered.set(iam, byRegion);
  const kept = byRegion.get(region);
  if (kept && now >= kept.at && now - kept.at < REMEMBER_MS) return { ...kept.found };
  const found = await listStackIamPolicies(iam, region);
  // Nothing found is not kept: bootstrap may be running right now.
  if (found.boundaryArn) byRegion.set(region, { at: now, found });
  return { ...found };
}

async function listStackIamPolicies(iam: IAMClient, region: string): Promise<StackIamPolicies> {
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
