/**
 * Policies of a role: managed ones attached by ARN (AWS managed `arn:<partition>:iam::aws:policy/…` are
 * taken as existing; customer ones must exist), and inline ones by name. An ARN of another partition than
 * the account's (`arn:aws:` in China) is refused, as IAM does.
 */
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import type { OperationInput } from '../common/input';
import { roleOrFail } from './roles';
import type { IamState } from './state';
import { checkName, readPolicyDocument } from './validation';

type Ctx = OperationContext<IamState>;

const POLICY_ARN = /^arn:([^:]+):iam::(aws|\d{12}):policy\/(.+)$/;

/** The policy's name (last path segment), failing as IAM does for a malformed or unknown ARN. */
function attachablePolicyName(ctx: Ctx, arn: string): string {
  const match = POLICY_ARN.exec(arn ?? '');
  if (!match) ctx.fail('InvalidInput', `ARN ${arn} is not valid.`);
  if (match[1] !== ctx.account.partition)
    ctx.fail('InvalidInput', `Partition "${match[1]}" is not valid for resource "${arn}".`);
  if (match[2] !== 'aws' && !ctx.state.policies[arn]) {
    ctx.fail('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  }
  return match[3].slice(match[3].lastIndexOf('/') + 1);
}

function listAttached(input: OperationInput, ctx: Ctx) {
  const role = roleOrFail(ctx, input.RoleName);
  const prefix = (input.PathPrefix as string | undefined) ?? '/';
  const attached = role.attachedPolicyArns
    .filter((arn) => `/${arn.split(':policy/')[1]}`.startsWith(prefix))
    .map((arn) => ({ PolicyArn: arn, PolicyName: attachablePolicyName(ctx, arn) }));
  const page = paginate(attached, input.Marker, input.MaxItems, 100);
  return { AttachedPolicies: page.items, IsTruncated: page.nextToken !== undefined, Marker: page.nextToken };
}

export const rolePolicyOperations: Record<string, Operation<IamState>> = {
  AttachRolePolicy: {
    mutating: true,
    required: ['RoleName', 'PolicyArn'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      attachablePolicyName(ctx, input.PolicyArn);
      if (!role.attachedPolicyArns.includes(input.PolicyArn)) role.attachedPolicyArns.push(input.PolicyArn);
    },
  },
  DetachRolePolicy: {
    mutating: true,
    required: ['RoleName', 'PolicyArn'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      if (!role.attachedPolicyArns.includes(input.PolicyArn))
        ctx.fail('NoSuchEntity', `Policy ${input.PolicyArn} was not found.`);
      role.attachedPolicyArns = role.attachedPolicyArns.filter((arn) => arn !== input.PolicyArn);
    },
  },
  ListAttachedRolePolicies: { mutating: false, required: ['RoleName'], handle: listAttached },
  PutRolePolicy: {
    mutating: true,
    required: ['RoleName', 'PolicyName', 'PolicyDocument'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      checkName(ctx, 'policyName', input.PolicyName, 128);
      role.inlinePolicies[input.PolicyName] = readPolicyDocument(ctx, input.PolicyDocument);
    },
  },
  GetRolePolicy: {
    mutating: false,
    required: ['RoleName', 'PolicyName'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      const document = role.inlinePolicies[input.PolicyName];
      if (document === undefined)
        ctx.fail('NoSuchEntity', `The role policy with name ${input.PolicyName} cannot be found.`);
      return {
        RoleName: role.name,
        PolicyName: input.PolicyName,
        PolicyDocument: encodeURIComponent(document),
      };
    },
  },
  DeleteRolePolicy: {
    mutating: true,
    required: ['RoleName', 'PolicyName'],
    handle: (input, ctx) => {
      const role = roleOrFail(ctx, input.RoleName);
      if (role.inlinePolicies[input.PolicyName] === undefined) {
        ctx.fail('NoSuchEntity', `The role policy with name ${input.PolicyName} cannot be found.`);
      }
      delete role.inlinePolicies[input.PolicyName];
    },
  },
  ListRolePolicies: {
    mutating: false,
    required: ['RoleName'],
    handle: (input, ctx) => {
      const page = paginate(
        Object.keys(roleOrFail(ctx, input.RoleName).inlinePolicies),
        input.Marker,
        input.MaxItems,
        100,
      );
      return { PolicyNames: page.items, IsTruncated: page.nextToken !== undefined, Marker: page.nextToken };
    },
  },
};
