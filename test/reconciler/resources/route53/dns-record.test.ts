import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { ResourceGraph } from '../../../../reconciler/engine/graph';
import { plan } from '../../../../reconciler/engine/plan';
import { dnsRecordResource } from '../../../../reconciler/resources/route53/dns-record';
import { awsError, NOW, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT, withIntent } from '../../../../reconciler/resources/intent';

const route53 = mockClient(Route53Client);
beforeEach(() => route53.reset());

const ZONE = 'Z0123456789ABCDEFGHIJ';
const NAME = 'api.example.com.';
const CUSTOM_TARGET = 'd-abc123defg.execute-api.us-east-1.amazonaws.com';
const ALB_DNS = 'lf-orders-api-alb-123456789.us-east-1.elb.amazonaws.com';

const API = observed(
  'http-api',
  'AWS::ApiGatewayV2::Api',
  'abcde12345',
  {},
  {
    extra: {
      apiId: 'abcde12345',
      apiEndpoint: 'https://abcde12345.execute-api.us-east-1.amazonaws.com',
      regionalDomainName: 'abcde12345.execute-api.us-east-1.amazonaws.com',
    },
  },
);
const DOMAIN = observed(
  'api-domain',
  'AWS::ApiGatewayV2::DomainName',
  'api.example.com',
  {},
  {
    extra: {
      domainName: 'api.example.com',
      apiGatewayDomainName: CUSTOM_TARGET,
      hostedZoneId: 'Z1UJRXOUMOOFQ8',
    },
  },
);
const ALB = observed(
  'alb',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'arn:alb',
  {},
  {
    extra: {
      dnsName: ALB_DNS,
      canonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      arnSuffix: 'app/lf-orders-api-alb/50dc6c495c0c9188',
    },
  },
);
const lambdaRefs = { 'http-api': API, 'api-domain': DOMAIN };
// Validation refuses dns without a certificate; the kind still copes with a spec built by hand.
const noCertificate = () =>
  testSpec({ dns: { ...testSpec().dns!, certificateArn: undefined as unknown as string } });

const lambdaRecord = dnsRecordResource('lambda');
const fargateRecord = dnsRecordResource('fargate');

function lambdaSet(weight: number, target = `${CUSTOM_TARGET}.`): ResourceRecordSet {
  return {
    Name: NAME,
    Type: 'A',
    SetIdentifier: 'lambda',
    Weight: weight,
    AliasTarget: { DNSName: target, HostedZoneId: 'Z1UJRXOUMOOFQ8', EvaluateTargetHealth: false },
  };
}
const TXT_NAME = 'lambdaflex-a.api.example.com.';
const ownerTxt = (stack: string): ResourceRecordSet => ({
  Name: TXT_NAME,
  Type: 'TXT',
  TTL: 300,
  ResourceRecords: [{ Value: `"heritage=lambdaflex,lambdaflex/region=us-east-1,lambdaflex/stack=${stack}"` }],
});
/** The ownership TXT of the test spec's stack, orders-api in us-east-1. */
const OURS = ownerTxt('orders-api');
const page = (...sets: ResourceRecordSet[]) => ({
  ResourceRecordSets: sets,
  IsTruncated: false,
  MaxItems: 300,
});
/** The pass's intent when the stack remembers writing at the spec's name. */
const remembered = withIntent({
  dnsNames: [{ hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com.' }],
});

/** Route 53's answer about a change: its id and status, submitted at NOW. */
const changeInfo = (id: string, status: 'PENDING' | 'INSYNC' = 'PENDING') => ({
  ChangeInfo: { Id: `/change/${id}`, Status: status, SubmittedAt: new Date(NOW) },
});

/** Route 53 got one change batch, for the zone: `changes`, in that order. */
function expectOneBatch(changes: unknown[]): void {
  expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
  expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
    HostedZoneId: ZONE,
    ChangeBatch: expect.objectContaining({ Changes: changes }),
  });
}

const fargateSet = (weight: number, target = `${ALB_DNS}.`): ResourceRecordSet => ({
  Name: NAME,
  Type: 'A',
  SetIdentifier: 'fargate',
  Weight: weight,
  AliasTarget: { DNSName: target, HostedZoneId: 'Z35SXDOTRQ7X7K', EvaluateTargetHealth: false },
});

