/**
 * `sim reset` starts a new simulated account, and with it a new traffic source: the stack's own (the
 * rate the sandbox sends it) was gone, so the simulator logged no minute for it until the reconciler
 * made its resources again, and the chart said "waiting for the first simulated minute…" for as long as
 * nothing was sent (for good when the spec is refused, as after a bootstrap that left its zone out).
 * The sandbox gives its stack its own source again at start: the minutes show as they pass, nothing
 * served.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { runCli } from '../cli/run-cli';
import { until } from './until';

jest.setTimeout(60_000);

describe('the chart after sim reset while nothing is sent', () => {
  let dir: string;
  let sandbox: Sandbox | undefined;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lf-chart-reset-'))));
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = () => startSandbox({ cwd: dir, port: 0, speed: 1200, tickMs: 50, print: () => undefined });

  it('shows the minutes as they pass, nothing served', async () => {
    const first = await start();
    await until(
      () => first.state(),
      (s) => s.phase === 'Lambda',
    );
    await first.stop();
    // The user's story: a bootstrap leaving the demo's zone out (its spec refused from then on), then a
    // new simulated account; nothing recreates the stack's resources.
    expect((await runCli(dir, ['--local', 'bootstrap', '--cut-off-stacks'])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'sim', 'reset'])).code).toBe(0);

    const sb = (sandbox = await start());
    const begun = (await sb.state()).now;
    const state = await until(
      () => sb.state(),
      (s) => s.minutes.filter((m) => m.at >= begun).length >= 3,
    );
    expect(state.rps).toBe(0);
    for (const minute of state.minutes.filter((m) => m.at >= begun)) {
      expect(minute).toMatchObject({ rps: 0, lambdaShare: 0, fargateShare: 0, tasks: 0 });
    }
  });
});
