/**
 * The simulated Lambda event source mapping API against the real SDK client: one mapping per function and
 * source, the SQS and stream settings AWS allows, and the transitional states.
 */
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { createSimulatedAws } from '../../../aws-sim';

const STREAM = 'arn:aws:dynamodb:us-east-1:123456789012:table/lambdaflex/stream/2026-01-01T00:00:00.000';

async function setup() {
  const sim = createSimulatedAws({ seed: 5, maxAttempts: 1 });
  await sim.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'worker',
      Role: 'arn:aws:iam::123456789012:role/worker',
      PackageType: 'Zip',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: new Uint8Array([1]) },
    }),
  );
  await sim.clients.sqs.send(
    new CreateQueueCommand({ QueueName: 'work.fifo', Attributes: { FifoQueue: 'true' } }),
  );
  await sim.clients.sqs.send(new CreateQueueCommand({ QueueName: 'plain' }));
  return { ...sim, queueArn: sim.account.arn('sqs', 'work.fifo'), plainArn: sim.account.arn('sqs', 'plain') };
}

describe('simulated Lambda event source mappings', () => {
  it('maps a FIFO queue (batch of 10 by default), Creating then Enabled; a second mapping is refused', async () => {
    const { clients, account, queueArn } = await setup();
    const made = await clients.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'worker',
        EventSourceArn: queueArn,
        ScalingConfig: { MaximumConcurrency: 5 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    expect(made).toMatchObject({
      State: 'Creating',
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    account.advance(2_000);
    const got = await clients.lambda.send(new GetEventSourceMappingCommand({ UUID: made.UUID }));
    expect(got.State).toBe('Enabled');
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'worker', EventSourceArn: queueArn }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceConflictException',
      message: expect.stringContaining(made.UUID!),
    });
    const listed = await clients.lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: 'worker', EventSourceArn: queueArn }),
    );
    expect(listed.EventSourceMappings?.map((m) => m.UUID)).toEqual([made.UUID]);
  });

  it.each([
    ['a batch over 10 on a FIFO queue', { BatchSize: 11 }],
    ['a batching window on a FIFO queue', { MaximumBatchingWindowInSeconds: 1 }],
    ['a maximum concurrency under 2', { ScalingConfig: { MaximumConcurrency: 1 } }],
    ['a starting position for a queue', { StartingPosition: 'LATEST' as const }],
  ])('refuses %s', async (_name, settings) => {
    const { clients, queueArn } = await setup();
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'worker',
          EventSourceArn: queueArn,
          ...settings,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('takes a batch over 10 on a standard queue only with a batching window', async () => {
    const { clients, plainArn } = await setup();
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'worker',
          EventSourceArn: plainArn,
          BatchSize: 100,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'worker',
          EventSourceArn: plainArn,
          BatchSize: 100,
          MaximumBatchingWindowInSeconds: 1,
        }),
      ),
    ).resolves.toMatchObject({ BatchSize: 100 });
  });

  it('needs a function, an existing queue, and a starting position for a stream', async () => {
    const { clients, account, queueArn } = await setup();
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'nope', EventSourceArn: queueArn }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'worker',
          EventSourceArn: account.arn('sqs', 'gone.fifo'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'worker', EventSourceArn: STREAM }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      clients.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'worker',
          EventSourceArn: STREAM,
          StartingPosition: 'LATEST',
        }),
      ),
    ).resolves.toMatchObject({ BatchSize: 100, StartingPosition: 'LATEST' });
  });

  it('refuses an update while Creating; an update is Updating, then Enabled; a delete is Deleting, then gone', async () => {
    const { clients, account, queueArn } = await setup();
    const { UUID } = await clients.lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'worker', EventSourceArn: queueArn }),
    );
    await expect(
      clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 5 })),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    account.advance(2_000);
    const updated = await clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 5 }));
    expect(updated).toMatchObject({ State: 'Updating', BatchSize: 5 });
    account.advance(2_000);
    const deleting = await clients.lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
    expect(deleting.State).toBe('Deleting');
    account.advance(2_000);
    await expect(clients.lambda.send(new GetEventSourceMappingCommand({ UUID }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
