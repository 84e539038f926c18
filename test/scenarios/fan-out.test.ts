/**
 * The reconciler fanned out on AWS's own machinery, against the simulated AWS: an edit reaches a worker
 * through the change feed and the FIFO queue without waiting for the schedule; one stack is never worked
 * on by two workers at once (message groups, and the lease behind them); a worker that dies mid-pass has
 * its message back after the visibility timeout; a stack the reconciler keeps failing on lands in the
 * dead-letter queue, its status says so, and the dispatcher leaves it alone until its spec changes.
 */
import { DeleteApiCommand } from '@aws-sdk/client-apigatewayv2';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { problemsOf } from '../../cli/stack-view';
import { StateStoreError, type StateStore } from '../../reconciler/state/types';
import { encodeWorkItem } from '../../reconciler/dispatch/work-items';
import { DISPATCHER_SERVICES, EnvironmentBudget } from '../../reconciler/dispatch/budgets';
import {
  fanOutWorld,
  MAX_RECEIVE_COUNT,
  quietMetrics,
  sendResync,
  VISIBILITY_TIMEOUT_S,
} from './fan-out-world';

const spec = (stack: string, tag = '1') => ({
  stack,
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${stack}:${tag}`,
  mode: 'lambda' as const,
});

let restore: () => void;
beforeEach(() => (restore = quietMetrics()));
afterEach(() => restore());

describe('fan-out: dispatcher, work queue and workers', () => {
  it('acts on an edit through the change feed and the queue, with no schedule and no time passing', async () => {
    const w = await fanOutWorld();
    const t0 = w.account.now();
    await w.store.putSpec(spec('web'));
    await w.runtime.drain();
    const record = await w.store.get('web');
    expect(record?.status?.lastPass?.apiCalls.mutating).toBeGreaterThan(0);
    expect(w.account.now()).toBe(t0);
    // The change feed invoked the dispatcher, which sent the stack to a worker.
    expect(w.runtime.invocations.slice(0, 2).map((i) => i.source)).toEqual(['dynamodb', 'sqs']);
    // The reconciler's own writes (lease, status) dispatch nothing more: one worker invocation.
    expect(w.runtime.invocations.filter((i) => i.source === 'sqs')).toHaveLength(1);
  });

  it('hands a stack to one worker at a time: its second message waits until the first is done', async () => {
    const w = await fanOutWorld({ batchSize: 1, maximumConcurrency: 5 });
    await w.store.putSpec(spec('web'));
    await w.store.putSpec(spec('api'));
    // Two messages for web (as from two dispatcher runs that saw different states), one for api.
    for (const [stack, dedup] of [
      ['web', 'a'],
      ['web', 'b'],
      ['api', 'c'],
    ] as const)
      await sendResync(w, stack, stack, dedup);
    await w.runtime.pollQueues();
    // One round, five pollers: web's first and api's, not web's second.
    expect(w.runtime.invocations.filter((i) => i.source === 'sqs')).toHaveLength(2);
    await w.runtime.pollQueues();
    expect(w.runtime.invocations.filter((i) => i.source === 'sqs')).toHaveLength(3);
  });

  it('lets only one of two workers given the same stack at once act (the lease)', async () => {
    const w = await fanOutWorld();
    await w.store.putSpec(spec('web'));
    const message = (id: string): SQSRecord =>
      ({
        messageId: id,
        receiptHandle: id,
        body: encodeWorkItem({ stack: 'web', reason: 'new stack', sentAt: w.account.now(), generation: 1 }),
        attributes: { ApproximateReceiveCount: '1', MessageGroupId: 'web' },
        eventSource: 'aws:sqs',
      }) as unknown as SQSRecord;
    const [one, two] = await Promise.all([
      w.invoke({ Records: [message('m1')] }),
      w.invoke({ Records: [message('m2')] }),
    ]);
    expect([one.reconciled, two.reconciled].sort()).toEqual([0, 1]);
    expect([...one.skipped, ...two.skipped]).toEqual(['web']);
    expect([...one.batchItemFailures!, ...two.batchItemFailures!]).toEqual([]);
  });

  it('gets back the message of a worker that died mid-pass, after the visibility timeout', async () => {
    const w = await fanOutWorld();
    await w.store.putSpec(spec('web'));
    // The dispatcher's send is the first call; the worker dies on its fifth.
    w.account.setFaults({ crashAfterCalls: 5 });
    await w.runtime.drain();
    const died = w.runtime.invocations.find((i) => i.source === 'sqs');
    expect(died?.error).toMatch(/simulated crash/);
    expect((await w.store.get('web'))?.status?.lastPass).toBeUndefined();
    // Nothing comes while the message is in flight; then it does, and the pass finishes.
    expect(await w.runtime.pollQueues()).toBe(0);
    w.account.advance(VISIBILITY_TIMEOUT_S * 1000);
    await w.runtime.drain();
    const record = await w.store.get('web');
    expect(record?.status?.lastPass).toBeDefined();
    expect(w.runtime.invocations.filter((i) => i.source === 'sqs' && !i.error)).toHaveLength(1);
  });

  it('dead-letters a stack the reconciler keeps failing on, says so in its status, and sends it again once edited', async () => {
    // A table that refuses one stack's lease write (an item grown too large, say): every pass throws.
    const failing = (store: StateStore): StateStore =>
      new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property !== 'acquireLease' || typeof value !== 'function') {
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          }
          return async (stack: string, ...rest: unknown[]) => {
            if (stack === 'poison')
              throw new StateStoreError(
                'writing lease (poison): item size has exceeded the maximum allowed size',
              );
            return (value as (...a: unknown[]) => unknown).call(target, stack, ...rest);
          };
        },
      });
    const w = await fanOutWorld({ wrapStore: failing });
    await w.store.putSpec(spec('poison'));
    await w.store.putSpec(spec('web'));
    await w.runtime.drain();
    for (let receive = 2; receive <= MAX_RECEIVE_COUNT + 1; receive++) {
      w.account.advance(VISIBILITY_TIMEOUT_S * 1000);
      await w.runtime.drain();
    }
    const dead = await w.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: w.dlqUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(dead.Messages?.map((m) => m.Attributes?.MessageGroupId)).toEqual(['poison']);
    const poison = await w.store.get('poison');
    expect(poison?.bookkeeping.deadLettered).toMatchObject({
      generation: 1,
      receiveCount: MAX_RECEIVE_COUNT,
    });
    expect(problemsOf(poison, (rest) => `lambdaflex ${rest}`)).toEqual([
      expect.stringMatching(/dead-lettered: the reconciler failed on this stack 3 times/),
    ]);
    // The other stack was not held up.
    expect((await w.store.get('web'))?.status?.phase).toBe('Lambda');
    // The schedule leaves the dead-lettered stack alone ...
    const scheduled = await w.schedule();
    expect(scheduled.dispatched?.map((d) => d.stack)).not.toContain('poison');
    // ... until its spec is edited.
    await w.store.putSpec(spec('poison', '2'));
    const sent = w.runtime.invocations.length;
    await w.runtime.pollStreams();
    expect(w.runtime.invocations.length).toBeGreaterThan(sent);
    const again = await w.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: w.queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(again.Messages?.map((m) => JSON.parse(m.Body!).stack)).toContain('poison');
  });

  it('sweeps at the minute’s schedule alone, on the sweep’s share of the budget; the requeue run leaves settled stacks to it', async () => {
    /** Every budgeted call, as role:service. */
    const taken: string[] = [];
    class Recording extends EnvironmentBudget {
      override take(service: string, mutating: boolean, operation?: string): Promise<void> {
        taken.push(`${this.actingAs}:${service}`);
        return super.take(service, mutating, operation);
      }
    }
    // Waits for tokens pass on the simulated clock.
    let clock = { now: () => 0, advance: (_ms: number) => undefined as unknown };
    const budget = new Recording(
      undefined,
      () => clock.now(),
      async (ms) => void clock.advance(ms),
    );
    const w = await fanOutWorld({ budget });
    clock = w.account;
    await w.store.putSpec(spec('web'));
    await w.runtime.drain();
    const settled = async () => {
      const status = (await w.store.get('web'))?.status;
      return status?.phase === 'Lambda' && status.lastPass?.requeueAfterMs === undefined;
    };
    for (let i = 0; i < 20 && !(await settled()); i++) {
      w.account.advance(15_000);
      await w.schedule();
      await w.runtime.drain();
    }
    expect(await settled()).toBe(true);
    // The workers' passes drew on the others' share.
    expect(taken).toContain('worker:lambda');
    expect(taken.filter((t) => t.startsWith('sweep:'))).not.toContain('sweep:lambda');

    w.account.advance(60_000);
    taken.length = 0;
    w.account.resetCallCounts();
    const requeued = await w.invoke({ source: 'lambdaflex.requeue' });
    expect(requeued.dispatched).toEqual([]);
    // A dispatcher's invocation draws on a dispatcher's part, never a worker's.
    expect(taken.filter((t) => !t.startsWith('dispatch:'))).toEqual([]);
    expect(w.account.callCounts().filter((c) => c.service === 'tagging')).toEqual([]);

    const swept = await w.schedule();
    expect(swept.dispatched).toEqual([]);
    expect(taken).toContain('sweep:tagging');
    expect(taken.filter((t) => !t.startsWith('sweep:') && !t.endsWith(':sqs'))).toEqual([]);
    // What a dispatcher calls is among the services whose budget it holds a share of (budgets.ts).
    const called = new Set(taken.map((t) => t.slice(t.indexOf(':') + 1)));
    for (const service of called) expect(DISPATCHER_SERVICES).toContain(service);
  });

  it('dispatches a settled stack only when the fleet sweep sees a change, or at the resync', async () => {
    const w = await fanOutWorld();
    await w.store.putSpec(spec('web'));
    await w.store.putSpec(spec('api'));
    await w.runtime.drain();
    const settled = async (stack: string) => {
      const status = (await w.store.get(stack))?.status;
      return status?.phase === 'Lambda' && status.lastPass?.requeueAfterMs === undefined;
    };
    // The schedule brings the stacks back while their passes ask to come back.
    let dispatches = 0;
    for (let i = 0; i < 20 && !((await settled('web')) && (await settled('api'))); i++) {
      w.account.advance(5_000);
      dispatches += (await w.schedule()).dispatched?.length ?? 0;
      await w.runtime.drain();
    }
    expect(await settled('web')).toBe(true);
    expect(dispatches).toBeGreaterThan(0);
    w.account.advance(20_000);
    expect((await w.schedule()).dispatched).toEqual([]);
    // A minute on: swept, nothing changed, nothing sent; a handful of calls for the whole fleet.
    w.account.advance(60_000);
    w.account.resetCallCounts();
    expect((await w.schedule()).dispatched).toEqual([]);
    const calls = w.account.callCounts();
    expect(calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['tagging:GetResources']);
    // Someone deletes web's HTTP API: the next sweep sees it gone.
    const api = (await w.store.get('web'))!.status!.resources['http-api']!;
    await w.clients.apigatewayv2.send(new DeleteApiCommand({ ApiId: api.id }));
    w.account.advance(60_000);
    const swept = await w.schedule();
    expect(swept.dispatched).toEqual([
      {
        stack: 'web',
        reason: expect.stringMatching(/^the stack's tagged resources changed: −arn:aws:apigateway/),
      },
    ]);
    await w.runtime.drain();
    // Its passes make a new one once the ownership ledger stops waiting for the old one to show (up to
    // 300 s of eventual consistency), as the requeue schedule brings them back.
    for (let i = 0; i < 40 && !(await settled('web')); i++) {
      w.account.advance(15_000);
      await w.schedule();
      await w.runtime.drain();
    }
    expect((await w.store.get('web'))!.status!.resources['http-api']!.id).not.toBe(api.id);
    // Within the fleet's resync period (15 minutes for two stacks) after its last full pass, a full pass
    // for each, each at its own point of the period.
    w.account.advance(16 * 60_000);
    w.account.resetCallCounts();
    const resynced = ((await w.schedule()).dispatched ?? []).filter((d) => d.reason === 'periodic resync');
    expect(resynced.length).toBeGreaterThan(0);
    await w.runtime.drain();
    // Each pass took its stack's ARNs from the sweep's listing: the sweep's page is the one Tagging call.
    expect(w.account.callCounts().filter((c) => c.service === 'tagging')).toEqual([
      expect.objectContaining({ operation: 'GetResources', count: 1 }),
    ]);
    for (const { stack } of resynced) {
      expect((await w.store.get(stack))!.bookkeeping.observationSnapshot?.at).toBe(w.account.now());
    }
  });
});
