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
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { executionRoleResource } from '../../../../reconciler/resources/iam/execution-role';
import { awsError, testContext, testSpec } from '../fixtures';
import { FOREIGN_TAG_LIST, OWN_TAG_LIST, ROLE_ARN } from '../fargate-refs';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const iam = mockClient(IAMClient);
const POLICIES = 'arn:aws:iam::123456789012:policy/lambdaflex/us-east-1';
const BOUNDARY_ARN = `${POLICIES}/lambdaflex-stack-boundary-us-east-1`;
const LOGS_ARN = `${POLICIES}/lambdaflex-stack-logs-us-east-1`;
beforeEach(() => {
  iam.reset();
  // What bootstrap installed in the region.
  iam.on(ListPoliciesCommand).resolves({
    Policies: [
      { PolicyName: 'lambdaflex-stack-boundary-us-east-1', Arn: BOUNDARY_ARN },
      { PolicyName: 'lambdaflex-stack-logs-us-east-1', Arn: LOGS_ARN },
    ],
  });
});

const ROLE_NAME = 'lf-orders-api-execution-role-us-east-1';
const MANAGED_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
const TRUST = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: ['ecs-tasks.amazonaws.com'] }, Action: 'sts:AssumeRole' },
  ],
};

function answerFind(tags = OWN_TAG_LIST('execution-role'), attached = [MANAGED_ARN, LOGS_ARN]): void {
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: ROLE_NAME,
      Arn: ROLE_ARN,
      Path: '/lambdaflex/us-east-1/',
      RoleId: 'AROAEXAMPLE',
      PermissionsBoundary: {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: BOUNDARY_ARN,
      },
      CreateDate: new Date(0),
      // IAM answers with the document URL-encoded.
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(TRUST)),
      Tags: tags,
    },
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({
    AttachedPolicies: attached.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })),
  });
}

