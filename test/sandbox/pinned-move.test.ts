/**
 * The sandbox as a user drove it: mode fargate set at the demo's 2 rps, the stack building its Fargate
 * tier, then mode auto again. The move back says the move was pinned by the mode, never that "the rate
 * the move was for is gone" (there was none). Decisions are read from the stack's status (no timed
 * assertions).
 */
import { autoDecisions, fastSandboxInFolder } from './fast-sandbox';
import { until } from './until';

jest.setTimeout(90_000);

describe('the sandbox, mode fargate and back to auto at 2 rps', () => {
  const sandbox = fastSandboxInFolder('lf-sandbox-pinned-');

  it('says the move was pinned by the mode, not that its rate is gone', async () => {
    const sb = await sandbox.start();
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
    const decisions = () => autoDecisions(sb);
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
