/**
 * The sandbox as a user drove it: mode fargate set at the demo's 2 rps, the stack building its Fargate
 * tier, then mode auto again. The move back says the move was pinned by the mode, never that "the rate
 * the move was for is gone" (there was none). Decisions are read from the stack's status (no timed
 * assertions).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { AutoDecisionRecord } from '../../reconciler/decide/history';
import { until } from './until';

jest.setTimeout(90_000);

describe('the sandbox, mode fargate and back to auto at 2 rps', () => {
  let dir: string;
  let sandbox: Sandbox | undefined;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lf-sandbox-pinned-'))));
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the move was pinned by the mode, not that its rate is gone', async () => {
    sandbox = await startSandbox({ cwd: dir, port: 0, speed: 1200, tickMs: 50, print: () => undefined });
    const sb = sandbox;
    await until(
      () => sb.state(),
      (s) => s.phase === 'Lambda',
    );
    const revision = async () => {
      const record = (await sb.store.get('orders-api'))!;
      return { generation: record.generation, incarnation: record.incarnation };
    };
    await sb.setMode('fargate', await revision());
    await until(
      () => sb.state(),
      (s) => s.phase === 'ScalingUp',
    );
    await sb.setMode('auto', await revision());
    const decisions = async (): Promise<AutoDecisionRecord[]> => {
      const record = await sb.store.get('orders-api');
      const history = record?.status?.autoScaling as { decisions?: AutoDecisionRecord[] } | undefined;
      return history?.decisions ?? [];
    };
    const seen = await until(decisions, (ds) => ds.some((d) => /could serve: /.test(d.reason)));
    await sb.pause();
    const back = seen.filter((d) => /could serve: /.test(d.reason));
    for (const d of back) {
      expect(d.reason).toMatch(
        /^2\.0 rps < 4 for \d+ min, before the Fargate tier that mode fargate asked for \d+ min ago could serve: that move was pinned by the mode, not made for a rate, and no rate needs the tier now(, |: )/,
      );
      expect(d.reason).not.toContain('the rate the move was for is gone');
    }
  });
});
