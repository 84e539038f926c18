import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  SetSubnetsCommand,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import {
  CreateUnconfirmedError,
  NotCreatedHereError,
} from '../../../../reconciler/resources/common/created-here';
import {
  ALB_USUAL_PROVISIONING_MS,
  loadBalancerResource,
} from '../../../../reconciler/resources/elbv2/load-balancer';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { OwnershipLedger } from '../../../../reconciler/engine/ownership';
import { awsError, testContext, testSpec } from '../fixtures';
import { ALB_ARN, CREATE_ALB_INPUT, FOREIGN_TAG_LIST, OWN_TAG_LIST, fargateRefs } from '../fargate-refs';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => elbv2.reset());

function loadBalancer(state = 'active'): LoadBalancer {
  return {
    LoadBalancerArn: ALB_ARN,
    LoadBalancerName: 'lf-orders-api-alb',
    DNSName: 'lf-orders-api-alb-1234.us-east-1.elb.amazonaws.com',
    CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    Scheme: 'internet-facing',
    Type: 'application',
    IpAddressType: 'ipv4',
    VpcId: 'vpc-0abc',
    State: { Code: state as 'active' },
    AvailabilityZones: [
      { ZoneName: 'us-east-1b', SubnetId: 'subnet-0bbb' },
      { ZoneName: 'us-east-1a', SubnetId: 'subnet-0aaa' },
    ],
    SecurityGroups: ['sg-0alb'],
  };
}

const DROP_INVALID_HEADERS = 'routing.http.drop_invalid_header_fields.enabled';

function answerFind(state: string, tags = OWN_TAG_LIST('alb'), dropInvalidHeaders = 'true'): void {
  elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [loadBalancer(state)] });
  elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: ALB_ARN, Tags: tags }] });
  elbv2.on(DescribeLoadBalancerAttributesCommand).resolves({
    Attributes: [
      { Key: 'idle_timeout.timeout_seconds', Value: '60' },
      { Key: DROP_INVALID_HEADERS, Value: dropInvalidHeaders },
    ],
  });
}

const ctx = () => testContext({ refs: fargateRefs() });

