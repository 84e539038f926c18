import { minuteCost, sloViolated } from '../../../simulation/policy';
import { validateSpec } from '../../../spec';
import type { DesiredState } from '../../../spec/types';

function spec(overrides: Record<string, unknown> = {}): DesiredState {
  const result = validateSpec({ stack: 'web', image: 'public.ecr.aws/example/web:1', ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

// Hand-computed from docs/aws-facts.md (512 MB Lambda; one 0.25 vCPU / 0.5 GB task is 0.0173425 $ an hour
// with its IP; the ALB 0.0225 $ an hour plus two IPs at 0.005 $).
describe('minuteCost', () => {
  it.each([
    // 600 requests × (0.2e-6 + 0.5 GB × 0.1 s × 0.0000166667 + 1e-6)
    ['lambda', 10, 100, { lambda: 0.001220001, fargate: 0 }],
    // 1,200 requests at 250 ms: 1,200 × (1.2e-6 + 0.5 GB × 0.25 s × 0.0000166667)
    ['lambda', 20, 250, { lambda: 0.003940005, fargate: 0 }],
    // 2 tasks (150 / 100 rounded up), ALB, 2 IPs, 6 LCUs: (0.034685 + 0.0225 + 0.01 + 0.048) / 60
    ['fargate', 150, 100, { lambda: 0, fargate: 0.00191975 }],
    // Idle tier: minTasks = 1 task, no LCU: 0.0498425 / 60
    ['fargate', 0, 100, { lambda: 0, fargate: 0.00083070833 }],
    // 10 tasks at most, 200 LCUs: (0.173425 + 0.0325 + 1.6) / 60
    ['fargate', 5000, 100, { lambda: 0, fargate: 0.03009875 }],
    // During a move Lambda serves and the Fargate tier idles.
    ['both', 10, 100, { lambda: 0.001220001, fargate: 0.00083070833 }],
  ] as const)('%s at %d rps of %d ms', (state, rps, durationMs, expected) => {
    const cost = minuteCost(state, rps, durationMs, spec());
    expect(cost.lambda).toBeCloseTo(expected.lambda, 12);
    expect(cost.fargate).toBeCloseTo(expected.fargate, 11);
    expect(cost.total).toBeCloseTo(expected.lambda + expected.fargate, 11);
  });

  it('counts a larger task and minTasks', () => {
    const big = spec({
      fargate: { cpu: 1024, memoryMb: 2048, minTasks: 3, maxTasks: 10, targetRequestsPerTask: 50 },
    });
    // 3 tasks × (0.04048 + 2 × 0.004445 + 0.005) + 0.0325 = 0.19561 $ an hour, no LCU at 0 rps
    expect(minuteCost('fargate', 0, 100, big).fargate).toBeCloseTo(0.19561 / 60, 12);
    // 200 rps: 4 tasks, 8 LCUs
    expect(minuteCost('fargate', 200, 100, big).fargate).toBeCloseTo((4 * 0.05437 + 0.0325 + 0.064) / 60, 12);
  });
});

describe('sloViolated', () => {
  it.each([
    ['lambda', 10_000, 100, false],
    ['lambda', 10_001, 100, true],
    ['both', 2_001, 500, true],
    ['fargate', 1_000, 100, false],
    ['fargate', 1_001, 100, true],
  ] as const)('%s at %d rps of %d ms: %s', (state, rps, durationMs, violated) => {
    expect(sloViolated(state, rps, durationMs, spec())).toBe(violated);
  });

  it('takes Lambda’s limit from reservedConcurrency, or from the options', () => {
    const reserved = spec({ lambda: { reservedConcurrency: 50 } });
    expect(sloViolated('lambda', 501, 100, reserved)).toBe(true);
    expect(sloViolated('lambda', 501, 100, spec(), { lambdaConcurrencyLimit: 50 })).toBe(true);
    expect(sloViolated('lambda', 500, 100, reserved)).toBe(false);
  });
});
