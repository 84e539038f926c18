import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import {
  lambdaRoleResource,
  lambdaRoleReplacedResource,
} from '../../../../reconciler/resources/iam/lambda-role';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const iam = mockClient(IAMClient);
const BOUNDARY_ARN =
  'arn:aws:iam::123456789012:policy/lambdaflex/us-east-1/lambdaflex-stack-boundary-us-east-1';
/** What bootstrap installed in the region: the boundary (and, unused by this role, the logs policy). */
function installed(boundary = true) {
  iam.on(ListPoliciesCommand).resolves({
    Policies: boundary ? [{ PolicyName: 'lambdaflex-stack-boundary-us-east-1', Arn: BOUNDARY_ARN }] : [],
  });
}
beforeEach(() => {
  iam.reset();
  installed();
});

const ROLE_NAME = 'lf-orders-api-lambda-role-us-east-1';
const PATH = '/lambdaflex/us-east-1/';
const ROLE_ARN = `arn:aws:iam::123456789012:role${PATH}${ROLE_NAME}`;
const BASIC_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const OWN_TAGS = [
  { Key: 'lambdaflex:stack', Value: 'orders-api' },
  { Key: 'lambdaflex:component', Value: 'lambda-role' },
  { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
];
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
  ],
});

function role(tags = OWN_TAGS, boundary: string | null = BOUNDARY_ARN) {
  return {
    RoleName: ROLE_NAME,
    Arn: ROLE_ARN,
    Path: PATH,
    ...(boundary
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const,
            PermissionsBoundaryArn: boundary,
          },
        }
      : {}),
    RoleId: 'AROA1',
    CreateDate: new Date(0),
    AssumeRolePolicyDocument: encodeURIComponent(TRUST),
    Tags: tags,
  };
}

const current = (extra: Record<string, unknown> = { attachedPolicyArns: [BASIC_ARN] }) =>
  observed('lambda-role', 'AWS::IAM::Role', ROLE_NAME, {}, { arn: ROLE_ARN, extra });

