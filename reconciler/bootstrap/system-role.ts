/**
 * An IAM role of LambdaFlex itself (the reconciler's, the scheduler's): trusted by one AWS service, with
 * one inline policy and optionally AWS managed policies. Same verbs as the stacks' role kinds, found by
 * its fixed name and ours only with the `lambdaflex-system` ownership tags.
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
} from '@aws-sdk/client-iam';
import { isOwnedBy, ownershipTagList } from '../../spec/names';
import { assertOwned } from '../resources/foreign-guard';
import {
  parsePolicyDocument,
  partitionOf,
  policyName,
  trustPolicy,
  trustedServices,
} from '../resources/iam-policy-documents';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/not-found';
import type { ErrorCodes, ObservedResource, ResourceContext, ResourceKind } from '../resources/types';
import { SYSTEM_NAMES, SYSTEM_STACK, systemTags } from './names';

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

const ERRORS: ErrorCodes = {
  notFound: ['NoSuchEntity'],
  retryable: ['DeleteConflict', 'EntityAlreadyExists', 'ConcurrentModification'],
  terminal: [
    'MalformedPolicyDocument',
    'LimitExceeded',
    'InvalidInput',
    'UnmodifiableEntity',
    'AccessDenied',
  ],
};

const managedArn = (region: string, name: string) =>
  `arn:${partitionOf(region)}:iam::aws:policy/service-role/${name}`;

async function attached(iam: IAMClient, roleName: string): Promise<string[]> {
  const answer = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (answer.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean);
}

/**
 * @example
 * const kind = systemRoleKind({ key: 'scheduler-role', roleName: 'lambdaflex-reconciler-scheduler',
 *   principal: 'scheduler.amazonaws.com', description: '…', dependsOn: [], policy: () => doc, managedPolicies: [] });
 */
export function systemRoleKind(options: SystemRoleOptions): ResourceKind {
  const { key, roleName } = options;
  const policyDocument = (ctx: ResourceContext) => {
    const document = options.policy(ctx.refs);
    if (document === undefined) throw new Error(`${key}: a dependency of its policy is not known yet`);
    return JSON.stringify(document);
  };

  const find = async (ctx: ResourceContext): Promise<ObservedResource | undefined> => {
    const iam = ctx.clients.iam;
    const role = (await orUndefinedIfGone(() => iam.send(new GetRoleCommand({ RoleName: roleName })), ERRORS))
      ?.Role;
    if (!role?.RoleName) return undefined;
    const tags = Object.fromEntries((role.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    const base = { key, type: 'AWS::IAM::Role', id: role.RoleName, arn: role.Arn, tags, ready: true };
    if (!isOwnedBy(tags, SYSTEM_STACK)) return { ...base, attributes: {}, foreign: true };
    const [arns, inline] = await Promise.all([
      attached(iam, roleName),
      orUndefinedIfGone(
        () =>
          iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: SYSTEM_NAMES.inlinePolicy })),
        ERRORS,
      ),
    ]);
    return {
      ...base,
      attributes: {
        roleName: role.RoleName,
        trustedServices: trustedServices(role.AssumeRolePolicyDocument),
        managedPolicies: arns.map(policyName).sort(),
        inlinePolicy: parsePolicyDocument(inline?.PolicyDocument),
      },
      extra: { attachedPolicyArns: arns },
    };
  };

  const putPolicy = (ctx: ResourceContext) =>
    ctx.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: SYSTEM_NAMES.inlinePolicy,
        PolicyDocument: policyDocument(ctx),
      }),
    );
  const attachManaged = async (ctx: ResourceContext, present: string[]) => {
    for (const name of options.managedPolicies) {
      const arn = managedArn(ctx.region, name);
      if (!present.includes(arn)) {
        await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
      }
    }
  };

  return {
    key,
    type: 'AWS::IAM::Role',
    service: 'iam',
    tier: 'lambda',
    dependsOn: options.dependsOn,
    errors: ERRORS,
    immutable: ['roleName'],
    wanted: () => true,
    desired: (_spec, refs) => ({
      roleName,
      trustedServices: [options.principal],
      managedPolicies: [...options.managedPolicies].sort(),
      // The policy names account, region and partition: it takes them from its dependencies' ARNs.
      inlinePolicy: options.policy(refs),
    }),
    find,
    async create(ctx) {
      await ctx.clients.iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify(trustPolicy([options.principal])),
          Description: options.description,
          Tags: ownershipTagList(SYSTEM_STACK, key),
        }),
      );
      // A crash from here on leaves a role without policies: the next pass sees the drift and updates.
      await putPolicy(ctx);
      await attachManaged(ctx, []);
      return (
        (await find(ctx)) ?? {
          key,
          type: 'AWS::IAM::Role',
          id: roleName,
          tags: systemTags(key),
          attributes: {},
          ready: true,
        }
      );
    },
    async update(ctx, current, changes) {
      assertOwned(current, 'updating');
      const changed = (path: string) => changes.some((c) => c.path.split('.')[0] === path);
      if (changed('trustedServices')) {
        await ctx.clients.iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: roleName,
            PolicyDocument: JSON.stringify(trustPolicy([options.principal])),
          }),
        );
      }
      if (changed('inlinePolicy')) await putPolicy(ctx);
      if (changed('managedPolicies')) {
        const present = (current.extra?.attachedPolicyArns as string[] | undefined) ?? [];
        const wanted = options.managedPolicies.map((name) => managedArn(ctx.region, name));
        for (const stray of present.filter((arn) => !wanted.includes(arn))) {
          await ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: stray }));
        }
        await attachManaged(ctx, present);
      }
      return (await find(ctx)) ?? current;
    },
    async delete(ctx, current) {
      assertOwned(current, 'deleting');
      const iam = ctx.clients.iam;
      // IAM refuses to delete a role that still has policies: empty it first, each step idempotent.
      const arns = await orUndefinedIfGone(() => attached(iam, roleName), ERRORS);
      if (arns === undefined) return;
      for (const arn of arns) {
        await deleteIgnoringGone(
          () => iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn })),
          ERRORS,
        );
      }
      const inline = await orUndefinedIfGone(
        () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
        ERRORS,
      );
      for (const name of inline?.PolicyNames ?? []) {
        await deleteIgnoringGone(
          () => iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name })),
          ERRORS,
        );
      }
      await deleteIgnoringGone(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })), ERRORS);
    },
  };
}
