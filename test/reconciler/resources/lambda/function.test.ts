import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { lambdaFunctionResource } from '../../../../reconciler/resources/lambda/function';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

const NAME = 'lf-orders-api-function';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${NAME}`;
const ROLE_ARN = 'arn:aws:iam::123456789012:role/lf-orders-api-lambda-role';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2';
const OWN_TAGS = {
  'lambdaflex:stack': 'orders-api',
  'lambdaflex:component': 'lambda-function',
  'lambdaflex:managed-by': 'lambdaflex',
};
const ROLE = observed('lambda-role', 'AWS::IAM::Role', 'lf-orders-api-lambda-role', {}, { arn: ROLE_ARN });
const refs = { 'lambda-role': ROLE };

function configuration(overrides: Record<string, unknown> = {}) {
  return {
    FunctionName: NAME,
    FunctionArn: FUNCTION_ARN,
    Role: ROLE_ARN,
    PackageType: 'Image' as const,
    MemorySize: 512,
    Timeout: 29,
    Environment: {
      Variables: { LOG_LEVEL: 'info', LAMBDAFLEX_STACK: 'orders-api', LAMBDAFLEX_TABLE: 'lambdaflex' },
    },
    State: 'Active' as const,
    LastUpdateStatus: 'Successful' as const,
    ...overrides,
  };
}

function answer(overrides: Record<string, unknown> = {}, tags: Record<string, string> = OWN_TAGS) {
  return {
    Configuration: configuration(overrides),
    Code: { RepositoryType: 'ECR', ImageUri: IMAGE },
    Tags: tags,
    Concurrency: { ReservedConcurrentExecutions: 100 },
  };
}

const current = () => observed('lambda-function', 'AWS::Lambda::Function', NAME, {}, { arn: FUNCTION_ARN });

describe('lambdaFunctionResource', () => {
  it('depends on the role, in the lambda tier', () => {
    expect(lambdaFunctionResource).toMatchObject({
      key: 'lambda-function',
      tier: 'lambda',
      service: 'lambda',
      dependsOn: ['lambda-role'],
    });
  });

  describe('desired', () => {
    it('adds LAMBDAFLEX_STACK to the environment, sorted, and the role from refs', () => {
      expect(lambdaFunctionResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
        functionName: NAME,
        packageType: 'Image',
        imageUri: IMAGE,
        memoryMb: 512,
        timeoutSeconds: 29,
        environment: [
          { name: 'LAMBDAFLEX_STACK', value: 'orders-api' },
          { name: 'LAMBDAFLEX_TABLE', value: 'lambdaflex' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        reservedConcurrency: 100,
        role: ROLE_ARN,
      });
    });

    it('wants no reservation as null so that removing it is a change', () => {
      const spec = testSpec({ lambda: { memoryMb: 512, timeoutSeconds: 29 } });
      expect(
        lambdaFunctionResource.desiredAttributes(spec, refs, DEFAULT_INTENT).reservedConcurrency,
      ).toBeNull();
    });
  });

  describe('find', () => {
    it('returns undefined on ResourceNotFoundException', async () => {
      lambda.on(GetFunctionCommand).rejects(awsError('ResourceNotFoundException', 'Function not found', 404));
      expect(await lambdaFunctionResource.find(testContext())).toBeUndefined();
      expect(lambda).toHaveReceivedCommandWith(GetFunctionCommand, { FunctionName: NAME });
    });

    it('reports an active owned function whose attributes equal desired', async () => {
      lambda.on(GetFunctionCommand).resolves(answer());
      const found = await lambdaFunctionResource.find(testContext({ refs }));
      expect(found).toMatchObject({
        id: NAME,
        arn: FUNCTION_ARN,
        ready: true,
        foreign: false,
        state: 'Active',
      });
      expect(found?.extra).toEqual({ functionName: NAME, functionArn: FUNCTION_ARN });
      expect(
        diffAttributes(
          lambdaFunctionResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
          found!.attributes,
        ),
      ).toEqual([]);
    });

    it('sees a removed environment variable as drift', async () => {
      lambda.on(GetFunctionCommand).resolves(
        answer({
          Environment: {
            Variables: {
              LOG_LEVEL: 'info',
              LAMBDAFLEX_STACK: 'orders-api',
              LAMBDAFLEX_TABLE: 'lambdaflex',
              OLD: '1',
            },
          },
        }),
      );
      const found = await lambdaFunctionResource.find(testContext({ refs }));
      const changes = diffAttributes(
        lambdaFunctionResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
        found!.attributes,
      );
      expect(changes.map((change) => change.path)).toEqual(['environment']);
    });

    it('marks a function without our tags as foreign', async () => {
      lambda.on(GetFunctionCommand).resolves(answer({}, { team: 'other' }));
      expect((await lambdaFunctionResource.find(testContext()))?.foreign).toBe(true);
    });

    it('is not ready while Pending or while an update is in progress', async () => {
      lambda
        .on(GetFunctionCommand)
        .resolvesOnce(answer({ State: 'Pending', LastUpdateStatus: undefined }))
        .resolvesOnce(answer({ LastUpdateStatus: 'InProgress' }));
      const pending = await lambdaFunctionResource.find(testContext());
      const updating = await lambdaFunctionResource.find(testContext());
      expect(pending).toMatchObject({ ready: false, notReadyReason: expect.stringContaining('Pending') });
      expect(updating).toMatchObject({ ready: false, notReadyReason: 'function update in progress' });
    });

    it('reads readiness from its declared states: Inactive is ready, a failed create or update is not', async () => {
      expect(lambdaFunctionResource.waiters).toEqual({
        ready: { pending: ['Pending'], target: ['Active', 'Inactive'] },
        updated: { pending: ['InProgress'], target: ['Successful'] },
      });
      lambda
        .on(GetFunctionCommand)
        .resolvesOnce(answer({ State: 'Inactive', LastUpdateStatus: 'Successful' }))
        .resolvesOnce(answer({ State: 'Failed', StateReason: 'image gone', LastUpdateStatus: undefined }))
        .resolvesOnce(
          answer({ State: 'Active', LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'bad role' }),
        );
      const inactive = await lambdaFunctionResource.find(testContext());
      const failed = await lambdaFunctionResource.find(testContext());
      const updateFailed = await lambdaFunctionResource.find(testContext());
      expect(inactive).toMatchObject({ ready: true, state: 'Inactive' });
      expect(inactive?.notReadyReason).toBeUndefined();
      expect(failed).toMatchObject({ ready: false, notReadyReason: 'function Failed: image gone' });
      expect(updateFailed).toMatchObject({
        ready: false,
        notReadyReason: 'function update failed: bad role',
      });
    });
  });

  describe('create', () => {
    it('creates an image function with the spec sizes, environment, role and tags, then reserves concurrency', async () => {
      lambda
        .on(CreateFunctionCommand)
        .resolves(configuration({ State: 'Pending', LastUpdateStatus: undefined }));
      lambda.on(PutFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 100 });
      const created = await lambdaFunctionResource.create(testContext({ refs }));
      expect(lambda).toHaveReceivedCommandWith(CreateFunctionCommand, {
        FunctionName: NAME,
        PackageType: 'Image',
        Code: { ImageUri: IMAGE },
        Role: ROLE_ARN,
        MemorySize: 512,
        Timeout: 29,
        Environment: {
          Variables: { LOG_LEVEL: 'info', LAMBDAFLEX_STACK: 'orders-api', LAMBDAFLEX_TABLE: 'lambdaflex' },
        },
        Tags: OWN_TAGS,
      });
      expect(lambda).toHaveReceivedCommandWith(PutFunctionConcurrencyCommand, {
        FunctionName: NAME,
        ReservedConcurrentExecutions: 100,
      });
      expect(created).toMatchObject({ arn: FUNCTION_ARN, ready: false, foreign: false });
    });

    it('tags the function with the create’s nonce when one was journaled', async () => {
      lambda.on(CreateFunctionCommand).resolves(configuration());
      lambda.on(PutFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 100 });
      const created = await lambdaFunctionResource.create({ ...testContext({ refs }), nonce: 'n-1' });
      expect(lambda).toHaveReceivedCommandWith(CreateFunctionCommand, {
        Tags: { ...OWN_TAGS, 'lambdaflex:nonce': 'n-1' },
      });
      expect(created.tags['lambdaflex:nonce']).toBe('n-1');
    });

    it('makes no concurrency call without a reservation', async () => {
      lambda.on(CreateFunctionCommand).resolves(configuration());
      await lambdaFunctionResource.create(
        testContext({ refs, spec: testSpec({ lambda: { memoryMb: 512, timeoutSeconds: 29 } }) }),
      );
      expect(lambda).not.toHaveReceivedCommand(PutFunctionConcurrencyCommand);
    });

    it('needs the role ARN', async () => {
      await expect(lambdaFunctionResource.create(testContext())).rejects.toThrow(/lambda-role/);
      expect(lambda).not.toHaveReceivedCommand(CreateFunctionCommand);
    });
  });

  describe('update', () => {
    beforeEach(() => lambda.on(GetFunctionCommand).resolves(answer({ LastUpdateStatus: 'InProgress' })));

    it('updates the code alone when only the image differs', async () => {
      const spec = testSpec({ image: `${IMAGE}-next` });
      await lambdaFunctionResource.update!(testContext({ refs, spec }), current(), [
        { path: 'imageUri', from: IMAGE, to: `${IMAGE}-next` },
      ]);
      expect(lambda).toHaveReceivedCommandWith(UpdateFunctionCodeCommand, {
        FunctionName: NAME,
        ImageUri: `${IMAGE}-next`,
      });
      expect(lambda).not.toHaveReceivedCommand(UpdateFunctionConfigurationCommand);
    });

    it('updates memory, timeout, environment and role in one configuration call, leaving the code for later', async () => {
      const spec = testSpec({
        image: `${IMAGE}-next`,
        lambda: { memoryMb: 1024, timeoutSeconds: 10, reservedConcurrency: 100 },
      });
      const updated = await lambdaFunctionResource.update!(testContext({ refs, spec }), current(), [
        { path: 'memoryMb', from: 512, to: 1024 },
        { path: 'imageUri', from: IMAGE, to: `${IMAGE}-next` },
      ]);
      expect(lambda).toHaveReceivedCommandWith(UpdateFunctionConfigurationCommand, {
        FunctionName: NAME,
        MemorySize: 1024,
        Timeout: 10,
        Environment: {
          Variables: { LOG_LEVEL: 'info', LAMBDAFLEX_STACK: 'orders-api', LAMBDAFLEX_TABLE: 'lambdaflex' },
        },
        Role: ROLE_ARN,
      });
      expect(lambda).not.toHaveReceivedCommand(UpdateFunctionCodeCommand);
      expect(updated.ready).toBe(false);
    });

    it('puts or deletes the reserved concurrency', async () => {
      const change = [{ path: 'reservedConcurrency', from: 100, to: null }];
      await lambdaFunctionResource.update!(
        testContext({ refs, spec: testSpec({ lambda: { memoryMb: 512, timeoutSeconds: 29 } }) }),
        current(),
        change,
      );
      expect(lambda).toHaveReceivedCommandWith(DeleteFunctionConcurrencyCommand, { FunctionName: NAME });
      await lambdaFunctionResource.update!(testContext({ refs }), current(), [
        { path: 'reservedConcurrency', from: null, to: 100 },
      ]);
      expect(lambda).toHaveReceivedCommandWith(PutFunctionConcurrencyCommand, {
        FunctionName: NAME,
        ReservedConcurrentExecutions: 100,
      });
      expect(lambda).not.toHaveReceivedCommand(UpdateFunctionConfigurationCommand);
    });

    it('refuses a foreign function', async () => {
      await expect(
        lambdaFunctionResource.update!(testContext({ refs }), { ...current(), foreign: true }, [
          { path: 'memoryMb', from: 1, to: 2 },
        ]),
      ).rejects.toBeInstanceOf(ForeignResourceError);
    });
  });

  describe('delete', () => {
    it('deletes the function by name', async () => {
      lambda.on(DeleteFunctionCommand).resolves({});
      await lambdaFunctionResource.delete(testContext(), current());
      expect(lambda).toHaveReceivedCommandWith(DeleteFunctionCommand, { FunctionName: NAME });
    });

    it('is done when the function is already gone', async () => {
      lambda
        .on(DeleteFunctionCommand)
        .rejects(awsError('ResourceNotFoundException', 'Function not found', 404));
      await expect(lambdaFunctionResource.delete(testContext(), current())).resolves.toBeUndefined();
    });

    it('refuses a foreign function', async () => {
      await expect(
        lambdaFunctionResource.delete(testContext(), { ...current(), foreign: true }),
      ).rejects.toBeInstanceOf(ForeignResourceError);
      expect(lambda).not.toHaveReceivedCommand(DeleteFunctionCommand);
    });
  });

  describe('errors', () => {
    const errors = lambdaFunctionResource.errors;

    it('retries an update in progress', () => {
      const conflict = awsError(
        'ResourceConflictException',
        `The operation cannot be performed at this time. An update is in progress for resource: ${FUNCTION_ARN}`,
        409,
      );
      expect(classify(conflict, errors)).toBe('retryable');
    });

    it('retries a role not yet assumable (IAM propagation) but not other invalid parameters', () => {
      const propagation = awsError(
        'InvalidParameterValueException',
        'The role defined for the function cannot be assumed by Lambda.',
      );
      expect(classify(propagation, errors)).toBe('retryable');
      expect(classify(awsError('InvalidParameterValueException', "'MemorySize' value failed"), errors)).toBe(
        'terminal',
      );
    });

    it('waits without failing while Lambda cannot assume the role yet: create and update', async () => {
      // Expected on every first apply (the role is made in the same pass): progress, not a warning.
      const propagation = awsError(
        'InvalidParameterValueException',
        'The role defined for the function cannot be assumed by Lambda.',
      );
      lambda.on(CreateFunctionCommand).rejects(propagation);
      lambda.on(UpdateFunctionConfigurationCommand).rejects(propagation);
      const waits = { name: 'DependencyNotThere', dependency: 'lambda-role' };
      await expect(lambdaFunctionResource.create(testContext({ refs }))).rejects.toMatchObject(waits);
      await expect(
        lambdaFunctionResource.update!(testContext({ refs }), current(), [
          { path: 'memoryMb', from: 512, to: 1024 },
        ]),
      ).rejects.toMatchObject(waits);
      lambda
        .on(CreateFunctionCommand)
        .rejects(awsError('InvalidParameterValueException', "'MemorySize' value failed"));
      await expect(lambdaFunctionResource.create(testContext({ refs }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
      });
    });

    it('treats ResourceNotFoundException as not found', () => {
      expect(classify(awsError('ResourceNotFoundException', 'gone', 404), errors)).toBe('notFound');
    });
  });
});
