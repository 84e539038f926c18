import { decideAuto, type AutoInput } from '../../../reconciler/decide/auto';
import { emptyHistory, type AutoHistory } from '../../../reconciler/decide/history';
import { after, autoSpec, fargateMinutes, lambdaMinutes, repeat } from './fixtures';

const history = (tier: 'lambda' | 'fargate', lastTransitionMinute?: number): AutoHistory => ({
  ...emptyHistory(),
  tier,
  ...(lastTransitionMinute === undefined ? {} : { lastTransitionMinute }),
});

const base = (input: Partial<AutoInput> & Pick<AutoInput, 'samples' | 'now'>): AutoInput => ({
  spec: autoSpec(),
  phase: 'Lambda',
  ...input,
});

describe('decideAuto on Lambda', () => {
  it.each([
    [
      '200 rps for 3 min',
      'fargate',
      repeat(200, 3),
      /^200\.0 rps > 20 for 3 min; the burst's extra Lambda cost/,
    ],
    ['200 rps for only 2 min', 'lambda', [10, 200, 200], /200\.0 rps > 20 for 2 of 3 min: staying on Lambda/],
    ['15 rps, below scale-up', 'lambda', repeat(15, 10), /15\.0 rps ≤ 20: staying on Lambda/],
    ['a gap in the run', 'lambda', [200, undefined, 200, 200], /for 2 of 3 min/],
    [
      'a 3-min burst at 42 rps (ski rental: cheaper on Lambda)',
      'lambda',
      repeat(42, 3),
      /42\.0 rps > 20 for 3 min, but the burst's extra Lambda cost \$0\.0122 < a round trip's \$0\.0233/,
    ],
    [
      '42 rps for 6 min: the extra cost reached a round trip',
      'fargate',
      repeat(42, 6),
      /≥ a round trip's \$0\.0233/,
    ],
  ])('%s → %s', (_name, tier, rates, reason) => {
    const decision = decideAuto(base({ samples: lambdaMinutes(100, rates), now: after(99 + rates.length) }));
    expect(decision.tier).toBe(tier);
    expect(decision.reason).toMatch(reason);
    expect(decision.transition).toBe(tier === 'fargate');
  });

  it('scales up a headroom threshold below the break-even once the run lasted a round trip', () => {
    const spec = autoSpec({
      thresholds: {
        scaleUp: { requestsPerSecond: 5 },
        scaleDown: { requestsPerSecond: 2 },
        cooldownMinutes: 10,
      },
    });
    const at = (minutes: number) =>
      decideAuto({
        spec,
        phase: 'Lambda',
        samples: lambdaMinutes(0, repeat(6, minutes)),
        now: after(minutes - 1),
      });
    expect(at(27).tier).toBe('lambda');
    expect(at(28)).toMatchObject({
      tier: 'fargate',
      reason: '6.0 rps > 5 for 28 min, as long as a round trip (28 min)',
    });
  });

  it('scales up at once when concurrency reaches the percentage of the limit, even without rate data', () => {
    const samples = [{ minute: 10, lambdaConcurrentMax: 800 }];
    expect(decideAuto(base({ samples, now: after(10) }))).toMatchObject({
      tier: 'fargate',
      reason: 'capacity, not cost: Lambda concurrency 800 ≥ 800 (80 % of 1000)',
    });
    expect(
      decideAuto(base({ samples: [{ minute: 10, lambdaConcurrentMax: 799 }], now: after(10) })).tier,
    ).toBe('lambda');
  });

  it('takes the limit from reservedConcurrency, or from the input', () => {
    const samples = [{ minute: 10, lambdaConcurrentMax: 80, apiRequests: 60 }];
    const reserved = autoSpec({ lambda: { memoryMb: 512, reservedConcurrency: 100 } });
    expect(decideAuto(base({ spec: reserved, samples, now: after(10) })).tier).toBe('fargate');
    expect(decideAuto(base({ samples, now: after(10) })).tier).toBe('lambda');
    expect(decideAuto(base({ samples, now: after(10), lambdaConcurrencyLimit: 90 })).tier).toBe('fargate');
  });

  it('scales up at once when Lambda throttles', () => {
    const samples = [...lambdaMinutes(8, [1, 1, 1]), { minute: 11, lambdaThrottles: 5, apiRequests: 60 }];
    expect(decideAuto(base({ samples, now: after(11) }))).toMatchObject({
      tier: 'fargate',
      reason: 'capacity, not cost: Lambda throttled 5 requests in the last 3 min',
    });
  });

  it('holds a scale-up within the cooldown of the last transition', () => {
    const samples = [{ minute: 20, lambdaThrottles: 5 }];
    const decision = decideAuto(base({ samples, now: after(20), history: history('lambda', 15) }));
    expect(decision).toMatchObject({ tier: 'lambda', transition: false });
    expect(decision.reason).toBe(
      'capacity, not cost: Lambda throttled 5 requests in the last 3 min, but the last transition was 6 min ago, cooldown 10 min (4 min left): staying on Lambda',
    );
    expect(decideAuto(base({ samples, now: after(25), history: history('lambda', 15) })).tier).toBe('lambda');
    expect(
      decideAuto(
        base({
          samples: [{ minute: 25, lambdaThrottles: 5 }],
          now: after(25),
          history: history('lambda', 15),
        }),
      ).tier,
    ).toBe('fargate');
  });

  it('ignores the minute still filling up', () => {
    const samples = lambdaMinutes(0, repeat(200, 3));
    expect(decideAuto(base({ samples, now: after(1) })).reason).toMatch(/for 2 of 3 min/);
  });

  it('keeps the tier with no recent data, and says why', () => {
    const decision = decideAuto(base({ samples: lambdaMinutes(0, repeat(200, 5)), now: after(20) }));
    expect(decision).toMatchObject({ tier: 'lambda', transition: false });
    expect(decision.reason).toMatch(
      /^no request rate for the last 3 min: CloudWatch has no datapoint for the stack in these minutes \(missing data is not zero traffic\)/,
    );
    expect(decision.rps).toBeUndefined();
  });
});

