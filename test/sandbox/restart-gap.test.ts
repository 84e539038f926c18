/**
 * What `--local` commands did while the sandbox was stopped, as the next `npm start` shows it: the
 * minutes the CLI reconciled between the two runs are drawn with the phases the stack went through then
 * (from the record's phase changes), not with the last phase the sandbox saw before it stopped; a stack
 * deleted meanwhile costs nothing so far, and one deleted and made again counts only its own costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { runCli, writeFile } from '../cli/run-cli';
import { until } from './until';

jest.setTimeout(120_000);

describe('the sandbox after a stop during which the CLI ran passes', () => {
  let dir: string;
  let sandbox: Sandbox | undefined;
  const start = () => startSandbox({ cwd: dir, port: 0, speed: 1200, tickMs: 50, print: () => undefined });
  const minuteOf = (at: number, sandbox: Sandbox) => Math.floor((at - sandbox.account.startTime) / 60_000);

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lf-sandbox-gap-'))));
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the minutes the CLI moved the stack to Fargate in with ScalingUp and Fargate, not Lambda', async () => {
    sandbox = await start();
    await until(
      () => sandbox!.state(),
      (s) => s.phase === 'Lambda' && s.minutes.length > 3,
    );
    const stoppedMinute = sandbox.account.minute();
    const spec = (await sandbox.store.get('orders-api'))!.spec;
    await sandbox.stop();

    // The README's flow with the sandbox stopped: a spec edit, then passes on the simulated clock.
    const file = writeFile(dir, 'orders-api.json', { ...spec, mode: 'fargate' });
    expect((await runCli(dir, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);

    sandbox = await start();
    const record = (await sandbox.store.get('orders-api'))!;
    const changes = record.events.filter(
      // The CLI's first pass runs in the minute the sandbox stopped in.
      (e) => e.reason === 'PhaseChanged' && minuteOf(e.at, sandbox!) >= stoppedMinute,
    );
    const [up, fargate] = changes.map((e) => minuteOf(e.at, sandbox!));
    expect(changes.map((e) => e.message.split(':')[0])).toEqual([
      'Lambda → ScalingUp',
      'ScalingUp → Fargate',
    ]);
    // The minute the CLI's last pass ran in is logged once the running sandbox's clock has left it.
    const view: DashboardState = await until(
      () => sandbox!.state(),
      (s) => s.minutes.some((m) => m.minute > fargate!),
    );
    const phaseIn = (minute: number) => view.minutes.find((m) => m.minute === minute)?.phase;
    expect(phaseIn(up!)).toBe('ScalingUp');
    expect(phaseIn(fargate! - 1)).toBe('ScalingUp');
    expect(phaseIn(fargate!)).toBe('Fargate');
    const lambdaAfterTheEdit = view.minutes.filter((m) => m.minute >= up! && m.phase === 'Lambda');
    expect(lambdaAfterTheEdit.map((m) => m.minute)).toEqual([]);
  });

  it('knows no phase for the minutes in which the CLI deleted the stack', async () => {
    sandbox = await start();
    await until(
      () => sandbox!.state(),
      (s) => s.phase === 'Lambda' && s.cost.actual > 0,
    );
    const stoppedMinute = sandbox.account.minute();
    await sandbox.stop();

    expect((await runCli(dir, ['--local', 'delete', 'orders-api'])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'sim', 'advance', '10m'])).code).toBe(0);

    sandbox = await start();
    const restartMinute = sandbox.account.minute();
    expect(restartMinute).toBeGreaterThan(stoppedMinute + 1);
    const view = await sandbox.state();
    const unwatched = view.minutes.filter((m) => m.minute > stoppedMinute && m.minute < restartMinute);
    expect(unwatched.length).toBeGreaterThan(0);
    expect(unwatched.filter((m) => m.phase !== undefined).map((m) => `${m.minute} ${m.phase}`)).toEqual([]);
    // A deleted stack costs nothing so far; what it cost while it existed is said apart.
    expect(view.phase).toBe('Deleted');
    expect(view.cost).toMatchObject({ actual: 0, alwaysLambda: 0, compared: false });
    expect(view.cost.deletedStack).toBeGreaterThan(0);
  });

  it("counts the cost of the stack made again from its first pass on, not the deleted one's", async () => {
    sandbox = await start();
    await until(
      () => sandbox!.state(),
      (s) => s.phase === 'Lambda' && s.cost.actual > 0,
    );
    const spec = (await sandbox.store.get('orders-api'))!.spec;
    await sandbox.stop();

    const file = writeFile(dir, 'orders-api.json', spec);
    expect((await runCli(dir, ['--local', 'delete', 'orders-api'])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'sim', 'advance', '5m'])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(dir, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);

    sandbox = await start();
    const created = (await sandbox.store.get('orders-api'))!.events.find((e) =>
      e.message.startsWith('none → '),
    )!;
    const firstMinute = minuteOf(created.at, sandbox);
    const view = await until(
      () => sandbox!.state(),
      (s) => s.minutes.some((m) => m.minute > firstMinute + 1),
    );
    const sum = (minutes: DashboardState['minutes']) => minutes.reduce((total, m) => total + m.cost, 0);
    const before = view.minutes.filter((m) => m.minute < firstMinute);
    expect(sum(before)).toBeGreaterThan(0);
    expect(view.cost.actual).toBeCloseTo(sum(view.minutes.filter((m) => m.minute >= firstMinute)), 10);
  });
});
