/**
 * The sandbox as a user drove it: in auto mode the traffic set to 300 rps, the stack building its Fargate
 * tier, then the traffic set to 2 rps. The decisions read from the stack's status (the last 20), so that
 * no minute is missed however fast the clock runs; conditions are polled (no timed assertions).
 */
import { autoDecisions, fastSandboxInFolder } from './fast-sandbox';
import { until } from './until';

jest.setTimeout(90_000);

describe('the sandbox, the rate gone while the Fargate tier is built', () => {
  const sandbox = fastSandboxInFolder('lf-sandbox-unneeded-');

  it('says the rate the move was for is gone, and what still holds the tier, never "< 4 … moving to Fargate" alone', async () => {
    const sb = await sandbox.start();
    await sb.setTraffic(300);
    await until(
      () => sb.state(),
      (s) => s.phase === 'ScalingUp',
    );
    await sb.setTraffic(2);
    const decisions = () => autoDecisions(sb);
    // Until two low minutes were decided on: the first, and the one that finds the rate gone.
    const seen = await until(decisions, (ds) => ds.filter((d) => /^2\.0 rps </.test(d.reason)).length >= 3);
    await sb.pause();
    const low = seen.filter((d) => /^2\.0 rps </.test(d.reason));
    for (const d of low) expect(d.reason).toContain('before the Fargate tier');
    expect(low.some((d) => d.reason.includes('the rate the move was for is gone'))).toBe(true);
    // Whatever holds the tier after that is named: the first burst's wait, a rhythm, or the cooldown.
    for (const d of low.filter((x) => x.tier === 'fargate' && x.reason.includes('is gone'))) {
      expect(d.reason).toMatch(/is gone, but (one burst learned|bursts come back|the last transition)/);
    }
  });
});
