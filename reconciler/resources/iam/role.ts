/**
 * The mechanics every LambdaFlex IAM role shares (the stacks' Lambda and task execution roles, the
 * system's reconciler and scheduler roles): one service may assume it, managed policies are attached,
 * and no inline policy is ever written (inline ones found on a role being deleted go with it). Found by its
 * deterministic name (GetRole), it is ours only with the ownership tags; a role is ready as soon as
 * CreateRole answers.
 *
 * Stack roles carry the region in their name and live under `/lambdaflex/<region>/` (IAM names are
 * global, stacks regional), are created with the permissions boundary bootstrap installed, and carry
 * bootstrap's log-group policy where they need one (stack-policies.ts).
 *
 * Each role file is a thin definition over `roleResource`: its name, principal, policies and error codes.
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
  PutRolePermissionsBoundaryCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';
import { isOwnedBy, nonceTags, ownershipTagList, ownershipTags } from '../../../spec/names';
import type { DesiredState, Tier } from '../../../spec/types';
import { assertOwned, ForeignResourceError } from '../common/foreign-guard';
import { awsManagedPolicyArn, policyName, trustPolicy, trustedServices } from './policy-documents';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import { stackIamPolicies, type StackIamPolicies } from './stack-policies';
import type {
  AttributeChange,
  ErrorCodes,
  ResourceVerbs,
  ObservedResource,
  ResourceContext,
  ManagedResource,
  StackResource,
  StackSpec,
} from '../types';
import type { ResourceKey } from '../keys';

const TYPE = 'AWS::IAM::Role';

/** The IAM error codes of a role; a kind may add its own. */
export const ROLE_ERRORS: ErrorCodes = {
  notFound: ['NoSuchEntity'],
  // DeleteConflict: a policy was attached between our detach and the delete; EntityAlreadyExists: a pass
  // died between CreateRole and recording it, and the next find sees the role. RoleInUse: a role being
  // replaced is deleted only once its user has moved to the new one.
  retryable: ['DeleteConflict', 'EntityAlreadyExists', 'ConcurrentModification', 'RoleInUse'],
  terminal: [
    'MalformedPolicyDocument',
    'LimitExceeded',
    'InvalidInput',
    'UnmodifiableEntity',
    'AccessDenied',
  ],
};

export interface RoleKindOptions<S extends StackSpec = DesiredState> {
  key: string;
  /** A stack's role: the tier it belongs to (bootstrap's system roles have none). */
  tier?: Tier;
  dependsOn: string[];
  errors: ErrorCodes;
  /** The `lambdaflex:stack` the role is tagged with; the spec's stack when absent. */
  owner?: string;
  roleName(spec: S, region: string): string;
  /** The role's IAM path (default `/`). */
  path?(region: string): string;
  description(spec: S): string;
  /** The one AWS service that may assume the role (`lambda.amazonaws.com`). */
  trustedService: string;
  /** Names of AWS managed service-role policies to attach (`AWSLambdaBasicExecutionRole`). */
  managedPolicies: readonly string[];
  /**
   * Customer managed policies to attach: their names (compared) and, once known, their ARNs (from the
   * dependencies that made them). The system roles' only.
   */
  customerPolicies?: {
    names: readonly string[];
    arns(refs: ResourceContext<S>['refs']): string[] | undefined;
  };
  /**
   * A stack role: the boundary bootstrap installed, its log-group policy when `logs` is set, its
   * state-table policy (the stack's own item) when `table` is set.
   */
  stackRole?: { logs: boolean; table?: boolean };
}

interface RoleExtra {
  /** Attached managed policies by ARN, so that `update` can detach strays. */
  attachedPolicyArns: string[];
  permissionsBoundaryArn?: string;
}

/** Bootstrap's stack-role policies are compared as `stackPolicies`, not among `managedPolicies`. */
const isStackPolicy = (name: string) => name.startsWith('lambdaflex-stack-');

