/**
 * Every ARN LambdaFlex builds carries the partition of its region: in the China regions (`aws-cn`) and
 * GovCloud (`aws-us-gov`) the ARNs it computes must be the ones the Tagging API lists, or the steady-state
 * snapshot never forms and every pass observes in full.
 */
import { scenario, specInput, STACK } from './harness';

describe.each([
  ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
  ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
])('scenario: a stack in %s (partition %s)', (region, partition, suffix) => {
  it('builds, settles, and its next pass is confirmed from the snapshot', async () => {
    const s = scenario({ region });
    const image = `123456789012.dkr.ecr.${region}.${suffix}/orders-api:1.4.2`;
    await s.apply(specInput({ mode: 'fargate', image }));
    await s.settle();
    const record = (await s.store.get(STACK))!;
    const arns = Object.values(record.status!.resources).flatMap((r) => (r.arn ? [r.arn] : []));
    expect(arns.length).toBeGreaterThan(5);
    for (const arn of arns) expect(arn.startsWith(`arn:${partition}:`)).toBe(true);
    expect(record.status!.resources['http-api']!.arn).toMatch(
      new RegExp(`^arn:${partition}:apigateway:${region}::/apis/`),
    );
    expect(record.status!.resources['api-stage']!.arn).toMatch(
      new RegExp(`^arn:${partition}:apigateway:${region}::/apis/[^/]+/stages/`),
    );

    s.account.advance(60_000);
    await s.pass();
    s.account.advance(60_000);
    const steady = await s.pass();
    expect(steady).toMatchObject({ settled: true, calls: { mutating: 0 } });
    const after = (await s.store.get(STACK))!;
    expect(after.bookkeeping.observationSnapshot).toBeDefined();
    expect(after.status!.lastPass).toMatchObject({ observedBy: 'inventory' });
  });
});
