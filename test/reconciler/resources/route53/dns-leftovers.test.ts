import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ResourceGraph } from '../../../../reconciler/engine/graph';
import { plan } from '../../../../reconciler/engine/plan';
import {
  dnsLeftoversResource,
  namesToRemember,
} from '../../../../reconciler/resources/route53/dns-leftovers';
import { ownerTxtRecordSet } from '../../../../reconciler/resources/route53/dns-ownership';
import { fargateShare } from '../../../../reconciler/resources/route53/leftover-changes';
import { type WrittenDnsName } from '../../../../reconciler/resources/route53/written-dns-names';
import { awsError, NOW, observed, testContext, testSpec } from '../fixtures';
import { withIntent } from '../../../../reconciler/resources/intent';

const route53 = mockClient(Route53Client);
beforeEach(() => route53.reset());

/** The test spec's name: api.example.com. in this zone. */
const ZONE = 'Z0123456789ABCDEFGHIJ';
const OTHER_ZONE = 'Z9999999999ABCDEFGHIJ';
const OLD: WrittenDnsName = { hostedZoneId: ZONE, recordName: 'old.example.com.' };
const MOVED: WrittenDnsName = { hostedZoneId: OTHER_ZONE, recordName: 'api.other.com.' };
const CURRENT: WrittenDnsName = { hostedZoneId: ZONE, recordName: 'api.example.com.' };
const OWNER = { stack: 'orders-api', region: 'us-east-1' };

const weighted = (name: string, id: string, weight: number): ResourceRecordSet => ({
  Name: name,
  Type: 'A',
  SetIdentifier: id,
  Weight: weight,
  AliasTarget: {
    DNSName: 'abc.execute-api.us-east-1.amazonaws.com.',
    HostedZoneId: 'Z1UJRXOUMOOFQ8',
    EvaluateTargetHealth: false,
  },
});
const page = (...sets: ResourceRecordSet[]) => ({
  ResourceRecordSets: sets,
  IsTruncated: false,
  MaxItems: 300,
});
/** The pass's intent when the stack remembers writing at `names`. */
const remembering = (...names: WrittenDnsName[]) => withIntent({ dnsNames: names });

/** The ids of the steps the plan makes of `found` on the Lambda tier, dns-leftovers alone in the graph. */
const plannedSteps = (
  spec: ReturnType<typeof testSpec>,
  found: Awaited<ReturnType<typeof dnsLeftoversResource.find>>,
) =>
  plan(
    spec,
    'lambda',
    { resources: { 'dns-leftovers': found }, unknown: {} },
    NOW,
    ResourceGraph.partOf([dnsLeftoversResource]),
  ).steps.map((s) => s.id);

