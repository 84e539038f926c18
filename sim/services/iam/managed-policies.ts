/** Customer managed policies: CreatePolicy (`EntityAlreadyExists`), GetPolicy, DeletePolicy (`DeleteConflict` while attached). */
import type { Operation, OperationContext } from '../../core/service';
import { toKeyValueList } from '../../core/tags';
import type { OperationInput } from '../shared/input';
import type { IamState, ManagedPolicyRecord } from './state';
import { checkName, readPath, readPolicyDocument, readTags, uniqueId } from './validation';

type Ctx = OperationContext<IamState>;

function attachmentCount(state: IamState, arn: string): number {
  return Object.values(state.roles).filter((role) => role.attachedPolicyArns.includes(arn)).length;
}

function describePolicy(state: IamState, policy: ManagedPolicyRecord) {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: 'v1',
    AttachmentCount: attachmentCount(state, policy.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.createdAt),
    Tags: Object.keys(policy.tags).length ? toKeyValueList(policy.tags) : undefined,
  };
}

function policyOrFail(ctx: Ctx, arn: string): ManagedPolicyRecord {
  return (
    ctx.state.policies[arn] ?? ctx.fail('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`)
  );
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
    document: readPolicyDocument(ctx, input.PolicyDocument),
    createdAt: ctx.now,
    tags: readTags(ctx, input.Tags),
  };
  ctx.state.policies[arn] = policy;
  return { Policy: describePolicy(ctx.state, policy) };
}

export const managedPolicyOperations: Record<string, Operation<IamState>> = {
  CreatePolicy: { mutating: true, required: ['PolicyName', 'PolicyDocument'], handle: createPolicy },
  GetPolicy: {
    mutating: false,
    required: ['PolicyArn'],
    handle: (input, ctx) => ({ Policy: describePolicy(ctx.state, policyOrFail(ctx, input.PolicyArn)) }),
  },
  DeletePolicy: {
    mutating: true,
    required: ['PolicyArn'],
    handle: (input, ctx) => {
      const policy = policyOrFail(ctx, input.PolicyArn);
      if (attachmentCount(ctx.state, policy.arn) > 0)
        ctx.fail('DeleteConflict', 'Cannot delete a policy attached to entities.');
      delete ctx.state.policies[policy.arn];
    },
  },
};
