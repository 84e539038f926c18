/**
 * The mechanics every LambdaFlex IAM role shares (the stacks' Lambda and task execution roles, the
 * system's reconciler and scheduler roles): one service may assume it, AWS managed service-role
 * policies are attached, at most one inline policy is ours. Found by its deterministic name (GetRole),
 * it is ours only with the ownership tags; a role is ready as soon as CreateRole answers.
 *
 * Each role file is a thin definition over `roleKind`: its name, principal, policies and error codes.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';
import { isOwnedBy, ownershipTagList, ownershipTags } from '../../spec/names';
import type { DesiredState, Tier } from '../../spec/types';
import { assertOwned } from './foreign-guard';
import {
  awsManagedPolicyArn,
  parsePolicyDocument,
  policyName,
  trustPolicy,
  trustedServices,
} from './iam-policy-documents';
import { deleteIgnoringGone, orUndefinedIfGone } from './not-found';
import type { AttributeChange, ErrorCodes, ObservedResource, ResourceContext, ResourceKind } from './types';

const TYPE = 'AWS::IAM::Role';

/** The IAM error codes of a role; a kind may add its own. */
export const ROLE_ERRORS: ErrorCodes = {
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

export interface InlineRolePolicy {
  /** The policy's name within the role. */
  name: string;
  /** The document; undefined while a dependency it names is not known yet. Pure. */
  document(spec: DesiredState, refs: ResourceContext['refs']): unknown;
}

export interface RoleKindOptions {
  key: string;
  tier: Tier;
  dependsOn: string[];
  errors: ErrorCodes;
  /** The `lambdaflex:stack` the role is tagged with; the spec's stack when absent. */
  owner?: string;
  roleName(spec: DesiredState): string;
  description(spec: DesiredState): string;
  /** The one AWS service that may assume the role (`lambda.amazonaws.com`). */
  trustedService: string;
  /** Names of AWS managed service-role policies to attach (`AWSLambdaBasicExecutionRole`). */
  managedPolicies: readonly string[];
  inlinePolicy?: InlineRolePolicy;
}

interface RoleExtra {
  /** Attached managed policies by ARN, so that `update` can detach strays. */
  attachedPolicyArns: string[];
}

function tagRecord(role: Role): Record<string, string> {
  return Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

async function attachedPolicyArns(iam: IAMClient, roleName: string): Promise<string[]> {
  const answer = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (answer.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '').filter(Boolean);
}

/**
 * A role resource kind with the same verbs as every other kind.
 *
 * @example
 * const kind = roleKind({ key: 'lambda-role', tier: 'lambda', dependsOn: [], errors: ROLE_ERRORS,
 *   roleName: (spec) => names(spec.stack).lambdaRole, description: (spec) => `LambdaFlex ${spec.stack}`,
 *   trustedService: 'lambda.amazonaws.com', managedPolicies: ['AWSLambdaBasicExecutionRole'] });
 */
export function roleKind(options: RoleKindOptions): ResourceKind {
  const { key, errors, inlinePolicy } = options;
  const owner = (spec: DesiredState) => options.owner ?? spec.stack;
  const managedArns = (region: string) =>
    options.managedPolicies.map((name) => awsManagedPolicyArn(region, name));
  const trustDocument = () => JSON.stringify(trustPolicy([options.trustedService]));

  const observe = (
    role: Role,
    tags: Record<string, string>,
    stack: string,
    attached: string[],
    inline: unknown,
  ): ObservedResource => {
    const extra: RoleExtra = { attachedPolicyArns: attached };
    return {
      key,
      type: TYPE,
      id: role.RoleName!,
      arn: role.Arn,
      tags,
      attributes: {
        roleName: role.RoleName,
        trustedServices: trustedServices(role.AssumeRolePolicyDocument),
        managedPolicies: attached.map(policyName).sort(),
        ...(inlinePolicy ? { inlinePolicy: inline } : {}),
      },
      ready: true,
      foreign: !isOwnedBy(tags, stack),
      extra: extra as unknown as Record<string, unknown>,
    };
  };

  const readInlinePolicy = async (iam: IAMClient, roleName: string): Promise<unknown> => {
    if (!inlinePolicy) return undefined;
    const answer = await orUndefinedIfGone(
      () => iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: inlinePolicy.name })),
      errors,
    );
    return parsePolicyDocument(answer?.PolicyDocument);
  };

  const inlineDocument = (policy: InlineRolePolicy, ctx: ResourceContext): unknown => {
    const document = policy.document(ctx.spec, ctx.refs);
    if (document === undefined) throw new Error(`${key}: a dependency of its policy is not known yet`);
    return document;
  };

  const putInlinePolicy = async (
    ctx: ResourceContext,
    roleName: string,
    policy: InlineRolePolicy,
    document: unknown,
  ) => {
    await ctx.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: policy.name,
        PolicyDocument: JSON.stringify(document),
      }),
    );
  };

  const attachMissing = async (ctx: ResourceContext, roleName: string, present: string[]) => {
    for (const arn of managedArns(ctx.region)) {
      if (!present.includes(arn)) {
        await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
      }
    }
  };

  const find = async (ctx: ResourceContext): Promise<ObservedResource | undefined> => {
    const iam = ctx.clients.iam;
    const roleName = options.roleName(ctx.spec);
    const stack = owner(ctx.spec);
    const answer = await orUndefinedIfGone(
      () => iam.send(new GetRoleCommand({ RoleName: roleName })),
      errors,
    );
    const role = answer?.Role;
    if (!role?.RoleName) return undefined;
    const tags = tagRecord(role);
    // Someone else's role: its policies are none of our business.
    if (!isOwnedBy(tags, stack)) return observe(role, tags, stack, [], undefined);
    const [attached, inline] = await Promise.all([
      orUndefinedIfGone(() => attachedPolicyArns(iam, roleName), errors),
      readInlinePolicy(iam, roleName),
    ]);
    if (attached === undefined) return undefined;
    return observe(role, tags, stack, attached, inline);
  };

  const create = async (ctx: ResourceContext): Promise<ObservedResource> => {
    const roleName = options.roleName(ctx.spec);
    const stack = owner(ctx.spec);
    const document = inlinePolicy && inlineDocument(inlinePolicy, ctx);
    const answer = await ctx.clients.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: trustDocument(),
        Description: options.description(ctx.spec),
        Tags: ownershipTagList(stack, key),
      }),
    );
    if (!answer.Role?.RoleName) throw new Error(`CreateRole returned no role for ${key}`);
    // A crash from here on leaves a role without policies: the next pass sees the drift and updates.
    await attachMissing(ctx, roleName, []);
    if (inlinePolicy) await putInlinePolicy(ctx, roleName, inlinePolicy, document);
    return observe(answer.Role, { ...ownershipTags(stack, key) }, stack, managedArns(ctx.region), document);
  };

  const update = async (
    ctx: ResourceContext,
    current: ObservedResource,
    changes: AttributeChange[],
  ): Promise<ObservedResource> => {
    assertOwned(current, 'updating');
    const roleName = current.id;
    const changed = (path: string) => changes.some((change) => change.path.split('.')[0] === path);
    if (changed('trustedServices')) {
      await ctx.clients.iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trustDocument() }),
      );
    }
    if (changed('managedPolicies')) {
      const wanted = managedArns(ctx.region);
      const present = (current.extra as RoleExtra | undefined)?.attachedPolicyArns ?? [];
      for (const stray of present.filter((arn) => !wanted.includes(arn))) {
        await deleteIgnoringGone(
          () => ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: stray })),
          errors,
        );
      }
      await attachMissing(ctx, roleName, present);
    }
    if (inlinePolicy && changed('inlinePolicy')) {
      await putInlinePolicy(ctx, roleName, inlinePolicy, inlineDocument(inlinePolicy, ctx));
    }
    return (await find(ctx)) ?? current;
  };

  const remove = async (ctx: ResourceContext, current: ObservedResource): Promise<void> => {
    assertOwned(current, 'deleting');
    const iam = ctx.clients.iam;
    const roleName = current.id;
    // IAM refuses to delete a role that still has policies (DeleteConflict): empty it first, each step
    // idempotent. Inline policies go too, ours or added by hand: either would block the delete.
    const attached = await orUndefinedIfGone(() => attachedPolicyArns(iam, roleName), errors);
    if (attached === undefined) return;
    for (const arn of attached) {
      await deleteIgnoringGone(
        () => iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn })),
        errors,
      );
    }
    const inline = await orUndefinedIfGone(
      () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
      errors,
    );
    for (const name of inline?.PolicyNames ?? []) {
      await deleteIgnoringGone(
        () => iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name })),
        errors,
      );
    }
    await deleteIgnoringGone(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })), errors);
  };

  return {
    key,
    type: TYPE,
    service: 'iam',
    steadyCheck: 'untagged',
    tier: options.tier,
    dependsOn: options.dependsOn,
    errors,
    immutable: ['roleName'],
    wanted: () => true,
    desired: (spec, refs) => ({
      roleName: options.roleName(spec),
      trustedServices: [options.trustedService],
      managedPolicies: [...options.managedPolicies].sort(),
      ...(inlinePolicy ? { inlinePolicy: inlinePolicy.document(spec, refs) } : {}),
    }),
    find,
    create,
    update,
    delete: remove,
  };
}
