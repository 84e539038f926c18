/**
 * Auto mode's reasons say what is happening: where a move stands rather than "staying" on a tier the
 * traffic is not on yet, why a rate is missing, and what a held rise still waits for and how long.
 */
import { decideAuto, type AutoInput } from '../../../reconciler/decide/auto';
import { emptyHistory, type AutoHistory } from '../../../reconciler/decide/history';
import type { MinuteSample } from '../../../reconciler/decide/metrics';
import { moveProgress } from '../../../reconciler/decide/move-progress';
import { scaleUpWait } from '../../../reconciler/decide/scale-up-wait';
import { after, autoSpec, fargateMinutes, lambdaMinutes, repeat } from './fixtures';

/** The history right after auto mode asked to move `from` → the other tier at `minute`. */
function movedAt(minute: number, from: 'lambda' | 'fargate'): AutoHistory {
  const to = from === 'lambda' ? 'fargate' : 'lambda';
  return {
    ...emptyHistory(),
    tier: to,
    lastTransitionMinute: minute,
    decisions: [{ minute, tier: to, reason: 'a move' }],
    transitions: [{ minute, from, to, reason: 'a move' }],
  };
}

/** Minutes served by both tiers, `fargateShare` of the requests through the ALB. */
const splitMinutes = (start: number, rps: number, count: number, fargateShare: number): MinuteSample[] =>
  Array.from({ length: count }, (_, i) => ({
    minute: start + i,
    apiRequests: rps * 60 * (1 - fargateShare),
    albRequests: rps * 60 * fargateShare,
    healthyHosts: 1,
    lambdaDurationMs: 100,
  }));

describe('a move under way is not "staying"', () => {
  const scalingUp = (traffic: AutoInput['traffic'], samples: MinuteSample[]): AutoInput => ({
    spec: autoSpec(),
    phase: 'ScalingUp',
    ...(traffic ? { traffic } : {}),
    samples,
    history: movedAt(100, 'lambda'),
    now: after(104),
  });

  it('says the Fargate tier is being built while Route 53 sends it nothing', () => {
    const decision = decideAuto(scalingUp({ lambda: 100, fargate: 0 }, lambdaMinutes(95, repeat(50, 10))));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).not.toMatch(/staying on Fargate/);
    expect(decision.reason).toBe(
      '50.0 rps > 20: moving to Fargate (the tier is being built; Route 53 sends it no traffic yet)',
    );
    // The history the status shows says the same.
    expect(decision.history.decisions.at(-1)?.reason).toBe(decision.reason);
  });

  it('without dns, says the Fargate tier that served is unhealthy rather than being built', () => {
    const input = {
      ...scalingUp(undefined, lambdaMinutes(95, repeat(50, 10))),
      traffic: 'unweighted' as const,
    };
    expect(decideAuto(input).reason).toBe('50.0 rps > 20: moving to Fargate (the tier is being built)');
    expect(decideAuto({ ...input, traffic: 'unweighted-unhealthy' }).reason).toBe(
      '50.0 rps > 20: moving to Fargate (the tier is unhealthy: waiting for its targets to be healthy again)',
    );
  });

  it('says how far the shift went', () => {
    const decision = decideAuto(scalingUp({ lambda: 90, fargate: 10 }, splitMinutes(95, 50, 10, 0.1)));
    expect(decision.reason).toBe('50.0 rps > 20: moving to Fargate (shifting traffic to it in steps)');
    // What the pass that reaches Fargate records instead: the decider's own words for staying.
    expect(decision.settledReason).toBe('50.0 rps > 20: staying on Fargate');
  });

  it('says "staying" once the stack is settled on Fargate', () => {
    const decision = decideAuto({
      ...scalingUp({ lambda: 0, fargate: 100 }, fargateMinutes(95, repeat(50, 10))),
      phase: 'Fargate',
    });
    expect(decision.reason).toBe('50.0 rps ≥ 5: staying on Fargate');
    expect(decision.settledReason).toBeUndefined();
  });

  it('says the traffic is back on Lambda while the Fargate tier drains', () => {
    const decision = decideAuto({
      spec: autoSpec(),
      phase: 'ScalingDown',
      traffic: { lambda: 100, fargate: 0 },
      samples: [...fargateMinutes(80, repeat(2, 21)), ...lambdaMinutes(101, [2, 2, 2])],
      history: movedAt(100, 'fargate'),
      now: after(103),
    });
    expect(decision.tier).toBe('lambda');
    expect(decision.reason).toBe(
      '2.0 rps < 5: moving to Lambda (traffic back on it; draining, then deleting the Fargate tier)',
    );
  });

  it.each([
    [
      'fargate',
      'ScalingDown',
      { lambda: 100, fargate: 0 },
      'moving back to Fargate (the move under way is turned back)',
    ],
    [
      'lambda',
      'ScalingUp',
      { lambda: 50, fargate: 50 },
      'moving back to Lambda (the move under way is turned back)',
    ],
    ['lambda', 'ScalingDown', { lambda: 50, fargate: 50 }, 'moving to Lambda (shifting traffic back to it)'],
    ['fargate', 'ScalingUp', { lambda: 0, fargate: 100 }, 'moving to Fargate (all traffic shifted to it)'],
    ['lambda', 'Pending', undefined, 'starting on Lambda (the stack is being created)'],
    ['lambda', 'Lambda', { lambda: 100, fargate: 0 }, undefined],
    ['fargate', 'Fargate', { lambda: 0, fargate: 100 }, undefined],
  ] as const)('%s in %s with %j: %s', (tier, phase, weights, words) => {
    expect(moveProgress(tier, phase, weights)).toBe(words);
  });
});

