/**
 * The reconciler Lambda's handler against the simulated AWS and the in-memory store: every stack is
 * reconciled, a stack mid-transition gets the one-off requeue schedule, and logs and EMF metrics come out
 * as JSON on stdout.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { SYSTEM_NAMES } from '../../reconciler/bootstrap/names';
import { createHandler, type HandlerDeps } from '../../reconciler/handler';
import { ALL_RESOURCES } from '../../reconciler/resources';
import { InMemoryStateStore } from '../../reconciler/state';
import { createSimulatedAws } from '../../aws-sim';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:lambdaflex-reconciler';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/lambdaflex-reconciler-scheduler';

function lambdaContext(remainingMs = 120_000): Context {
  return {
    functionName: 'lambdaflex-reconciler',
    invokedFunctionArn: FUNCTION_ARN,
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => remainingMs,
  } as unknown as Context;
}

const spec = (stack: string, mode: 'lambda' | 'fargate') => ({
  stack,
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${stack}:1`,
  mode,
  fargate: { cpu: 256, memoryMb: 512, minTasks: 1, maxTasks: 2, targetRequestsPerTask: 100 },
});

function setup(overrides: Partial<HandlerDeps> = {}) {
  const { account, clients } = createSimulatedAws({ seed: 3 });
  const store = new InMemoryStateStore(() => account.now());
  const deps: HandlerDeps = {
    store,
    clients,
    region: account.region,
    kinds: ALL_RESOURCES,
    now: () => account.now(),
    monotonic: () => account.now(),
    holder: 'test-lambda',
    logger: new Logger({ serviceName: 'lambdaflex-reconciler' }),
    metrics: new Metrics({ namespace: 'LambdaFlex', serviceName: 'lambdaflex-reconciler' }),
    schedulerRoleArn: ROLE_ARN,
    ...overrides,
  };
  return { account, clients, store, handler: createHandler(deps) };
}

/** Powertools writes through a Console bound to process.stdout: every JSON line it prints. */
function captureStdout(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}

describe('reconciler handler', () => {
  it('reconciles every stack in the table', async () => {
    const { store, handler } = setup();
    await store.putSpec(spec('alpha', 'lambda'));
    await store.putSpec(spec('beta', 'lambda'));
    const out = captureStdout();
    try {
      const summary = await handler({}, lambdaContext());
      expect(summary.stacks).toBe(2);
      expect(summary.reconciled).toBe(2);
      expect(summary.errors).toEqual([]);
    } finally {
      out.restore();
    }
    for (const stack of ['alpha', 'beta']) {
      expect((await store.get(stack))?.status?.lastPass).toBeDefined();
    }
  });

  it('creates the one-off requeue schedule while a stack is mid-transition', async () => {
    const { clients, store, handler, account } = setup();
    await store.putSpec(spec('gamma', 'fargate'));
    const out = captureStdout();
    let summary;
    try {
      summary = await handler({}, lambdaContext());
    } finally {
      out.restore();
    }
    expect(summary.requeueAt).toBeGreaterThan(account.now());
    const schedule = await clients.scheduler.send(
      new GetScheduleCommand({ Name: SYSTEM_NAMES.requeueSchedule, GroupName: 'default' }),
    );
    expect(schedule.ScheduleExpression).toMatch(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/);
    expect(schedule.Target).toMatchObject({ Arn: FUNCTION_ARN, RoleArn: ROLE_ARN });

    // A second invocation moves the same schedule rather than failing on the name.
    const again = captureStdout();
    try {
      account.advance(5_000);
      const second = await handler({}, lambdaContext());
      expect(second.requeueAt).toBeDefined();
    } finally {
      again.restore();
    }
  });

  it('writes JSON logs and EMF metrics: passes, transitions, errors, API calls, duration', async () => {
    const { store, handler } = setup();
    await store.putSpec(spec('delta', 'lambda'));
    const out = captureStdout();
    try {
      await handler({}, lambdaContext());
    } finally {
      out.restore();
    }
    const lines = out.lines();
    const logs = lines.filter((l) => l.message === 'stack reconciled');
    expect(logs).toEqual([expect.objectContaining({ stack: 'delta', level: 'INFO', outcome: 'reconciled' })]);
    expect(lines.some((l) => l.message === 'phase transition' && l.stack === 'delta')).toBe(true);
    const emf = lines.filter((l) => l._aws !== undefined);
    const names = emf.flatMap((l) =>
      (
        (l._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]?.Metrics ??
        []
      ).map((m) => m.Name),
    );
    expect(names).toEqual(
      expect.arrayContaining(['Passes', 'Transitions', 'Errors', 'ApiCalls', 'PassDuration']),
    );
    const main = emf.find((l) => 'Passes' in l)!;
    expect(main).toMatchObject({ Passes: 1, Transitions: 1, Errors: 0 });
    expect(main.ApiCalls as number).toBeGreaterThan(0);
  });

  it('leaves stacks for the next run when the time is up, and asks to come back at once', async () => {
    const { store, handler } = setup();
    await store.putSpec(spec('epsilon', 'lambda'));
    const out = captureStdout();
    try {
      // Less than the margin left: nothing may start.
      const summary = await handler({}, lambdaContext(5_000));
      expect(summary.skipped).toEqual(['epsilon']);
      expect(summary.requeueAt).toBeDefined();
    } finally {
      out.restore();
    }
  });
});
