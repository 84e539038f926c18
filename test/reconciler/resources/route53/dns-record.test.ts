/**
 * The DNS record kind: its dependencies, the record it wants (weighted-record.ts), and its delete.
 */
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { ResourceGraph } from '../../../../reconciler/engine/graph';
import { plan } from '../../../../reconciler/engine/plan';
import { awsError, NOW, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT, withIntent } from '../../../../reconciler/resources/intent';
import {
  ALB,
  ALB_DNS,
  API,
  changeInfo,
  CUSTOM_TARGET,
  expectOneBatch,
  fargateRecord,
  fargateSet,
  lambdaRecord,
  lambdaRefs,
  lambdaSet,
  NAME,
  noCertificate,
  ownerTxt,
  OURS,
  page,
  route53,
  ZONE,
} from './record-fixtures';

beforeEach(() => route53.reset());

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
