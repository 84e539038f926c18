import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import {
  CreateUnconfirmedError,
  NotCreatedHereError,
} from '../../../../reconciler/resources/common/created-here';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { targetGroupResource } from '../../../../reconciler/resources/elbv2/target-group';
import { awsError, testContext, testSpec } from '../fixtures';
import { FOREIGN_TAG_LIST, OWN_TAG_LIST, TG_ARN, fargateRefs } from '../fargate-refs';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => elbv2.reset());

function targetGroup(overrides: Partial<TargetGroup> = {}): TargetGroup {
  return {
    TargetGroupArn: TG_ARN,
    TargetGroupName: 'lf-orders-api-tg',
    TargetType: 'ip',
    Protocol: 'HTTP',
    Port: 8080,
    VpcId: 'vpc-0abc',
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckPath: '/health',
    HealthCheckIntervalSeconds: 5,
    HealthCheckTimeoutSeconds: 4,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 2,
    Matcher: { HttpCode: '200' },
    LoadBalancerArns: [],
    ...overrides,
  };
}

function answerFind(group: TargetGroup, tags = OWN_TAG_LIST('tg'), delay = '30'): void {
  elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [group] });
  elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: TG_ARN, Tags: tags }] });
  elbv2.on(DescribeTargetGroupAttributesCommand).resolves({
    Attributes: [
      { Key: 'deregistration_delay.timeout_seconds', Value: delay },
      { Key: 'stickiness.enabled', Value: 'false' },
    ],
  });
}

const ctx = () => testContext({ refs: fargateRefs() });

