import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
  RemovePermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { createSimulatedAws } from '../../../aws-sim';

const ROLE = 'arn:aws:iam::123456789012:role/lf-demo-lambda-role';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:1';

function setup() {
  const sim = createSimulatedAws({ seed: 9 });
  const create = (name = 'lf-demo-function', extra: Record<string, unknown> = {}) =>
    sim.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: ROLE,
        PackageType: 'Image',
        Code: { ImageUri: IMAGE },
        MemorySize: 512,
        Timeout: 30,
        Tags: { 'lambdaflex:stack': 'demo' },
        ...extra,
      }),
    );
  return { ...sim, create };
}

describe('simulated Lambda', () => {
  it('cannot assume a role IAM made a moment ago (IAM eventual consistency), then can; nothing made meanwhile', async () => {
    const { account, clients, create } = setup();
    await clients.iam.send(
      new CreateRoleCommand({
        RoleName: 'lf-demo-lambda-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    const refused = {
      name: 'InvalidParameterValueException',
      message: 'The role defined for the function cannot be assumed by Lambda.',
    };
    await expect(create()).rejects.toMatchObject(refused);
    expect(account.inventory().filter((r) => r.type === 'AWS::Lambda::Function')).toEqual([]);
    account.advance(2_000); // the account's consistency delay
    await expect(create()).resolves.toMatchObject({ Role: ROLE });
  });

  it.each([
    'nginx:1.27',
    'public.ecr.aws/nginx/nginx:latest',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:1',
    '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/demo:1',
  ])(
    'refuses an image that is not in a private ECR repository of its region (%s), as Lambda does',
    async (image) => {
      const { account, clients, create } = setup();
      const answer = `Source image ${image} is not valid. Provide a valid source image.`;
      await expect(create('lf-demo-function', { Code: { ImageUri: image } })).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: answer,
      });
      expect(account.inventory().filter((r) => r.type === 'AWS::Lambda::Function')).toEqual([]);
      // Another account's repository of the region is taken (cross-account pulls), and so is a digest.
      const other = `210987654321.dkr.ecr.us-east-1.amazonaws.com/demo@sha256:${'b'.repeat(64)}`;
      await create('lf-demo-function', { Code: { ImageUri: other } });
      account.advance(5_000);
      await expect(
        clients.lambda.send(
          new UpdateFunctionCodeCommand({ FunctionName: 'lf-demo-function', ImageUri: image }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: answer });
      const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: 'lf-demo-function' }));
      expect(fn.Code?.ImageUri).toBe(other);
    },
  );

  it('creates an image function Pending, Active a few seconds later (Lambda function states)', async () => {
    const { account, clients, create } = setup();
    const created = await create();
    expect(created).toMatchObject({
      FunctionName: 'lf-demo-function',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lf-demo-function',
      PackageType: 'Image',
      State: 'Pending',
      MemorySize: 512,
    });
    expect(created.LastUpdateStatus).toBeUndefined();
    account.advance(5_000);
    const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: created.FunctionArn }));
    expect(fn.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(fn.Code).toMatchObject({ RepositoryType: 'ECR', ImageUri: IMAGE });
    expect(fn.Tags).toEqual({ 'lambdaflex:stack': 'demo' });
  });

  it('answers ResourceConflictException when the function exists (CreateFunction API reference)', async () => {
    const { create } = setup();
    await create();
    await expect(create()).rejects.toBeInstanceOf(ResourceConflictException);
  });

  it('answers ResourceNotFoundException for an unknown function', async () => {
    const { clients } = setup();
    await expect(
      clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'nope' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it.each([
    ['MemorySize', 64],
    ['MemorySize', 10241],
    ['Timeout', 0],
    ['Timeout', 901],
  ])('rejects %s %d with InvalidParameterValueException', async (member, value) => {
    const { create } = setup();
    await expect(create('f', { [member]: value })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });

  describe('environment variables (Environment API reference; the 4 KB quota)', () => {
    const withEnv = (Variables: Record<string, string>) => ({ Environment: { Variables } });

    it.each([['A'], ['_X'], ['LOG-LEVEL'], ['9LIVES']])(
      'refuses the key %s, outside [a-zA-Z]([a-zA-Z0-9_])+, with ValidationException',
      async (key) => {
        const { create } = setup();
        await expect(create('f', withEnv({ [key]: 'x' }))).rejects.toMatchObject({
          name: 'ValidationException',
          message: expect.stringContaining('[a-zA-Z]([a-zA-Z0-9_])+'),
        });
      },
    );

    it('refuses reserved keys, naming them', async () => {
      const { create } = setup();
      await expect(create('f', withEnv({ AWS_REGION: 'x', TZ: 'y', OK: 'z' }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: expect.stringMatching(/reserved keys .* used in this request: AWS_REGION, TZ$/),
      });
    });

    it('measures the variables as compact JSON: 4096 bytes pass, 4097 are refused, on update too', async () => {
      const { account, clients, create } = setup();
      const overhead = JSON.stringify({ BIG: '' }).length;
      await create('f', withEnv({ BIG: 'x'.repeat(4096 - overhead) }));
      account.advance(5_000);
      const tooBig = { BIG: 'x'.repeat(4097 - overhead) };
      await expect(
        clients.lambda.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: 'f', ...withEnv(tooBig) }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(tooBig)}`,
      });
      // Names and values alone (3 + 4093 = 4096 bytes) are over once quoted.
      await expect(create('g', withEnv({ BIG: 'x'.repeat(4093) }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
      });
    });
  });

  it('refuses updates while Pending and while an update is in progress, then reports Successful', async () => {
    const { account, clients, create } = setup();
    await create();
    const update = () =>
      clients.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'lf-demo-function', MemorySize: 1024 }),
      );
    await expect(update()).rejects.toMatchObject({
      name: 'ResourceConflictException',
      message: expect.stringContaining('Pending'),
    });
    account.advance(5_000);
    const first = await update();
    expect(first.LastUpdateStatus).toBe('InProgress');
    await expect(
      clients.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'lf-demo-function', ImageUri: `${IMAGE}-2` }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceConflictException',
      message: expect.stringContaining('An update is in progress for resource'),
    });
    account.advance(3_000);
    const done = await clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'lf-demo-function' }),
    );
    expect(done).toMatchObject({ LastUpdateStatus: 'Successful', MemorySize: 1024 });
    await expect(
      clients.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'lf-demo-function', ImageUri: `${IMAGE}-2` }),
      ),
    ).resolves.toMatchObject({ LastUpdateStatus: 'InProgress' });
  });

  it('keeps a resource policy: AddPermission, duplicate statement id, GetPolicy, RemovePermission', async () => {
    const { account, clients, create } = setup();
    await create();
    const add = () =>
      clients.lambda.send(
        new AddPermissionCommand({
          FunctionName: 'lf-demo-function',
          StatementId: 'apigateway',
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
          SourceArn: 'arn:aws:execute-api:us-east-1:123456789012:abc/*',
        }),
      );
    await expect(
      clients.lambda.send(new GetPolicyCommand({ FunctionName: 'lf-demo-function' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const added = await add();
    expect(JSON.parse(added.Statement!)).toMatchObject({
      Sid: 'apigateway',
      Principal: { Service: 'apigateway.amazonaws.com' },
    });
    await expect(add()).rejects.toBeInstanceOf(ResourceConflictException);
    const policy = JSON.parse(
      (await clients.lambda.send(new GetPolicyCommand({ FunctionName: 'lf-demo-function' }))).Policy!,
    );
    expect(policy.Statement).toHaveLength(1);
    expect(account.inventory().find((i) => i.type === 'AWS::Lambda::Permission')).toMatchObject({
      id: 'lf-demo-function|apigateway',
    });
    await clients.lambda.send(
      new RemovePermissionCommand({ FunctionName: 'lf-demo-function', StatementId: 'apigateway' }),
    );
    await expect(
      clients.lambda.send(
        new RemovePermissionCommand({ FunctionName: 'lf-demo-function', StatementId: 'apigateway' }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('reserves concurrency but keeps 100 unreserved (PutFunctionConcurrency API reference)', async () => {
    const { clients, create } = setup();
    await create('a');
    await create('b');
    await clients.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'a', ReservedConcurrentExecutions: 800 }),
    );
    expect(await clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'a' }))).toMatchObject(
      {
        ReservedConcurrentExecutions: 800,
      },
    );
    await expect(
      clients.lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'b', ReservedConcurrentExecutions: 101 }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('[100]'),
    });
    expect(
      (await clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'b' })))
        .ReservedConcurrentExecutions,
    ).toBeUndefined();
  });

  it('tags by ARN and lists functions page by page with Marker', async () => {
    const { clients, create } = setup();
    for (const name of ['c', 'a', 'b']) await create(name);
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:a';
    await clients.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { team: 'x' } }));
    expect((await clients.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({
      'lambdaflex:stack': 'demo',
      team: 'x',
    });
    const first = await clients.lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    expect(first.Functions?.map((f) => f.FunctionName)).toEqual(['a', 'b']);
    const second = await clients.lambda.send(new ListFunctionsCommand({ Marker: first.NextMarker }));
    expect(second.Functions?.map((f) => f.FunctionName)).toEqual(['c']);
    expect(second.NextMarker).toBeUndefined();
  });
});