describe('dnsLeftoversResource', () => {
  it('is never wanted, and makes no call without remembered names other than the spec’s', async () => {
    expect(dnsLeftoversResource.neededBy(testSpec())).toBe(false);
    expect(await dnsLeftoversResource.find(testContext({ intent: remembering(CURRENT) }))).toBeUndefined();
    expect(await dnsLeftoversResource.find(testContext())).toBeUndefined();
    expect(route53).not.toHaveReceivedCommand(ListResourceRecordSetsCommand);
  });

  it('finds the stack’s records and TXT at a renamed name and a moved zone; the plan deletes them', async () => {
    const oldTxt = ownerTxtRecordSet(OLD.recordName, OWNER);
    const movedTxt = ownerTxtRecordSet(MOVED.recordName, OWNER);
    route53
      .on(ListResourceRecordSetsCommand, { HostedZoneId: ZONE, StartRecordName: OLD.recordName })
      .resolves(page(weighted(OLD.recordName, 'fargate', 0), weighted(OLD.recordName, 'lambda', 100), oldTxt))
      .on(ListResourceRecordSetsCommand, { HostedZoneId: OTHER_ZONE, StartRecordName: MOVED.recordName })
      .resolves(page(weighted(MOVED.recordName, 'lambda', 100), movedTxt));
    const intent = remembering(OLD, CURRENT, MOVED);
    const found = await dnsLeftoversResource.find(testContext({ intent }));
    expect(found).toMatchObject({
      key: 'dns-leftovers',
      foreign: false,
      attributes: { names: ['old.example.com.', 'api.other.com.'] },
    });
    expect(plannedSteps(testSpec(), found)).toEqual(['delete:dns-leftovers']);

    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date(NOW) },
    });
    await dnsLeftoversResource.delete(testContext({ intent }), found!);
    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 2);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      ChangeBatch: expect.objectContaining({
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: weighted(OLD.recordName, 'fargate', 0) },
          { Action: 'DELETE', ResourceRecordSet: weighted(OLD.recordName, 'lambda', 100) },
          { Action: 'DELETE', ResourceRecordSet: oldTxt },
        ],
      }),
    });
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: OTHER_ZONE,
      ChangeBatch: expect.objectContaining({
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: weighted(MOVED.recordName, 'lambda', 100) },
          { Action: 'DELETE', ResourceRecordSet: movedTxt },
        ],
      }),
    });
  });

  it('takes every remembered name when dns is gone from the spec', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves(
        page(weighted(CURRENT.recordName, 'lambda', 100), ownerTxtRecordSet(CURRENT.recordName, OWNER)),
      );
    const found = await dnsLeftoversResource.find(
      testContext({ spec: testSpec({ dns: undefined }), intent: remembering(CURRENT) }),
    );
    expect(found?.attributes).toEqual({ names: ['api.example.com.'], fargatePercent: 0 });
  });

  it('leaves a name that is no longer the stack’s, an empty one, and one in a deleted zone', async () => {
    route53
      .on(ListResourceRecordSetsCommand, { HostedZoneId: ZONE })
      .resolves(
        page(
          weighted(OLD.recordName, 'lambda', 100),
          ownerTxtRecordSet(OLD.recordName, { ...OWNER, stack: 'billing-api' }),
        ),
      )
      .on(ListResourceRecordSetsCommand, { HostedZoneId: OTHER_ZONE })
      .rejects(awsError('NoSuchHostedZone', 'No hosted zone found', 404));
    expect(await dnsLeftoversResource.find(testContext({ intent: remembering(OLD, MOVED) }))).toBeUndefined();
    route53.reset();
    route53.on(ListResourceRecordSetsCommand).resolves(page());
    expect(await dnsLeftoversResource.find(testContext({ intent: remembering(OLD) }))).toBeUndefined();
  });

  it('deletes remembered records written before the TXT registry, which have no TXT', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page(weighted(OLD.recordName, 'lambda', 100)));
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C2', Status: 'PENDING', SubmittedAt: new Date(NOW) },
    });
    const found = await dnsLeftoversResource.find(testContext({ intent: remembering(OLD) }));
    await dnsLeftoversResource.delete(testContext({ intent: remembering(OLD) }), found!);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      ChangeBatch: expect.objectContaining({
        Changes: [{ Action: 'DELETE', ResourceRecordSet: weighted(OLD.recordName, 'lambda', 100) }],
      }),
    });
  });
});

