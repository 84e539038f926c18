/** The work queue's messages (reconciler/dispatch/work-items.ts): the exact SendMessageBatch input, and bad bodies. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  decodeWorkItem,
  deduplicationId,
  encodeWorkItem,
  sendWorkItems,
} from '../../../reconciler/dispatch/work-items';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import type { StackRecord } from '../../../reconciler/state/types';

const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/lambdaflex-work.fifo';

const record = (stack: string): StackRecord => ({
  stack,
  spec: {},
  generation: 4,
  version: 9,
  events: [],
  bookkeeping: emptyBookkeeping(),
});

describe('work items', () => {
  it("sends ten to a call, each in its stack's message group, deduplicated by the state seen", async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const items = Array.from({ length: 12 }, (_, i) => {
      const r = record(`stack-${i}`);
      return {
        record: r,
        item: { stack: r.stack, reason: 'spec changed' as const, sentAt: 1000, generation: 4 },
      };
    });
    const outcome = await sendWorkItems(new SQSClient({}), URL, items);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]).toEqual({
      Id: 'm0',
      MessageBody: encodeWorkItem(items[0]!.item),
      MessageGroupId: 'stack-0',
      MessageDeduplicationId: 'stack-0.4.0.live.0',
    });
    expect(outcome.sent).toHaveLength(12);
  });

  it('reports the entries SQS refused, by stack', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: 'm0', MessageId: 'x', MD5OfMessageBody: 'y' }],
      Failed: [{ Id: 'm1', Code: 'InvalidParameterValue', Message: 'too long', SenderFault: true }],
    });
    const items = [record('aaa'), record('bbb')].map((r) => ({
      record: r,
      item: { stack: r.stack, reason: 'new stack' as const, sentAt: 1, generation: 4 },
    }));
    const outcome = await sendWorkItems(new SQSClient({}), URL, items);
    expect(outcome.sent.map((i) => i.stack)).toEqual(['aaa']);
    expect(outcome.failed).toEqual([
      { stack: 'bbb', message: 'sending work item (bbb): InvalidParameterValue: too long' },
    ]);
  });

  it('names a new pass and a deletion in the deduplication id', () => {
    const r = record('web');
    const passed = {
      ...r,
      status: {
        observedGeneration: 4,
        phase: 'Lambda' as const,
        conditions: [],
        resources: {},
        lastPass: { at: 77, durationMs: 1, apiCalls: { total: 1, mutating: 0 } },
      },
    };
    expect(deduplicationId(passed)).toBe('web.4.77.live.0');
    expect(deduplicationId({ ...passed, deletionRequestedAt: 5 })).toBe('web.4.77.deleting.0');
    // A deletion mark edited by hand into no time: its message is not the settled stack's repeated.
    expect(deduplicationId({ ...passed, unreadableDeletionMark: 'null' })).toBe('web.4.77.held.0');
    // A pass that found the spec invalid writes no lastPass: the message sent once it is valid again (its
    // dns allowed again, say) must not be dropped as a repeat of the one sent before.
    const refused = {
      ...passed,
      status: {
        ...passed.status,
        conditions: [
          {
            type: 'SpecValid',
            status: 'False' as const,
            reason: 'Invalid',
            message: 'x',
            lastTransitionTime: 90,
          },
        ],
      },
    };
    expect(deduplicationId(refused)).toBe('web.4.77.live.0.invalid90');
  });

  it("names the record's incarnation: a stack made again at the same state is a new message", () => {
    const before = { ...record('web'), generation: 1, incarnation: '9f2c4e1a7b3d' };
    const again = { ...before, incarnation: '4e1a7b3d9f2c' };
    expect(deduplicationId(before)).toBe('web.1.0.live.0.9f2c4e1a7b3d');
    expect(deduplicationId(again)).toBe('web.1.0.live.0.4e1a7b3d9f2c');
    // One edited by hand into characters SQS refuses in an id is kept to those it takes.
    expect(deduplicationId({ ...before, incarnation: 'a b"é\n' })).toBe('web.1.0.live.0.ab');
    // The longest stack name, every part at its longest: still within SQS's 128 characters, whole.
    const longest = {
      ...before,
      stack: 's'.repeat(24),
      generation: 999_999_999_999_999,
      deletionRequestedAt: 1,
      status: {
        observedGeneration: 1,
        phase: 'Lambda' as const,
        resources: {},
        lastPass: { at: 9_999_999_999_999, durationMs: 1, apiCalls: { total: 1, mutating: 0 } },
        conditions: [
          {
            type: 'SpecValid',
            status: 'False' as const,
            reason: 'Invalid',
            message: 'x',
            lastTransitionTime: 9_999_999_999_999,
          },
        ],
      },
      bookkeeping: {
        ...before.bookkeeping,
        deadLettered: { generation: 1, at: 9_999_999_999_999, receiveCount: 3, error: 'x' },
      },
    };
    const id = deduplicationId(longest);
    expect(id.length).toBeLessThanOrEqual(128);
    expect(id.endsWith('.9f2c4e1a7b3d')).toBe(true);
  });

  it('carries the sweep’s listing of the stack, and drops one that is not a list of ARNs', () => {
    const item = {
      stack: 'web',
      reason: 'periodic resync' as const,
      sentAt: 1000,
      generation: 4,
      inventory: ['arn:aws:lambda:us-east-1:123456789012:function:lf-web-fn'],
    };
    expect(decodeWorkItem(encodeWorkItem(item))).toEqual(item);
    const { inventory: _, ...bare } = item;
    expect(decodeWorkItem(JSON.stringify({ v: 1, ...bare, inventory: [3] }))).toEqual(bare);
  });

  it.each([
    ['not JSON', 'the body is not JSON'],
    ['{"stack":"web"}', 'the body is not a LambdaFlex work item (v: 1)'],
    ['{"v":1,"stack":""}', 'stack: must be a non-empty string'],
    ['{"v":1,"stack":"web"}', 'sentAt: must be a number'],
  ])('reads %s as no work item: %s', (body, invalid) => {
    expect(decodeWorkItem(body)).toEqual({ invalid });
  });
});