describe('targetGroupResource', () => {
  describe('create', () => {
    it('creates an ip target group with the fast health check, tagged, then sets a 30 s deregistration delay', async () => {
      elbv2.on(CreateTargetGroupCommand).resolves({ TargetGroups: [targetGroup()] });
      const created = await targetGroupResource.create(ctx());
      expect(elbv2).toHaveReceivedCommandWith(CreateTargetGroupCommand, {
        Name: 'lf-orders-api-tg',
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-0abc',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 4,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
        Tags: OWN_TAG_LIST('tg'),
      });
      expect(elbv2).toHaveReceivedCommandWith(ModifyTargetGroupAttributesCommand, {
        TargetGroupArn: TG_ARN,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      });
      expect(created).toMatchObject({ id: TG_ARN, ready: true, foreign: false });
      expect(created?.extra?.arnSuffix).toBe('targetgroup/lf-orders-api-tg/73e2d6bc24d8a067');
    });

    it('refuses an answer that is someone else’s same-named group before changing any of its attributes', async () => {
      elbv2.on(CreateTargetGroupCommand).resolves({ TargetGroups: [targetGroup()] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: TG_ARN, Tags: OWN_TAG_LIST('tg') }] });
      await expect(
        targetGroupResource.create({ ...ctx(), nonce: 'n-1', answered: () => undefined }),
      ).rejects.toThrow(NotCreatedHereError);
      expect(elbv2).toHaveReceivedCommandWith(CreateTargetGroupCommand, {
        Tags: [...OWN_TAG_LIST('tg'), { Key: 'lambdaflex:nonce', Value: 'n-1' }],
      });
      expect(elbv2).not.toHaveReceivedCommand(ModifyTargetGroupAttributesCommand);
    });

    it('a tag read-back that fails after the create answered is unconfirmed: nothing changed, the create not refused', async () => {
      elbv2.on(CreateTargetGroupCommand).resolves({ TargetGroups: [targetGroup()] });
      // Throttled on the read's one attempt (the SDK's retry quota spent).
      const throttled = Object.assign(awsError('Throttling', 'Rate exceeded'), {
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
      elbv2.on(DescribeTagsCommand).rejects(throttled);
      const answered: string[] = [];
      await expect(
        targetGroupResource.create({ ...ctx(), nonce: 'n-1', answered: (id) => answered.push(id) }),
      ).rejects.toThrow(CreateUnconfirmedError);
      expect(answered).toEqual([]);
      expect(elbv2).not.toHaveReceivedCommand(ModifyTargetGroupAttributesCommand);
    });

    it('keeps the health check timeout below the interval, as ELBv2 requires', () => {
      const desired = targetGroupResource.desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT) as {
        healthCheck: { timeoutSeconds: number; intervalSeconds: number };
      };
      expect(desired.healthCheck.timeoutSeconds).toBeLessThan(desired.healthCheck.intervalSeconds);
    });
  });

  describe('find', () => {
    it('finds it by name, reads tags and the deregistration delay; an unchanged group has no drift', async () => {
      answerFind(targetGroup());
      const found = await targetGroupResource.find(ctx());
      expect(elbv2).toHaveReceivedCommandWith(DescribeTargetGroupsCommand, { Names: ['lf-orders-api-tg'] });
      expect(found).toMatchObject({ id: TG_ARN, foreign: false });
      expect(
        diffAttributes(
          targetGroupResource.desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
          found!.attributes,
        ),
      ).toEqual([]);
    });

    it('answers undefined on TargetGroupNotFound', async () => {
      elbv2.on(DescribeTargetGroupsCommand).rejects(awsError('TargetGroupNotFoundException'));
      await expect(targetGroupResource.find(ctx())).resolves.toBeUndefined();
    });

    it('reports a same-named group without our tags as foreign, without reading its attributes', async () => {
      answerFind(targetGroup(), FOREIGN_TAG_LIST);
      await expect(targetGroupResource.find(ctx())).resolves.toMatchObject({ foreign: true });
      expect(elbv2).not.toHaveReceivedCommand(DescribeTargetGroupAttributesCommand);
    });

    it('shows the default 300 s delay and a changed health path as drift', async () => {
      answerFind(targetGroup({ HealthCheckPath: '/' }), OWN_TAG_LIST('tg'), '300');
      const found = await targetGroupResource.find(ctx());
      const changes = diffAttributes(
        targetGroupResource.desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
        found!.attributes,
      );
      expect(changes.map((c) => c.path)).toEqual(['healthCheck.path', 'deregistrationDelaySeconds']);
    });
  });

  describe('update', () => {
    it('fixes the health check and the deregistration delay in place', async () => {
      answerFind(targetGroup({ HealthCheckPath: '/' }), OWN_TAG_LIST('tg'), '300');
      const current = (await targetGroupResource.find(ctx()))!;
      const changes = diffAttributes(
        targetGroupResource.desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
        current.attributes,
      );
      await targetGroupResource.update!(ctx(), current, changes);
      expect(elbv2).toHaveReceivedCommandWith(ModifyTargetGroupCommand, {
        TargetGroupArn: TG_ARN,
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 5,
        HealthyThresholdCount: 2,
      });
      expect(elbv2).toHaveReceivedCommandWith(ModifyTargetGroupAttributesCommand, {
        TargetGroupArn: TG_ARN,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      });
    });
  });

  describe('delete', () => {
    it('deletes by ARN; already gone is done', async () => {
      answerFind(targetGroup());
      const current = (await targetGroupResource.find(ctx()))!;
      elbv2.on(DeleteTargetGroupCommand).rejects(awsError('TargetGroupNotFoundException'));
      await expect(targetGroupResource.delete(ctx(), current)).resolves.toBeUndefined();
      expect(elbv2).toHaveReceivedCommandWith(DeleteTargetGroupCommand, { TargetGroupArn: TG_ARN });
    });

    it('lets ResourceInUse (a listener still forwards) through, to be retried', async () => {
      answerFind(targetGroup());
      const current = (await targetGroupResource.find(ctx()))!;
      elbv2.on(DeleteTargetGroupCommand).rejects(awsError('ResourceInUseException'));
      const error = await targetGroupResource.delete(ctx(), current).catch((e: unknown) => e);
      expect(classify(error, targetGroupResource.errors)).toBe('retryable');
    });
  });

  describe('errors', () => {
    it.each([
      ['TargetGroupNotFoundException', 'notFound'],
      ['ResourceInUseException', 'retryable'],
      ['DuplicateTargetGroupNameException', 'terminal'],
      ['TooManyTargetGroupsException', 'terminal'],
      ['ValidationError', 'terminal'],
    ])('%s is %s', (code, verdict) => {
      expect(classify(awsError(code), targetGroupResource.errors)).toBe(verdict);
    });
  });
});

describe('targetGroupResource.findById', () => {
  it('describes the group by its ARN alone, keeping the tags and deregistration delay it was seen with', async () => {
    answerFind(targetGroup());
    const seen = (await targetGroupResource.find(ctx()))!;
    elbv2.reset();
    elbv2
      .on(DescribeTargetGroupsCommand)
      .resolves({ TargetGroups: [targetGroup({ LoadBalancerArns: ['arn:alb'] })] });
    const found = await targetGroupResource.findById!(ctx(), seen);
    expect(elbv2).toHaveReceivedCommandTimes(DescribeTargetGroupsCommand, 1);
    expect(elbv2.commandCalls(DescribeTargetGroupsCommand)[0]!.args[0].input).toEqual({
      TargetGroupArns: [TG_ARN],
    });
    expect(elbv2).not.toHaveReceivedCommand(DescribeTagsCommand);
    expect(elbv2).not.toHaveReceivedCommand(DescribeTargetGroupAttributesCommand);
    expect(found).toEqual({ ...seen, extra: { ...seen.extra, loadBalancerArns: ['arn:alb'] } });
  });

  it('answers undefined when AWS has no group of that ARN (TargetGroupNotFound)', async () => {
    answerFind(targetGroup());
    const seen = (await targetGroupResource.find(ctx()))!;
    elbv2.reset();
    elbv2.on(DescribeTargetGroupsCommand).rejects(awsError('TargetGroupNotFound'));
    expect(await targetGroupResource.findById!(ctx(), seen)).toBeUndefined();
  });
});
