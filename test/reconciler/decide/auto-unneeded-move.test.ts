/**
 * A move to Fargate whose rate is gone before the tier could serve it: the sandbox's defect. At 300 rps
 * auto mode asked for Fargate; while the tier was being built the rate fell to 2 rps. The decider kept
 * Fargate for the scale-down's 15 minutes (the tier built, all traffic shifted to it, then drained back)
 * and said "2.0 rps < 5 for 1 of 15 min: moving to Fargate". The move is turned back as soon as the
 * cooldown allows; a dip, a tier that served the rate, and the bursts' rhythm still keep it.
 */
import { decideAuto, type AutoInput } from '../../../reconciler/decide/auto';
import { emptyHistory, type AutoHistory } from '../../../reconciler/decide/history';
import type { AutoLedger } from '../../../reconciler/decide/ledger';
import type { MinuteSample } from '../../../reconciler/decide/metrics';
import { after, autoSpec, fargateMinutes, lambdaMinutes, repeat } from './fixtures';

/** scaleUp 20 rps for 3 min, scaleDown 5 rps for 15 min, cooldown 10 min (fixtures.ts). */
const spec = autoSpec();
const MOVED = 5000;

/**
 * Two 8-minute bursts of 300 rps learned long before (the user tried the sandbox earlier): the rhythm
 * they give is met by coming back, its next burst far off, so nothing of it holds the tier now.
 */
const ledger: AutoLedger = {
  through: 4959,
  quietRps: 2,
  bursts: [
    { start: 1000, minutes: 8, extra: 0.26, head: 0.26, peak: 300 },
    { start: 2000, minutes: 8, extra: 0.26, head: 0.26, peak: 300 },
  ],
};

/** As the sandbox's status holds it: auto mode asked for Fargate at MOVED, after a long high run. */
const movedToFargate: AutoHistory = {
  ...emptyHistory(),
  tier: 'fargate',
  lastTransitionMinute: MOVED,
  meanDurationMs: 100,
  decisions: [{ minute: MOVED, tier: 'fargate', reason: '300.0 rps > 20 for 40 min' }],
  transitions: [{ minute: MOVED, from: 'lambda', to: 'fargate', reason: '300.0 rps > 20 for 40 min' }],
};

/** 300 rps from minute 4960 until `dropAt`, then 2 rps through `newest`, all on Lambda (no weight moved yet). */
const droppedOnLambda = (dropAt: number, newest: number): MinuteSample[] =>
  lambdaMinutes(4960, [...repeat(300, dropAt - 4960), ...repeat(2, newest - dropAt + 1)]);

/** The tier being built, Route 53 still sending everything to Lambda. */
const building = (samples: MinuteSample[], newest: number): AutoInput => ({
  spec,
  phase: 'ScalingUp',
  traffic: { lambda: 100, fargate: 0 },
  samples,
  history: movedToFargate,
  ledger,
  now: after(newest),
});

describe('a move to Fargate whose rate is gone before the tier serves', () => {
  it('turns back to Lambda once the cooldown allows, not after the scale-down’s 15 minutes', () => {
    // The rate fell at 5003, three minutes into the build; the cooldown ends at 5010.
    const decision = decideAuto(building(droppedOnLambda(5003, 5009), 5009));
    expect(decision).toMatchObject({ tier: 'lambda', from: 'fargate', transition: true });
    expect(decision.reason).toMatch(/^2\.0 rps < 5 for 7 min, before the Fargate tier asked for 10 min ago/);
    expect(decision.reason).toContain('the rate the move was for is gone');
  });

  it('keeps the cooldown: at most one transition per cooldown window, and says why it still builds', () => {
    const decision = decideAuto(building(droppedOnLambda(5003, 5005), 5005));
    expect(decision).toMatchObject({ tier: 'fargate', transition: false });
    expect(decision.reason).toBe(
      '2.0 rps < 5 for 3 min, before the Fargate tier asked for 6 min ago could serve: the rate the move was ' +
        'for is gone, but the last transition was 6 min ago, cooldown 10 min (4 min left): ' +
        'moving to Fargate (the tier is being built; Route 53 sends it no traffic yet)',
    );
  });

  it('the first low minute says the move turns back if the rate stays there', () => {
    const decision = decideAuto(building(droppedOnLambda(5009, 5009), 5009));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toBe(
      '2.0 rps < 5 for 1 of 2 min, before the Fargate tier could serve (the move turns back if the rate ' +
        'stays there): moving to Fargate (the tier is being built; Route 53 sends it no traffic yet)',
    );
  });

  it('a move pinned by mode fargate, then mode auto: says the move was the mode’s, not that its rate is gone', () => {
    const pinned: AutoHistory = {
      ...movedToFargate,
      decisions: [{ minute: MOVED, tier: 'fargate', reason: 'mode fargate pins the Fargate tier' }],
      transitions: [
        {
          minute: MOVED,
          from: 'lambda',
          to: 'fargate',
          reason: 'mode fargate pins the Fargate tier',
          pinnedBy: 'fargate',
        },
      ],
    };
    const samples = lambdaMinutes(4960, repeat(2, 50));
    const decision = decideAuto({ ...building(samples, 5009), history: pinned });
    expect(decision).toMatchObject({ tier: 'lambda', transition: true });
    expect(decision.reason).toBe(
      '2.0 rps < 5 for 50 min, before the Fargate tier that mode fargate asked for 10 min ago could ' +
        'serve: that move was pinned by the mode, not made for a rate, and no rate needs the tier now, ' +
        'last transition 10 min ago',
    );
  });

  it('a one-minute dip does not turn the move back', () => {
    const samples = lambdaMinutes(4960, [...repeat(300, 48), 2, 300]);
    expect(decideAuto(building(samples, 5009)).tier).toBe('fargate');
  });

  it('a tier that served the rate before it fell waits the scale-down’s minutes (rule Down a)', () => {
    // Settled on Fargate from 5007 at 300 rps; the rate fell at 5012, after the tier served it.
    const samples = [
      ...lambdaMinutes(4960, repeat(300, 47)),
      ...fargateMinutes(5007, [...repeat(300, 5), 2, 2, 2]),
    ];
    const decision = decideAuto({
      ...building(samples, 5014),
      phase: 'Fargate',
      traffic: { lambda: 0, fargate: 100 },
    });
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toBe('2.0 rps < 5 for 3 of 15 min: staying on Fargate');
  });

  it('the first burst’s wait still holds the tier, and the reason says so (rule Down, after the first burst)', () => {
    const decision = decideAuto({ ...building(droppedOnLambda(5003, 5009), 5009), ledger: { bursts: [] } });
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(
      /^2\.0 rps < 5 for 7 min, before the Fargate tier asked for 10 min ago could serve: the rate the move was for is gone, but one burst learned .*: moving to Fargate/,
    );
  });
});