describe('dnsLeftoversResource while traffic drains (safety rule 2)', () => {
  const oldTxt = ownerTxtRecordSet(OLD.recordName, OWNER);
  const noDns = testSpec({ dns: undefined });
  const pendingAnswer = {
    ChangeInfo: { Id: '/change/C7', Status: 'PENDING' as const, SubmittedAt: new Date(NOW) },
  };
  const draining = (extra: Partial<Parameters<typeof withIntent>[0]> = {}) =>
    withIntent({ dnsNames: [OLD], drainingRecords: true, ...extra });

  it('removes the weighted records under the TXT’s guard, keeps the TXT, and answers the change PENDING', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves(
        page(weighted(OLD.recordName, 'fargate', 100), weighted(OLD.recordName, 'lambda', 0), oldTxt),
      );
    route53.on(ChangeResourceRecordSetsCommand).resolves(pendingAnswer);
    const ctx = testContext({ spec: noDns, intent: draining() });
    const found = await dnsLeftoversResource.find(ctx);
    expect(found).toMatchObject({ state: 'INSYNC', ready: true, attributes: { fargatePercent: 100 } });
    const answer = await dnsLeftoversResource.delete(ctx, found!);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      ChangeBatch: expect.objectContaining({
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: oldTxt },
          { Action: 'CREATE', ResourceRecordSet: oldTxt },
          { Action: 'DELETE', ResourceRecordSet: weighted(OLD.recordName, 'fargate', 100) },
          { Action: 'DELETE', ResourceRecordSet: weighted(OLD.recordName, 'lambda', 0) },
        ],
      }),
    });
    expect(answer).toMatchObject({
      left: {
        state: 'PENDING',
        ready: false,
        attributes: { names: ['old.example.com.'], fargatePercent: 0, rewritten: true },
        extra: { changeIds: ['/change/C7'], leftovers: [{ records: [], ownerTxt: oldTxt }] },
      },
    });
  });

  it('asks about the kept change, and keeps the name while it is PENDING though nothing is left there', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page());
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C7', Status: 'PENDING', SubmittedAt: new Date(NOW) } });
    const intent = withIntent({ dnsNames: [OLD], pendingChanges: { 'dns-leftovers': '/change/C7' } });
    const found = await dnsLeftoversResource.find(testContext({ spec: noDns, intent }));
    expect(route53).toHaveReceivedCommandWith(GetChangeCommand, { Id: '/change/C7' });
    expect(found).toMatchObject({
      state: 'PENDING',
      ready: false,
      attributes: { names: ['old.example.com.'] },
    });
    // The plan waits for it rather than deleting again.
    expect(plannedSteps(noDns, found)).toEqual(['wait:dns-leftovers']);
    // INSYNC, nothing left: gone.
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C7', Status: 'INSYNC', SubmittedAt: new Date(NOW) } });
    expect(await dnsLeftoversResource.find(testContext({ spec: noDns, intent }))).toBeUndefined();
  });

  it('keeps the name, not ready, while Route 53 answers NoSuchChange for the kept change (not read as INSYNC)', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page());
    route53
      .on(GetChangeCommand, { Id: '/change/C7' })
      .rejects(awsError('NoSuchChange', 'Could not find resource with ID: C7', 404));
    const intent = withIntent({ dnsNames: [OLD], pendingChanges: { 'dns-leftovers': '/change/C7' } });
    const found = await dnsLeftoversResource.find(testContext({ spec: noDns, intent }));
    expect(route53).toHaveReceivedCommandWith(GetChangeCommand, { Id: '/change/C7' });
    expect(found).toMatchObject({
      state: 'NO_SUCH_CHANGE',
      ready: false,
      attributes: { names: ['old.example.com.'] },
    });
    // The id is kept, asked again by the next pass; the plan waits for it rather than deleting again.
    expect(found?.extra).toMatchObject({ changeIds: ['/change/C7'] });
    expect(plannedSteps(noDns, found)).toEqual(['wait:dns-leftovers']);
  });

  it('asked for a change to wait on, writes the kept TXT again as held (a guarded batch)', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page(oldTxt));
    route53.on(ChangeResourceRecordSetsCommand).resolves(pendingAnswer);
    const ctx = testContext({ spec: noDns, intent: draining({ rewriteWeights: true }) });
    const found = await dnsLeftoversResource.find(ctx);
    const answer = await dnsLeftoversResource.delete(ctx, found!);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      ChangeBatch: expect.objectContaining({
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: oldTxt },
          { Action: 'CREATE', ResourceRecordSet: oldTxt },
        ],
      }),
    });
    expect(answer).toMatchObject({ left: { state: 'PENDING', attributes: { rewritten: true } } });
  });

  it('leaves the TXT to the spec’s record in the same zone: one change of a zone at a time', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page(oldTxt));
    const ctx = testContext({ intent: draining({ rewriteWeights: true }) });
    const found = await dnsLeftoversResource.find(ctx);
    const answer = await dnsLeftoversResource.delete(ctx, found!);
    expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
    expect(answer).toMatchObject({ left: { state: 'INSYNC', attributes: { rewritten: true } } });
  });

  it('claims a name written before the TXT registry as its records go, so something stays to write again', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page(weighted(OLD.recordName, 'fargate', 100)));
    route53.on(ChangeResourceRecordSetsCommand).resolves(pendingAnswer);
    const ctx = testContext({ spec: noDns, intent: draining() });
    await dnsLeftoversResource.delete(ctx, (await dnsLeftoversResource.find(ctx))!);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      ChangeBatch: expect.objectContaining({
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: weighted(OLD.recordName, 'fargate', 100) },
          { Action: 'CREATE', ResourceRecordSet: oldTxt },
        ],
      }),
    });
  });

  it('takes the TXT once the drain is over, and answers the change PENDING', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page(oldTxt));
    route53.on(ChangeResourceRecordSetsCommand).resolves(pendingAnswer);
    const ctx = testContext({ spec: noDns, intent: remembering(OLD) });
    const answer = await dnsLeftoversResource.delete(ctx, (await dnsLeftoversResource.find(ctx))!);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      ChangeBatch: expect.objectContaining({ Changes: [{ Action: 'DELETE', ResourceRecordSet: oldTxt }] }),
    });
    expect(answer).toMatchObject({ left: { state: 'PENDING', extra: { changeIds: ['/change/C7'] } } });
  });
});

