/**
 * The task execution role: what ECS itself assumes to pull the image and write the container's logs.
 * Trusted by ecs-tasks.amazonaws.com, with AWS's managed AmazonECSTaskExecutionRolePolicy, plus
 * logs:CreateLogGroup because the awslogs driver creates `/lambdaflex/<stack>` on first use
 * (`awslogs-create-group`) and the managed policy does not allow that.
 *
 * IAM is eventually consistent: for a few seconds after CreateRole, ECS may refuse the role. The task
 * definition and service kinds list the resulting errors as retryable; this role is ready at once.
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
import { isOwnedBy, names, ownershipTagList, ownershipTags, type DesiredState } from '../../spec';
import { assertOwned } from './foreign-guard';
import {
  parsePolicyDocument,
  partitionOf,
  policyName,
  trustPolicy,
  trustedServices,
  type PolicyDocument,
} from './iam-policy-documents';
import { deleteIgnoringGone, orUndefinedIfGone } from './not-found';
import type { ErrorCodes, ObservedResource, ResourceContext, ResourceKind } from './types';

const KEY = 'execution-role';
const TYPE = 'AWS::IAM::Role';
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';
export const EXECUTION_POLICY_NAME = 'AmazonECSTaskExecutionRolePolicy';
/** The inline policy's name within the role. */
export const CREATE_LOG_GROUP_POLICY_NAME = 'lambdaflex-create-log-group';

const ERRORS: ErrorCodes = {
  notFound: ['NoSuchEntity'],
  // EntityAlreadyExists: a pass died between CreateRole and recording it; the next find sees the role.
  retryable: ['DeleteConflict', 'EntityAlreadyExists', 'ConcurrentModification'],
  terminal: [
    'MalformedPolicyDocument',
    'LimitExceeded',
    'InvalidInput',
    'UnmodifiableEntity',
    'PolicyNotAttachable',
    'AccessDenied',
  ],
};

function executionPolicyArn(region: string): string {
  return `arn:${partitionOf(region)}:iam::aws:policy/service-role/${EXECUTION_POLICY_NAME}`;
}

/**
 * logs:CreateLogGroup on the stack's log group only. The partition and account are wildcards so that the
 * document is the same wherever it runs (and `desired` stays a pure function of the spec).
 */
export function createLogGroupPolicy(spec: DesiredState): PolicyDocument {
  const logGroup = names(spec.stack).logGroup;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'logs:CreateLogGroup',
        // The group itself and the `:*` form that some log actions are authorised against.
        Resource: [`arn:*:logs:*:*:log-group:${logGroup}`, `arn:*:logs:*:*:log-group:${logGroup}:*`],
      },
    ],
  };
}

interface RoleExtra {
  /** Attached managed policies by ARN, so that `update` can detach strays. */
  attachedPolicyArns: string[];
}

function observe(
  role: Role,
  tags: Record<string, string>,
  stack: string,
  attachedPolicyArns: string[],
  inlinePolicy: unknown,
): ObservedResource {
  const extra: RoleExtra = { attachedPolicyArns };
  return {
    key: KEY,
    type: TYPE,
    id: role.RoleName!,
    arn: role.Arn,
    tags,
    attributes: {
      roleName: role.RoleName,
      trustedServices: trustedServices(role.AssumeRolePolicyDocument),
      managedPolicies: attachedPolicyArns.map(policyName).sort(),
      inlinePolicy,
    },
    ready: true,
    foreign: !isOwnedBy(tags, stack),
    extra: extra as unknown as Record<string, unknown>,
  };
}

async function attachedPolicyArns(iam: IAMClient, roleName: string): Promise<string[]> {
  const answer = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (answer.AttachedPolicies ?? []).map((policy) => policy.PolicyArn!).filter(Boolean);
}

async function readInlinePolicy(iam: IAMClient, roleName: string): Promise<unknown> {
  const answer = await orUndefinedIfGone(
    () =>
      iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: CREATE_LOG_GROUP_POLICY_NAME })),
    ERRORS,
  );
  return parsePolicyDocument(answer?.PolicyDocument);
}

