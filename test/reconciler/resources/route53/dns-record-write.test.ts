/**
 * The DNS record kind's create and update (record-batch.ts): one transactional batch for the pair, the
 * ownership TXT claimed or carried as its guard, a fargate weight only onto an active ALB.
 */
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT, withIntent } from '../../../../reconciler/resources/intent';
import {
  ALB,
  API,
  changeInfo,
  expectOneBatch,
  fargateRecord,
  fargateSet,
  lambdaRecord,
  lambdaRefs,
  lambdaSet,
  noCertificate,
  ownerTxt,
  OURS,
  page,
  remembered,
  route53,
  ZONE,
} from './record-fixtures';

beforeEach(() => route53.reset());

describe('dnsRecordResource', () => {
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

    it('never writes a fargate weight without its ALB (retried, not terminal), nor creates the record (it waits)', async () => {
      route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(10), lambdaSet(90), OURS));
      const current = observed('dns-fargate', 'AWS::Route53::RecordSet', 'rec');
      const half = withIntent({ weights: { lambda: 50, fargate: 50 } });
      const raising = fargateRecord.update!(testContext({ refs: lambdaRefs, intent: half }), current, []);
      await expect(raising).rejects.toMatchObject({ name: 'AlbNotReady' });
      expect(classify(await raising.catch((e: unknown) => e), fargateRecord.errors)).toBe('retryable');

      route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100), OURS));
      const creating = fargateRecord.create(testContext({ refs: lambdaRefs, intent: DEFAULT_INTENT }));
      await expect(creating).rejects.toMatchObject({ name: 'DependencyNotThere', dependency: 'alb' });
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
});