function tagRecord(role: Role): Record<string, string> {
  return Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

async function attachedPolicyArns(iam: IAMClient, roleName: string): Promise<string[]> {
  const answer = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (answer.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '').filter(Boolean);
}

/**
 * Whether a stack role carries what bootstrap installed for stack roles in its region: the boundary,
 * and the log-group and state-table policies it needs. What is not installed cannot be missing (a region
 * bootstrapped before a policy existed gets it on its next bootstrap, and its roles on the next pass).
 */
function stackPoliciesState(
  installed: StackIamPolicies,
  needs: { logs: boolean; table?: boolean },
  boundary: string | undefined,
  attached: string[],
): 'complete' | 'missing' {
  if (installed.boundaryArn && boundary !== installed.boundaryArn) return 'missing';
  return stackPolicyArns(installed, needs).every((arn) => attached.includes(arn)) ? 'complete' : 'missing';
}

/** Bootstrap's policies (beyond the boundary) the role needs, of those installed. */
function stackPolicyArns(installed: StackIamPolicies, needs: { logs: boolean; table?: boolean }): string[] {
  return [
    ...(needs.logs && installed.logsPolicyArn ? [installed.logsPolicyArn] : []),
    ...(needs.table && installed.tablePolicyArn ? [installed.tablePolicyArn] : []),
  ];
}

/**
 * A role resource kind with the same verbs as every other kind.
 *
 * @example
 * const kind = roleResource({ key: 'lambda-role', tier: 'lambda', dependsOn: [], errors: ROLE_ERRORS,
 *   roleName: (spec, region) => stackRoleName(spec.stack, 'lambda-role', region),
 *   description: (spec) => `LambdaFlex ${spec.stack}`, trustedService: 'lambda.amazonaws.com',
 *   managedPolicies: ['AWSLambdaBasicExecutionRole'], stackRole: { logs: false } });
 */
export function roleResource(options: RoleKindOptions & { tier: Tier }): StackResource;
export function roleResource<S extends StackSpec>(options: RoleKindOptions<S>): ManagedResource<S>;
export function roleResource<S extends StackSpec>(
  options: RoleKindOptions<S>,
): ResourceVerbs<S> & { tier?: Tier } {
  const { key, errors, stackRole } = options;
  const owner = (spec: S) => options.owner ?? spec.stack;
  const pathOf = (region: string) => options.path?.(region) ?? '/';
  const trustDocument = () => JSON.stringify(trustPolicy([options.trustedService]));
  const customerNames = options.customerPolicies?.names ?? [];

  /** Every managed policy ARN the role should carry now. */
  const wantedArns = (ctx: ResourceContext<S>, installed: StackIamPolicies): string[] => {
    const customer = options.customerPolicies?.arns(ctx.refs);
    if (options.customerPolicies && !customer) {
      throw new Error(`${key}: a dependency of its managed policies is not known yet`);
    }
    return [
      ...options.managedPolicies.map((name) => awsManagedPolicyArn(ctx.region, name)),
      ...(customer ?? []),
      ...(stackRole ? stackPolicyArns(installed, stackRole) : []),
    ];
  };

  const installedFor = (ctx: ResourceContext<S>): Promise<StackIamPolicies> =>
    stackRole ? stackIamPolicies(ctx.clients.iam, ctx.region, ctx.now()) : Promise.resolve({});

  const observe = (
    role: Role,
    tags: Record<string, string>,
    stack: string,
    attached: string[],
    installed: StackIamPolicies,
  ): ObservedResource<RoleExtra> => {
    const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
    const extra: RoleExtra = { attachedPolicyArns: attached, permissionsBoundaryArn: boundary };
    return {
      key,
      type: TYPE,
      id: role.RoleName!,
      arn: role.Arn,
      // The name is the id: a role made again under it has another RoleId (ownership, forgotten roles).
      ...(role.RoleId ? { uniqueId: role.RoleId } : {}),
      tags,
      attributes: {
        trustedServices: trustedServices(role.AssumeRolePolicyDocument),
        managedPolicies: attached
          .map(policyName)
          .filter((name) => !isStackPolicy(name))
          .sort(),
        ...(stackRole ? { stackPolicies: stackPoliciesState(installed, stackRole, boundary, attached) } : {}),
      },
      ready: true,
      foreign: !isOwnedBy(tags, stack),
      extra,
    };
  };

  const attachMissing = async (
    ctx: ResourceContext<S>,
    roleName: string,
    wanted: string[],
    present: string[],
  ) => {
    for (const arn of wanted) {
      if (!present.includes(arn)) {
        await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
      }
    }
  };

  const find = async (ctx: ResourceContext<S>): Promise<ObservedResource<RoleExtra> | undefined> => {
    const iam = ctx.clients.iam;
    const roleName = options.roleName(ctx.spec, ctx.region);
    const stack = owner(ctx.spec);
    const answer = await orUndefinedIfGone(
      () => iam.send(new GetRoleCommand({ RoleName: roleName })),
      errors,
    );
    const role = answer?.Role;
    if (!role?.RoleName) return undefined;
    const tags = tagRecord(role);
    // Someone else's role: its policies are none of our business.
    if (!isOwnedBy(tags, stack)) return observe(role, tags, stack, [], {});
    const [attached, installed] = await Promise.all([
      orUndefinedIfGone(() => attachedPolicyArns(iam, roleName), errors),
      installedFor(ctx),
    ]);
    if (attached === undefined) return undefined;
    return observe(role, tags, stack, attached, installed);
  };

  const create = async (ctx: ResourceContext<S>): Promise<ObservedResource<RoleExtra>> => {
    const roleName = options.roleName(ctx.spec, ctx.region);
    const stack = owner(ctx.spec);
    const installed = await installedFor(ctx);
    const wanted = wantedArns(ctx, installed);
    const answer = await ctx.clients.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        Path: pathOf(ctx.region),
        AssumeRolePolicyDocument: trustDocument(),
        Description: options.description(ctx.spec),
        Tags: [
          ...ownershipTagList(stack, key),
          ...Object.entries(nonceTags(ctx.nonce)).map(([Key, Value]) => ({ Key, Value })),
        ],
        ...(installed.boundaryArn ? { PermissionsBoundary: installed.boundaryArn } : {}),
      }),
    );
    if (!answer.Role?.RoleName) throw new Error(`CreateRole returned no role for ${key}`);
    ctx.answered?.(answer.Role.RoleName);
    // A crash from here on leaves a role without policies: the next pass sees the drift and updates.
    await attachMissing(ctx, roleName, wanted, []);
    const role = {
      ...answer.Role,
      ...(installed.boundaryArn
        ? {
            PermissionsBoundary: {
              PermissionsBoundaryArn: installed.boundaryArn,
              PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const,
            },
          }
        : {}),
    };
    return observe(role, { ...ownershipTags(stack, key), ...nonceTags(ctx.nonce) }, stack, wanted, installed);
  };

  const update = async (
    ctx: ResourceContext<S>,
    current: ObservedResource<RoleExtra>,
    changes: AttributeChange[],
  ): Promise<ObservedResource<RoleExtra>> => {
    assertOwned(current, 'updating');
    const iam = ctx.clients.iam;
    const roleName = current.id;
    const extra = current.extra;
    const changed = (path: string) => changes.some((change) => change.path.split('.')[0] === path);
    if (changed('trustedServices')) {
      await iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trustDocument() }),
      );
    }
    if (changed('managedPolicies') || changed('stackPolicies')) {
      const installed = await installedFor(ctx);
      if (installed.boundaryArn && extra?.permissionsBoundaryArn !== installed.boundaryArn) {
        await iam.send(
          new PutRolePermissionsBoundaryCommand({
            RoleName: roleName,
            PermissionsBoundary: installed.boundaryArn,
          }),
        );
      }
      const wanted = wantedArns(ctx, installed);
      const present = extra?.attachedPolicyArns ?? [];
      for (const stray of present.filter((arn) => !wanted.includes(arn))) {
        await deleteIgnoringGone(
          () => iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: stray })),
          errors,
        );
      }
      await attachMissing(ctx, roleName, wanted, present);
    }
    return (await find(ctx)) ?? current;
  };

  // Typed with the role's own `extra`, which its update reads (the policies attached, the boundary).
  const role: ResourceVerbs<S, RoleExtra> & { tier?: Tier } = {
    key,
    type: TYPE,
    service: 'iam',
    steadyCheck: 'untagged',
    creates: 'name',
    ...(options.tier === undefined ? {} : { tier: options.tier }),
    dependsOn: options.dependsOn,
    errors,
    neededBy: () => true,
    desiredAttributes: () => ({
      trustedServices: [options.trustedService],
      managedPolicies: [...options.managedPolicies, ...customerNames].sort(),
      ...(stackRole ? { stackPolicies: 'complete' } : {}),
    }),
    find,
    create,
    update,
    delete: (ctx, current) => deleteRole(ctx, current, errors),
  };
  return role;
}

