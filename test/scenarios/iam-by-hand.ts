/** What someone with the account's IAM permissions does by hand, outside the stack's reconciler. */
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';

/** Deletes an IAM role as a user must: its policies first. */
export async function deleteRoleByHand(iam: IAMClient, role: string): Promise<void> {
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }));
  for (const policy of attached.AttachedPolicies ?? []) {
    await iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: policy.PolicyArn! }));
  }
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: role }));
  for (const name of inline.PolicyNames ?? []) {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: name }));
  }
  await iam.send(new DeleteRoleCommand({ RoleName: role }));
}
