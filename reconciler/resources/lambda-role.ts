/**
 * The Lambda function's execution role: trusted by lambda.amazonaws.com, with AWS's managed
 * AWSLambdaBasicExecutionRole (CloudWatch Logs) attached and nothing else. The role is found by its
 * deterministic name (GetRole) and is ours only when it carries this stack's ownership tags.
 *
 * IAM is eventually consistent: for a few seconds after CreateRole, Lambda may refuse the role. The
 * function kind retries that specific error (by message); this role is ready at once.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';
import { COMPONENTS, isOwnedBy, names, ownershipTagList, ownershipTags } from '../../spec';
import { assertOwned } from './foreign-guard';
import { partitionOf, policyName, trustPolicy, trustedServices } from './iam-policy-documents';
import { deleteIgnoringGone, orUndefinedIfGone } from './not-found';
import type { ErrorCodes, ObservedResource, ResourceContext, ResourceKind } from './types';

const KEY = COMPONENTS.lambdaRole;
const TYPE = 'AWS::IAM::Role';
export const LAMBDA_PRINCIPAL = 'lambda.amazonaws.com';
export const LAMBDA_BASIC_POLICY_NAME = 'AWSLambdaBasicExecutionRole';

export const lambdaRoleErrors: ErrorCodes = {
  notFound: ['NoSuchEntity'],
  // DeleteConflict: a policy was attached between our detach and the delete; EntityAlreadyExists: a pass
  // died between CreateRole and recording it, and the next find sees the role.
  retryable: ['DeleteConflict', 'EntityAlreadyExists', 'ConcurrentModification'],
  terminal: [
    'MalformedPolicyDocument',
    'LimitExceeded',
    'InvalidInput',
    'UnmodifiableEntity',
    'AccessDenied',
  ],
};

export function lambdaBasicPolicyArn(region: string): string {
  return `arn:${partitionOf(region)}:iam::aws:policy/service-role/${LAMBDA_BASIC_POLICY_NAME}`;
}

interface LambdaRoleExtra {
  /** Attached managed policies by ARN, so that `update` can detach strays. */
  attachedPolicyArns: string[];
}

function tagRecord(role: Role): Record<string, string> {
  return Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

function observe(
  role: Role,
  tags: Record<string, string>,
  stack: string,
  attached: string[],
): ObservedResource {
  const extra: LambdaRoleExtra = { attachedPolicyArns: attached };
  return {
    key: KEY,
    type: TYPE,
    id: role.RoleName!,
    arn: role.Arn,
    tags,
    attributes: {
      roleName: role.RoleName,
      trustedServices: trustedServices(role.AssumeRolePolicyDocument),
      managedPolicies: attached.map(policyName).sort(),
    },
    ready: true,
    foreign: !isOwnedBy(tags, stack),
    extra: extra as unknown as Record<string, unknown>,
  };
}

async function attachedPolicyArns(iam: IAMClient, roleName: string): Promise<string[]> {
  const answer = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (answer.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '').filter(Boolean);
}

async function attachBasicPolicy(ctx: ResourceContext, roleName: string): Promise<void> {
  await ctx.clients.iam.send(
    new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: lambdaBasicPolicyArn(ctx.region) }),
  );
}

async function find(ctx: ResourceContext): Promise<ObservedResource | undefined> {
  const roleName = names(ctx.spec.stack).lambdaRole;
  const answer = await orUndefinedIfGone(
    () => ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName })),
    lambdaRoleErrors,
  );
  const role = answer?.Role;
  if (!role?.RoleName) return undefined;
  const tags = tagRecord(role);
  // Someone else's role: its policies are none of our business.
  if (!isOwnedBy(tags, ctx.spec.stack)) return observe(role, tags, ctx.spec.stack, []);
  const attached = await orUndefinedIfGone(
    () => attachedPolicyArns(ctx.clients.iam, roleName),
    lambdaRoleErrors,
  );
  if (attached === undefined) return undefined;
  return observe(role, tags, ctx.spec.stack, attached);
}

async function create(ctx: ResourceContext): Promise<ObservedResource> {
  const { stack } = ctx.spec;
  const roleName = names(stack).lambdaRole;
  const answer = await ctx.clients.iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify(trustPolicy([LAMBDA_PRINCIPAL])),
      Description: `LambdaFlex ${stack}: Lambda function execution (logs)`,
      Tags: ownershipTagList(stack, KEY),
    }),
  );
  if (!answer.Role?.RoleName) throw new Error(`CreateRole returned no role for ${KEY}`);
  // A crash before the attach leaves a bare role: the next pass sees managedPolicies drift and updates.
  await attachBasicPolicy(ctx, roleName);
  return observe(answer.Role, { ...ownershipTags(stack, KEY) }, stack, [lambdaBasicPolicyArn(ctx.region)]);
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource,
  changes: { path: string }[],
): Promise<ObservedResource> {
  assertOwned(current, 'updating');
  const roleName = current.id;
  const changed = (path: string) => changes.some((change) => change.path.split('.')[0] === path);
  if (changed('trustedServices')) {
    await ctx.clients.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: roleName,
        PolicyDocument: JSON.stringify(trustPolicy([LAMBDA_PRINCIPAL])),
      }),
    );
  }
  if (changed('managedPolicies')) {
    const wantedArn = lambdaBasicPolicyArn(ctx.region);
    const attached = (current.extra as LambdaRoleExtra | undefined)?.attachedPolicyArns ?? [];
    for (const stray of attached.filter((arn) => arn !== wantedArn)) {
      await deleteIgnoringGone(
        () => ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: stray })),
        lambdaRoleErrors,
      );
    }
    if (!attached.includes(wantedArn)) await attachBasicPolicy(ctx, roleName);
  }
  return (await find(ctx)) ?? current;
}

async function remove(ctx: ResourceContext, current: ObservedResource): Promise<void> {
  assertOwned(current, 'deleting');
  const iam = ctx.clients.iam;
  const roleName = current.id;
  // IAM refuses to delete a role that still has policies (DeleteConflict): empty it first, each step idempotent.
  const attached = await orUndefinedIfGone(() => attachedPolicyArns(iam, roleName), lambdaRoleErrors);
  if (attached === undefined) return;
  for (const arn of attached) {
    await deleteIgnoringGone(
      () => iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn })),
      lambdaRoleErrors,
    );
  }
  // LambdaFlex writes no inline policy, but one added by hand would block the delete just the same.
  const inline = await orUndefinedIfGone(
    () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
    lambdaRoleErrors,
  );
  for (const policy of inline?.PolicyNames ?? []) {
    await deleteIgnoringGone(
      () => iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policy })),
      lambdaRoleErrors,
    );
  }
  await deleteIgnoringGone(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })), lambdaRoleErrors);
}

/**
 * @example
 * lambdaRoleKind.desired(spec, {}).managedPolicies; // ['AWSLambdaBasicExecutionRole']
 */
export const lambdaRoleKind: ResourceKind = {
  key: KEY,
  type: TYPE,
  service: 'iam',
  tier: 'lambda',
  dependsOn: [],
  errors: lambdaRoleErrors,
  immutable: ['roleName'],
  wanted: () => true,
  desired: (spec) => ({
    roleName: names(spec.stack).lambdaRole,
    trustedServices: [LAMBDA_PRINCIPAL],
    managedPolicies: [LAMBDA_BASIC_POLICY_NAME],
  }),
  find,
  create,
  update,
  delete: remove,
};