describe('loadBalancerResource', () => {
  it('depends on both subnets, the ALB group and the route table (no IGW route, no active ALB)', () => {
    expect(loadBalancerResource.dependsOn).toEqual(['subnet-a', 'subnet-b', 'sg-alb', 'route-table']);
    expect(loadBalancerResource.key).toBe('alb');
  });

  describe('create', () => {
    it('creates an internet-facing application ALB, named and tagged at creation', async () => {
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('provisioning')] });
      const created = await loadBalancerResource.create(ctx());
      expect(elbv2).toHaveReceivedCommandWith(CreateLoadBalancerCommand, CREATE_ALB_INPUT);
      expect(created.foreign).toBe(false);
      expect(created.ready).toBe(false);
      expect(created.notReadyReason).toBe('ALB provisioning');
    });

    it('then has it drop header fields whose names are not valid (a second call: the create takes no attributes)', async () => {
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('provisioning')] });
      const created = await loadBalancerResource.create(ctx());
      expect(elbv2.calls().map((call) => call.args[0].constructor.name)).toEqual([
        'CreateLoadBalancerCommand',
        'ModifyLoadBalancerAttributesCommand',
      ]);
      expect(elbv2).toHaveReceivedCommandWith(ModifyLoadBalancerAttributesCommand, {
        LoadBalancerArn: ALB_ARN,
        Attributes: [{ Key: DROP_INVALID_HEADERS, Value: 'true' }],
      });
      expect(created.attributes.dropInvalidHeaderFields).toBe(true);
    });

    it('sets no attribute on an answer that is not the stack’s', async () => {
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('active')] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: ALB_ARN, Tags: OWN_TAG_LIST('alb') }] });
      await expect(loadBalancerResource.create({ ...ctx(), nonce: 'n-1' })).rejects.toThrow(
        NotCreatedHereError,
      );
      expect(elbv2).not.toHaveReceivedCommand(ModifyLoadBalancerAttributesCommand);
    });

    it('under a journaled nonce, tags it and proves the answer carries it before taking it', async () => {
      const nonce = { Key: 'lambdaflex:nonce', Value: 'n-1' };
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('provisioning')] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: ALB_ARN, Tags: [...OWN_TAG_LIST('alb'), nonce] }] });
      const created = await loadBalancerResource.create({ ...ctx(), nonce: 'n-1' });
      expect(elbv2).toHaveReceivedCommandWith(CreateLoadBalancerCommand, {
        Tags: [...OWN_TAG_LIST('alb'), nonce],
      });
      expect(elbv2).toHaveReceivedCommandWith(DescribeTagsCommand, { ResourceArns: [ALB_ARN] });
      expect(created.tags['lambdaflex:nonce']).toBe('n-1');
    });

    it('takes an answer carrying the nonce of an earlier create the stack journaled (its answer lost)', async () => {
      const earlier = { Key: 'lambdaflex:nonce', Value: 'n-0' };
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('provisioning')] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: ALB_ARN, Tags: [...OWN_TAG_LIST('alb'), earlier] }] });
      const ownership = {
        isRecorded: (_key: string, _id: string, tags: Readonly<Record<string, string>>) =>
          tags['lambdaflex:nonce'] === 'n-0',
        recorded: () => undefined,
        awaits: () => true,
      };
      // Recorded under the nonce it carries.
      const created = await loadBalancerResource.create({ ...ctx(), nonce: 'n-1', ownership });
      expect(created).toMatchObject({ id: ALB_ARN, tags: { 'lambdaflex:nonce': 'n-0' } });
      // Without that record, the same answer is someone else's.
      await expect(loadBalancerResource.create({ ...ctx(), nonce: 'n-1' })).rejects.toThrow(
        NotCreatedHereError,
      );
    });

    it('takes back the ALB the stack forgot (missed past its window) by its ARN and nonce; the nonce under another ARN is a copy', async () => {
      const forgotten = { Key: 'lambdaflex:nonce', Value: 'n-0' };
      const ledger = new OwnershipLedger(
        { owned: {}, intents: {}, forgotten: { alb: [{ id: ALB_ARN, nonce: 'n-0', at: 1 }] } },
        () => 2,
      );
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('active')] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: ALB_ARN, Tags: [...OWN_TAG_LIST('alb'), forgotten] }] });
      const created = await loadBalancerResource.create({ ...ctx(), nonce: 'n-1', ownership: ledger });
      expect(elbv2).toHaveReceivedCommandWith(CreateLoadBalancerCommand, {
        Name: 'lf-orders-api-alb',
        Tags: [...OWN_TAG_LIST('alb'), { Key: 'lambdaflex:nonce', Value: 'n-1' }],
      });
      expect(elbv2).toHaveReceivedCommandWith(DescribeTagsCommand, { ResourceArns: [ALB_ARN] });
      expect(created).toMatchObject({ id: ALB_ARN, tags: { 'lambdaflex:nonce': 'n-0' } });

      // Someone's ALB made under the name since, every tag copied: another ARN, so not the stack's.
      const copyArn = ALB_ARN.replace(/[0-9a-f]{4}$/, 'ffff');
      expect(copyArn).not.toBe(ALB_ARN);
      elbv2.reset();
      elbv2
        .on(CreateLoadBalancerCommand)
        .resolves({ LoadBalancers: [{ ...loadBalancer('active'), LoadBalancerArn: copyArn }] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: copyArn, Tags: [...OWN_TAG_LIST('alb'), forgotten] }] });
      await expect(
        loadBalancerResource.create({ ...ctx(), nonce: 'n-1', ownership: ledger }),
      ).rejects.toThrow(NotCreatedHereError);
    });

    it('refuses an answer that is someone else’s same-named ALB (CreateLoadBalancer is idempotent by name)', async () => {
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('active')] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: ALB_ARN, Tags: OWN_TAG_LIST('alb') }] });
      await expect(loadBalancerResource.create({ ...ctx(), nonce: 'n-1' })).rejects.toThrow(
        NotCreatedHereError,
      );
      // Tags not visible yet: not known either way.
      elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [] });
      await expect(loadBalancerResource.create({ ...ctx(), nonce: 'n-1' })).rejects.toThrow(
        CreateUnconfirmedError,
      );
    });

    it('a tag read-back that fails after the create answered is unconfirmed, not the create refused', async () => {
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('provisioning')] });
      // Throttled, the SDK's retries spent (its retry quota empty): a 400 on the read's one attempt, which
      // passed for the create's own refusal and dropped its intent while the ALB carried its nonce.
      const throttled = Object.assign(awsError('Throttling', 'Rate exceeded'), {
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
      elbv2.on(DescribeTagsCommand).rejects(throttled);
      const error = await loadBalancerResource.create({ ...ctx(), nonce: 'n-1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CreateUnconfirmedError);
      expect((error as Error).message).toContain('Rate exceeded');
      expect(elbv2).toHaveReceivedCommandWith(DescribeTagsCommand, { ResourceArns: [ALB_ARN] });
    });

    it('cuts a long stack name to 32 characters', async () => {
      const stack = 'a-rather-long-stack-name-for-an-alb';
      elbv2.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [loadBalancer('provisioning')] });
      await loadBalancerResource.create(testContext({ spec: testSpec({ stack }), refs: fargateRefs() }));
      const name = elbv2.commandCalls(CreateLoadBalancerCommand)[0].args[0].input.Name!;
      expect(name.length).toBeLessThanOrEqual(32);
      expect(name).toMatch(/^lf-a-rather-long-stack-na-[0-9a-f]{6}$/);
    });
  });

  describe('find', () => {
    it('looks it up by name and reports it active, with DNS name, zone and ARN suffix', async () => {
      answerFind('active');
      const found = await loadBalancerResource.find(ctx());
      expect(elbv2).toHaveReceivedCommandWith(DescribeLoadBalancersCommand, { Names: ['lf-orders-api-alb'] });
      expect(elbv2).toHaveReceivedCommandWith(DescribeTagsCommand, { ResourceArns: [ALB_ARN] });
      expect(found).toMatchObject({
        id: ALB_ARN,
        arn: ALB_ARN,
        state: 'active',
        ready: true,
        foreign: false,
      });
      expect(found?.extra).toEqual({
        dnsName: 'lf-orders-api-alb-1234.us-east-1.elb.amazonaws.com',
        canonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
        arnSuffix: 'app/lf-orders-api-alb/50dc6c495c0c9188',
        vpcId: 'vpc-0abc',
      });
    });

    it('is not ready while provisioning', async () => {
      answerFind('provisioning');
      const found = await loadBalancerResource.find(ctx());
      expect(found).toMatchObject({ ready: false, notReadyReason: 'ALB provisioning' });
    });

    it('expects a provisioning ALB to be active three minutes after its creation, an active one nothing', async () => {
      const created = new Date('2026-05-01T10:00:00Z');
      elbv2
        .on(DescribeLoadBalancersCommand)
        .resolves({ LoadBalancers: [{ ...loadBalancer('provisioning'), CreatedTime: created }] });
      elbv2
        .on(DescribeTagsCommand)
        .resolves({ TagDescriptions: [{ ResourceArn: ALB_ARN, Tags: OWN_TAG_LIST('alb') }] });
      elbv2.on(DescribeLoadBalancerAttributesCommand).resolves({ Attributes: [] });
      const provisioning = await loadBalancerResource.find(ctx());
      expect(provisioning?.readyExpectedAt).toBe(created.getTime() + ALB_USUAL_PROVISIONING_MS);
      expect(ALB_USUAL_PROVISIONING_MS).toBe(180_000);
      elbv2
        .on(DescribeLoadBalancersCommand)
        .resolves({ LoadBalancers: [{ ...loadBalancer('active'), CreatedTime: created }] });
      expect((await loadBalancerResource.find(ctx()))?.readyExpectedAt).toBeUndefined();
    });

    it('answers undefined on LoadBalancerNotFound', async () => {
      elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFoundException'));
      await expect(loadBalancerResource.find(ctx())).resolves.toBeUndefined();
      expect(elbv2).not.toHaveReceivedCommand(DescribeTagsCommand);
    });

    it('reports a same-named ALB without our tags as foreign, and reads none of its attributes', async () => {
      answerFind('active', FOREIGN_TAG_LIST);
      await expect(loadBalancerResource.find(ctx())).resolves.toMatchObject({ foreign: true });
      expect(elbv2).not.toHaveReceivedCommand(DescribeLoadBalancerAttributesCommand);
    });

    it('reads whether the stack’s ALB drops invalid header fields, and an ALB that forwards them drifts', async () => {
      answerFind('active', OWN_TAG_LIST('alb'), 'false');
      const found = (await loadBalancerResource.find(ctx()))!;
      expect(elbv2).toHaveReceivedCommandWith(DescribeLoadBalancerAttributesCommand, {
        LoadBalancerArn: ALB_ARN,
      });
      expect(found.attributes.dropInvalidHeaderFields).toBe(false);
      const changes = diffAttributes(
        loadBalancerResource.desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
        found.attributes,
      );
      expect(changes.map((change) => change.path)).toEqual(['dropInvalidHeaderFields']);
    });

    it('finds no drift on an unchanged ALB (subnets in any order)', async () => {
      answerFind('active');
      const found = await loadBalancerResource.find(ctx());
      expect(
        diffAttributes(
          loadBalancerResource.desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
          found!.attributes,
        ),
      ).toEqual([]);
    });
  });

  describe('update', () => {
    it('moves the ALB to the wanted subnets', async () => {
      answerFind('active');
      const current = (await loadBalancerResource.find(ctx()))!;
      await loadBalancerResource.update!(ctx(), current, [{ path: 'subnets', from: [], to: [] }]);
      expect(elbv2).toHaveReceivedCommandWith(SetSubnetsCommand, {
        LoadBalancerArn: ALB_ARN,
        Subnets: ['subnet-0bbb', 'subnet-0aaa'],
      });
      expect(elbv2).not.toHaveReceivedCommand(ModifyLoadBalancerAttributesCommand);
    });

    it('has an ALB that forwards invalid header fields drop them, and touches nothing else', async () => {
      answerFind('active', OWN_TAG_LIST('alb'), 'false');
      const current = (await loadBalancerResource.find(ctx()))!;
      await loadBalancerResource.update!(ctx(), current, [
        { path: 'dropInvalidHeaderFields', from: false, to: true },
      ]);
      expect(elbv2).toHaveReceivedCommandTimes(ModifyLoadBalancerAttributesCommand, 1);
      expect(elbv2).toHaveReceivedCommandWith(ModifyLoadBalancerAttributesCommand, {
        LoadBalancerArn: ALB_ARN,
        Attributes: [{ Key: DROP_INVALID_HEADERS, Value: 'true' }],
      });
      expect(elbv2).not.toHaveReceivedCommand(SetSubnetsCommand);
    });
  });

  describe('delete', () => {
    it('deletes by ARN, and an ALB already gone counts as deleted', async () => {
      answerFind('active');
      const current = (await loadBalancerResource.find(ctx()))!;
      elbv2.on(DeleteLoadBalancerCommand).rejects(awsError('LoadBalancerNotFoundException'));
      await expect(loadBalancerResource.delete(ctx(), current)).resolves.toBeUndefined();
      expect(elbv2).toHaveReceivedCommandWith(DeleteLoadBalancerCommand, { LoadBalancerArn: ALB_ARN });
    });

    it('refuses to touch a foreign ALB', async () => {
      answerFind('active', FOREIGN_TAG_LIST);
      const current = (await loadBalancerResource.find(ctx()))!;
      await expect(loadBalancerResource.delete(ctx(), current)).rejects.toThrow(/not tagged/);
      expect(elbv2).not.toHaveReceivedCommand(DeleteLoadBalancerCommand);
    });
  });

  describe('errors', () => {
    it.each([
      ['LoadBalancerNotFoundException', 'notFound'],
      ['DuplicateLoadBalancerNameException', 'terminal'],
      ['TooManyLoadBalancersException', 'terminal'],
      ['OperationNotPermittedException', 'terminal'],
      ['ValidationError', 'terminal'],
      ['AccessDenied', 'terminal'],
      ['SubnetNotFoundException', 'retryable'],
      ['ResourceInUseException', 'retryable'],
      ['Throttling', 'retryable'],
    ])('%s is %s', (code, verdict) => {
      expect(classify(awsError(code), loadBalancerResource.errors)).toBe(verdict);
    });
  });
});

