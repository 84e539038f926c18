/**
 * Customer managed policies, as IAM keeps them: CreatePolicy (`EntityAlreadyExists`), GetPolicy,
 * ListPolicies (Scope, PathPrefix, Marker/MaxItems), versions (at most five: CreatePolicyVersion
 * `LimitExceeded`; the default one cannot be deleted), DeletePolicy (`DeleteConflict` while attached,
 * while it is a role's permissions boundary, or while other versions remain).
 */
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { toKeyValueList } from '../../core/tags';
import type { OperationInput } from '../common/input';
import type { IamState, ManagedPolicyRecord, PolicyVersionRecord } from './state';
import {
  checkName,
  checkManagedPolicySize,
  readPath,
  readPolicyDocument,
  readTags,
  uniqueId,
} from './validation';

type Ctx = OperationContext<IamState>;

const MAX_VERSIONS = 5;

function attachmentCount(state: IamState, arn: string): number {
  return Object.values(state.roles).filter((role) => role.attachedPolicyArns.includes(arn)).length;
}

function boundaryCount(state: IamState, arn: string): number {
  return Object.values(state.roles).filter((role) => role.permissionsBoundaryArn === arn).length;
}

function describePolicy(state: IamState, policy: ManagedPolicyRecord, withTags = true) {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount(state, policy.arn),
    PermissionsBoundaryUsageCount: boundaryCount(state, policy.arn),
    IsAttachable: true,
    Description: policy.description,
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.updatedAt),
    Tags: withTags && Object.keys(policy.tags).length ? toKeyValueList(policy.tags) : undefined,
  };
}

