import { albMinuteCost, lambdaMinuteCost, taskMinuteCost } from '../../../simulation/cost';

describe('cost per minute by docs/aws-facts.md prices', () => {
  it('one 0.25 vCPU / 0.5 GB task with a public IP for 60 minutes costs 0.0173425', () => {
    // 0.25 × 0.04048 + 0.5 × 0.004445 + 0.005 (public IPv4) = 0.01012 + 0.0022225 + 0.005
    const hour = 60 * taskMinuteCost({ vcpu: 0.25, memoryGb: 0.5, publicIp: true });
    expect(hour).toBeCloseTo(0.0173425, 10);
    expect(60 * taskMinuteCost({ vcpu: 0.25, memoryGb: 0.5, publicIp: false })).toBeCloseTo(0.0123425, 10);
  });

  it('an idle ALB in two subnets for an hour costs 0.0225 + 2 × 0.005', () => {
    expect(60 * albMinuteCost({ newConnectionsInMinute: 0, publicIps: 2 })).toBeCloseTo(0.0325, 10);
  });

  it('charges LCUs by new connections: 25 per second for an hour is one LCU-hour (0.008)', () => {
    const perMinute = albMinuteCost({ newConnectionsInMinute: 25 * 60, publicIps: 0 });
    expect(60 * perMinute).toBeCloseTo(0.0225 + 0.008, 10);
  });

  it('a million 100 ms, 512 MB requests through an HTTP API cost 2.033 (docs/aws-facts.md break-even)', () => {
    // 0.20 requests + 1e6 × 0.1 s × 0.5 GB × 0.0000166667 + 1.00 HTTP API
    const cost = lambdaMinuteCost({ invocations: 1e6, durationMs: 100, memoryMb: 512, apiRequests: 1e6 });
    expect(cost).toBeCloseTo(0.2 + 0.833335 + 1.0, 6);
  });
});