describe('loadBalancerResource.findById', () => {
  it('describes the ALB by its ARN alone: its state as AWS answers, its tags as seen', async () => {
    answerFind('active');
    const seen = (await loadBalancerResource.find(ctx()))!;
    elbv2.reset();
    elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [loadBalancer('failed')] });
    const found = (await loadBalancerResource.findById!(ctx(), seen))!;
    expect(elbv2.commandCalls(DescribeLoadBalancersCommand).map((c) => c.args[0].input)).toEqual([
      { LoadBalancerArns: [ALB_ARN] },
    ]);
    expect(elbv2).not.toHaveReceivedCommand(DescribeTagsCommand);
    expect(elbv2).not.toHaveReceivedCommand(DescribeLoadBalancerAttributesCommand);
    expect(found.tags).toEqual(seen.tags);
    expect(found.attributes.dropInvalidHeaderFields).toBe(true);
    expect(found.state).toBe('failed');
    expect(found.ready).toBe(false);
  });

  it('answers undefined when AWS has no ALB of that ARN (LoadBalancerNotFound)', async () => {
    answerFind('active');
    const seen = (await loadBalancerResource.find(ctx()))!;
    elbv2.reset();
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFound'));
    expect(await loadBalancerResource.findById!(ctx(), seen)).toBeUndefined();
  });
});
