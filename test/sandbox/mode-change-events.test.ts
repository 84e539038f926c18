/**
 * A mode change is one of the stack's events whichever way it is made: the dashboard's mode buttons
 * (PUT /sandbox/mode), the service's own API (PUT /desired-state with the stack's token), or the CLI
 * (`apply`). The reconciler logs it when its pass first acts on the new spec, in the same words for the
 * three, and the dashboard's "Recent events", `events` and `status` show it. Conditions are polled (no
 * timed assertions); jest's timeout bounds the waits.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { IMAGE, runCli, tempFolder, writeFile } from '../cli/run-cli';
import { until } from './until';

jest.setTimeout(90_000);

const TOKEN = 'mode-change-events-token';
const STACK = 'mode-demo';

describe('a mode change in the stack’s events', () => {
  const cwd = tempFolder();
  let sandbox: Sandbox | undefined;
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const state = async () => (await (await fetch(`${sandbox!.url}/sandbox/state`)).json()) as DashboardState;
  /** The dashboard's "Recent events" lines, as the page writes them (reason: message). */
  const recent = (s: DashboardState) => s.events.map((e) => `${e.reason}: ${e.message}`);
  const modeEvents = (lines: string[]) => lines.filter((line) => line.startsWith('SpecChanged: '));
  /**
   * The dashboard's state once the reconciler's pass on `generation` is written whole: a pass writes its
   * status, then its events (reconciler/pass/persist.ts), so the next pass's status is waited for too.
   */
  const observed = async (generation: number) => {
    const first = await until(
      () => sandbox!.store.get(STACK),
      (record) => record?.status?.observedGeneration === generation,
    );
    const at = first?.status?.lastPass?.at;
    await until(
      () => sandbox!.store.get(STACK),
      (record) => record?.status?.lastPass?.at !== at,
    );
    return state();
  };

  it('is logged alike for the dashboard, the service’s API and the CLI', async () => {
    const spec = {
      stack: STACK,
      image: IMAGE,
      mode: 'lambda',
      api: { tokenSha256: createHash('sha256').update(TOKEN).digest('hex') },
    };
    const file = writeFile(cwd, 'mode-demo.json', spec);
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    sandbox = await startSandbox({
      cwd,
      port: 0,
      speed: 60,
      tickMs: 100,
      stack: STACK,
      print: () => undefined,
    });
    const first = await until(state, (s) => s.phase === 'Lambda');
    // A new stack's first pass is no change of its spec.
    expect(modeEvents(recent(first))).toEqual([]);

    // The dashboard's mode buttons.
    const put = await fetch(`${sandbox.url}/sandbox/mode`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode: 'fargate', generation: 1, incarnation: first.incarnation }),
    });
    expect(put.status).toBe(200);
    const afterDashboard = await observed(2);
    expect(modeEvents(recent(afterDashboard))).toEqual(['SpecChanged: mode lambda → fargate (generation 2)']);

    // The service's own API, as a client of the stack's service calls it.
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const read = await fetch(`${sandbox.url}/desired-state`, { headers: auth });
    expect(read.status).toBe(200);
    const written = await fetch(`${sandbox.url}/desired-state`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json', 'If-Match': read.headers.get('ETag')! },
      body: JSON.stringify({ ...((await read.json()) as object), mode: 'auto' }),
    });
    expect(written.status).toBe(200);
    const afterApi = await observed(3);
    // Newest first, as the page lists them.
    expect(modeEvents(recent(afterApi))).toEqual([
      'SpecChanged: mode fargate → auto (generation 3)',
      'SpecChanged: mode lambda → fargate (generation 2)',
    ]);
    await sandbox.stop();
    sandbox = undefined;

    // The CLI, on the same folder once the sandbox is stopped.
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(applied.stdout).toContain('~ mode: "auto" → "lambda"');
    expect((await runCli(cwd, ['--local', 'reconcile', STACK])).code).toBe(0);
    const events = (await runCli(cwd, ['--local', 'events', STACK])).stdout.split('\n');
    expect(
      events.filter((line) => line.includes('SpecChanged: ')).map((l) => l.split('Normal   ')[1]),
    ).toEqual([
      'SpecChanged: mode lambda → fargate (generation 2)',
      'SpecChanged: mode fargate → auto (generation 3)',
      'SpecChanged: mode auto → lambda (generation 4)',
    ]);
    const status = (await runCli(cwd, ['--local', 'status', STACK])).stdout;
    expect(status).toContain('Normal   SpecChanged: mode auto → lambda (generation 4)');

    // Another field than the mode: named, its value not shown.
    writeFile(cwd, 'mode-demo.json', { ...spec, image: `${IMAGE}-2` });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', STACK])).code).toBe(0);
    const last = (await runCli(cwd, ['--local', 'events', STACK])).stdout.trimEnd().split('\n');
    expect(last.filter((line) => line.includes('SpecChanged: ')).at(-1)).toMatch(
      /Normal {3}SpecChanged: mode lambda, unchanged; image changed \(generation 5\)$/,
    );
  });
});
