import {
  AddPermissionCommand,
  GetPolicyCommand,
  LambdaClient,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import {
  executeApiSourceArn,
  lambdaPermissionResource,
} from '../../../../reconciler/resources/lambda/permission';
import { awsError, observed, testContext, testSpec, TEST_API_EXTRA } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

const FUNCTION_NAME = 'lf-orders-api-function';
const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:123456789012:function:${FUNCTION_NAME}`;
const SOURCE_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcde12345/*';
const FUNCTION = observed(
  'lambda-function',
  'AWS::Lambda::Function',
  FUNCTION_NAME,
  {},
  { arn: FUNCTION_ARN },
);
const API = observed('http-api', 'AWS::ApiGatewayV2::Api', 'abcde12345', {}, { extra: TEST_API_EXTRA });
const refs = { 'lambda-function': FUNCTION, 'http-api': API };

function policy(statements: unknown[]) {
  return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }) };
}
const statement = (sid: string, sourceArn: string = SOURCE_ARN) => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: { Service: 'apigateway.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Resource: FUNCTION_ARN,
  Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
});
const current = () =>
  observed(
    'lambda-permission',
    'AWS::Lambda::Permission',
    `${FUNCTION_NAME}/lambdaflex-apigw`,
    {},
    {
      extra: { functionName: FUNCTION_NAME, statementId: 'lambdaflex-apigw' },
    },
  );

describe('lambdaPermissionResource', () => {
  it('takes region, account and partition from the function ARN', () => {
    expect(lambdaPermissionResource.dependsOn).toEqual(['lambda-function', 'http-api']);
    expect(lambdaPermissionResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
      principal: 'apigateway.amazonaws.com',
      action: 'lambda:InvokeFunction',
      sourceArn: SOURCE_ARN,
    });
    expect(executeApiSourceArn('arn:aws-cn:lambda:cn-north-1:999999999999:function:f', 'x1')).toBe(
      'arn:aws-cn:execute-api:cn-north-1:999999999999:x1/*',
    );
    expect(executeApiSourceArn(undefined, 'x1')).toBeUndefined();
  });

  describe('find', () => {
    it('returns undefined without a policy (ResourceNotFoundException)', async () => {
      lambda
        .on(GetPolicyCommand)
        .rejects(awsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404));
      expect(await lambdaPermissionResource.find(testContext({ refs }))).toBeUndefined();
      expect(lambda).toHaveReceivedCommandWith(GetPolicyCommand, { FunctionName: FUNCTION_NAME });
    });

    it('returns undefined when the policy lacks our statement id', async () => {
      lambda.on(GetPolicyCommand).resolves(policy([statement('someone-else')]));
      expect(await lambdaPermissionResource.find(testContext({ refs }))).toBeUndefined();
    });

    it('reads our statement, equal to desired', async () => {
      lambda
        .on(GetPolicyCommand)
        .resolves(policy([statement('someone-else'), statement('lambdaflex-apigw')]));
      const found = await lambdaPermissionResource.find(testContext({ refs }));
      expect(found).toMatchObject({ id: `${FUNCTION_NAME}/lambdaflex-apigw`, foreign: false });
      expect(
        diffAttributes(
          lambdaPermissionResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
          found!.attributes,
        ),
      ).toEqual([]);
    });

    it('sees a statement for another API as drift', async () => {
      lambda
        .on(GetPolicyCommand)
        .resolves(
          policy([statement('lambdaflex-apigw', 'arn:aws:execute-api:eu-west-1:123456789012:old0000000/*')]),
        );
      const found = await lambdaPermissionResource.find(testContext({ refs }));
      expect(
        diffAttributes(
          lambdaPermissionResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
          found!.attributes,
        ).map((c) => c.path),
      ).toEqual(['sourceArn']);
    });

    it('looks nothing up without the function', async () => {
      expect(await lambdaPermissionResource.find(testContext({ refs: { 'http-api': API } }))).toBeUndefined();
      expect(lambda).not.toHaveReceivedCommand(GetPolicyCommand);
    });
  });

  it('adds the statement for API Gateway limited to our API', async () => {
    lambda.on(AddPermissionCommand).resolves({ Statement: '{}' });
    await lambdaPermissionResource.create(testContext({ refs }));
    expect(lambda).toHaveReceivedCommandWith(AddPermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: 'lambdaflex-apigw',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: SOURCE_ARN,
    });
  });

  it('updates by removing then adding the statement', async () => {
    lambda.on(RemovePermissionCommand).resolves({});
    lambda.on(AddPermissionCommand).resolves({ Statement: '{}' });
    await lambdaPermissionResource.update!(testContext({ refs }), current(), [
      { path: 'sourceArn', from: 'a', to: 'b' },
    ]);
    expect(lambda).toHaveReceivedNthCommandWith(1, RemovePermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: 'lambdaflex-apigw',
    });
    expect(lambda).toHaveReceivedNthCommandWith(2, AddPermissionCommand, { SourceArn: SOURCE_ARN });
  });

  it('deletes idempotently and refuses a foreign function', async () => {
    lambda
      .on(RemovePermissionCommand)
      .rejects(
        awsError(
          'ResourceNotFoundException',
          'Statement lambdaflex-apigw is not found in resource policy.',
          404,
        ),
      );
    await expect(lambdaPermissionResource.delete(testContext(), current())).resolves.toBeUndefined();
    expect(lambda).toHaveReceivedCommandWith(RemovePermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: 'lambdaflex-apigw',
    });
    await expect(
      lambdaPermissionResource.delete(testContext(), { ...current(), foreign: true }),
    ).rejects.toBeInstanceOf(ForeignResourceError);
  });

  it('retries a statement that already exists; a policy too long is terminal', () => {
    const exists = awsError(
      'ResourceConflictException',
      'The statement id (lambdaflex-apigw) provided already exists.',
      409,
    );
    expect(classify(exists, lambdaPermissionResource.errors)).toBe('retryable');
    expect(
      classify(awsError('PolicyLengthExceededException', 'too long'), lambdaPermissionResource.errors),
    ).toBe('terminal');
  });
});