describe('decideAuto on Fargate', () => {
  const onFargate = (samples: AutoInput['samples'], now: number, lastTransition = 0): AutoInput =>
    base({ phase: 'Fargate', samples, now, history: history('fargate', lastTransition) });

  it('scales down after 15 min below 5 rps, the last transition long ago', () => {
    const decision = decideAuto(onFargate(fargateMinutes(100, repeat(2, 15)), after(114)));
    expect(decision).toMatchObject({
      tier: 'lambda',
      transition: true,
      reason: '2.0 rps < 5 for 15 min, last transition 115 min ago',
    });
    expect(decision.history.transitions.at(-1)).toMatchObject({ minute: 115, from: 'fargate', to: 'lambda' });
  });

  it.each([
    [
      '14 min below',
      fargateMinutes(100, repeat(2, 14)),
      113,
      /2\.0 rps < 5 for 14 of 15 min: staying on Fargate/,
    ],
    ['one minute at the threshold', fargateMinutes(100, [...repeat(2, 14), 5]), 114, /5\.0 rps ≥ 5: staying/],
    [
      'a minute without data',
      fargateMinutes(100, [...repeat(2, 7), undefined, ...repeat(2, 7)]),
      114,
      /for 7 of 15/,
    ],
    [
      'API Gateway counts alone (the ALB silent): the seed bug',
      lambdaMinutes(100, repeat(0.5, 15)),
      114,
      /^no request rate/,
    ],
  ])('stays on Fargate: %s', (_name, samples, last, reason) => {
    const decision = decideAuto(onFargate(samples, after(last)));
    expect(decision).toMatchObject({ tier: 'fargate', transition: false });
    expect(decision.reason).toMatch(reason);
  });

  it('reads a silent RequestCount as zero only when the ALB reported its healthy hosts that minute', () => {
    const idle = Array.from({ length: 15 }, (_, i) => ({ minute: 100 + i, healthyHosts: 1 }));
    expect(decideAuto(onFargate(idle, after(114))).reason).toMatch(/^0\.0 rps < 5 for 15 min/);
  });

  it('holds the scale-down within the cooldown', () => {
    const decision = decideAuto(onFargate(fargateMinutes(100, repeat(2, 15)), after(114), 110));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(/but the last transition was 5 min ago, cooldown 10 min/);
  });

  it('needs both counts while Route 53 sends traffic to both tiers', () => {
    const samples = fargateMinutes(100, repeat(2, 15));
    const input = { ...onFargate(samples, after(114)), traffic: { lambda: 50, fargate: 50 } };
    expect(decideAuto(input).reason).toMatch(/^no request rate/);
  });

  describe('without dns (no weights: clients call either tier at its own URL)', () => {
    const unweighted = (samples: AutoInput['samples'], now: number): AutoInput => ({
      ...onFargate(samples, now),
      traffic: 'unweighted',
    });
    // Clients still on the API's URL, the ALB just created: it has not reported a minute yet.
    const apiOnly = lambdaMinutes(100, repeat(30, 15));

    it("reads the rate from API Gateway's count alone when the ALB reported nothing", () => {
      const decision = decideAuto(unweighted(apiOnly, after(114)));
      expect(decision.rps).toBe(30);
      expect(decision.reason).toMatch(/^30\.0 rps ≥ 5: staying on Fargate/);
    });

    it('adds what both tiers counted in a minute', () => {
      const both = apiOnly.map((s) => ({ ...s, albRequests: 12 * 60, healthyHosts: 1 }));
      expect(decideAuto(unweighted(both, after(114))).rps).toBe(42);
    });

    it('scales down on the sum once both tiers are quiet, whichever reported', () => {
      const quiet = [
        ...lambdaMinutes(100, repeat(1, 8)),
        ...fargateMinutes(108, repeat(0.5, 7)).map((s) => ({ ...s, apiRequests: 30 })),
      ];
      const decision = decideAuto(unweighted(quiet, after(114)));
      expect(decision).toMatchObject({ tier: 'lambda', transition: true });
      expect(decision.reason).toMatch(/^1\.0 rps < 5 for 15 min/);
    });

    it('says neither count came, and not that Route 53 sends a tier traffic', () => {
      const gap = [...lambdaMinutes(100, repeat(30, 10)), { minute: 112, lambdaDurationMs: 100 }];
      const decision = decideAuto(unweighted(gap, after(114)));
      expect(decision.tier).toBe('fargate');
      expect(decision.reason).toMatch(
        /^no request rate for the last 3 min: neither API Gateway's Count \(Lambda\) nor the ALB's RequestCount \(Fargate\) reported/,
      );
      expect(decision.reason).not.toMatch(/Route 53/);
    });
  });

  it('does not move traffic to a Lambda without the concurrency for it (slow requests)', () => {
    const slow = fargateMinutes(100, repeat(4, 15)).map((s) => ({ ...s, lambdaDurationMs: 30_000 }));
    const spec = autoSpec({ lambda: { memoryMb: 512, reservedConcurrency: 100 } });
    const decision = decideAuto({ ...onFargate(slow, after(114)), spec });
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(/Lambda would need 120 concurrent executions ≥ 80/);
  });
});