describe('the rate is read from the tier that carried each minute', () => {
  it('reads the minutes before a scale-down flipped the weights from the ALB alone', () => {
    // Auto mode asked for Lambda at minute 176; Route 53 now sends Lambda everything, but the newest
    // minutes CloudWatch has (up to 175) were served by Fargate, and Lambda was silent in them.
    const decision = decideAuto({
      spec: autoSpec(),
      phase: 'ScalingDown',
      traffic: { lambda: 100, fargate: 0 },
      samples: fargateMinutes(150, repeat(2, 26)),
      history: movedAt(176, 'fargate'),
      now: after(177),
    });
    expect(decision.reason).not.toMatch(/no request rate/);
    expect(decision.rps).toBe(2);
  });

  it('reads the ALB alone while resolvers still send Fargate everything after the flip', () => {
    // Minutes 171–179 come after the transition, but cached DNS answers kept Lambda silent.
    const decision = decideAuto({
      spec: autoSpec(),
      phase: 'ScalingDown',
      traffic: { lambda: 100, fargate: 0 },
      samples: fargateMinutes(150, repeat(2, 30)),
      history: movedAt(170, 'fargate'),
      now: after(179),
    });
    expect(decision.rps).toBe(2);
    expect(decision.reason).not.toMatch(/no request rate/);
  });

  it('adds what Lambda reports once resolvers follow', () => {
    const decision = decideAuto({
      spec: autoSpec(),
      phase: 'ScalingDown',
      traffic: { lambda: 100, fargate: 0 },
      samples: [...fargateMinutes(150, repeat(2, 25)), ...splitMinutes(175, 2, 5, 0.25)],
      history: movedAt(170, 'fargate'),
      now: after(179),
    });
    expect(decision.rps).toBe(2);
  });

  it('needs a count once neither tier reports: the ALB gone, Lambda silent', () => {
    const decision = decideAuto({
      spec: autoSpec(),
      phase: 'ScalingDown',
      traffic: { lambda: 100, fargate: 0 },
      samples: [...fargateMinutes(150, repeat(2, 25)), ...repeat(0, 5).map((_, i) => ({ minute: 175 + i }))],
      history: movedAt(170, 'fargate'),
      now: after(179),
    });
    expect(decision.reason).toMatch(
      /^no request rate for the last 3 min: neither API Gateway's Count \(Lambda\) nor the ALB's RequestCount \(Fargate\) reported \(missing data is not zero traffic\)/,
    );
  });

  it("still needs Lambda's count while a scale-up shifts traffic", () => {
    const decision = decideAuto({
      spec: autoSpec(),
      phase: 'ScalingUp',
      traffic: { lambda: 90, fargate: 10 },
      samples: fargateMinutes(150, repeat(5, 30)),
      history: movedAt(170, 'lambda'),
      now: after(179),
    });
    expect(decision.reason).toMatch(
      /^no request rate for the last 3 min: API Gateway's Count \(Lambda\) missing while Route 53 sends that tier traffic \(missing data is not zero traffic\)/,
    );
  });

  it('does not call a stack that has served before new when a quiet spell leaves CloudWatch no datapoint', () => {
    // An idle stack: its API reports no datapoint for minutes without requests, however long it served.
    const decision = decideAuto({ spec: autoSpec(), phase: 'Lambda', samples: [], now: after(500) });
    expect(decision.reason).toBe(
      'no request rate for the last 3 min: CloudWatch has no datapoint for the stack in these minutes ' +
        '(missing data is not zero traffic): staying on Lambda',
    );
  });

  it('says a new stack has no metrics yet', () => {
    const decision = decideAuto({ spec: autoSpec(), phase: 'Pending', samples: [], now: after(3) });
    expect(decision.reason).toBe(
      'no request rate for the last 3 min: CloudWatch has no datapoint for the stack yet (a tier reports its ' +
        'first minute 2–3 min after it serves it) (missing data is not zero traffic): starting on Lambda (the stack is being created)',
    );
  });
});