describe('dnsRecordResource', () => {
  it('has one key per tier, depends on the tier entry point, and the fargate record comes after the lambda one (a zone refuses a change while it processes the last)', () => {
    expect(lambdaRecord).toMatchObject({ key: 'dns-lambda', tier: 'lambda', service: 'route53' });
    expect(lambdaRecord.dependsOn).toEqual(['http-api', 'api-stage', 'api-domain', 'api-mapping']);
    expect(fargateRecord).toMatchObject({
      key: 'dns-fargate',
      tier: 'fargate',
      dependsOn: ['alb', 'dns-lambda'],
    });
    expect(lambdaRecord.neededBy(testSpec())).toBe(true);
    expect(lambdaRecord.neededBy(testSpec({ dns: undefined }))).toBe(false);
  });

  it.each([
    // [record, dependency, Fargate weight, strength]
    ['dns-fargate', 'alb', 10, 'ready'],
    ['dns-fargate', 'alb', 100, 'ready'],
    ['dns-fargate', 'alb', 0, 'order'],
    ['dns-fargate', 'dns-lambda', 50, 'order'],
    ['dns-fargate', 'dns-lambda', 0, 'order'],
    ['dns-lambda', 'api-mapping', 0, 'ready'],
    ['dns-lambda', 'http-api', 100, 'ready'],
  ] as const)(
    '%s needs %s with Fargate at %i %%: %s (the ALB holds only a batch that routes traffic to it)',
    (record, dependency, fargate, strength) => {
      const kind = record === 'dns-lambda' ? lambdaRecord : fargateRecord;
      const intent = withIntent({ weights: { lambda: 100 - fargate, fargate } });
      expect(kind.dependencyStrength!(dependency, intent)).toBe(strength);
    },
  );

  describe('desired', () => {
    it('points the lambda record at the custom domain, weight 100 by default, its name owned', () => {
      expect(lambdaRecord.desiredAttributes(testSpec(), lambdaRefs, DEFAULT_INTENT)).toEqual({
        name: NAME,
        type: 'A',
        setIdentifier: 'lambda',
        weight: 100,
        aliasTarget: {
          dnsName: `${CUSTOM_TARGET}.`,
          hostedZoneId: 'Z1UJRXOUMOOFQ8',
          evaluateTargetHealth: false,
        },
        ownershipRecord: 'present',
      });
    });

    it('without a certificate, points at the execute-api name in API Gateway’s regional zone', () => {
      const euApi = {
        ...API,
        extra: {
          apiId: 'x',
          apiEndpoint: 'https://abcde12345.execute-api.eu-west-1.amazonaws.com',
          regionalDomainName: 'abcde12345.execute-api.eu-west-1.amazonaws.com',
        },
      };
      expect(lambdaRecord.desiredAttributes(noCertificate(), lambdaRefs, DEFAULT_INTENT).aliasTarget).toEqual(
        {
          dnsName: 'abcde12345.execute-api.us-east-1.amazonaws.com.',
          hostedZoneId: 'Z1UJRXOUMOOFQ8',
          evaluateTargetHealth: false,
        },
      );
      expect(
        lambdaRecord.desiredAttributes(noCertificate(), { 'http-api': euApi }, DEFAULT_INTENT).aliasTarget,
      ).toMatchObject({
        hostedZoneId: 'ZLY8HYME6SFDD',
      });
    });

    it('points the fargate record at the ALB, weight 0 by default', () => {
      expect(fargateRecord.desiredAttributes(testSpec(), { alb: ALB }, DEFAULT_INTENT)).toEqual({
        name: NAME,
        type: 'A',
        setIdentifier: 'fargate',
        weight: 0,
        aliasTarget: { dnsName: `${ALB_DNS}.`, hostedZoneId: 'Z35SXDOTRQ7X7K', evaluateTargetHealth: false },
        ownershipRecord: 'present',
      });
    });

    it("reads the weights from the pass's intent, and the plan sees a new weight as an update", () => {
      const current = observed(
        'dns-lambda',
        'AWS::Route53::RecordSet',
        'rec',
        lambdaRecord.desiredAttributes(testSpec(), lambdaRefs, DEFAULT_INTENT),
      );
      const resources = { ...lambdaRefs, 'dns-lambda': current };
      const intent = withIntent({ weights: { lambda: 90, fargate: 10 } });
      expect(lambdaRecord.desiredAttributes(testSpec(), resources, intent).weight).toBe(90);
      expect(fargateRecord.desiredAttributes(testSpec(), resources, intent).weight).toBe(10);
      const steps = plan(
        testSpec(),
        'lambda',
        { resources, unknown: {} },
        NOW,
        ResourceGraph.partOf([lambdaRecord]),
        intent,
      ).steps;
      expect(steps).toEqual([
        expect.objectContaining({
          id: 'update:dns-lambda',
          changes: [{ path: 'weight', from: 100, to: 90 }],
        }),
      ]);
    });
  });

  describe('find', () => {
    it('lists from the record name, and returns undefined without our SetIdentifier', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(0), OURS));
      expect(await lambdaRecord.find(testContext())).toBeUndefined();
      expect(route53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 1);
      expect(route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
        HostedZoneId: ZONE,
        StartRecordName: NAME,
      });
    });

    it('returns undefined when the zone is gone', async () => {
      route53
        .on(ListResourceRecordSetsCommand)
        .rejects(awsError('NoSuchHostedZone', 'No hosted zone found', 404));
      expect(await lambdaRecord.find(testContext())).toBeUndefined();
    });

    it('reads the weight of our record, across pages of the same name', async () => {
      route53
        .on(ListResourceRecordSetsCommand)
        .resolvesOnce({
          ResourceRecordSets: [fargateSet(10)],
          IsTruncated: true,
          NextRecordName: NAME,
          NextRecordType: 'A',
          NextRecordIdentifier: 'lambda',
          MaxItems: 1,
        })
        .resolvesOnce(page(lambdaSet(90), OURS));
      const found = await lambdaRecord.find(testContext({ refs: lambdaRefs }));
      expect(route53).toHaveReceivedNthCommandWith(2, ListResourceRecordSetsCommand, {
        StartRecordName: NAME,
        StartRecordType: 'A',
        StartRecordIdentifier: 'lambda',
      });
      expect(found).toMatchObject({ ready: true, foreign: false, attributes: { weight: 90 } });
      expect(found?.attributes).toEqual({
        ...lambdaRecord.desiredAttributes(testSpec(), lambdaRefs, DEFAULT_INTENT),
        weight: 90,
      });
    });

    it('reads the ownership TXT on its own when the first page ends before its place', async () => {
      route53
        .on(ListResourceRecordSetsCommand)
        .resolvesOnce({
          ResourceRecordSets: [
            lambdaSet(100),
            { Name: 'a.api.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] },
          ],
          IsTruncated: true,
          NextRecordName: 'b.api.example.com.',
          NextRecordType: 'A',
          MaxItems: 2,
        })
        .resolvesOnce(page(OURS));
      const found = await lambdaRecord.find(testContext({ refs: lambdaRefs }));
      expect(route53).toHaveReceivedNthCommandWith(2, ListResourceRecordSetsCommand, {
        HostedZoneId: ZONE,
        StartRecordName: TXT_NAME,
        StartRecordType: 'TXT',
        MaxItems: 1,
      });
      expect(found).toMatchObject({ foreign: false, attributes: { ownershipRecord: 'present' } });
    });

    it('is not ready while the change it made is PENDING, ready once INSYNC', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), OURS));
      route53.on(GetChangeCommand).resolvesOnce(changeInfo('C1')).resolvesOnce(changeInfo('C1', 'INSYNC'));
      const previous = observed(
        'dns-lambda',
        'AWS::Route53::RecordSet',
        'rec',
        {},
        {
          extra: { hostedZoneId: ZONE, changeId: '/change/C1', recordSet: lambdaSet(100) },
        },
      );
      const refs = { ...lambdaRefs, 'dns-lambda': previous };
      expect(lambdaRecord.waiters).toEqual({ ready: { pending: ['PENDING'], target: ['INSYNC'] } });
      expect(await lambdaRecord.find(testContext({ refs }))).toMatchObject({
        ready: false,
        state: 'PENDING',
        notReadyReason: 'Route 53 change /change/C1 is PENDING',
      });
      expect(route53).toHaveReceivedCommandWith(GetChangeCommand, { Id: '/change/C1' });
      expect(await lambdaRecord.find(testContext({ refs }))).toMatchObject({ ready: true, state: 'INSYNC' });
    });

    it('asks about the change the last pass left PENDING, which the intent remembers', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), OURS));
      route53.on(GetChangeCommand).resolves(changeInfo('C7'));
      const intent = withIntent({ pendingChanges: { 'dns-lambda': '/change/C7' } });
      const found = await lambdaRecord.find(testContext({ refs: lambdaRefs, intent }));
      expect(found).toMatchObject({ ready: false, state: 'PENDING', extra: { changeId: '/change/C7' } });
      expect(route53).toHaveReceivedCommandWith(GetChangeCommand, { Id: '/change/C7' });
    });

    it('finds a name whose TXT names another stack foreign, saying which stack', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), ownerTxt('billing-api')));
      const found = await lambdaRecord.find(testContext({ refs: lambdaRefs }));
      expect(found).toMatchObject({ foreign: true, id: `${ZONE}/${NAME}` });
      expect(found?.conflict).toBe(
        `${NAME} is owned by stack billing-api (us-east-1): its ownership TXT ${TXT_NAME} names it`,
      );
      // The same stack name in another region is another stack.
      route53.reset();
      const otherRegion: ResourceRecordSet = {
        ...OURS,
        ResourceRecords: [
          { Value: '"heritage=lambdaflex,lambdaflex/region=eu-west-1,lambdaflex/stack=orders-api"' },
        ],
      };
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), otherRegion));
      expect(await lambdaRecord.find(testContext({ refs: lambdaRefs }))).toMatchObject({ foreign: true });
    });

    it('finds records written without an ownership TXT foreign, unless the stack remembers writing them', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100)));
      expect(await lambdaRecord.find(testContext({ refs: lambdaRefs }))).toMatchObject({
        foreign: true,
        conflict: expect.stringContaining('without a LambdaFlex ownership TXT'),
      });
      const refs = lambdaRefs;
      const found = await lambdaRecord.find(testContext({ refs, intent: remembered }));
      expect(found).toMatchObject({ foreign: false, attributes: { ownershipRecord: 'absent' } });
      // The plan updates it, and the update writes the TXT.
      const steps = plan(
        testSpec(),
        'lambda',
        { resources: { ...refs, 'dns-lambda': found }, unknown: {} },
        NOW,
        ResourceGraph.partOf([lambdaRecord]),
      ).steps;
      expect(steps).toEqual([
        expect.objectContaining({
          id: 'update:dns-lambda',
          changes: [{ path: 'ownershipRecord', from: 'absent', to: 'present' }],
        }),
      ]);
    });

    it('finds a simple record or CNAME at the name foreign, remembered or not', async () => {
      const simple = { Name: NAME, Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.10' }] };
      route53.on(ListResourceRecordSetsCommand).resolves(page(simple as ResourceRecordSet));
      expect(await lambdaRecord.find(testContext({ refs: lambdaRefs, intent: remembered }))).toMatchObject({
        foreign: true,
        conflict: `${NAME} held A records without a LambdaFlex ownership TXT (${TXT_NAME}): they were not written by this stack`,
      });
    });

    it('says of a foreign name whether the stack wrote there (a change of its own may still be propagating)', async () => {
      const simple = { Name: NAME, Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.10' }] };
      route53.on(ListResourceRecordSetsCommand).resolves(page(simple as ResourceRecordSet));
      const wrote = await lambdaRecord.find(testContext({ refs: lambdaRefs, intent: remembered }));
      expect(wrote).toMatchObject({ foreign: true, extra: { hostedZoneId: ZONE, wroteThere: true } });
      const never = await lambdaRecord.find(testContext({ refs: lambdaRefs }));
      expect(never).toMatchObject({ foreign: true, extra: { hostedZoneId: ZONE } });
      expect(never?.extra).not.toHaveProperty('wroteThere');
    });

    it('stands the lambda record for an ownership TXT left alone, so that it is rewritten or removed', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(OURS));
      const found = await lambdaRecord.find(testContext({ refs: lambdaRefs }));
      expect(found).toMatchObject({ foreign: false, state: 'MISSING' });
      expect(await fargateRecord.find(testContext({ refs: { alb: ALB } }))).toBeUndefined();
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C9'));
      await lambdaRecord.delete(testContext({ spec: testSpec({ dns: undefined }) }), found!);
      expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
        HostedZoneId: ZONE,
        ChangeBatch: expect.objectContaining({ Changes: [{ Action: 'DELETE', ResourceRecordSet: OURS }] }),
      });
    });
  });

  describe('create and update', () => {
    it('claims a free name: the ownership TXT and the weighted record in one batch, both CREATE', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page());
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C2'));
      const created = await lambdaRecord.create(testContext({ refs: lambdaRefs }));
      expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
        HostedZoneId: ZONE,
        ChangeBatch: {
          Comment: 'LambdaFlex orders-api: weights lambda 100, fargate 0',
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: OURS },
            { Action: 'CREATE', ResourceRecordSet: lambdaSet(100) },
          ],
        },
      });
      expect(created).toMatchObject({ ready: false, extra: { changeId: '/change/C2', ownerTxt: OURS } });
    });

    it('written on top of its own change still PENDING (Route 53 takes it once the last is processed), waits on the new change, not the earlier one', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(10), lambdaSet(90), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C2'));
      // The shift's change, C1, is PENDING: the earlier one turns INSYNC first, and the rollback is only
      // on every name server once C2 is.
      const current = observed(
        'dns-lambda',
        'AWS::Route53::RecordSet',
        'rec',
        {},
        {
          ready: false,
          state: 'PENDING',
          extra: {
            hostedZoneId: ZONE,
            changeId: '/change/C1',
            changeStatus: 'PENDING',
            recordSet: lambdaSet(90),
          },
        },
      );
      const refs = { ...lambdaRefs, alb: ALB, 'dns-lambda': current, 'dns-fargate': current };
      const intent = withIntent({ weights: { lambda: 100, fargate: 0 } });
      const written = await lambdaRecord.update!(testContext({ refs, intent }), current, [
        { path: 'weight', from: 90, to: 100 },
      ]);
      expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
        HostedZoneId: ZONE,
        ChangeBatch: expect.objectContaining({
          Changes: expect.arrayContaining([
            { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100) },
            { Action: 'UPSERT', ResourceRecordSet: fargateSet(0) },
          ]),
        }),
      });
      expect(written).toMatchObject({ ready: false, state: 'PENDING', extra: { changeId: '/change/C2' } });
    });

    it('moves both weights in one transactional batch guarded by the TXT, leaving out what Route 53 already holds', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(0), lambdaSet(100), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C3'));
      const refs = { ...lambdaRefs, alb: ALB };
      const intent = withIntent({ weights: { lambda: 50, fargate: 50 } });
      const current = observed('dns-fargate', 'AWS::Route53::RecordSet', 'rec');
      await fargateRecord.update!(testContext({ refs, intent }), current, [
        { path: 'weight', from: 0, to: 50 },
      ]);
      expectOneBatch([
        { Action: 'DELETE', ResourceRecordSet: OURS },
        { Action: 'CREATE', ResourceRecordSet: OURS },
        { Action: 'UPSERT', ResourceRecordSet: fargateSet(50) },
        { Action: 'UPSERT', ResourceRecordSet: lambdaSet(50) },
      ]);

      route53.reset();
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(50), lambdaSet(50), OURS));
      await lambdaRecord.update!(testContext({ refs, intent }), current, []);
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    });

    it('removes the fargate record in the batch that moves everything to Lambda while its ALB is not known, whichever step writes it', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(10), lambdaSet(90), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C4'));
      const back = withIntent({ weights: { lambda: 100, fargate: 0 } });
      const current = observed('dns-lambda', 'AWS::Route53::RecordSet', 'rec');
      // No ALB among the refs: its look-up failed, or it vanished (read as unknown for a pass first).
      const refs = { ...lambdaRefs, 'dns-fargate': current };
      await lambdaRecord.update!(testContext({ refs, intent: back }), current, []);
      expectOneBatch([
        { Action: 'DELETE', ResourceRecordSet: OURS },
        { Action: 'CREATE', ResourceRecordSet: OURS },
        { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100) },
        { Action: 'DELETE', ResourceRecordSet: fargateSet(10) },
      ]);

      // The same batch from the fargate record's own step, which the plan no longer holds behind the ALB.
      route53.reset();
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(10), lambdaSet(90), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C5'));
      const written = await fargateRecord.update!(testContext({ refs, intent: back }), current, []);
      expectOneBatch([
        { Action: 'DELETE', ResourceRecordSet: OURS },
        { Action: 'CREATE', ResourceRecordSet: OURS },
        { Action: 'DELETE', ResourceRecordSet: fargateSet(10) },
        { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100) },
      ]);
      expect(written).toMatchObject({ ready: false, attributes: { weight: 0 } });

      // A fargate record already at 0 carries nothing: left as it is, by either step.
      route53.reset();
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(0), lambdaSet(100), OURS));
      await lambdaRecord.update!(testContext({ refs, intent: back }), current, []);
      await fargateRecord.update!(testContext({ refs, intent: back }), current, []);
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);

      // The fargate step after the lambda one's batch removed the record: nothing left to do, and done.
      route53.reset();
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), OURS));
      const seen = observed(
        'dns-fargate',
        'AWS::Route53::RecordSet',
        'rec',
        {},
        {
          extra: { hostedZoneId: ZONE, recordSet: fargateSet(10) },
        },
      );
      const after = await fargateRecord.update!(testContext({ refs, intent: back }), seen, []);
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
      expect(after).toMatchObject({ ready: true, attributes: { weight: 0 } });
    });

    it('points the fargate record at an ALB just made again at weight 0, with the lambda weight in the same batch', async () => {
      route53
        .on(ListResourceRecordSetsCommand)
        .resolves(page(fargateSet(10, 'gone-alb.elb.amazonaws.com.'), lambdaSet(90), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C4'));
      const back = withIntent({ weights: { lambda: 100, fargate: 0 } });
      const current = observed('dns-lambda', 'AWS::Route53::RecordSet', 'rec');
      // The ALB's create answered in this pass (still provisioning): its DNS name is known.
      await lambdaRecord.update!(
        testContext({ refs: { ...lambdaRefs, alb: ALB, 'dns-fargate': current }, intent: back }),
        current,
        [],
      );
      expectOneBatch([
        { Action: 'DELETE', ResourceRecordSet: OURS },
        { Action: 'CREATE', ResourceRecordSet: OURS },
        { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100) },
        { Action: 'UPSERT', ResourceRecordSet: fargateSet(0) },
      ]);
    });

    it('writes a fargate weight above 0 in the lambda step’s batch only onto an active ALB (safety rule 1)', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(10), lambdaSet(90), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C6'));
      const half = withIntent({ weights: { lambda: 50, fargate: 50 } });
      const current = observed('dns-lambda', 'AWS::Route53::RecordSet', 'rec');
      const provisioning = { ...ALB, ready: false, state: 'provisioning' };
      const refs = { ...lambdaRefs, alb: provisioning, 'dns-fargate': current };
      await lambdaRecord.update!(testContext({ refs, intent: half }), current, []);
      // The lambda weight alone: the fargate one is its own step's, which the plan holds behind the ALB.
      expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
        ChangeBatch: expect.objectContaining({
          Changes: [
            { Action: 'DELETE', ResourceRecordSet: OURS },
            { Action: 'CREATE', ResourceRecordSet: OURS },
            { Action: 'UPSERT', ResourceRecordSet: lambdaSet(50) },
          ],
        }),
      });
      const own = fargateRecord.update!(testContext({ refs, intent: half }), current, []);
      await expect(own).rejects.toMatchObject({ name: 'AlbNotReady' });
    });

    it('never writes a fargate weight, nor creates the record, without its ALB: retried, not terminal', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(10), lambdaSet(90), OURS));
      const current = observed('dns-fargate', 'AWS::Route53::RecordSet', 'rec');
      const half = withIntent({ weights: { lambda: 50, fargate: 50 } });
      const raising = fargateRecord.update!(testContext({ refs: lambdaRefs, intent: half }), current, []);
      await expect(raising).rejects.toMatchObject({ name: 'AlbNotReady' });
      expect(classify(await raising.catch((e: unknown) => e), fargateRecord.errors)).toBe('retryable');

      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), OURS));
      const creating = fargateRecord.create(testContext({ refs: lambdaRefs, intent: DEFAULT_INTENT }));
      await expect(creating).rejects.toMatchObject({ name: 'AlbNotReady' });
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    });

    it('never points the fargate record at an ALB with the stack’s name that is not the stack’s', () => {
      const foreign = { ...ALB, foreign: true };
      expect(fargateRecord.desiredAttributes(testSpec(), { alb: foreign }, DEFAULT_INTENT)).toMatchObject({
        aliasTarget: { dnsName: undefined, hostedZoneId: undefined },
      });
    });

    it('writes the weights again as held when the pass asks (their change not known), the pair in one guarded batch; the plan sees it as a difference', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(0), lambdaSet(100), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C9'));
      const dnsFargate = await fargateRecord.find(testContext({ refs: { ...lambdaRefs, alb: ALB } }));
      const refs = { ...lambdaRefs, alb: ALB, 'dns-fargate': dnsFargate };
      const found = await lambdaRecord.find(testContext({ refs }));
      const rewrite = withIntent({ rewriteWeights: true });
      // The plan sees the record as it is and the pass's ask: an update of the lambda record alone.
      const wanted = lambdaRecord.desiredAttributes(testSpec(), refs, rewrite);
      expect(wanted).toMatchObject({ weight: 100, rewritten: true });
      expect(found!.attributes.rewritten).toBeUndefined();
      expect(fargateRecord.desiredAttributes(testSpec(), refs, rewrite).rewritten).toBeUndefined();

      const written = await lambdaRecord.update!(testContext({ refs, intent: rewrite }), found!, []);
      expectOneBatch([
        { Action: 'DELETE', ResourceRecordSet: OURS },
        { Action: 'CREATE', ResourceRecordSet: OURS },
        { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100) },
        { Action: 'UPSERT', ResourceRecordSet: fargateSet(0) },
      ]);
      // The new change is the one the next pass asks about; the record says it was written again.
      expect(written).toMatchObject({ ready: false, attributes: { rewritten: true } });
      expect(written.extra).toMatchObject({ changeId: '/change/C9', changeStatus: 'PENDING' });

      // Not asked (or the fargate record's step): nothing to write.
      route53.resetHistory();
      await lambdaRecord.update!(testContext({ refs }), found!, []);
      await fargateRecord.update!(testContext({ refs, intent: rewrite }), found!, []);
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    });

    it('writes the TXT of a remembered name that has none, even with the weights already right', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100)));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C5'));
      const current = observed('dns-lambda', 'AWS::Route53::RecordSet', 'rec');
      await lambdaRecord.update!(testContext({ refs: lambdaRefs, intent: remembered }), current, []);
      expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
        ChangeBatch: expect.objectContaining({ Changes: [{ Action: 'CREATE', ResourceRecordSet: OURS }] }),
      });
    });

    it("writes the weights of the pass's intent (everything on Lambda without one)", async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C3'));
      const refs = { alb: ALB };
      const half = withIntent({ weights: { lambda: 50, fargate: 50 } });
      const current = observed('dns-fargate', 'AWS::Route53::RecordSet', 'rec');
      await fargateRecord.update!(testContext({ refs, intent: half }), current, [
        { path: 'weight', from: 0, to: 50 },
      ]);
      await fargateRecord.update!(testContext({ refs }), current, []);
      const all = withIntent({ weights: { lambda: 0, fargate: 100 } });
      await fargateRecord.update!(testContext({ refs, intent: all }), current, []);
      const weights = route53
        .commandCalls(ChangeResourceRecordSetsCommand)
        .map(
          (call) =>
            call.args[0].input.ChangeBatch?.Changes?.find(
              (c) => c.ResourceRecordSet?.SetIdentifier === 'fargate',
            )?.ResourceRecordSet?.Weight,
        );
      expect(weights).toEqual([50, 0, 100]);
    });

    it('refuses, as terminal, a region with no known API Gateway zone', async () => {
      const api = {
        ...API,
        extra: { apiId: 'x', regionalDomainName: 'x.execute-api.xx-nowhere-1.amazonaws.com' },
      };
      const error = await lambdaRecord
        .create(testContext({ spec: noCertificate(), refs: { 'http-api': api } }))
        .catch((e: unknown) => e);
      expect(classify(error, lambdaRecord.errors)).toBe('terminal');
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    });

    it('writes nothing at a name that became another stack’s since the plan, and retries', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(ownerTxt('billing-api')));
      const error = await lambdaRecord.create(testContext({ refs: lambdaRefs })).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DnsNameTaken', message: expect.stringContaining('billing-api') });
      expect(classify(error, lambdaRecord.errors)).toBe('retryable');
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    });
  });

  describe('delete', () => {
    const current = () =>
      observed(
        'dns-lambda',
        'AWS::Route53::RecordSet',
        'rec',
        { name: NAME },
        {
          extra: { hostedZoneId: ZONE, recordSet: lambdaSet(100) },
        },
      );

    it('DELETEs the record exactly as Route 53 holds it now, guarded by the TXT while the other tier’s stays', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(100), lambdaSet(0), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C4'));
      await lambdaRecord.delete(testContext(), current());
      expectOneBatch([
        { Action: 'DELETE', ResourceRecordSet: OURS },
        { Action: 'CREATE', ResourceRecordSet: OURS },
        { Action: 'DELETE', ResourceRecordSet: lambdaSet(0) },
      ]);
    });

    it('the last record of the stack takes the TXT with it, last in the same batch', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(0), OURS));
      route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C6'));
      await lambdaRecord.delete(testContext(), current());
      expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
        ChangeBatch: expect.objectContaining({
          Changes: [
            { Action: 'DELETE', ResourceRecordSet: lambdaSet(0) },
            { Action: 'DELETE', ResourceRecordSet: OURS },
          ],
        }),
      });
    });

    it('is done when the record or the zone is already gone', async () => {
      route53
        .on(ListResourceRecordSetsCommand)
        .resolvesOnce(page(fargateSet(100), OURS))
        .rejectsOnce(awsError('NoSuchHostedZone', 'No hosted zone found', 404));
      await lambdaRecord.delete(testContext(), current());
      await lambdaRecord.delete(testContext(), current());
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    });

    it('is done when Route 53 says the record was not found (a concurrent delete)', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), OURS));
      route53
        .on(ChangeResourceRecordSetsCommand)
        .rejects(
          awsError(
            'InvalidChangeBatch',
            "[Tried to delete resource record set [name='api.example.com.', type='A', set-identifier='lambda'] but it was not found]",
          ),
        );
      await expect(lambdaRecord.delete(testContext(), current())).resolves.toBeUndefined();
    });

    it('never deletes at a name that another stack owns', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), ownerTxt('billing-api')));
      await expect(lambdaRecord.delete(testContext(), current())).rejects.toMatchObject({
        name: 'DnsNameTaken',
      });
      expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    });
  });

  it('retries PriorRequestNotComplete and a batch that lost a race; a conflicting record is terminal', () => {
    expect(
      classify(
        awsError(
          'PriorRequestNotComplete',
          'The request was rejected because Route 53 was still processing a prior request.',
        ),
        lambdaRecord.errors,
      ),
    ).toBe('retryable');
    expect(
      classify(
        awsError(
          'InvalidChangeBatch',
          "[Tried to create resource record set [name='lambdaflex-a.api.example.com.', type='TXT'] but it already exists]",
        ),
        lambdaRecord.errors,
      ),
    ).toBe('retryable');
    expect(
      classify(
        awsError(
          'InvalidChangeBatch',
          'RRSet ... can not be created because a non multivalue answer rrset exists',
        ),
        lambdaRecord.errors,
      ),
    ).toBe('terminal');
  });
});