describe('decideAuto with a pinned mode', () => {
  it.each(['lambda', 'fargate'] as const)('mode %s ignores the metrics', (mode) => {
    const samples = [...lambdaMinutes(0, repeat(5000, 30)), { minute: 29, lambdaThrottles: 100 }];
    const decision = decideAuto(base({ spec: autoSpec({ mode }), samples, now: after(29) }));
    expect(decision.tier).toBe(mode);
    expect(decision.reason).toBe(`mode ${mode} pins the ${mode === 'lambda' ? 'Lambda' : 'Fargate'} tier`);
  });
});

describe('decideAuto history', () => {
  it('starts from the phase, then from the tier it asked for', () => {
    expect(decideAuto(base({ phase: 'ScalingUp', samples: [], now: after(5) })).from).toBe('fargate');
    expect(
      decideAuto(base({ phase: 'Fargate', samples: [], now: after(5), history: history('lambda') })).from,
    ).toBe('lambda');
  });

  it('remembers the observed mean duration for when Lambda is idle', () => {
    const slow = lambdaMinutes(0, [1, 1]).map((s) => ({ ...s, lambdaDurationMs: 300 }));
    const first = decideAuto(base({ samples: slow, now: after(1) }));
    expect(first.history.meanDurationMs).toBe(300);
    const later = decideAuto(
      base({ phase: 'Fargate', samples: fargateMinutes(50, [100]), now: after(50), history: first.history }),
    );
    expect(later.meanDurationMs).toBe(300);
  });

  it('lowers computed thresholds for slow requests, keeps written ones', () => {
    const computed = autoSpec({ thresholds: undefined });
    const samples = (ms: number) => lambdaMinutes(0, [1]).map((s) => ({ ...s, lambdaDurationMs: ms }));
    const fast = decideAuto(base({ spec: computed, samples: samples(100), now: after(0) })).thresholds;
    const slow = decideAuto(base({ spec: computed, samples: samples(400), now: after(0) })).thresholds;
    expect(fast.scaleUp.requestsPerSecond).toBe(7);
    expect(slow.scaleUp.requestsPerSecond).toBeLessThan(fast.scaleUp.requestsPerSecond);
    expect(slow.scaleDown.requestsPerSecond).toBeLessThan(slow.scaleUp.requestsPerSecond);
    const written = decideAuto(base({ samples: samples(400), now: after(0) })).thresholds;
    expect(written.scaleUp.requestsPerSecond).toBe(20);
  });
});