export function policyOrFail(ctx: Ctx, arn: string): ManagedPolicyRecord {
  return (
    ctx.state.policies[arn] ?? ctx.fail('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`)
  );
}

function versionOrFail(ctx: Ctx, policy: ManagedPolicyRecord, id: string): PolicyVersionRecord {
  return (
    policy.versions.find((v) => v.id === id) ??
    ctx.fail('NoSuchEntity', `Policy ${policy.arn} version ${id} does not exist or is not attachable.`)
  );
}

function describeVersion(policy: ManagedPolicyRecord, version: PolicyVersionRecord, withDocument: boolean) {
  return {
    // IAM hands documents back URL-encoded (RFC 3986).
    ...(withDocument ? { Document: encodeURIComponent(version.document) } : {}),
    VersionId: version.id,
    IsDefaultVersion: version.id === policy.defaultVersionId,
    CreateDate: new Date(version.createdAt),
  };
}

function createPolicy(input: OperationInput, ctx: Ctx) {
  const name = String(input.PolicyName);
  checkName(ctx, 'policyName', name, 128);
  const path = readPath(ctx, input.Path);
  const arn = ctx.account.arn('iam', `policy${path}${name}`, { region: false });
  if (Object.values(ctx.state.policies).some((p) => p.name.toLowerCase() === name.toLowerCase())) {
    ctx.fail(
      'EntityAlreadyExists',
      `A policy called ${name} already exists. Duplicate names are not allowed.`,
    );
  }
  const policy: ManagedPolicyRecord = {
    name,
    id: uniqueId(ctx, 'ANPA'),
    arn,
    path,
    description: input.Description,
    versions: [
      {
        id: 'v1',
        document: checkManagedPolicySize(ctx, readPolicyDocument(ctx, input.PolicyDocument)),
        createdAt: ctx.now,
      },
    ],
    defaultVersionId: 'v1',
    nextVersion: 2,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    tags: readTags(ctx, input.Tags),
  };
  ctx.state.policies[arn] = policy;
  return { Policy: describePolicy(ctx.state, policy) };
}

function listPolicies(input: OperationInput, ctx: Ctx) {
  const scope = (input.Scope as string | undefined) ?? 'All';
  const prefix = (input.PathPrefix as string | undefined) ?? '/';
  // Only customer managed policies are kept; AWS managed ones exist implicitly and are never listed here.
  const policies =
    scope === 'AWS'
      ? []
      : Object.values(ctx.state.policies)
          .filter((p) => p.path.startsWith(prefix))
          .filter((p) => !input.OnlyAttached || attachmentCount(ctx.state, p.arn) > 0)
          .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(policies, input.Marker, input.MaxItems, 100);
  return {
    Policies: page.items.map((p) => describePolicy(ctx.state, p, false)),
    IsTruncated: page.nextToken !== undefined,
    Marker: page.nextToken,
  };
}

function createVersion(input: OperationInput, ctx: Ctx) {
  const policy = policyOrFail(ctx, input.PolicyArn);
  const document = checkManagedPolicySize(ctx, readPolicyDocument(ctx, input.PolicyDocument));
  if (policy.versions.length >= MAX_VERSIONS) {
    ctx.fail(
      'LimitExceeded',
      `A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
    );
  }
  const version: PolicyVersionRecord = { id: `v${policy.nextVersion}`, document, createdAt: ctx.now };
  policy.nextVersion += 1;
  policy.versions.push(version);
  if (input.SetAsDefault) policy.defaultVersionId = version.id;
  policy.updatedAt = ctx.now;
  return { PolicyVersion: describeVersion(policy, version, false) };
}

function deleteVersion(input: OperationInput, ctx: Ctx) {
  const policy = policyOrFail(ctx, input.PolicyArn);
  const version = versionOrFail(ctx, policy, input.VersionId);
  if (version.id === policy.defaultVersionId) {
    ctx.fail('DeleteConflict', 'Cannot delete the default version of a policy.');
  }
  policy.versions = policy.versions.filter((v) => v.id !== version.id);
}

function deletePolicy(input: OperationInput, ctx: Ctx) {
  const policy = policyOrFail(ctx, input.PolicyArn);
  if (attachmentCount(ctx.state, policy.arn) > 0) {
    ctx.fail('DeleteConflict', 'Cannot delete a policy attached to entities.');
  }
  if (boundaryCount(ctx.state, policy.arn) > 0) {
    ctx.fail('DeleteConflict', 'Cannot delete a policy that is the permissions boundary of entities.');
  }
  if (policy.versions.length > 1) {
    ctx.fail(
      'DeleteConflict',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  delete ctx.state.policies[policy.arn];
}

export const managedPolicyOperations: Record<string, Operation<IamState>> = {
  CreatePolicy: { mutating: true, required: ['PolicyName', 'PolicyDocument'], handle: createPolicy },
  GetPolicy: {
    mutating: false,
    required: ['PolicyArn'],
    handle: (input, ctx) => ({ Policy: describePolicy(ctx.state, policyOrFail(ctx, input.PolicyArn)) }),
  },
  ListPolicies: { mutating: false, handle: listPolicies },
  GetPolicyVersion: {
    mutating: false,
    required: ['PolicyArn', 'VersionId'],
    handle: (input, ctx) => {
      const policy = policyOrFail(ctx, input.PolicyArn);
      return { PolicyVersion: describeVersion(policy, versionOrFail(ctx, policy, input.VersionId), true) };
    },
  },
  ListPolicyVersions: {
    mutating: false,
    required: ['PolicyArn'],
    handle: (input, ctx) => {
      const policy = policyOrFail(ctx, input.PolicyArn);
      const page = paginate(policy.versions, input.Marker, input.MaxItems, 100);
      return {
        Versions: page.items.map((v) => describeVersion(policy, v, false)),
        IsTruncated: page.nextToken !== undefined,
        Marker: page.nextToken,
      };
    },
  },
  CreatePolicyVersion: { mutating: true, required: ['PolicyArn', 'PolicyDocument'], handle: createVersion },
  DeletePolicyVersion: { mutating: true, required: ['PolicyArn', 'VersionId'], handle: deleteVersion },
  DeletePolicy: { mutating: true, required: ['PolicyArn'], handle: deletePolicy },
};