async function putInlinePolicy(ctx: ResourceContext, roleName: string): Promise<void> {
  await ctx.clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: CREATE_LOG_GROUP_POLICY_NAME,
      PolicyDocument: JSON.stringify(createLogGroupPolicy(ctx.spec)),
    }),
  );
}

async function attachExecutionPolicy(ctx: ResourceContext, roleName: string): Promise<void> {
  await ctx.clients.iam.send(
    new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: executionPolicyArn(ctx.region) }),
  );
}

export const executionRoleKind: ResourceKind = {
  key: KEY,
  type: TYPE,
  service: 'iam',
  tier: 'fargate',
  dependsOn: [],
  errors: ERRORS,
  immutable: ['roleName'],

  wanted: () => true,

  desired(spec) {
    return {
      roleName: names(spec.stack).executionRole,
      trustedServices: [ECS_TASKS_PRINCIPAL],
      managedPolicies: [EXECUTION_POLICY_NAME],
      inlinePolicy: createLogGroupPolicy(spec),
    };
  },

  async find(ctx) {
    const roleName = names(ctx.spec.stack).executionRole;
    const answer = await orUndefinedIfGone(
      () => ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName })),
      ERRORS,
    );
    const role = answer?.Role;
    if (!role?.RoleName) return undefined;
    const tags = Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key!, tag.Value ?? '']));
    // Someone else's role: reading its policies would tell us nothing we may act on.
    if (!isOwnedBy(tags, ctx.spec.stack)) return observe(role, tags, ctx.spec.stack, [], undefined);
    const [attached, inline] = await Promise.all([
      attachedPolicyArns(ctx.clients.iam, roleName),
      readInlinePolicy(ctx.clients.iam, roleName),
    ]);
    return observe(role, tags, ctx.spec.stack, attached, inline);
  },

  async create(ctx) {
    const roleName = names(ctx.spec.stack).executionRole;
    const answer = await ctx.clients.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy([ECS_TASKS_PRINCIPAL])),
        Description: `LambdaFlex ${ctx.spec.stack}: ECS task execution (image pull, logs)`,
        Tags: ownershipTagList(ctx.spec.stack, KEY),
      }),
    );
    if (!answer.Role?.RoleName) throw new Error(`CreateRole returned no role for ${KEY}`);
    // A crash after CreateRole leaves a role without policies: the next pass sees the drift and updates.
    await attachExecutionPolicy(ctx, roleName);
    await putInlinePolicy(ctx, roleName);
    return observe(
      answer.Role,
      { ...ownershipTags(ctx.spec.stack, KEY) },
      ctx.spec.stack,
      [executionPolicyArn(ctx.region)],
      createLogGroupPolicy(ctx.spec),
    );
  },

  async update(ctx, current, changes) {
    assertOwned(current, 'updating');
    const roleName = current.id;
    const changed = (path: string) => changes.some((change) => change.path.split('.')[0] === path);
    if (changed('trustedServices')) {
      await ctx.clients.iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: roleName,
          PolicyDocument: JSON.stringify(trustPolicy([ECS_TASKS_PRINCIPAL])),
        }),
      );
    }
    if (changed('managedPolicies')) {
      const wantedArn = executionPolicyArn(ctx.region);
      const attached = (current.extra as RoleExtra | undefined)?.attachedPolicyArns ?? [];
      for (const stray of attached.filter((arn) => arn !== wantedArn)) {
        await deleteIgnoringGone(
          () => ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: stray })),
          ERRORS,
        );
      }
      if (!attached.includes(wantedArn)) await attachExecutionPolicy(ctx, roleName);
    }
    if (changed('inlinePolicy')) await putInlinePolicy(ctx, roleName);
    return (await executionRoleKind.find(ctx)) ?? current;
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    const iam = ctx.clients.iam;
    const roleName = current.id;
    // IAM refuses to delete a role with policies (DeleteConflict): empty it first, each step idempotent.
    const attached = await orUndefinedIfGone(() => attachedPolicyArns(iam, roleName), ERRORS);
    if (attached === undefined) return;
    for (const arn of attached) {
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
