/**
 * The lambda record and a custom domain UPDATING (route53/domain-target.ts): moved to the domain only once
 * it is AVAILABLE, unless it already aliases it (a certificate rotated); the weights move all the same.
 */
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import 'aws-sdk-client-mock-jest';
import { observed, testContext } from '../fixtures';
import { withIntent } from '../../../../reconciler/resources/intent';
import {
  ALB,
  changeInfo,
  DOMAIN,
  expectOneBatch,
  fargateRecord,
  fargateSet,
  lambdaRecord,
  lambdaRefs,
  lambdaSet,
  OURS,
  page,
  route53,
} from './record-fixtures';

beforeEach(() => route53.reset());

const EXECUTE_API = 'abcde12345.execute-api.us-east-1.amazonaws.com.';
const updating = { ...lambdaRefs, 'api-domain': { ...DOMAIN, state: 'UPDATING' } };
const current = observed('dns-lambda', 'AWS::Route53::RecordSet', 'rec');

describe('the lambda record and its custom domain UPDATING', () => {
  it('a record not there yet waits for the domain (no call), as for a dependency not there', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page());
    const creating = lambdaRecord.create(testContext({ refs: updating }));
    await expect(creating).rejects.toMatchObject({ name: 'DependencyNotThere', dependency: 'api-domain' });
    await expect(creating).rejects.toThrow(/custom domain api\.example\.com is UPDATING/);
    expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });

  it('a record on another target keeps it while the weights move, and waits when only the move is left', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves(page(fargateSet(50), lambdaSet(50, EXECUTE_API), OURS));
    route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C4'));
    const refs = { ...updating, alb: ALB };
    const intent = withIntent({ weights: { lambda: 100, fargate: 0 } });
    await fargateRecord.update!(testContext({ refs, intent }), current, []);
    expectOneBatch([
      { Action: 'DELETE', ResourceRecordSet: OURS },
      { Action: 'CREATE', ResourceRecordSet: OURS },
      { Action: 'UPSERT', ResourceRecordSet: fargateSet(0) },
      { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100, EXECUTE_API) },
    ]);

    route53.reset();
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves(page(fargateSet(0), lambdaSet(100, EXECUTE_API), OURS));
    const moving = lambdaRecord.update!(testContext({ refs, intent }), current, []);
    await expect(moving).rejects.toMatchObject({ name: 'DependencyNotThere', dependency: 'api-domain' });
    expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });

  it('a record already on the domain (a certificate rotated) is written as usual, not stalled', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page(fargateSet(50), lambdaSet(50), OURS));
    route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C5'));
    const intent = withIntent({ weights: { lambda: 100, fargate: 0 } });
    await lambdaRecord.update!(testContext({ refs: { ...updating, alb: ALB }, intent }), current, []);
    expectOneBatch([
      { Action: 'DELETE', ResourceRecordSet: OURS },
      { Action: 'CREATE', ResourceRecordSet: OURS },
      { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100) },
    ]);
  });

  it('AVAILABLE: a record on another target moves to the domain', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves(page(lambdaSet(100, EXECUTE_API), OURS));
    route53.on(ChangeResourceRecordSetsCommand).resolves(changeInfo('C6'));
    const available = { ...lambdaRefs, 'api-domain': { ...DOMAIN, state: 'AVAILABLE' } };
    await lambdaRecord.update!(testContext({ refs: available }), current, []);
    expectOneBatch([
      { Action: 'DELETE', ResourceRecordSet: OURS },
      { Action: 'CREATE', ResourceRecordSet: OURS },
      { Action: 'UPSERT', ResourceRecordSet: lambdaSet(100) },
    ]);
  });
});
