/**
 * The DNS record kind's find (record-observation.ts, read-ownership.ts): ours, foreign, orphaned, and the
 * change it asks GetChange about.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import 'aws-sdk-client-mock-jest';
import { ResourceGraph } from '../../../../reconciler/engine/graph';
import { plan } from '../../../../reconciler/engine/plan';
import { awsError, NOW, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT, withIntent } from '../../../../reconciler/resources/intent';
import {
  ALB,
  changeInfo,
  fargateRecord,
  fargateSet,
  lambdaRecord,
  lambdaRefs,
  lambdaSet,
  NAME,
  ownerTxt,
  OURS,
  page,
  remembered,
  route53,
  TXT_NAME,
  ZONE,
} from './record-fixtures';

beforeEach(() => route53.reset());

describe('dnsRecordResource', () => {
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
      expect(lambdaRecord.waiters).toEqual({
        ready: { pending: ['PENDING', 'NO_SUCH_CHANGE'], target: ['INSYNC'] },
      });
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

    // Route 53 documents NoSuchChange only as "A change with the specified change ID does not exist", and no
    // expiry of change ids: a change of ours it does not know (eventual consistency, an id kept wrong)
    // says nothing of whether the records are in sync (safety rule 6): the id is kept and asked again.
    it('does not read a kept change Route 53 answers NoSuchChange for as INSYNC', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), OURS));
      route53
        .on(GetChangeCommand, { Id: '/change/C7' })
        .rejects(awsError('NoSuchChange', 'Could not find resource with ID: C7', 404));
      const intent = withIntent({ pendingChanges: { 'dns-lambda': '/change/C7' } });
      const found = await lambdaRecord.find(testContext({ refs: lambdaRefs, intent }));
      expect(route53).toHaveReceivedCommandWith(GetChangeCommand, { Id: '/change/C7' });
      expect(found).toMatchObject({
        ready: false,
        state: 'NO_SUCH_CHANGE',
        notReadyReason: expect.stringContaining('Route 53 knows no change /change/C7 (NoSuchChange)'),
      });
      expect(found?.extra).toMatchObject({ changeId: '/change/C7', changeStatus: 'NO_SUCH_CHANGE' });
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
});
