/**
 * AuthorizeSecurityGroupIngress/Egress, RevokeSecurityGroupIngress/Egress and DescribeSecurityGroupRules.
 * Each request is all or nothing: one bad or duplicate permission and nothing changes.
 */
import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  IpPermission,
  RevokedSecurityGroupRule,
  RevokeSecurityGroupIngressResult,
} from '@aws-sdk/client-ec2';
import type { Operation } from '../../core/service';
import type { TagMap } from '../../core/tags';
import { ec2Operation, type Ec2Context } from './context';
import { describeRecords, describeRequest, type DescribeSource } from './describe';
import { KINDS, requireRecord } from './kinds';
import {
  addRule,
  describeRuleForMessage,
  removeRule,
  ruleKey,
  rulesFromPermissions,
  securityGroupRuleOutput,
} from './security-group-rules';
import type { Ec2State, SecurityGroupRecord, SecurityGroupRuleRecord } from './state';
import { tagsFromSpecifications } from './tags';

/** Ingress and egress requests share these members (the top-level ones are the old single-rule form). */
type PermissionRequest = Pick<
  AuthorizeSecurityGroupIngressRequest,
  'GroupId' | 'IpPermissions' | 'CidrIp' | 'IpProtocol' | 'FromPort' | 'ToPort' | 'SourceSecurityGroupName'
> & {
  SecurityGroupRuleIds?: string[];
  TagSpecifications?: AuthorizeSecurityGroupEgressRequest['TagSpecifications'];
};

function permissionsOf(input: PermissionRequest): IpPermission[] {
  if (input.IpPermissions && input.IpPermissions.length > 0) return input.IpPermissions;
  if (
    input.IpProtocol === undefined &&
    input.CidrIp === undefined &&
    input.SourceSecurityGroupName === undefined
  )
    return [];
  return [
    {
      IpProtocol: input.IpProtocol ?? '-1',
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : undefined,
      UserIdGroupPairs: input.SourceSecurityGroupName
        ? [{ GroupName: input.SourceSecurityGroupName }]
        : undefined,
    },
  ];
}

function requireGroup(input: PermissionRequest, ctx: Ec2Context): SecurityGroupRecord {
  // GroupName alone addresses the default VPC, which this account does not have.
  if (input.GroupId === undefined)
    ctx.fail('MissingParameter', 'The request must contain the parameter groupId');
  return requireRecord(KINDS['security-group'], ctx.state.securityGroups, input.GroupId, ctx);
}

function authorize(isEgress: boolean): Operation<Ec2State> {
  return ec2Operation<PermissionRequest, AuthorizeSecurityGroupIngressResult>({
    mutating: true,
    handle: (input, ctx: Ec2Context) => {
      const group = requireGroup(input, ctx);
      const specs = rulesFromPermissions(permissionsOf(input), isEgress, group, ctx);
      const tags: TagMap = tagsFromSpecifications(input.TagSpecifications, 'security-group-rule', ctx);
      const existing = new Set(Object.values(group.rules).map(ruleKey));
      for (const spec of specs) {
        const key = ruleKey(spec);
        if (existing.has(key)) {
          ctx.fail(
            'InvalidPermission.Duplicate',
            `the specified rule "${describeRuleForMessage(spec)}" already exists`,
          );
        }
        existing.add(key);
      }
      const added = specs.map((spec) => addRule(ctx, group, spec, tags));
      return {
        Return: true,
        SecurityGroupRules: added.map((rule) => securityGroupRuleOutput(group, rule, ctx.account)),
      };
    },
  });
}

function revokedOutput(group: SecurityGroupRecord, rule: SecurityGroupRuleRecord): RevokedSecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.id,
    GroupId: group.id,
    IsEgress: rule.isEgress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    CidrIpv4: rule.cidrIpv4,
    CidrIpv6: rule.cidrIpv6,
    PrefixListId: rule.prefixListId,
    ReferencedGroupId: rule.referencedGroupId,
    Description: rule.description,
  };
}

