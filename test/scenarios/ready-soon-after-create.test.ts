/**
 * Scenarios: `CreateVpc` and `CreateSubnet` answer `pending`, and what needs the VPC or the subnets waits
 * until they are `available`. The pass that made one looks at it once more when nothing else it can run is
 * left (reconciler/engine/apply.ts, `readySoonAfterCreate`): seen `available`, what needs it runs in the same
 * pass instead of a whole pass later; not visible yet (EC2's eventual consistency), it waits for the next
 * pass as before, and is never read as gone (no second VPC).
 */
import type { PassResult } from '../../reconciler/reconcile';
import { scenario, specInput, type Scenario } from './harness';

/** A stack settled on the Lambda tier, then edited to Fargate, in an account whose Describe calls see a new resource after `consistencyDelayMs`. */
async function switching(consistencyDelayMs: number): Promise<Scenario> {
  const s = scenario({ seed: 5, consistencyDelayMs });
  await s.apply(specInput({ mode: 'lambda' }));
  await s.settle();
  await s.apply(specInput({ mode: 'fargate' }));
  return s;
}

const called = (p: PassResult, operation: string) => p.calls.byOperation[operation] ?? 0;
const vpcs = (s: Scenario) => s.owned().filter((item) => item.type === 'AWS::EC2::VPC');

describe('a VPC or subnet AWS answers `pending`', () => {
  it('seen available when the pass looks again, what needs it is made in the same pass', async () => {
    // Describe sees a new resource at once: the look again finds the VPC, then the subnets, available.
    const s = await switching(0);
    const passes = await s.settle();
    const first = passes[0]!;
    expect(called(first, 'ec2:CreateVpc')).toBe(1);
    // The VPC's dependents, then the subnets' (the route table, the ALB), in the pass that made the VPC.
    expect(called(first, 'ec2:CreateSubnet')).toBe(2);
    expect(called(first, 'ec2:CreateRouteTable')).toBe(1);
    expect(called(first, 'elbv2:CreateLoadBalancer')).toBe(1);
    expect(passes.at(-1)!.settled).toBe(true);
    expect(vpcs(s)).toHaveLength(1);
  });

  it('not visible yet when the pass looks again, what needs it waits for the next pass, and nothing is made twice', async () => {
    // The default: Describe does not see a resource younger than two seconds, and the pass takes less.
    const s = await switching(2_000);
    const passes = await s.settle();
    const first = passes[0]!;
    expect(called(first, 'ec2:CreateVpc')).toBe(1);
    // Looked at again (the observation's and the create's own look-ups, then once more), not seen, not gone.
    expect(called(first, 'ec2:DescribeVpcs')).toBe(3);
    expect(called(first, 'ec2:CreateSubnet')).toBe(0);
    expect(passes.at(-1)!.settled).toBe(true);
    const all = passes.reduce((n, p) => n + called(p, 'ec2:CreateVpc'), 0);
    expect(all).toBe(1);
    expect(vpcs(s)).toHaveLength(1);
  });
});
