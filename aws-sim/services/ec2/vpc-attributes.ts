/**
 * The VPC's DNS attributes, which DescribeVpcs does not show: DescribeVpcAttribute and ModifyVpcAttribute
 * ("You can only modify one attribute at a time", ModifyVpcAttribute API reference).
 */
import type {
  DescribeVpcAttributeRequest,
  DescribeVpcAttributeResult,
  ModifyVpcAttributeRequest,
} from '@aws-sdk/client-ec2';
import { ec2Operation, type Ec2Context } from './context';
import { KINDS, requireRecord } from './kinds';

export const describeVpcAttribute = ec2Operation<DescribeVpcAttributeRequest, DescribeVpcAttributeResult>({
  mutating: false,
  required: ['VpcId', 'Attribute'],
  handle: (input, ctx: Ec2Context) => {
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    // A Describe call: a VPC younger than the consistency delay is not found yet.
    if (!ctx.account.isVisible(vpc.createdAt))
      ctx.fail(KINDS.vpc.notFoundCode, KINDS.vpc.notFoundMessage(vpc.id));
    switch (input.Attribute) {
      case 'enableDnsSupport':
        return { VpcId: vpc.id, EnableDnsSupport: { Value: vpc.enableDnsSupport } };
      case 'enableDnsHostnames':
        return { VpcId: vpc.id, EnableDnsHostnames: { Value: vpc.enableDnsHostnames } };
      case 'enableNetworkAddressUsageMetrics':
        return { VpcId: vpc.id, EnableNetworkAddressUsageMetrics: { Value: false } };
      default:
        ctx.fail('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid.`);
    }
  },
});

export const modifyVpcAttribute = ec2Operation<ModifyVpcAttributeRequest, Record<string, never>>({
  mutating: true,
  required: ['VpcId'],
  handle: (input, ctx: Ec2Context) => {
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    const given = [
      input.EnableDnsSupport,
      input.EnableDnsHostnames,
      input.EnableNetworkAddressUsageMetrics,
    ].filter((attribute) => attribute !== undefined);
    if (given.length !== 1) {
      ctx.fail(
        'InvalidParameterCombination',
        'Exactly one attribute must be modified per ModifyVpcAttribute call',
      );
    }
    if (input.EnableDnsSupport?.Value !== undefined) vpc.enableDnsSupport = input.EnableDnsSupport.Value;
    if (input.EnableDnsHostnames?.Value !== undefined)
      vpc.enableDnsHostnames = input.EnableDnsHostnames.Value;
    return {};
  },
});