/** "For a non-default VPC, if the values you specify do not match the existing rule's values, an InvalidPermission.NotFound client error is returned, and no rules are revoked." */
function revoke(isEgress: boolean): Operation<Ec2State> {
  return ec2Operation<PermissionRequest, RevokeSecurityGroupIngressResult>({
    mutating: true,
    handle: (input, ctx: Ec2Context) => {
      const group = requireGroup(input, ctx);
      const targets: SecurityGroupRuleRecord[] = [];
      if (input.SecurityGroupRuleIds && input.SecurityGroupRuleIds.length > 0) {
        for (const id of input.SecurityGroupRuleIds) {
          const rule = group.rules[id];
          if (!rule || rule.isEgress !== isEgress) {
            ctx.fail(
              KINDS['security-group-rule'].notFoundCode,
              KINDS['security-group-rule'].notFoundMessage(id),
            );
          }
          targets.push(rule);
        }
      } else {
        const byKey = new Map(Object.values(group.rules).map((rule) => [ruleKey(rule), rule]));
        for (const spec of rulesFromPermissions(permissionsOf(input), isEgress, group, ctx, true)) {
          const rule = byKey.get(ruleKey(spec));
          if (!rule)
            ctx.fail(
              'InvalidPermission.NotFound',
              'The specified rule does not exist in this security group.',
            );
          targets.push(rule);
        }
      }
      for (const rule of targets) removeRule(ctx, group, rule.id);
      return { Return: true, RevokedSecurityGroupRules: targets.map((rule) => revokedOutput(group, rule)) };
    },
  });
}

export const authorizeSecurityGroupIngress = authorize(false);
export const authorizeSecurityGroupEgress = authorize(true);
export const revokeSecurityGroupIngress = revoke(false);
export const revokeSecurityGroupEgress = revoke(true);

interface RuleView {
  rule: SecurityGroupRuleRecord;
  group: SecurityGroupRecord;
  createdAt: number;
  tags: TagMap;
}

/** Rules as records for the describe engine; a `group-id` filter without wildcards narrows the scan. */
function ruleViews(state: Ec2State, input: DescribeSecurityGroupRulesRequest): Record<string, RuleView> {
  const groupFilter = input.Filters?.find((f) => f.Name === 'group-id');
  const exactGroups = groupFilter?.Values?.every((v) => !/[*?]/.test(v)) ? groupFilter.Values : undefined;
  const groups = exactGroups
    ? exactGroups.flatMap((id) => (state.securityGroups[id] ? [state.securityGroups[id]] : []))
    : input.SecurityGroupRuleIds?.length
      ? input.SecurityGroupRuleIds.flatMap((id) => {
          const group = state.securityGroups[state.securityGroupRules[id] ?? ''];
          return group ? [group] : [];
        })
      : Object.values(state.securityGroups);
  const views: Record<string, RuleView> = {};
  for (const group of new Set(groups)) {
    for (const rule of Object.values(group.rules)) {
      views[rule.id] = { rule, group, createdAt: group.createdAt, tags: rule.tags };
    }
  }
  return views;
}

const RULE_SOURCE: DescribeSource<RuleView> = {
  kind: KINDS['security-group-rule'],
  filters: {
    'group-id': (view) => view.group.id,
    'security-group-rule-id': (view) => view.rule.id,
  },
};

export const describeSecurityGroupRules = ec2Operation<
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult
>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const page = describeRecords(
      describeRequest(input, input.SecurityGroupRuleIds, 'securityGroupRuleIds'),
      ruleViews(ctx.state, input),
      RULE_SOURCE,
      ctx,
    );
    return {
      SecurityGroupRules: page.items.map((view) =>
        securityGroupRuleOutput(view.group, view.rule, ctx.account),
      ),
      NextToken: page.nextToken,
    };
  },
});