describe('fargateShare', () => {
  it('is the Fargate record’s share of the weights, at least 1 % for any weight, equal shares when all are 0', () => {
    expect(fargateShare([weighted('a.', 'lambda', 90), weighted('a.', 'fargate', 10)])).toBe(10);
    expect(fargateShare([weighted('a.', 'lambda', 1000), weighted('a.', 'fargate', 1)])).toBe(1);
    expect(fargateShare([weighted('a.', 'lambda', 0), weighted('a.', 'fargate', 0)])).toBe(50);
    expect(fargateShare([weighted('a.', 'lambda', 100), weighted('a.', 'fargate', 0)])).toBe(0);
    expect(fargateShare([weighted('a.', 'lambda', 100)])).toBe(0);
  });
});

describe('namesToRemember', () => {
  const leftovers = (...names: WrittenDnsName[]) =>
    observed(
      'dns-leftovers',
      'AWS::Route53::RecordSet',
      'x',
      {},
      { extra: { leftovers: names.map((n) => ({ ...n, records: [] })) } },
    );
  const record = (foreign = false) => observed('dns-lambda', 'AWS::Route53::RecordSet', 'r', {}, { foreign });
  const recordKeys = ['dns-lambda', 'dns-fargate'];

  it('keeps the spec’s name and the names that still hold something of the stack’s, forgets the rest', () => {
    expect(
      namesToRemember({
        before: [OLD, CURRENT, MOVED],
        spec: testSpec(),
        resources: { 'dns-leftovers': leftovers(MOVED) },
        unknown: {},
        recordKeys,
      }),
    ).toEqual([CURRENT, MOVED]);
  });

  // The old name proves its custom domain the stack's (domain-leftovers.ts); that domain outlives the
  // records while the old name drains, and a pass may die between the TXT's removal and its delete.
  it('keeps a name whose custom domain is still there, or could not be looked up, though nothing is left in DNS', () => {
    const domain = observed(
      'api-domain-leftovers',
      'AWS::ApiGatewayV2::DomainName',
      'old.example.com',
      {},
      { extra: { domainNames: ['old.example.com'] } },
    );
    const remember = (resources: Record<string, unknown>, unknown: Record<string, string> = {}) =>
      namesToRemember({
        before: [OLD, MOVED],
        spec: testSpec(),
        resources: resources as never,
        unknown,
        recordKeys,
      });
    expect(remember({ 'api-domain-leftovers': domain })).toEqual([OLD]);
    expect(remember({}, { 'api-domain-leftovers': 'Throttling' })).toEqual([OLD, MOVED]);
    expect(remember({})).toEqual([]);
  });

  it('keeps every name when the leftovers could not be looked up (unknown is not absent)', () => {
    expect(
      namesToRemember({
        before: [OLD],
        spec: testSpec(),
        resources: {},
        unknown: { 'dns-leftovers': 'Throttling' },
        recordKeys,
      }),
    ).toEqual([OLD]);
  });

  it('adds the spec’s name when the stack’s records are there, not when the name is someone else’s', () => {
    const remember = (foreign: boolean) =>
      namesToRemember({
        before: [],
        spec: testSpec(),
        resources: { 'dns-lambda': record(foreign) },
        unknown: {},
        recordKeys,
      });
    expect(remember(false)).toEqual([CURRENT]);
    expect(remember(true)).toEqual([]);
  });
});
