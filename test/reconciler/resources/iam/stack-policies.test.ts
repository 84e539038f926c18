/**
 * The region's stack-role policies (reconciler/resources/iam/stack-policies.ts): listed by their
 * path, and kept per IAM client for five minutes once found, so that every role of every pass does not
 * list them again; an answer without the boundary (bootstrap not run yet) is not kept.
 */
import { IAMClient, ListPoliciesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { REMEMBER_MS, stackIamPolicies } from '../../../../reconciler/resources/iam/stack-policies';

const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());

const BOUNDARY = 'arn:aws:iam::123456789012:policy/lambdaflex/us-east-1/lambdaflex-stack-boundary-us-east-1';
const LOGS = 'arn:aws:iam::123456789012:policy/lambdaflex/us-east-1/lambdaflex-stack-logs-us-east-1';

describe('stackIamPolicies', () => {
  it('lists the region’s policies once, then answers from what it found for five minutes', async () => {
    iam.on(ListPoliciesCommand).resolves({
      Policies: [{ PolicyName: 'lambdaflex-stack-boundary-us-east-1', Arn: BOUNDARY }],
    });
    const client = new IAMClient({ region: 'us-east-1' });
    expect(await stackIamPolicies(client, 'us-east-1', 0)).toEqual({ boundaryArn: BOUNDARY });
    expect(await stackIamPolicies(client, 'us-east-1', REMEMBER_MS - 1)).toEqual({ boundaryArn: BOUNDARY });
    expect(iam).toHaveReceivedCommandTimes(ListPoliciesCommand, 1);
    expect(iam).toHaveReceivedCommandWith(ListPoliciesCommand, {
      Scope: 'Local',
      PathPrefix: '/lambdaflex/us-east-1/',
    });
    // Bootstrap added the logs policy: seen once the five minutes are over.
    iam.on(ListPoliciesCommand).resolves({
      Policies: [
        { PolicyName: 'lambdaflex-stack-boundary-us-east-1', Arn: BOUNDARY },
        { PolicyName: 'lambdaflex-stack-logs-us-east-1', Arn: LOGS },
      ],
    });
    expect(await stackIamPolicies(client, 'us-east-1', REMEMBER_MS)).toEqual({
      boundaryArn: BOUNDARY,
      logsPolicyArn: LOGS,
    });
    expect(iam).toHaveReceivedCommandTimes(ListPoliciesCommand, 2);
  });

  it('keeps nothing while the boundary is not installed, and nothing across regions or clients', async () => {
    iam.on(ListPoliciesCommand).resolves({ Policies: [] });
    const client = new IAMClient({ region: 'us-east-1' });
    expect(await stackIamPolicies(client, 'us-east-1', 0)).toEqual({});
    expect(await stackIamPolicies(client, 'us-east-1', 1)).toEqual({});
    expect(iam).toHaveReceivedCommandTimes(ListPoliciesCommand, 2);
    iam.on(ListPoliciesCommand).resolves({
      Policies: [{ PolicyName: 'lambdaflex-stack-boundary-us-east-1', Arn: BOUNDARY }],
    });
    await stackIamPolicies(client, 'us-east-1', 2);
    await stackIamPolicies(client, 'eu-west-1', 2);
    await stackIamPolicies(new IAMClient({ region: 'us-east-1' }), 'us-east-1', 2);
    expect(iam).toHaveReceivedCommandTimes(ListPoliciesCommand, 5);
  });
});