describe('a rise held on Lambda says what it waits for and how long', () => {
  const at = (minutes: number) =>
    decideAuto({
      spec: autoSpec(),
      phase: 'Lambda',
      samples: lambdaMinutes(100, repeat(42, minutes)),
      now: after(99 + minutes),
    });
  const moveMinute = (() => {
    for (let k = 1; k < 60; k++) if (at(k).tier === 'fargate') return k;
    throw new Error('never moved');
  })();

  it('names the ski-rental wait in the first minutes above the threshold', () => {
    expect(at(1).reason).toBe(
      "42.0 rps > 20 for 1 of 3 min: staying on Lambda; at this rate a move in ~5 min, when the burst's extra " +
        "Lambda cost reaches a round trip's $0.0233 (the ski-rental wait)",
    );
  });

  it('names it, with its cost, once the run is long enough', () => {
    expect(at(3).reason).toBe(
      "42.0 rps > 20 for 3 min, but the burst's extra Lambda cost $0.0122 < a round trip's $0.0233: staying " +
        "on Lambda; at this rate a move in ~3 min, when the burst's extra Lambda cost reaches a round trip's $0.0233 (the ski-rental wait)",
    );
  });

  it.each([1, 2, 3, 4, 5])('after %i min, the time it gives is when the move comes', (k) => {
    const said = /a move in ~(\d+) min/.exec(at(k).reason);
    expect(said).not.toBeNull();
    expect(k + Number(said![1])).toBe(moveMinute);
  });

  it('counts the minutes above the threshold when they, not the cost, are what is left', () => {
    expect(
      scaleUpWait({
        runMinutes: 1,
        runExtra: 1,
        extraPerMinute: 1,
        forMinutes: 3,
        roundTrip: 0.5,
        roundTripMinutes: 30,
      }),
    ).toEqual({ minutes: 2, until: 'forMinutes' });
  });

  it('falls back on a run as long as a round trip when Fargate would not be cheaper at this rate', () => {
    expect(
      scaleUpWait({
        runMinutes: 4,
        runExtra: 0,
        extraPerMinute: -0.001,
        forMinutes: 3,
        roundTrip: 0.02,
        roundTripMinutes: 28,
      }),
    ).toEqual({ minutes: 24, until: 'length' });
  });

  it('gives the cooldown time left', () => {
    const decision = decideAuto({
      spec: autoSpec(),
      phase: 'Lambda',
      samples: [{ minute: 20, lambdaThrottles: 5 }],
      history: { ...emptyHistory(), tier: 'lambda', lastTransitionMinute: 15 },
      now: after(20),
    });
    expect(decision.reason).toMatch(/cooldown 10 min \(4 min left\): staying on Lambda$/);
  });
});
