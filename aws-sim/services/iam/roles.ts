/**
 * IAM roles: CreateRole (`EntityAlreadyExists`), GetRole (`NoSuchEntity`), DeleteRole (`DeleteConflict`
 * while managed or inline policies remain), ListRoles (PathPrefix, Marker/MaxItems), tags. As in IAM,
 * policy documents come back URL-encoded (RFC 3986).
 */
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { toKeyValueList } from '../../core/tags';
import type { OperationInput } from '../common/input';
import type { IamState, RoleRecord } from './state';
import { checkName, readPath, readPolicyDocument, readTags, uniqueId } from './validation';

type Ctx = OperationContext<IamState>;

export function roleOrFail(ctx: Ctx, name: string): RoleRecord {
  return (
    ctx.state.roles[String(name).toLowerCase()] ??
    ctx.fail('NoSuchEntity', `The role with name ${name} cannot be found.`)
  );
}

function describeRole(role: RoleRecord, withTags: boolean) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: role.permissionsBoundaryArn
      ? {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: role.permissionsBoundaryArn,
        }
      : undefined,
    Tags: withTags && Object.keys(role.tags).length ? toKeyValueList(role.tags) : undefined,
  };
}

function createRole(input: OperationInput, ctx: Ctx) {
  const name = String(input.RoleName);
  checkName(ctx, 'roleName', name, 64);
  const path = readPath(ctx, input.Path);
  const document = readPolicyDocument(ctx, input.AssumeRolePolicyDocument);
  const maxSessionDuration = input.MaxSessionDuration ?? 3600;
  if (!(maxSessionDuration >= 3600 && maxSessionDuration <= 43200)) {
    ctx.fail('ValidationError', 'MaxSessionDuration must be between 3600 and 43200 seconds');
  }
  if (ctx.state.roles[name.toLowerCase()])
    ctx.fail('EntityAlreadyExists', `Role with name ${name} already exists.`);
  const boundary =
    input.PermissionsBoundary === undefined ? undefined : boundaryPolicy(ctx, input.PermissionsBoundary);
  const role: RoleRecord = {
    name,
    id: uniqueId(ctx, 'AROA'),
    arn: ctx.account.arn('iam', `role${path}${name}`, { region: false }),
    path,
    createdAt: ctx.now,
    assumeRolePolicyDocument: document,
    description: input.Description,
    maxSessionDuration,
    attachedPolicyArns: [],
    inlinePolicies: {},
    ...(boundary ? { permissionsBoundaryArn: boundary } : {}),
    tags: readTags(ctx, input.Tags),
  };
  ctx.state.roles[name.toLowerCase()] = role;
  return { Role: describeRole(role, true) };
}

/** A permissions boundary must be an existing managed policy (AWS managed ones are taken as existing). */
function boundaryPolicy(ctx: Ctx, arn: unknown): string {
  const value = String(arn);
  if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(value)) {
    ctx.fail('InvalidInput', `ARN ${value} is not valid.`);
  }
  if (!value.includes(':iam::aws:') && !ctx.state.policies[value]) {
    ctx.fail('NoSuchEntity', `Scope ARN: ${value} does not exist or is not attachable.`);
  }
  return value;
}

function deleteRole(input: OperationInput, ctx: Ctx) {
  const role = roleOrFail(ctx, input.RoleName);
  if (role.attachedPolicyArns.length > 0) {
    ctx.fail('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  }
  if (Object.keys(role.inlinePolicies).length > 0) {
    ctx.fail('DeleteConflict', 'Cannot delete entity, must delete policies first.');
  }
  delete ctx.state.roles[role.name.toLowerCase()];
}

function listRoles(input: OperationInput, ctx: Ctx) {
  const prefix = (input.PathPrefix as string | undefined) ?? '/';
  const roles = Object.values(ctx.state.roles).filter((role) => role.path.startsWith(prefix));
  const page = paginate(roles, input.Marker, input.MaxItems, 100);
  return {
    Roles: page.items.map((role) => describeRole(role, false)),
    IsTruncated: page.nextToken !== undefined,
    Marker: page.nextToken,
  };
}

export const roleOperations: Record<string, Operation<IamState>> = {
  CreateRole: { mutating: true, required: ['RoleName', 'AssumeRolePolicyDocument'], handle: createRole },
  GetRole: {
    mutating: false,
    required: ['RoleName'],
    handle: (input, ctx) => ({
      Role: { ...describeRole(roleOrFail(ctx, input.RoleName), true), RoleLastUsed: {} },
    }),
  },
  DeleteRole: { mutating: true, required: ['RoleName'], handle: deleteRole },
  ListRoles: { mutating: false, handle: listRoles },
  TagRole: {
    mutating: true,
    required: ['RoleName', 'Tags'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      const merged = { ...role.tags, ...readTags(ctx, input.Tags) };
      if (Object.keys(merged).length > 50)
        ctx.fail('LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50');
      role.tags = merged;
    },
  },
  UntagRole: {
    mutating: true,
    required: ['RoleName', 'TagKeys'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      for (const key of input.TagKeys as string[]) delete role.tags[key];
    },
  },
  ListRoleTags: {
    mutating: false,
    required: ['RoleName'],
    handle: (input, ctx) => {
      const page = paginate(
        toKeyValueList(roleOrFail(ctx, input.RoleName).tags),
        input.Marker,
        input.MaxItems,
        100,
      );
      return { Tags: page.items, IsTruncated: page.nextToken !== undefined, Marker: page.nextToken };
    },
  },
  PutRolePermissionsBoundary: {
    mutating: true,
    required: ['RoleName', 'PermissionsBoundary'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      role.permissionsBoundaryArn = boundaryPolicy(ctx, input.PermissionsBoundary);
    },
  },
  DeleteRolePermissionsBoundary: {
    mutating: true,
    required: ['RoleName'],
    handle: (input, ctx) => {
      delete roleOrFail(ctx, input.RoleName).permissionsBoundaryArn;
    },
  },
  UpdateAssumeRolePolicy: {
    mutating: true,
    required: ['RoleName', 'PolicyDocument'],
    handle: (input, ctx) => {
      roleOrFail(ctx, input.RoleName).assumeRolePolicyDocument = readPolicyDocument(
        ctx,
        input.PolicyDocument,
      );
    },
  },
};
