import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  ListPoliciesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { taskRoleResource } from '../../../../reconciler/resources/iam/task-role';
import { testContext } from '../fixtures';

const iam = mockClient(IAMClient);
const POLICIES = 'arn:aws:iam::123456789012:policy/lambdaflex/us-east-1';
const BOUNDARY_ARN = `${POLICIES}/lambdaflex-stack-boundary-us-east-1`;
const TABLE_ARN = `${POLICIES}/lambdaflex-stack-table-us-east-1`;
const LOGS_ARN = `${POLICIES}/lambdaflex-stack-logs-us-east-1`;
const ROLE_NAME = 'lf-orders-api-task-role-us-east-1';
const PATH = '/lambdaflex/us-east-1/';
const TAGS = [
  { Key: 'lambdaflex:stack', Value: 'orders-api' },
  { Key: 'lambdaflex:component', Value: 'task-role' },
  { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
];

beforeEach(() => {
  iam.reset();
  iam.on(ListPoliciesCommand).resolves({
    Policies: [
      { PolicyName: 'lambdaflex-stack-boundary-us-east-1', Arn: BOUNDARY_ARN },
      { PolicyName: 'lambdaflex-stack-logs-us-east-1', Arn: LOGS_ARN },
      { PolicyName: 'lambdaflex-stack-table-us-east-1', Arn: TABLE_ARN },
    ],
  });
});

describe('taskRoleResource', () => {
  it('is a fargate-tier IAM kind without dependencies', () => {
    expect(taskRoleResource).toMatchObject({
      key: 'task-role',
      tier: 'fargate',
      dependsOn: [],
      service: 'iam',
    });
  });

  it('creates the role trusted by ECS tasks, tagged with its stack, bounded, with the state-table policy only', async () => {
    iam.on(CreateRoleCommand).resolves({
      Role: {
        RoleName: ROLE_NAME,
        Arn: `arn:aws:iam::123456789012:role${PATH}${ROLE_NAME}`,
        Path: PATH,
        RoleId: 'AROA2',
        CreateDate: new Date(0),
        Tags: TAGS,
      },
    });
    iam.on(AttachRolePolicyCommand).resolves({});
    await taskRoleResource.create(testContext());
    expect(iam).toHaveReceivedCommandWith(CreateRoleCommand, {
      RoleName: ROLE_NAME,
      Path: PATH,
      Tags: TAGS,
      PermissionsBoundary: BOUNDARY_ARN,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: ['ecs-tasks.amazonaws.com'] }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    expect(iam).toHaveReceivedCommandTimes(AttachRolePolicyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
      RoleName: ROLE_NAME,
      PolicyArn: TABLE_ARN,
    });
  });
});