/** Empties a role (IAM refuses to delete one with policies: DeleteConflict), then deletes it. Idempotent. */
async function deleteRole(
  ctx: ResourceContext<StackSpec>,
  current: ObservedResource,
  errors: ErrorCodes,
): Promise<void> {
  assertOwned(current, 'deleting');
  const iam = ctx.clients.iam;
  const roleName = current.id;
  const attached = await orUndefinedIfGone(() => attachedPolicyArns(iam, roleName), errors);
  if (attached === undefined) return;
  for (const arn of attached) {
    await deleteIgnoringGone(
      () => iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn })),
      errors,
    );
  }
  // Inline policies go too, ours or added by hand: either would block the delete.
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
}

export interface ReplacedRoleOptions {
  /** Key of the replaced kind (`lambda-role-global`). */
  key: ResourceKey;
  tier: Tier;
  /** The old name (`lf-<stack>-lambda-role`, path `/`). */
  roleName(spec: DesiredState): string;
}

/**
 * A stack role from before names carried the region (`lf-<stack>-lambda-role` at `/`): never wanted, found
 * by its old name so that status lists it, and never modified or deleted. It was shared by the stacks of
 * that name in every region of the account, and a region's reconciler cannot see the other regions'
 * functions and task definitions: deleting it once this region moved could take the role away from a
 * function elsewhere that has not moved yet (and IAM's RoleLastUsed says nothing of a function that has
 * not run lately). The normal reconcile moves this region's user to the regional role; the old role is
 * left in place, at no cost, for the operator to delete once every region runs the new names
 * (docs/security.md says how).
 */
export function replacedRoleResource(options: ReplacedRoleOptions): StackResource {
  const { key } = options;
  return {
    key,
    type: TYPE,
    service: 'iam',
    steadyCheck: 'untagged',
    tier: options.tier,
    dependsOn: [],
    errors: ROLE_ERRORS,
    neededBy: () => false,
    desiredAttributes: () => ({}),
    async find(ctx) {
      const roleName = options.roleName(ctx.spec);
      const answer = await orUndefinedIfGone(
        () => ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName })),
        ROLE_ERRORS,
      );
      const role = answer?.Role;
      if (!role?.RoleName) return undefined;
      return {
        key,
        type: TYPE,
        id: role.RoleName,
        arn: role.Arn,
        tags: tagRecord(role),
        attributes: {},
        ready: true,
        // Left alone like a resource that is not the stack's: the engine never plans a change to it.
        foreign: true,
        notReadyReason: `${role.RoleName} is the account-wide role of before; it may still serve this stack in another region, so it is left for you to delete`,
      };
    },
    async create() {
      throw new Error(`${key} is never created`);
    },
    async delete(_ctx, current) {
      throw new ForeignResourceError(current.key, current.id, 'deleting');
    },
  };
}
