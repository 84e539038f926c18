import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { securityGroupResource } from '../../../../reconciler/resources/ec2/security-group';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

const alb = securityGroupResource('alb');
const tasks = securityGroupResource('tasks');
const vpc = observed('vpc', 'AWS::EC2::VPC', 'vpc-1');
const albGroup = observed('sg-alb', 'AWS::EC2::SecurityGroup', 'sg-alb1');
const refs = { vpc, 'sg-alb': albGroup };
const ctx = () => testContext({ refs });

const DEFAULT_EGRESS = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const HTTP = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const HTTPS = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const FROM_ALB = {
  IpProtocol: 'tcp',
  FromPort: 8080,
  ToPort: 8080,
  UserIdGroupPairs: [{ GroupId: 'sg-alb1' }],
};

function ownTags(component: string) {
  return [
    { Key: 'lambdaflex:stack', Value: 'orders-api' },
    { Key: 'lambdaflex:component', Value: component },
    { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
  ];
}

function group(key: string, id: string, attributes: Record<string, unknown>) {
  return observed(key, 'AWS::EC2::SecurityGroup', id, attributes);
}

describe('securityGroupResource', () => {
  it('makes the two groups, the tasks one after the ALB one', () => {
    expect(alb.key).toBe('sg-alb');
    expect(tasks.key).toBe('sg-tasks');
    expect(alb.dependsOn).toEqual(['vpc']);
    expect(tasks.dependsOn).toEqual(['vpc', 'sg-alb']);
    expect(securityGroupResource('alb')).toBe(alb);
    expect(alb.immutable).toEqual(['name', 'vpcId']);
  });

  describe('desired', () => {
    it('opens 80 and 443 to anywhere on the ALB group with a certificate (HTTPS listener), with the default egress', () => {
      expect(alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
        name: 'lf-orders-api-sg-alb',
        vpcId: 'vpc-1',
        ingress: ['tcp:443-443 cidr:0.0.0.0/0', 'tcp:80-80 cidr:0.0.0.0/0'],
        egress: ['all cidr:0.0.0.0/0'],
      });
    });

    it.each([
      ['without dns', undefined],
      ['with dns but no certificate', { hostedZoneId: 'Z1', recordName: 'api.example.com', ttlSeconds: 60 }],
    ])('opens only 80 on the ALB group %s: there is no HTTPS listener', (_name, dns) => {
      const spec = testSpec({ dns } as Partial<ReturnType<typeof testSpec>>);
      expect(alb.desiredAttributes(spec, refs, DEFAULT_INTENT).ingress).toEqual(['tcp:80-80 cidr:0.0.0.0/0']);
    });

    it('revokes 443 when the certificate goes', async () => {
      const current = group('sg-alb', 'sg-alb1', alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
      ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
      await alb.update!(testContext({ refs, spec: testSpec({ dns: undefined }) }), current, []);
      expect(ec2).toHaveReceivedCommandWith(RevokeSecurityGroupIngressCommand, {
        GroupId: 'sg-alb1',
        IpPermissions: [HTTPS],
      });
      expect(ec2).not.toHaveReceivedCommand(AuthorizeSecurityGroupIngressCommand);
    });

    it("opens only the spec's port, only from the ALB group, on the tasks group", () => {
      expect(tasks.desiredAttributes(testSpec({ port: 3000 }), refs, DEFAULT_INTENT)).toEqual({
        name: 'lf-orders-api-sg-tasks',
        vpcId: 'vpc-1',
        ingress: ['tcp:3000-3000 group:sg-alb1'],
        egress: ['all cidr:0.0.0.0/0'],
      });
    });

    it('leaves the tasks ingress undefined while the ALB group is unknown (no made-up id)', () => {
      expect(tasks.desiredAttributes(testSpec(), { vpc }, DEFAULT_INTENT).ingress).toBeUndefined();
      expect(alb.desiredAttributes(testSpec(), { vpc }, DEFAULT_INTENT).ingress).toHaveLength(2);
    });
  });

  describe('find', () => {
    it('filters by the stack and component tags and answers undefined when empty', async () => {
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
      expect(await tasks.find(ctx())).toBeUndefined();
      expect(ec2).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
        Filters: [
          { Name: 'tag:lambdaflex:stack', Values: ['orders-api'] },
          { Name: 'tag:lambdaflex:component', Values: ['sg-tasks'] },
        ],
      });
    });

    it('answers undefined on InvalidGroup.NotFound', async () => {
      ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound'));
      expect(await alb.find(ctx())).toBeUndefined();
    });

    it("normalises AWS's answer, default egress included, so an unchanged group equals desired", async () => {
      ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [
          {
            GroupId: 'sg-alb1',
            GroupName: 'lf-orders-api-sg-alb',
            VpcId: 'vpc-1',
            IpPermissions: [HTTPS, HTTP],
            IpPermissionsEgress: [DEFAULT_EGRESS],
            Tags: ownTags('sg-alb'),
          },
        ],
      });
      const found = await alb.find(ctx());
      expect(found).toMatchObject({ id: 'sg-alb1', type: 'AWS::EC2::SecurityGroup', ready: true });
      expect(found?.attributes).toEqual(alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
    });

    it('reports a tasks group without its ingress rule (crash after create) as not ready', async () => {
      ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [
          {
            GroupId: 'sg-t1',
            GroupName: 'lf-orders-api-sg-tasks',
            VpcId: 'vpc-1',
            IpPermissionsEgress: [DEFAULT_EGRESS],
            Tags: ownTags('sg-tasks'),
          },
        ],
      });
      const found = await tasks.find(ctx());
      expect(found).toMatchObject({ ready: false, attributes: { ingress: [] } });
    });
  });

  describe('find, name clash', () => {
    it('reports an untagged group with our name in the stack VPC as foreign, looked up by VPC and name', async () => {
      ec2
        .on(DescribeSecurityGroupsCommand)
        .resolvesOnce({ SecurityGroups: [] })
        .resolvesOnce({
          SecurityGroups: [
            { GroupId: 'sg-hand', GroupName: 'lf-orders-api-sg-alb', VpcId: 'vpc-1', Tags: [] },
          ],
        });
      const found = await alb.find(ctx());
      expect(ec2).toHaveReceivedNthCommandWith(2, DescribeSecurityGroupsCommand, {
        Filters: [
          { Name: 'vpc-id', Values: ['vpc-1'] },
          { Name: 'group-name', Values: ['lf-orders-api-sg-alb'] },
        ],
      });
      expect(found).toMatchObject({ id: 'sg-hand', foreign: true, ready: false });
    });

    it('makes no name look-up while the stack has no VPC (e.g. in the Lambda tier)', async () => {
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
      expect(await alb.find(testContext())).toBeUndefined();
      expect(ec2).toHaveReceivedCommandTimes(DescribeSecurityGroupsCommand, 1);
    });

    it('never updates or deletes a foreign group', async () => {
      const foreign = {
        ...group('sg-alb', 'sg-hand', { ingress: ['tcp:22-22 cidr:0.0.0.0/0'], egress: [] }),
        foreign: true,
      };
      await expect(alb.update!(ctx(), foreign, [])).rejects.toThrow('not tagged');
      await expect(alb.delete(ctx(), foreign)).rejects.toThrow('not tagged');
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('create', () => {
    it('creates the ALB group tagged at creation, then opens 80 and 443', async () => {
      ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-new' });
      ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
      const created = await alb.create(ctx());
      expect(ec2).toHaveReceivedCommandWith(CreateSecurityGroupCommand, {
        GroupName: 'lf-orders-api-sg-alb',
        VpcId: 'vpc-1',
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [...ownTags('sg-alb'), { Key: 'Name', Value: 'lf-orders-api-sg-alb' }],
          },
        ],
      });
      expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, {
        GroupId: 'sg-new',
        IpPermissions: [HTTPS, HTTP],
      });
      expect(ec2).not.toHaveReceivedCommand(AuthorizeSecurityGroupEgressCommand);
      expect(created.attributes).toEqual(alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
      expect(created.ready).toBe(true);
    });

    it("creates the tasks group and opens the spec's port from the ALB group only", async () => {
      ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-t1' });
      ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
      await tasks.create(ctx());
      expect(ec2).toHaveReceivedCommandWith(CreateSecurityGroupCommand, {
        GroupName: 'lf-orders-api-sg-tasks',
        VpcId: 'vpc-1',
      });
      expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, {
        GroupId: 'sg-t1',
        IpPermissions: [FROM_ALB],
      });
    });

    it('refuses to create the tasks group without the ALB group in refs', async () => {
      await expect(tasks.create(testContext({ refs: { vpc } }))).rejects.toThrow('sg-tasks needs sg-alb');
      expect(ec2).not.toHaveReceivedCommand(CreateSecurityGroupCommand);
    });

    it('leaves the rules to update when the new group is not visible yet', async () => {
      ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-t1' });
      ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('InvalidGroup.NotFound'));
      const created = await tasks.create(ctx());
      expect(created).toMatchObject({ id: 'sg-t1', ready: false, attributes: { ingress: [] } });
    });

    it.each([
      ['InvalidGroup.Duplicate', 'retryable'],
      ['InvalidVpcID.NotFound', 'retryable'],
      ['SecurityGroupLimitExceeded', 'terminal'],
    ])('lets %s through, classified %s', async (code, verdict) => {
      const error = awsError(code);
      ec2.on(CreateSecurityGroupCommand).rejects(error);
      await expect(alb.create(ctx())).rejects.toBe(error);
      expect(classify(error, alb.errors)).toBe(verdict);
    });
  });

  describe('update', () => {
    it('authorizes the new port before revoking the old one', async () => {
      ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
      ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
      const current = group('sg-tasks', 'sg-t1', {
        ...tasks.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
        ingress: ['tcp:3000-3000 group:sg-alb1'],
      });
      const updated = await tasks.update!(ctx(), current, []);
      expect(ec2).toHaveReceivedNthCommandWith(1, AuthorizeSecurityGroupIngressCommand, {
        GroupId: 'sg-t1',
        IpPermissions: [FROM_ALB],
      });
      expect(ec2).toHaveReceivedNthCommandWith(2, RevokeSecurityGroupIngressCommand, {
        GroupId: 'sg-t1',
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, UserIdGroupPairs: [{ GroupId: 'sg-alb1' }] },
        ],
      });
      expect(updated.attributes).toEqual(tasks.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
    });

    it('revokes a rule someone added by hand', async () => {
      ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
      const current = group('sg-alb', 'sg-alb1', {
        ...alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
        ingress: ['tcp:22-22 cidr:0.0.0.0/0', 'tcp:443-443 cidr:0.0.0.0/0', 'tcp:80-80 cidr:0.0.0.0/0'],
      });
      await alb.update!(ctx(), current, []);
      expect(ec2).not.toHaveReceivedCommand(AuthorizeSecurityGroupIngressCommand);
      expect(ec2).toHaveReceivedCommandWith(RevokeSecurityGroupIngressCommand, {
        GroupId: 'sg-alb1',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      });
    });

    it('restores the allow-all egress rule when it was removed', async () => {
      ec2.on(AuthorizeSecurityGroupEgressCommand).resolves({ Return: true });
      const current = group('sg-tasks', 'sg-t1', {
        ...tasks.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
        egress: [],
      });
      await tasks.update!(ctx(), current, []);
      expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupEgressCommand, {
        GroupId: 'sg-t1',
        IpPermissions: [DEFAULT_EGRESS],
      });
      expect(ec2).not.toHaveReceivedCommand(RevokeSecurityGroupEgressCommand);
    });

    it('makes no call when nothing drifted (the default egress rule is desired)', async () => {
      await alb.update!(
        ctx(),
        group('sg-alb', 'sg-alb1', alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)),
        [],
      );
      expect(ec2.calls()).toHaveLength(0);
    });

    it('takes a rule that is already gone as revoked (InvalidPermission.NotFound)', async () => {
      ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.NotFound'));
      const current = group('sg-alb', 'sg-alb1', {
        ...alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
        ingress: ['tcp:22-22 cidr:0.0.0.0/0', 'tcp:443-443 cidr:0.0.0.0/0', 'tcp:80-80 cidr:0.0.0.0/0'],
      });
      await expect(alb.update!(ctx(), current, [])).resolves.toMatchObject({ ready: true });
    });
  });

  describe('delete', () => {
    it('revokes the tasks group rule that references the ALB group, then deletes the group', async () => {
      ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
      ec2.on(DeleteSecurityGroupCommand).resolves({});
      await tasks.delete(
        ctx(),
        group('sg-tasks', 'sg-t1', tasks.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)),
      );
      expect(ec2).toHaveReceivedNthCommandWith(1, RevokeSecurityGroupIngressCommand, {
        GroupId: 'sg-t1',
        IpPermissions: [FROM_ALB],
      });
      expect(ec2).toHaveReceivedNthCommandWith(2, DeleteSecurityGroupCommand, { GroupId: 'sg-t1' });
    });

    it('deletes the ALB group directly: it references no group', async () => {
      ec2.on(DeleteSecurityGroupCommand).resolves({});
      await alb.delete(
        ctx(),
        group('sg-alb', 'sg-alb1', alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)),
      );
      expect(ec2).not.toHaveReceivedCommand(RevokeSecurityGroupIngressCommand);
      expect(ec2).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: 'sg-alb1' });
    });

    it('is idempotent: a gone group and gone rules count as done', async () => {
      ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('InvalidGroup.NotFound'));
      ec2.on(DeleteSecurityGroupCommand).rejects(awsError('InvalidGroup.NotFound'));
      await expect(
        tasks.delete(
          ctx(),
          group('sg-tasks', 'sg-t1', tasks.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)),
        ),
      ).resolves.toBeUndefined();
    });

    it.each(['DependencyViolation', 'InvalidGroup.InUse'])(
      'rethrows %s while ENIs linger, classified retryable',
      async (code) => {
        const error = awsError(code, 'resource sg-alb1 has a dependent object');
        ec2.on(DeleteSecurityGroupCommand).rejects(error);
        await expect(
          alb.delete(
            ctx(),
            group('sg-alb', 'sg-alb1', alb.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)),
          ),
        ).rejects.toBe(error);
        expect(classify(error, alb.errors)).toBe('retryable');
      },
    );
  });

  it.each([
    ['InvalidGroup.NotFound', 'notFound'],
    ['InvalidPermission.NotFound', 'notFound'],
    ['InvalidPermission.Duplicate', 'retryable'],
    ['RulesPerSecurityGroupLimitExceeded', 'terminal'],
    ['InvalidParameterValue', 'terminal'],
  ])('classifies %s as %s', (code, verdict) => {
    expect(classify(awsError(code), tasks.errors)).toBe(verdict);
  });
});
