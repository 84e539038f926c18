/**
 * The simulated SQS against the real SDK client, on AWS's documented behaviour: FIFO message groups (one
 * batch in flight per group), deduplication within 5 minutes, visibility timeouts and receipt handles,
 * redrive to a dead-letter queue, queue attribute checks, and the 60 seconds before a name is reused.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createSimulatedAws } from '../../../aws-sim';

function setup() {
  const { account, clients } = createSimulatedAws({ seed: 3, maxAttempts: 1 });
  return { account, sqs: clients.sqs };
}

async function fifo(sqs: SQSClient, name = 'work.fifo', attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { FifoQueue: 'true', VisibilityTimeout: '30', ...attributes },
    }),
  );
  return QueueUrl!;
}

async function receive(sqs: SQSClient, url: string, max = 10) {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: max,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages ?? [];
}

const send = (sqs: SQSClient, url: string, body: string, group: string, dedup = body) =>
  sqs.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: dedup,
    }),
  );

describe('simulated SQS: queues', () => {
  it('creates a FIFO queue only with a .fifo name, and again with the same attributes (same URL)', async () => {
    const { sqs, account } = setup();
    await expect(
      sqs.send(new CreateQueueCommand({ QueueName: 'work', Attributes: { FifoQueue: 'true' } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(sqs.send(new CreateQueueCommand({ QueueName: 'work.fifo' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    const url = await fifo(sqs);
    expect(url).toBe(`https://sqs.us-east-1.amazonaws.com/${account.accountId}/work.fifo`);
    expect(await fifo(sqs)).toBe(url);
    await expect(fifo(sqs, 'work.fifo', { VisibilityTimeout: '60' })).rejects.toMatchObject({
      name: 'QueueNameExists',
    });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'work.fifo' }));
    expect(QueueUrl).toBe(url);
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
  });

  it('refuses unknown attributes, out-of-range values and FIFO attributes on a standard queue', async () => {
    const { sqs } = setup();
    await expect(
      sqs.send(new CreateQueueCommand({ QueueName: 'a', Attributes: { Colour: 'red' } as never })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeName' });
    await expect(
      sqs.send(new CreateQueueCommand({ QueueName: 'a', Attributes: { VisibilityTimeout: '43201' } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
    await expect(
      sqs.send(new CreateQueueCommand({ QueueName: 'a', Attributes: { ContentBasedDeduplication: 'true' } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeName' });
  });

  it('takes a dead-letter queue of the same type only, and one that exists', async () => {
    const { sqs, account } = setup();
    await sqs.send(new CreateQueueCommand({ QueueName: 'standard-dlq' }));
    const redrive = (target: string) =>
      JSON.stringify({ deadLetterTargetArn: account.arn('sqs', target), maxReceiveCount: 3 });
    await expect(fifo(sqs, 'work.fifo', { RedrivePolicy: redrive('standard-dlq') })).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
    });
    await expect(fifo(sqs, 'work.fifo', { RedrivePolicy: redrive('missing.fifo') })).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
    });
    await fifo(sqs, 'dlq.fifo');
    const url = await fifo(sqs, 'work.fifo', { RedrivePolicy: redrive('dlq.fifo') });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy', 'QueueArn'] }),
    );
    expect(Attributes).toEqual({
      RedrivePolicy: redrive('dlq.fifo'),
      QueueArn: account.arn('sqs', 'work.fifo'),
    });
  });

  it('keeps a deleted queue name for 60 seconds', async () => {
    const { sqs, account } = setup();
    const url = await fifo(sqs);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(send(sqs, url, 'x', 'g')).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    await expect(fifo(sqs)).rejects.toMatchObject({ name: 'QueueDeletedRecently' });
    account.advance(60_000);
    await expect(fifo(sqs)).resolves.toBe(url);
  });
});

describe('simulated SQS: FIFO messages', () => {
  it('needs a group id, a deduplication id (or content-based deduplication), and no per-message delay', async () => {
    const { sqs } = setup();
    const url = await fifo(sqs);
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })),
    ).rejects.toMatchObject({
      name: 'MissingParameter',
    });
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('ContentBasedDeduplication'),
    });
    await expect(
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'd',
          DelaySeconds: 5,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('delivers a group in order, and nothing more of a group while one of its messages is in flight', async () => {
    const { sqs } = setup();
    const url = await fifo(sqs);
    await send(sqs, url, 'a1', 'A');
    await send(sqs, url, 'b1', 'B');
    await send(sqs, url, 'a2', 'A');
    const first = await receive(sqs, url, 1);
    expect(first.map((m) => m.Body)).toEqual(['a1']);
    // Group A is blocked by a1 in flight; B is free.
    expect((await receive(sqs, url)).map((m) => m.Body)).toEqual(['b1']);
    expect(await receive(sqs, url)).toEqual([]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[0]!.ReceiptHandle }));
    expect((await receive(sqs, url)).map((m) => m.Body)).toEqual(['a2']);
  });

  it('returns as many messages of one group as it can in one receive, in order', async () => {
    const { sqs } = setup();
    const url = await fifo(sqs);
    for (const body of ['a1', 'a2', 'a3']) await send(sqs, url, body, 'A');
    await send(sqs, url, 'b1', 'B');
    const got = await receive(sqs, url, 10);
    expect(got.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([
      ['a1', 'A'],
      ['a2', 'A'],
      ['a3', 'A'],
      ['b1', 'B'],
    ]);
    expect(Number(got[1]!.Attributes!.SequenceNumber)).toBeGreaterThan(
      Number(got[0]!.Attributes!.SequenceNumber),
    );
  });

  it('drops a duplicate within 5 minutes (explicit id, or the body with content-based deduplication)', async () => {
    const { sqs, account } = setup();
    const url = await fifo(sqs, 'c.fifo', { ContentBasedDeduplication: 'true' });
    const one = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }),
    );
    const two = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }),
    );
    expect(two.MessageId).toBe(one.MessageId);
    // An explicit id overrides the content's.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'same',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'other',
      }),
    );
    const got = await receive(sqs, url);
    expect(got.map((m) => m.Body)).toEqual(['same', 'same']);
    for (const m of got)
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    // Still a duplicate after its delete, within the interval.
    account.advance(4 * 60_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }));
    expect(await receive(sqs, url)).toEqual([]);
    account.advance(60_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }));
    expect((await receive(sqs, url)).map((m) => m.Body)).toEqual(['same']);
  });

  it('brings an undeleted message back after its visibility timeout; only the newest handle counts', async () => {
    const { sqs, account } = setup();
    const url = await fifo(sqs);
    await send(sqs, url, 'm', 'g');
    const [first] = await receive(sqs, url);
    account.advance(29_000);
    expect(await receive(sqs, url)).toEqual([]);
    account.advance(1_000);
    const [again] = await receive(sqs, url);
    expect(again).toMatchObject({ Body: 'm', Attributes: { ApproximateReceiveCount: '2' } });
    expect(again!.ReceiptHandle).not.toBe(first!.ReceiptHandle);
    // The stale handle "succeeds" and deletes nothing.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
    const counts = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(counts.Attributes).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '1' });
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: again!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    expect((await receive(sqs, url)).map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['3']);
    await expect(
      sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-handle' })),
    ).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue', async () => {
    const { sqs, account } = setup();
    const dlq = await fifo(sqs, 'dlq.fifo');
    const url = await fifo(sqs, 'work.fifo', {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: account.arn('sqs', 'dlq.fifo'),
        maxReceiveCount: 2,
      }),
    });
    await send(sqs, url, 'poison', 'stack-a');
    await send(sqs, url, 'next', 'stack-a');
    for (let i = 0; i < 2; i++) {
      expect((await receive(sqs, url, 1)).map((m) => m.Body)).toEqual(['poison']);
      account.advance(30_000);
    }
    // The third receive moves it, and the group goes on with the next message.
    expect((await receive(sqs, url, 1)).map((m) => m.Body)).toEqual(['next']);
    const [dead] = await receive(sqs, dlq);
    expect(dead).toMatchObject({
      Body: 'poison',
      Attributes: { MessageGroupId: 'stack-a', DeadLetterQueueSourceArn: account.arn('sqs', 'work.fifo') },
    });
  });

  it('checks batches: at most 10 entries, distinct ids, and per-entry failures reported apart', async () => {
    const { sqs } = setup();
    const url = await fifo(sqs);
    const entry = (i: number) => ({
      Id: `e${i}`,
      MessageBody: `m${i}`,
      MessageGroupId: 'g',
      MessageDeduplicationId: `d${i}`,
    });
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 11 }, (_, i) => entry(i)),
        }),
      ),
    ).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    await expect(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [entry(1), entry(1)] })),
    ).rejects.toMatchObject({
      name: 'BatchEntryIdsNotDistinct',
    });
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [entry(1), { Id: 'bad', MessageBody: 'x', MessageDeduplicationId: 'y' }],
      }),
    );
    expect(result.Successful?.map((s) => s.Id)).toEqual(['e1']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'MissingParameter', SenderFault: true }),
    ]);
  });

  it('changes attributes in place but never FifoQueue', async () => {
    const { sqs } = setup();
    const url = await fifo(sqs);
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '300' } }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes).toEqual({ VisibilityTimeout: '300' });
    await expect(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: 'false' } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeName' });
  });

  it('throttles a FIFO queue past 300 calls a second per API action', async () => {
    const { sqs, account } = setup();
    const url = await fifo(sqs);
    for (let i = 0; i < 300; i++) await send(sqs, url, `m${i}`, 'g');
    await expect(send(sqs, url, 'one too many', 'g')).rejects.toMatchObject({ name: 'RequestThrottled' });
    // Another action has its own bucket.
    await expect(receive(sqs, url, 1)).resolves.toHaveLength(1);
    account.advance(1_000);
    await expect(send(sqs, url, 'later', 'g')).resolves.toBeDefined();
  });
});