describe('executionRoleResource', () => {
  describe('create', () => {
    it('creates the role trusted by ECS tasks, tagged, with the managed policy and the log-group policy', async () => {
      iam.on(CreateRoleCommand).resolves({
        Role: { RoleName: ROLE_NAME, Arn: ROLE_ARN, Path: '/', RoleId: 'AROA', CreateDate: new Date(0) },
      });
      const created = await executionRoleResource.create(testContext());
      const input = iam.commandCalls(CreateRoleCommand)[0].args[0].input;
      expect(input.RoleName).toBe(ROLE_NAME);
      expect(input.Tags).toEqual(OWN_TAG_LIST('execution-role'));
      expect(JSON.parse(input.AssumeRolePolicyDocument!)).toEqual(TRUST);
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: MANAGED_ARN,
      });
      // Bootstrap's log-group policy replaces the inline policy of before: nothing inline is written.
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: LOGS_ARN,
      });
      expect(iam).not.toHaveReceivedCommand(PutRolePolicyCommand);
      expect(input.PermissionsBoundary).toBe(BOUNDARY_ARN);
      expect(input.Path).toBe('/lambdaflex/us-east-1/');
      expect(created).toMatchObject({ id: ROLE_NAME, arn: ROLE_ARN, foreign: false, ready: true });
    });

    it('tags the role with the create’s nonce when one was journaled', async () => {
      iam.on(CreateRoleCommand).resolves({
        Role: { RoleName: ROLE_NAME, Arn: ROLE_ARN, Path: '/', RoleId: 'AROA', CreateDate: new Date(0) },
      });
      const created = await executionRoleResource.create({ ...testContext(), nonce: 'n-1' });
      expect(iam).toHaveReceivedCommandWith(CreateRoleCommand, {
        Tags: [...OWN_TAG_LIST('execution-role'), { Key: 'lambdaflex:nonce', Value: 'n-1' }],
      });
      expect(created.tags['lambdaflex:nonce']).toBe('n-1');
    });

    it('uses the partition of the region for the managed policy', async () => {
      iam.on(CreateRoleCommand).resolves({
        Role: { RoleName: ROLE_NAME, Arn: ROLE_ARN, Path: '/', RoleId: 'AROA', CreateDate: new Date(0) },
      });
      await executionRoleResource.create(testContext({ region: 'cn-north-1' }));
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        PolicyArn: 'arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      });
    });
  });

  describe('find', () => {
    it('reads the role, its tags and policies; an unchanged role has no drift', async () => {
      answerFind();
      const found = await executionRoleResource.find(testContext());
      expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE_NAME });
      expect(found).toMatchObject({ id: ROLE_NAME, arn: ROLE_ARN, foreign: false });
      // The id is the name: the RoleId tells this role from one made again under it.
      expect(found?.uniqueId).toBe('AROAEXAMPLE');
      expect(
        diffAttributes(
          executionRoleResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT),
          found!.attributes,
        ),
      ).toEqual([]);
    });

    it('answers undefined on NoSuchEntity', async () => {
      iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException'));
      await expect(executionRoleResource.find(testContext())).resolves.toBeUndefined();
    });

    it('reports a same-named role without our tags as foreign, without reading its policies', async () => {
      answerFind(FOREIGN_TAG_LIST);
      await expect(executionRoleResource.find(testContext())).resolves.toMatchObject({ foreign: true });
      expect(iam).not.toHaveReceivedCommand(ListAttachedRolePoliciesCommand);
    });

    it('sees missing policies (a crash right after CreateRole) as drift, which update repairs', async () => {
      answerFind(OWN_TAG_LIST('execution-role'), []);
      const current = (await executionRoleResource.find(testContext()))!;
      const changes = diffAttributes(
        executionRoleResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT),
        current.attributes,
      );
      expect(changes.map((c) => c.path)).toEqual(['managedPolicies', 'stackPolicies']);
      await executionRoleResource.update!(testContext(), current, changes);
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: MANAGED_ARN,
      });
      expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: LOGS_ARN,
      });
    });
  });

  describe('delete', () => {
    it('detaches and deletes its policies, then deletes the role', async () => {
      answerFind();
      const current = (await executionRoleResource.find(testContext()))!;
      iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['lambdaflex-create-log-group'] });
      await executionRoleResource.delete(testContext(), current);
      expect(iam).toHaveReceivedCommandWith(DetachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: LOGS_ARN,
      });
      expect(iam).toHaveReceivedCommandWith(DetachRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyArn: MANAGED_ARN,
      });
      expect(iam).toHaveReceivedCommandWith(DeleteRolePolicyCommand, {
        RoleName: ROLE_NAME,
        PolicyName: 'lambdaflex-create-log-group',
      });
      expect(iam).toHaveReceivedCommandWith(DeleteRoleCommand, { RoleName: ROLE_NAME });
    });

    it('is done when the role is already gone', async () => {
      answerFind();
      const current = (await executionRoleResource.find(testContext()))!;
      iam.on(ListAttachedRolePoliciesCommand).rejects(awsError('NoSuchEntityException'));
      await expect(executionRoleResource.delete(testContext(), current)).resolves.toBeUndefined();
      expect(iam).not.toHaveReceivedCommand(DeleteRoleCommand);
    });

    it('still deletes the role when a policy was detached meanwhile', async () => {
      answerFind();
      const current = (await executionRoleResource.find(testContext()))!;
      iam.on(DetachRolePolicyCommand).rejects(awsError('NoSuchEntityException'));
      iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
      await executionRoleResource.delete(testContext(), current);
      expect(iam).toHaveReceivedCommandWith(DeleteRoleCommand, { RoleName: ROLE_NAME });
    });
  });

  it.each([
    ['NoSuchEntityException', 'notFound'],
    ['DeleteConflictException', 'retryable'],
    ['EntityAlreadyExistsException', 'retryable'],
    ['MalformedPolicyDocumentException', 'terminal'],
    ['LimitExceededException', 'terminal'],
    ['AccessDenied', 'terminal'],
  ])('classifies %s as %s', (code, verdict) => {
    expect(classify(awsError(code), executionRoleResource.errors)).toBe(verdict);
  });
});
