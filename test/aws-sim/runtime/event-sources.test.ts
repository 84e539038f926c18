/**
 * The simulated pollers of Lambda's event source mappings (aws-sim/runtime/event-sources.ts) and the state
 * store's change feed standing for DynamoDB Streams (aws-sim/runtime/change-feed.ts).
 */
import { CreateEventSourceMappingCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { InMemoryStateStore } from '../../../reconciler/state';
import { createSimulatedAws } from '../../../aws-sim';
import { ChangeFeed } from '../../../aws-sim/runtime/change-feed';
import { withChangeFeed } from '../../../simulation/state-stream';
import { EventSourceRuntime, type FunctionCode } from '../../../aws-sim/runtime/event-sources';

const STREAM = 'arn:aws:dynamodb:us-east-1:123456789012:table/lambdaflex/stream/2026-01-01T00:00:00.000';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1';

async function world(mapping: Record<string, unknown> = {}, queue: Record<string, string> = {}) {
  const sim = createSimulatedAws({ seed: 7, maxAttempts: 1 });
  const { clients, account } = sim;
  await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'fn',
      Role: 'arn:aws:iam::123456789012:role/fn',
      PackageType: 'Zip',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Timeout: 60,
      Code: { ZipFile: new Uint8Array([1]) },
    }),
  );
  await clients.sqs.send(
    new CreateQueueCommand({ QueueName: 'dlq.fifo', Attributes: { FifoQueue: 'true' } }),
  );
  const { QueueUrl } = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: 'work.fifo',
      Attributes: {
        FifoQueue: 'true',
        VisibilityTimeout: '30',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: account.arn('sqs', 'dlq.fifo'),
          maxReceiveCount: 2,
        }),
        ...queue,
      },
    }),
  );
  await clients.lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'fn',
      EventSourceArn: account.arn('sqs', 'work.fifo'),
      ...mapping,
    }),
  );
  account.advance(2_000);
  const send = (body: string, group: string) =>
    clients.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: body,
      }),
    );
  const dlqUrl = QueueUrl!.replace('work.fifo', 'dlq.fifo');
  const deadLetters = async () =>
    (await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 })))
      .Messages ?? [];
  return { ...sim, QueueUrl: QueueUrl!, send, deadLetters };
}

