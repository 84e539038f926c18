/**
 * The sandbox end to end, without a browser: dynalite and the simulated account in a temp folder, the
 * service on a free port, a fast clock. Conditions are polled (no timed assertions); jest's timeout bounds
 * the waits.
 */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TABLE_NAME } from '../../reconciler/state';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { until } from './until';

jest.setTimeout(60_000);

describe('startSandbox', () => {
  let dir: string;
  let sandbox: Sandbox | undefined;
  const lines: string[] = [];
  const start = () =>
    startSandbox({ cwd: dir, port: 0, speed: 1200, tickMs: 50, print: (line) => lines.push(line) });
  const get = async (path: string) => fetch(`${sandbox!.url}${path}`);
  const put = async (path: string, body: unknown) =>
    fetch(`${sandbox!.url}${path}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const state = async () => (await (await get('/sandbox/state')).json()) as DashboardState;

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lf-sandbox-'))));
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the demo stack on a first run, in auto mode with a domain in the simulated zone', async () => {
    sandbox = await start();
    expect(lines).toContain('first run: applied the demo stack orders-api (mode auto, 2 rps)');
    const view = await until(state, (s) => s.phase === 'Lambda');
    expect(view).toMatchObject({ stack: 'orders-api', mode: 'auto', rps: 2, generation: 1 });
    const status = await (await get('/stack-status')).json();
    expect(status).toMatchObject({ stack: 'orders-api' });
  });

  it('serves the dashboard page, its script, and /docs beside it', async () => {
    sandbox = await start();
    const page = await get('/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<svg id="chart"');
    expect((await get('/dashboard/dashboard.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await get('/docs')).status).toBe(200);
    const doc = (await (await get('/docs-json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/sandbox/state', '/sandbox/mode']));
    expect(Object.keys(doc.paths)).not.toContain('/');
  });

  it('sets the traffic level and refuses a bad one', async () => {
    sandbox = await start();
    expect((await put('/sandbox/traffic', { rps: 25 })).status).toBe(200);
    expect((await state()).rps).toBe(25);
    const bad = await put('/sandbox/traffic', { rps: -1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown }).errors).toEqual([
      { path: 'rps', message: 'must be at least 0' },
    ]);
  });

  it('changes the mode through the store, based on the spec generation the caller saw', async () => {
    sandbox = await start();
    const before = await until(state, (s) => s.generation !== undefined);
    const { generation, incarnation } = before;
    expect(incarnation).toMatch(/^[0-9a-f]{12}$/);
    // A generation alone does not say which record it was read from: refused, nothing written.
    const alone = await put('/sandbox/mode', { mode: 'lambda', generation });
    expect(alone.status).toBe(409);
    expect(((await alone.json()) as { message: string }).message).toBe(
      `writing spec (orders-api): the record is not the one read (expected generation 1 of a record without an incarnation, found generation 1 of incarnation ${incarnation}); ` +
        'a generation alone cannot tell it from one deleted and created again since; read it again and retry',
    );
    const malformed = await put('/sandbox/mode', { mode: 'lambda', generation, incarnation: 'not one!' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: unknown }).errors).toEqual([
      {
        path: 'incarnation',
        message: 'must be an incarnation from GET /sandbox/state: 1 to 64 letters, digits, "-" or "_"',
      },
    ]);
    expect(await state()).toMatchObject({ mode: 'auto', generation: 1 });
    const changed = await put('/sandbox/mode', { mode: 'lambda', generation, incarnation });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ mode: 'lambda', generation: generation! + 1, incarnation });
    // A page that still shows the old spec must not overwrite the new one.
    const stale = await put('/sandbox/mode', { mode: 'fargate', generation, incarnation });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toMatch(
      /the spec changed since generation 1/,
    );
    expect((await state()).mode).toBe('lambda');
    expect((await put('/sandbox/mode', { mode: 'turbo', generation: 1 })).status).toBe(400);
  });

  it('carries on from the saved clock, stack and history after a stop', async () => {
    sandbox = await start();
    const stoppedAt = sandbox.account.now();
    await sandbox.stop();
    expect(existsSync(join(dir, '.lambdaflex', 'dynamodb.json'))).toBe(false);
    lines.length = 0;
    sandbox = await start();
    expect(sandbox.account.now()).toBeGreaterThanOrEqual(stoppedAt);
    expect(lines.some((l) => l.startsWith('first run'))).toBe(false);
    const view = await state();
    // The mode set by the test before, and the minutes seen before the restart, are still there.
    expect(view).toMatchObject({ mode: 'lambda', generation: 2 });
    // Only the saved history can know the phase of a minute before the stop.
    expect(view.minutes.some((m) => m.at + 60_000 <= stoppedAt && m.phase === 'Lambda')).toBe(true);
  });

  it('refuses to start twice on one folder, and leaves the first one running', async () => {
    sandbox = await start();
    await expect(start()).rejects.toThrow(/in use by another lambdaflex process/);
    expect((await get('/health')).status).toBe(200);
  });
  it('refuses a mode change read from the record before the stack was deleted and made again', async () => {
    sandbox = await start();
    const read = await until(state, (s) => s.generation !== undefined);
    // No reconciler pass meanwhile: the stack is deleted and made again under the page, at generation 1.
    await sandbox.pause();
    const { store } = sandbox;
    const spec = (await store.get('orders-api'))!.spec;
    await store.requestDelete('orders-api');
    await store.deleteRecord('orders-api');
    const remade = await store.putSpec({ ...spec, mode: 'fargate' });
    await store.putSpec({ ...spec, mode: 'auto' });
    // At the generation the page read, with another incarnation.
    expect(remade.incarnation).not.toBe(read.incarnation);
    const before = await store.get('orders-api');
    const stale = await put('/sandbox/mode', {
      mode: 'lambda',
      generation: before!.generation,
      incarnation: read.incarnation,
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toBe(
      `writing spec (orders-api): the record is not the one read (expected generation 2 of incarnation ${read.incarnation}, found generation 2 of incarnation ${remade.incarnation}); ` +
        'the stack was deleted and created again since; read it again and retry',
    );
    expect(await store.get('orders-api')).toEqual(before);
    sandbox.resume();
  });

  it('refuses a mode change while a deletion mark edited into no time holds the stack, naming it', async () => {
    sandbox = await start();
    const read = await until(state, (s) => s.generation !== undefined);
    const client = (sandbox.store as unknown as { client: DynamoDBClient }).client;
    const mark = (expression: string) =>
      client.send(
        new UpdateItemCommand({
          TableName: DEFAULT_TABLE_NAME,
          Key: { stack: { S: 'orders-api' } },
          UpdateExpression: expression,
          ...(expression.includes(':v') ? { ExpressionAttributeValues: { ':v': { NULL: true } } } : {}),
        }),
      );
    await mark('SET deletionRequestedAt = :v');
    const before = await sandbox.store.get('orders-api');
    const refused = await put('/sandbox/mode', {
      mode: 'lambda',
      generation: read.generation,
      incarnation: read.incarnation,
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /^writing spec \(orders-api\): deletionRequestedAt: null is not a deletion request/,
    );
    expect((await sandbox.store.get('orders-api'))?.spec).toEqual(before?.spec);
    await mark('REMOVE deletionRequestedAt');
  });
});
