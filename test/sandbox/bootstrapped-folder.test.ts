/**
 * `npm start` in a folder where `lambdaflex --local bootstrap` ran (an example of `bootstrap --help`):
 * bootstrap keeps the hosted zones the reconciler may write in, and the demo stack's domain is in the
 * simulated zone. A demo applied anyway would sit in Pending forever, its spec refused by every pass; the
 * sandbox says so before it writes anything, with the bootstrap that would allow the zone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { runCli } from '../cli/run-cli';

jest.setTimeout(60_000);

describe('the sandbox in a folder bootstrapped without the simulated zone', () => {
  let dir: string;
  let sandbox: Sandbox | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lf-sandbox-bootstrapped-'))));
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const start = () => startSandbox({ cwd: dir, port: 0, speed: 1200, tickMs: 50, print: () => undefined });

  it('refuses to apply the demo stack, naming the field, the rule and the bootstrap that allows it', async () => {
    expect((await runCli(dir, ['--local', 'bootstrap'])).code).toBe(0);
    const refused = start();
    await expect(refused).rejects.toThrow(
      /demo stack orders-api: dns\.hostedZoneId: Z\w+ is not a hosted zone the reconciler may write in/,
    );
    await expect(refused).rejects.toThrow(/`lambdaflex --local bootstrap --hosted-zone Z\w+` adds it/);
    // Nothing was written: the folder has no demo stack.
    const list = await runCli(dir, ['--local', 'list', '-o', 'json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('starts with the demo once bootstrap allows the zone', async () => {
    expect((await runCli(dir, ['--local', 'bootstrap'])).code).toBe(0);
    const message = await start().then(
      () => '',
      (error: Error) => error.message,
    );
    const fix = /`lambdaflex --local (bootstrap --hosted-zone Z\w+)`/.exec(message)![1]!;
    expect((await runCli(dir, ['--local', ...fix.split(' ')])).code).toBe(0);
    sandbox = await start();
    const status = (await (await fetch(`${sandbox.url}/stack-status`)).json()) as { stack: string };
    expect(status.stack).toBe('orders-api');
  });
});