describe('decideAuto: rises that are not bursts', () => {
  it('scales up on bursts that keep coming back, once their extra cost over the window adds up', () => {
    // 5 min at 42 rps, 5 min at 10 rps, again and again: the mean is above the threshold, but no single
    // run's extra Lambda cost ($0.0203) reaches a round trip's ($0.0233).
    const rates = [...repeat(42, 5), ...repeat(10, 5), ...repeat(42, 3)];
    const at = (n: number) =>
      decideAuto(base({ samples: lambdaMinutes(100, rates.slice(0, n)), now: after(99 + n) }));
    expect(at(5)).toMatchObject({ tier: 'lambda' });
    expect(at(5).reason).toMatch(/extra Lambda cost \$0\.0203 < a round trip's \$0\.0233/);
    expect(at(13)).toMatchObject({
      tier: 'fargate',
      reason:
        "42.0 rps > 20 for 3 min; mean 29.7 rps > 20 over the last 30 min (13 with data), whose extra Lambda cost $0.0342 ≥ a round trip's $0.0233; " +
        'bursts come back every ~10 min (1 learned) and meeting one from Lambda costs $0.0203, an idle Fargate tier between two $0.0000',
    });
  });

  it('neither adds nor subtracts the minutes without data', () => {
    const rates = [...repeat(42, 5), ...repeat(undefined, 5), ...repeat(42, 3)];
    const decision = decideAuto(base({ samples: lambdaMinutes(100, rates), now: after(99 + rates.length) }));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(
      /over the last 30 min \(8 with data\), whose extra Lambda cost \$0\.0326/,
    );
  });

  it('sets the quiet minutes of the window against the busy ones', () => {
    const rates = [...repeat(2, 20), ...repeat(42, 5), ...repeat(2, 2), ...repeat(42, 3)];
    const decision = decideAuto(base({ samples: lambdaMinutes(100, rates), now: after(99 + rates.length) }));
    expect(decision.tier).toBe('lambda');
  });

  it('scales up on a level held above the threshold and the break-even, dips included', () => {
    // 22 rps after a quiet quarter hour: just above the threshold (20), where extra cost adds up slowly.
    const level = [...repeat(22, 6), 19, ...repeat(22, 5), 18, ...repeat(22, 3)];
    const rates = [...repeat(2, 15), ...level];
    const at = (n: number) =>
      decideAuto(base({ samples: lambdaMinutes(100, rates.slice(0, n)), now: after(99 + n) }));
    expect(at(27).tier).toBe('lambda');
    expect(at(31)).toMatchObject({
      tier: 'fargate',
      reason:
        '22.0 rps > 20 for 3 min; above 20 and the break-even in 13 of the last 15 min (≥ 12): a level, not a burst',
    });
  });

  it('leaves a 3-min burst on Lambda, and a level below the break-even to the round-trip wait', () => {
    const burst = [...repeat(2, 27), ...repeat(60, 3)];
    expect(decideAuto(base({ samples: lambdaMinutes(100, burst), now: after(129) })).tier).toBe('lambda');
    const spec = autoSpec({
      thresholds: {
        scaleUp: { requestsPerSecond: 5 },
        scaleDown: { requestsPerSecond: 2 },
        cooldownMinutes: 10,
      },
    });
    const low = repeat(6, 20);
    expect(decideAuto({ spec, phase: 'Lambda', samples: lambdaMinutes(0, low), now: after(19) }).tier).toBe(
      'lambda',
    );
  });

  it('holds a trend scale-up within the cooldown', () => {
    const rates = [...repeat(2, 15), ...repeat(22, 15)];
    const decision = decideAuto(
      base({ samples: lambdaMinutes(100, rates), now: after(129), history: history('lambda', 124) }),
    );
    expect(decision).toMatchObject({
      tier: 'lambda',
      reason:
        '22.0 rps > 20 for 15 min, but the last transition was 6 min ago, cooldown 10 min (4 min left): staying on Lambda',
    });
  });
});