describe('lambdaRoleResource', () => {
  it('is a lambda-tier IAM kind without dependencies', () => {
    expect(lambdaRoleResource).toMatchObject({
      key: 'lambda-role',
      tier: 'lambda',
      service: 'iam',
      dependsOn: [],
    });
    expect(lambdaRoleResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT)).toEqual({
      trustedServices: ['lambda.amazonaws.com'],
      managedPolicies: ['AWSLambdaBasicExecutionRole'],
      stackPolicies: 'complete',
    });
  });

  describe('find', () => {
    it('returns undefined on NoSuchEntity', async () => {
      iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found', 404));
      expect(await lambdaRoleResource.find(testContext())).toBeUndefined();
      expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE_NAME });
    });

    it('reports an owned role with attributes equal to desired', async () => {
      iam.on(GetRoleCommand).resolves({ Role: role() });
      iam.on(ListAttachedRolePoliciesCommand).resolves({
        AttachedPolicies: [{ PolicyArn: BASIC_ARN, PolicyName: 'AWSLambdaBasicExecutionRole' }],
      });
      const found = await lambdaRoleResource.find(testContext());
      expect(found).toMatchObject({ id: ROLE_NAME, arn: ROLE_ARN, foreign: false, ready: true });
      expect(found?.attributes).toEqual(lambdaRoleResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT));
    });

    it('sees a role without the installed boundary as drift, which update repairs', async () => {
      iam.on(GetRoleCommand).resolves({ Role: role(OWN_TAGS, null) });
      iam.on(ListAttachedRolePoliciesCommand).resolves({
        AttachedPolicies: [{ PolicyArn: BASIC_ARN, PolicyName: 'AWSLambdaBasicExecutionRole' }],
      });
      const found = (await lambdaRoleResource.find(testContext()))!;
      expect(found.attributes['stackPolicies']).toBe('missing');
      await lambdaRoleResource.update!(testContext(), found, [
        { path: 'stackPolicies', from: 'missing', to: 'complete' },
      ]);
      expect(iam).toHaveReceivedCommandWith(PutRolePermissionsBoundaryCommand, {
        RoleName: ROLE_NAME,
        PermissionsBoundary: BOUNDARY_ARN,
      });
    });

    it('has nothing missing where bootstrap installed no boundary', async () => {
      installed(false);
      iam.on(GetRoleCommand).resolves({ Role: role(OWN_TAGS, null) });
      iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: BASIC_ARN }] });
      const found = await lambdaRoleResource.find(testContext());
      expect(found?.attributes['stackPolicies']).toBe('complete');
    });

    it('marks an untagged role of the same name as foreign and reads nothing more', async () => {
      iam.on(GetRoleCommand).resolves({ Role: role([]) });
      const found = await lambdaRoleResource.find(testContext());
      expect(found?.foreign).toBe(true);
      expect(iam).not.toHaveReceivedCommand(ListAttachedRolePoliciesCommand);
    });
  });

  describe('the state table policy', () => {
    const TABLE_ARN =
      'arn:aws:iam::123456789012:policy/lambdaflex/us-east-1/lambdaflex-stack-table-us-east-1';
    beforeEach(() => {
      iam.on(ListPoliciesCommand).resolves({
        Policies: [
          { PolicyName: 'lambdaflex-stack-boundary-us-east-1', Arn: BOUNDARY_ARN },
          { PolicyName: 'lambdaflex-stack-table-us-east-1', Arn: TABLE_ARN },
        ],
      });
    });

    it('is attached at create, so the function can read its own record', async () => {
      iam.on(CreateRoleCommand).resolves({ Role: role() });
      iam.on(AttachRolePolicyCommand).resolves({});
      await lambdaRoleResource.create(testContext());
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: TABLE_ARN,
      });
    });

    it('missing from a role made before bootstrap installed it is drift, which update repairs', async () => {
      iam.on(GetRoleCommand).resolves({ Role: role() });
      iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: BASIC_ARN }] });
      const found = (await lambdaRoleResource.find(testContext()))!;
      expect(found.attributes['stackPolicies']).toBe('missing');
      await lambdaRoleResource.update!(testContext(), found, [
        { path: 'stackPolicies', from: 'missing', to: 'complete' },
      ]);
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: TABLE_ARN,
      });
    });
  });

  describe('create', () => {
    it('creates the role under its region, trusted by Lambda, tagged, bounded, then attaches the basic execution policy', async () => {
      iam.on(CreateRoleCommand).resolves({ Role: role() });
      iam.on(AttachRolePolicyCommand).resolves({});
      const created = await lambdaRoleResource.create(testContext());
      expect(iam).toHaveReceivedCommandWith(CreateRoleCommand, {
        RoleName: ROLE_NAME,
        Path: PATH,
        AssumeRolePolicyDocument: TRUST,
        Tags: OWN_TAGS,
        PermissionsBoundary: BOUNDARY_ARN,
      });
      expect(iam).toHaveReceivedCommandWith(ListPoliciesCommand, { Scope: 'Local', PathPrefix: PATH });
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: BASIC_ARN,
      });
      expect(created).toMatchObject({ arn: ROLE_ARN, foreign: false });
      expect(created.attributes).toEqual(
        lambdaRoleResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT),
      );
    });

    it('uses the partition of the region for the managed policy', async () => {
      iam.on(CreateRoleCommand).resolves({ Role: role() });
      await lambdaRoleResource.create(testContext({ region: 'cn-north-1' }));
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        PolicyArn: 'arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      });
    });
  });

  describe('update', () => {
    it('detaches strays, attaches the basic policy and rewrites the trust policy', async () => {
      iam.on(GetRoleCommand).resolves({ Role: role() });
      iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: BASIC_ARN }] });
      const stray = 'arn:aws:iam::aws:policy/AdministratorAccess';
      await lambdaRoleResource.update!(testContext(), current({ attachedPolicyArns: [stray] }), [
        { path: 'managedPolicies', from: ['AdministratorAccess'], to: ['AWSLambdaBasicExecutionRole'] },
        { path: 'trustedServices', from: [], to: ['lambda.amazonaws.com'] },
      ]);
      expect(iam).toHaveReceivedCommandWith(DetachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: stray,
      });
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: BASIC_ARN,
      });
      expect(iam).toHaveReceivedCommandWith(UpdateAssumeRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyDocument: TRUST,
      });
    });

    it('refuses a foreign role', async () => {
      await expect(
        lambdaRoleResource.update!(testContext(), { ...current(), foreign: true }, [
          { path: 'trustedServices', from: [], to: [] },
        ]),
      ).rejects.toBeInstanceOf(ForeignResourceError);
      expect(iam).toHaveReceivedCommandTimes(UpdateAssumeRolePolicyCommand, 0);
    });
  });

  describe('delete', () => {
    it('detaches every managed policy, deletes inline ones, then deletes the role', async () => {
      iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: BASIC_ARN }] });
      iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['hand-made'] });
      await lambdaRoleResource.delete(testContext(), current());
      expect(iam).toHaveReceivedCommandWith(DetachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: BASIC_ARN,
      });
      expect(iam).toHaveReceivedCommandWith(DeleteRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyName: 'hand-made',
      });
      expect(iam).toHaveReceivedCommandWith(DeleteRoleCommand, { RoleName: ROLE_NAME });
    });

    it('is done when the role is already gone', async () => {
      iam.on(ListAttachedRolePoliciesCommand).rejects(awsError('NoSuchEntity', 'gone', 404));
      await expect(lambdaRoleResource.delete(testContext(), current())).resolves.toBeUndefined();
      expect(iam).toHaveReceivedCommandTimes(DeleteRoleCommand, 0);
    });

    it('treats NoSuchEntity on the final delete as done', async () => {
      iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
      iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
      iam.on(DeleteRoleCommand).rejects(awsError('NoSuchEntity', 'gone', 404));
      await expect(lambdaRoleResource.delete(testContext(), current())).resolves.toBeUndefined();
    });

    it('refuses a foreign role', async () => {
      await expect(
        lambdaRoleResource.delete(testContext(), { ...current(), foreign: true }),
      ).rejects.toBeInstanceOf(ForeignResourceError);
      expect(iam).toHaveReceivedCommandTimes(DeleteRoleCommand, 0);
    });
  });

  describe('the role of before names carried the region', () => {
    const OLD = 'lf-orders-api-lambda-role';
    const OLD_ARN = `arn:aws:iam::123456789012:role/${OLD}`;
    const old = observed('lambda-role-global', 'AWS::IAM::Role', OLD, {}, { arn: OLD_ARN });

    it('is never wanted, and found by its old name as a role the engine leaves alone', async () => {
      expect(lambdaRoleReplacedResource.neededBy(testSpec())).toBe(false);
      iam.on(GetRoleCommand).resolves({ Role: { ...role(), RoleName: OLD, Arn: OLD_ARN, Path: '/' } });
      await expect(lambdaRoleReplacedResource.find(testContext())).resolves.toMatchObject({
        id: OLD,
        arn: OLD_ARN,
        foreign: true,
      });
      expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: OLD });
    });

    it('is never deleted: it may still serve the stack of that name in another region', async () => {
      await expect(lambdaRoleReplacedResource.delete(testContext(), old)).rejects.toBeInstanceOf(
        ForeignResourceError,
      );
      expect(iam).toHaveReceivedCommandTimes(DeleteRoleCommand, 0);
      expect(iam).toHaveReceivedCommandTimes(DetachRolePolicyCommand, 0);
    });
  });

  describe('errors', () => {
    it('retries DeleteConflict and EntityAlreadyExists; MalformedPolicyDocument is terminal', () => {
      const errors = lambdaRoleResource.errors;
      expect(
        classify(
          awsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409),
          errors,
        ),
      ).toBe('retryable');
      expect(classify(awsError('EntityAlreadyExists', 'exists', 409), errors)).toBe('retryable');
      expect(classify(awsError('MalformedPolicyDocument'), errors)).toBe('terminal');
      expect(classify(awsError('NoSuchEntity', 'gone', 404), errors)).toBe('notFound');
    });
  });
});