describe('event source runtime: SQS FIFO', () => {
  it('hands the function one batch per group at a time, and deletes what it processed', async () => {
    const w = await world({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 5 } });
    const seen: string[][] = [];
    const code: FunctionCode = async (event) => {
      seen.push((event as SQSEvent).Records.map((r) => `${r.attributes.MessageGroupId}:${r.body}`));
    };
    const runtime = new EventSourceRuntime({ account: w.account, code: { fn: code } });
    await w.send('a1', 'A');
    await w.send('a2', 'A');
    await w.send('b1', 'B');
    // One round: A's first and B's first at once; A's second only once A's first is deleted.
    await runtime.pollQueues();
    expect(seen).toEqual([['A:a1'], ['B:b1']]);
    await runtime.pollQueues();
    expect(seen.at(-1)).toEqual(['A:a2']);
    expect(await runtime.pollQueues()).toBe(0);
  });

  it('brings back a batch whose invocation failed after the visibility timeout, then dead-letters it', async () => {
    const w = await world();
    let calls = 0;
    const runtime = new EventSourceRuntime({
      account: w.account,
      code: {
        fn: async () => {
          calls += 1;
          throw new Error('boom');
        },
      },
    });
    await w.send('poison', 'stack-a');
    await runtime.pollQueues();
    expect(await runtime.pollQueues()).toBe(0);
    w.account.advance(30_000);
    await runtime.pollQueues();
    expect(calls).toBe(2);
    w.account.advance(30_000);
    // Received twice (maxReceiveCount 2): the next receive moves it to the dead-letter queue.
    expect(await runtime.pollQueues()).toBe(0);
    expect((await w.deadLetters()).map((m) => m.Body)).toEqual(['poison']);
    expect(runtime.invocations.map((i) => i.error)).toEqual(['boom', 'boom']);
  });

  it('with ReportBatchItemFailures deletes all but the failures it reports', async () => {
    const w = await world({ FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const runtime = new EventSourceRuntime({
      account: w.account,
      code: {
        fn: async (event) => ({
          batchItemFailures: (event as SQSEvent).Records.filter((r) => r.body === 'bad').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        }),
      },
    });
    await w.send('good', 'A');
    await w.send('bad', 'B');
    await runtime.pollQueues();
    w.account.advance(30_000);
    const bodies: string[] = [];
    const again = new EventSourceRuntime({
      account: w.account,
      code: {
        fn: async (event) => {
          bodies.push(...(event as SQSEvent).Records.map((r) => r.body));
        },
      },
    });
    await again.pollQueues();
    expect(bodies).toEqual(['bad']);
  });
});

describe('change feed and stream mappings', () => {
  function feedWorld() {
    const sim = createSimulatedAws({ seed: 9 });
    const feed = new ChangeFeed({
      streamArn: STREAM,
      region: 'us-east-1',
      partitionKey: 'stack',
      now: () => sim.account.now(),
    });
    const store = withChangeFeed(new InMemoryStateStore(() => sim.account.now()), feed);
    return { ...sim, feed, store };
  }

  it('records every change of a record with its images before and after, and nothing for no change', async () => {
    const { feed, store } = feedWorld();
    await store.putSpec({ stack: 'web', image: IMAGE });
    await store.putSpec({ stack: 'web', image: IMAGE });
    await store.acquireLease('web', 'me');
    await store.requestDelete('web');
    await store.deleteRecord('web');
    expect(feed.records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'REMOVE']);
    const [insert, lease, , remove] = feed.records;
    expect(unmarshall(insert!.dynamodb!.NewImage as never)).toMatchObject({ stack: 'web', generation: 1 });
    expect(insert!.dynamodb!.OldImage).toBeUndefined();
    expect(unmarshall(lease!.dynamodb!.NewImage as never).lease).toMatchObject({ holder: 'me' });
    expect(remove!.dynamodb).toMatchObject({ Keys: { stack: { S: 'web' } } });
    expect(remove!.dynamodb!.NewImage).toBeUndefined();
    expect(Number(remove!.dynamodb!.SequenceNumber)).toBeGreaterThan(
      Number(insert!.dynamodb!.SequenceNumber),
    );
  });

  it('delivers the records written since a LATEST mapping was made, in order and in batches', async () => {
    const { clients, account, feed, store } = feedWorld();
    await store.putSpec({ stack: 'before', image: IMAGE });
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'dispatcher',
        Role: 'arn:aws:iam::123456789012:role/fn',
        PackageType: 'Zip',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: new Uint8Array([1]) },
      }),
    );
    account.advance(1_000);
    await clients.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'dispatcher',
        EventSourceArn: STREAM,
        StartingPosition: 'LATEST',
        BatchSize: 2,
      }),
    );
    account.advance(2_000);
    for (const stack of ['aaa', 'bbb', 'ccc']) await store.putSpec({ stack, image: IMAGE });
    const batches: string[][] = [];
    let fail = true;
    const runtime = new EventSourceRuntime({
      account,
      feeds: [feed],
      code: {
        dispatcher: async (event) => {
          const keys = (event as DynamoDBStreamEvent).Records.map((r) => r.dynamodb!.Keys!.stack!.S!);
          batches.push(keys);
          // The second batch fails once: it is delivered again before anything after it.
          if (keys.includes('ccc') && fail) {
            fail = false;
            throw new Error('not now');
          }
        },
      },
    });
    await runtime.pollStreams();
    await runtime.pollStreams();
    expect(batches).toEqual([['aaa', 'bbb'], ['ccc'], ['ccc']]);
    expect(await runtime.pollStreams()).toBe(0);
  });
});
