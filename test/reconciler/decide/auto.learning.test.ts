/**
 * Auto mode ahead of demand and from what it learned: the burst ledger's hold and rhythm, the scale-down
 * below the break-even, the rise caught as it starts, capacity moves, and tasks ahead of the rate.
 */
import fc from 'fast-check';
import { decideAuto, type AutoInput } from '../../../reconciler/decide/auto';
import { emptyHistory, type AutoHistory } from '../../../reconciler/decide/history';
import type { AutoLedger, BurstRecord } from '../../../reconciler/decide/ledger';
import type { MinuteSample } from '../../../reconciler/decide/metrics';
import { burstExtraLambdaCost } from '../../../reconciler/decide/ski-rental';
import { after, autoSpec, fargateMinutes, lambdaMinutes, repeat } from './fixtures';

const SPEC = autoSpec();
const extraPerMinute = (rps: number) => burstExtraLambdaCost([rps], 100, SPEC);
const onFargate = (lastTransitionMinute = 0): AutoHistory => ({
  ...emptyHistory(),
  tier: 'fargate',
  lastTransitionMinute,
});

const base = (input: Partial<AutoInput> & Pick<AutoInput, 'samples' | 'now'>): AutoInput => ({
  spec: SPEC,
  phase: 'Lambda',
  ...input,
});

/** Closed bursts of `minutes` at `rps`, starting at the given minutes. */
const bursts = (starts: number[], minutes: number, rps: number): BurstRecord[] =>
  starts.map((start) => ({ start, minutes, extra: minutes * extraPerMinute(rps) }));

/** A burst at `rps` seen for `age` minutes from minute `start`, after a quiet quarter hour. */
const burstSeen = (start: number, age: number, rps: number) =>
  lambdaMinutes(start - 15, [...repeat(2, 15), ...repeat(rps, age)]);

describe('decideAuto: bursts it cannot catch', () => {
  // Every 6 hours, 5 minutes at 200 rps: each ended before a scale-up (6 min) could serve it.
  const learned: AutoLedger = { bursts: bursts([1000, 1360, 1720], 5, 200), quietRps: 2 };

  it('holds a scale-up the cost rules would make for a burst like those, and says why', () => {
    const samples = burstSeen(2080, 3, 200);
    expect(decideAuto(base({ samples, now: after(2082) })).tier).toBe('fargate');
    const held = decideAuto(base({ samples, now: after(2082), ledger: learned }));
    expect(held.tier).toBe('lambda');
    expect(held.reason).toMatch(
      /^200\.0 rps > 20 for 3 min; the burst's extra Lambda cost \$0\.0666 ≥ a round trip's \$0\.0233, but the last 3 bursts as long as this one \(3 min\) lasted at most 5 min/,
    );
    expect(held.reason).toMatch(/staying on Lambda$/);
  });

  it('moves once the burst has outlasted every learned one: a burst that keeps going is caught', () => {
    const decision = decideAuto(
      base({ samples: burstSeen(2080, 6, 200), now: after(2085), ledger: learned }),
    );
    expect(decision.tier).toBe('fargate');
  });

  it('does not learn from bursts too cheap to move for (a plateau after them is caught as fast as without)', () => {
    const cheap: AutoLedger = { bursts: bursts([1000, 1360, 1720], 3, 60), quietRps: 2 };
    const decision = decideAuto(base({ samples: burstSeen(2080, 3, 120), now: after(2082), ledger: cheap }));
    expect(decision.tier).toBe('fargate');
  });

  it('moves to stay on Fargate when its bursts come back often enough that Fargate between them is cheaper', () => {
    // Every half hour, 7 minutes at 200 rps: 15.5 cents each on Lambda, 23 idle minutes of Fargate 1.3
    // cents; too soon after one to leave and come back for the next.
    const halfHourly: AutoLedger = { bursts: bursts([1980, 2010, 2040, 2070], 7, 200), quietRps: 2 };
    const decision = decideAuto(
      base({ samples: burstSeen(2100, 3, 200), now: after(2102), ledger: halfHourly }),
    );
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(
      /; bursts come back every ~30 min \(4 learned\) and meeting one from Lambda costs \$0\.1555, an idle Fargate tier between two \$0\.01\d\d$/,
    );
  });

  it('holds the scale-up for a burst it cannot catch when its bursts are met by coming back ahead of each', () => {
    // Every hour: leaving after one and coming back for the next costs less than staying between two, so
    // this burst's tier, ready after it, would only leave again.
    const hourly: AutoLedger = { bursts: bursts([1860, 1920, 1980, 2040], 7, 200), quietRps: 2 };
    const decision = decideAuto(base({ samples: burstSeen(2100, 3, 200), now: after(2102), ledger: hourly }));
    expect(decision.tier).toBe('lambda');
    expect(decision.reason).toMatch(
      /, but the last 4 bursts as long as this one \(3 min\) lasted at most 7 min/,
    );
  });

  it('stays on Fargate between bursts that come back, where it would otherwise scale down', () => {
    const quiet = fargateMinutes(2110, repeat(2, 15));
    const withoutRhythm = decideAuto({
      spec: SPEC,
      phase: 'Fargate',
      samples: quiet,
      now: after(2124),
      history: onFargate(),
    });
    expect(withoutRhythm.tier).toBe('lambda');
    const halfHourly: AutoLedger = { bursts: bursts([1980, 2010, 2040, 2070, 2100], 7, 200), quietRps: 2 };
    const decision = decideAuto({
      spec: SPEC,
      phase: 'Fargate',
      samples: quiet,
      now: after(2124),
      history: onFargate(),
      ledger: halfHourly,
    });
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(/^2\.0 rps < 5 for 15 min, but bursts come back every ~30 min/);
  });

  it('records the burst it sees in the ledger it returns', () => {
    const samples = lambdaMinutes(100, [2, 2, 200, 200, 200, 200, 2, 2, 2]);
    const decision = decideAuto(base({ samples, now: after(108) }));
    const extra = expect.closeTo(4 * extraPerMinute(200), 10);
    // All four minutes came before a tier could serve: its head is all of it.
    expect(decision.ledger.bursts).toEqual([{ start: 102, minutes: 4, extra, head: extra, peak: 200 }]);
    expect(decision.ledger.through).toBe(108);
  });
});

describe('decideAuto: between the break-even and a computed threshold', () => {
  // The rates left out: computed from the break-even (about 6.8 rps for these sizes), 7 up and 3 down.
  const computed = autoSpec({ thresholds: { scaleUp: { forMinutes: 3 }, scaleDown: { forMinutes: 15 } } });
  const ledger = (run: Partial<AutoLedger>): AutoLedger => ({ bursts: [], through: 98, ...run });
  const onFargateAt = (rps: number, spec: typeof SPEC, extra: number) =>
    decideAuto({
      spec,
      phase: 'Fargate',
      samples: fargateMinutes(90, repeat(rps, 10)),
      now: after(99),
      history: onFargate(),
      ledger: ledger({ cheaperOnLambda: { since: 0, extra } }),
    });

  it('moves to Lambda once Fargate, below the break-even, has cost a round trip more than Lambda would', () => {
    // 5 rps: above scaleDown (3), below the break-even: Lambda is the cheaper tier.
    const paid = onFargateAt(5, computed, 0.03);
    expect(paid.tier).toBe('lambda');
    expect(paid.reason).toMatch(
      /^below the break-even for 100 min, where Fargate cost \$0\.030\d more than Lambda would have ≥ a round trip's \$0\.0233/,
    );
    expect(onFargateAt(5, computed, 0.01).tier).toBe('fargate');
  });

  it('moves to Lambda when the rate, below the break-even for a quarter hour, falls as a line', () => {
    // 6.4 → 3.6 rps over 15 minutes: below the break-even (about 6.8), above scaleDown (3); Fargate's
    // surplus in the run is far from a round trip's.
    const falling = Array.from({ length: 15 }, (_, i) => 6.4 - 0.2 * i + (i % 2 ? 0.1 : -0.1));
    const decide = (rates: number[], spec = computed) =>
      decideAuto({
        spec,
        phase: 'Fargate',
        samples: fargateMinutes(100, rates),
        now: after(100 + rates.length - 1),
        history: onFargate(),
      });
    const left = decide(falling);
    expect(left.tier).toBe('lambda');
    expect(left.reason).toMatch(
      /^below the break-even for 15 min and falling 0\.2\d rps\/min over the last 15 min/,
    );
    // Fourteen minutes below the break-even: not yet.
    expect(decide(falling.slice(1)).tier).toBe('fargate');
    // The same minutes at a level (5 rps ± 0.1): the ski-rental waits for Fargate's surplus.
    expect(decide(falling.map((_, i) => 5 + (i % 2 ? 0.1 : -0.1))).tier).toBe('fargate');
    // A scale-down rate the user wrote (3) is the user's word.
    const written = autoSpec({
      thresholds: { scaleUp: { forMinutes: 3 }, scaleDown: { requestsPerSecond: 3, forMinutes: 15 } },
    });
    expect(decide(falling, written).tier).toBe('fargate');
  });

  it('keeps a scale-down rate the user wrote: below it only', () => {
    // SPEC writes scaleDown 5: at 6 rps the stack stays on Fargate, whatever Fargate's surplus.
    expect(onFargateAt(6, SPEC, 0.5).tier).toBe('fargate');
  });

  it('moves to Fargate once Lambda, above the break-even and below the threshold, has cost a round trip more', () => {
    // Requests of 1 s: the break-even falls to about 1.5 rps and the computed threshold to 2.
    const samples = repeat(1.8, 10).map((rps, i) => ({
      minute: 90 + i,
      apiRequests: rps * 60,
      lambdaDurationMs: 1000,
    }));
    const at = (extra: number) =>
      decideAuto({
        spec: computed,
        phase: 'Lambda',
        samples,
        now: after(99),
        ledger: ledger({ cheaperOnFargate: { since: 0, extra } }),
      });
    expect(at(0.03)).toMatchObject({ tier: 'fargate' });
    expect(at(0.03).reason).toMatch(
      /^above the break-even for 100 min, where Lambda cost \$0\.030\d more than Fargate would have ≥ a round trip's \$0\.0233/,
    );
    expect(at(0.01).tier).toBe('lambda');
    // A written scale-up rate is the user's word.
    const written = decideAuto({
      spec: autoSpec({
        thresholds: { scaleUp: { requestsPerSecond: 7, forMinutes: 3 }, scaleDown: { forMinutes: 15 } },
      }),
      phase: 'Lambda',
      samples,
      now: after(99),
      ledger: ledger({ cheaperOnFargate: { since: 0, extra: 0.5 } }),
    });
    expect(written.tier).toBe('lambda');
  });
});

describe('decideAuto: ahead of demand', () => {
  it('catches a ramp as it starts, before its extra cost has added up', () => {
    const samples = lambdaMinutes(90, [...repeat(2, 10), 22, 26, 30, 34]);
    const decision = decideAuto(base({ samples, now: after(103) }));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(
      /^34\.0 rps > 20 for 4 min; rising 4\.0 rps\/min, Lambda would cost \$0\.0\d+ more than Fargate in the 7 min before a Fargate tier started now could serve/,
    );
    // The same minutes at a flat 28 rps: no rule yet.
    const flat = lambdaMinutes(90, [...repeat(2, 10), 28, 28, 28, 28]);
    expect(decideAuto(base({ samples: flat, now: after(103) })).tier).toBe('lambda');
  });

  it('asks for the tasks of the rate expected when they serve, on Fargate while the rate rises', () => {
    const samples = fargateMinutes(
      85,
      Array.from({ length: 15 }, (_, i) => 134 + 4 * i),
    );
    const decision = decideAuto({
      spec: SPEC,
      phase: 'Fargate',
      samples,
      now: after(99),
      history: onFargate(),
    });
    expect(decision.tier).toBe('fargate');
    expect(decision.tasksAhead).toMatchObject({ tasks: 3, horizonMinutes: 3 });
    expect(decision.reason).toMatch(/; rising 4\.0 rps\/min: 3 tasks for 202 rps in 3 min$/);
  });

  it('asks for no tasks on Lambda', () => {
    const samples = lambdaMinutes(85, repeat(10, 15));
    expect(decideAuto(base({ samples, now: after(99) })).tasksAhead).toBeUndefined();
  });
});

describe('decideAuto: traffic beyond Lambda’s concurrency', () => {
  const slow = (start: number, rates: number[]): MinuteSample[] =>
    rates.map((rps, i) => ({ minute: start + i, apiRequests: rps * 60, lambdaDurationMs: 1000 }));

  it('moves as a capacity decision when rate × duration reaches the ceiling, without a concurrency metric', () => {
    const decision = decideAuto(base({ samples: slow(100, [900]), now: after(100) }));
    expect(decision).toMatchObject({
      tier: 'fargate',
      reason: 'capacity, not cost: 900.0 rps × 1000 ms needs 900 concurrent executions ≥ 800 (80 % of 1000)',
    });
  });

  it('moves before the rise reaches it, when it would by the time a Fargate tier could serve', () => {
    const rising = Array.from({ length: 15 }, (_, i) => 420 + 20 * i);
    const decision = decideAuto(base({ samples: slow(86, rising), now: after(100) }));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(
      /^capacity, not cost: rising 20\.0 rps\/min, Lambda would need 840 concurrent executions ≥ 800 \(80 % of 1000\) within 7 min, before a Fargate tier started later could serve; /,
    );
    // The tasks the move starts are for the rate expected when they serve.
    expect(decision.tasksAhead).toMatchObject({ tasks: 8 });
  });
});

describe('decideAuto: bursts met by leaving Fargate after each and coming back ahead of the next', () => {
  // Every 4 hours, 5 minutes at 200 rps (11 cents on Lambda each): an idle Fargate tier through a gap costs
  // more than meeting one from Lambda, coming back 24 minutes before the next is due far less.
  const learned: AutoLedger = { bursts: bursts([1000, 1240, 1480], 5, 200), quietRps: 2 };
  const quietOnLambda = (through: number) => lambdaMinutes(through - 19, repeat(2, 20));

  it('moves to Fargate a scale-up before the next burst is expected, and not sooner', () => {
    // Back by 1480 + 240 − 24 = 1696; a scale-up takes 6 min.
    const early = decideAuto(base({ samples: quietOnLambda(1688), now: after(1688), ledger: learned }));
    expect(early.tier).toBe('lambda');
    const due = decideAuto(base({ samples: quietOnLambda(1689), now: after(1689), ledger: learned }));
    expect(due.tier).toBe('fargate');
    expect(due.reason).toMatch(
      /^bursts come back every ~240 min \(3 learned\) and meeting one from Lambda costs \$0\.1\d{3}, leaving Fargate after one and coming back ahead of the next \$0\.0\d{3} \(staying between two \$0\.\d{4}\); the next is expected from ~6 min from now and a scale-up takes 6 min: moving ahead of it/,
    );
    // Without the bursts learned, nothing moves.
    expect(decideAuto(base({ samples: quietOnLambda(1689), now: after(1689) })).tier).toBe('lambda');
  });

  it('waits for the cooldown before moving ahead of a burst', () => {
    const decision = decideAuto(
      base({
        samples: quietOnLambda(1689),
        now: after(1689),
        ledger: learned,
        history: { ...emptyHistory(), tier: 'lambda', lastTransitionMinute: 1685 },
      }),
    );
    expect(decision.tier).toBe('lambda');
    expect(decision.reason).toMatch(
      /moving ahead of it, but the last transition was 5 min ago, cooldown 10 min/,
    );
  });

  it('leaves after the burst, at a quiet rate the computed scale-down rate alone would hold for an hour', () => {
    // Computed rates (7 up, 3 down): 4 rps is below the break-even, above the scale-down rate.
    const computed = autoSpec({ thresholds: { scaleUp: { forMinutes: 3 }, scaleDown: { forMinutes: 15 } } });
    const onFargateQuiet = (ledger?: AutoLedger) =>
      decideAuto({
        spec: computed,
        phase: 'Fargate',
        samples: fargateMinutes(1485, repeat(4, 15)),
        now: after(1499),
        history: onFargate(),
        ...(ledger ? { ledger: { ...ledger, quietRps: 4 } } : {}),
      });
    expect(onFargateQuiet().tier).toBe('fargate');
    const decision = onFargateQuiet(learned);
    expect(decision.tier).toBe('lambda');
    expect(decision.reason).toMatch(
      /^4\.0 rps ≤ 7 for 15 min since the last burst, last transition 1500 min ago/,
    );
  });

  it('leaves as soon as the ledger has seen a burst end, when the computed rates come back ahead of each', () => {
    // Computed rates (7 up, 3 down). A fourth burst like those learned, 5 min at 200 rps from minute 1720.
    const computed = autoSpec({ thresholds: { scaleUp: { forMinutes: 3 }, scaleDown: { forMinutes: 15 } } });
    const afterBurst = (quiet: number[], spec = computed) =>
      decideAuto({
        spec,
        phase: 'Fargate',
        samples: fargateMinutes(1700, [...repeat(4, 20), ...repeat(200, 5), ...quiet]),
        now: after(1724 + quiet.length),
        history: onFargate(),
        ledger: { ...learned, quietRps: 4 },
      });
    // One quiet minute: the burst may go on (the ledger keeps it open).
    expect(afterBurst([4]).tier).toBe('fargate');
    const left = afterBurst([4, 4]);
    expect(left.tier).toBe('lambda');
    expect(left.reason).toMatch(/^4\.0 rps ≤ 7 for 2 min since the last burst, last transition 1727 min ago/);
    // A written scale-down rate is the user's word: its quarter hour holds.
    const written = autoSpec({
      thresholds: { scaleUp: { forMinutes: 3 }, scaleDown: { requestsPerSecond: 3, forMinutes: 15 } },
    });
    expect(afterBurst([4, 4], written).tier).toBe('fargate');
  });

  it('stays on Fargate when leaving now would not let the tier come back before the next burst', () => {
    const decide = (minute: number) =>
      decideAuto({
        spec: SPEC,
        phase: 'Fargate',
        samples: fargateMinutes(minute - 19, repeat(2, 20)),
        now: after(minute),
        history: onFargate(),
        ledger: learned,
      });
    // Down (7 min), the cooldown (10) and up (6): 16 minutes before 1696 at the latest (decided at 1680).
    expect(decide(1679).tier).toBe('lambda');
    const held = decide(1680);
    expect(held.tier).toBe('fargate');
    expect(held.reason).toMatch(
      /^2\.0 rps < 5 for 20 min, but bursts come back every ~240 min .*; the next is expected from ~15 min from now, too soon to leave and come back \(16 min\): staying on Fargate$/,
    );
  });
  it('starts the tasks of a burst like those learned so that they serve by the shortest gap learned', () => {
    const peaked: AutoLedger = {
      bursts: bursts([760, 1000, 1240, 1480], 5, 200).map((b) => ({ ...b, peak: 200 })),
      quietRps: 2,
    };
    const decide = (minute: number) =>
      decideAuto({
        spec: SPEC,
        phase: 'Fargate',
        samples: fargateMinutes(minute - 19, repeat(2, 20)),
        now: after(minute),
        history: onFargate(),
        ledger: peaked,
      });
    // The shortest gap is 240: two tasks asked for at 1718, 2 minutes before.
    expect(decide(1716).tasksAhead).toBeUndefined();
    const ready = decide(1717);
    expect(ready.tier).toBe('fargate');
    expect(ready.tasksAhead).toMatchObject({ tasks: 2, aheadOfTracking: true });
    expect(ready.reason).toMatch(
      /; the next burst may come from ~2 min from now: 2 tasks for one like those learned$/,
    );
    // Without the bursts' peaks (a ledger written before they were kept), target tracking meets it.
    const unpeaked = decideAuto({
      spec: SPEC,
      phase: 'Fargate',
      samples: fargateMinutes(1698, repeat(2, 20)),
      now: after(1717),
      history: onFargate(),
      ledger: learned,
    });
    expect(unpeaked.tasksAhead).toBeUndefined();
  });

  it('keeps the tasks of a burst like those learned while it goes on, until it has outlasted them', () => {
    // Bursts of 5 min peaking at 300 rps every 240 min: 3 tasks for the next. This one runs at 150 rps,
    // which target tracking would meet with 2, and scale in to during the burst.
    const peaked: AutoLedger = {
      bursts: bursts([760, 1000, 1240, 1480], 5, 300).map((b) => ({ ...b, peak: 300 })),
      quietRps: 2,
    };
    const inBurst = (age: number) =>
      decideAuto({
        spec: SPEC,
        phase: 'Fargate',
        samples: fargateMinutes(1700, [...repeat(2, 20), ...repeat(150, age)]),
        now: after(1719 + age),
        history: onFargate(),
        ledger: peaked,
      });
    const going = inBurst(3);
    expect(going.tier).toBe('fargate');
    expect(going.tasksAhead).toMatchObject({ tasks: 3, aheadOfTracking: true });
    expect(going.reason).toMatch(
      /; a burst goes on \(3 min, the learned ones lasted at most 5\): 3 tasks until it ends$/,
    );
    expect(inBurst(5).tasksAhead).toMatchObject({ tasks: 3 });
    // Longer than every learned burst: a level, left to target tracking.
    expect(inBurst(6).tasksAhead?.tasks ?? 1).toBeLessThan(3);
  });

  it("lets a burst's tasks go at its first quiet minute once it lasted as long as the learned ones", () => {
    const peaked: AutoLedger = {
      bursts: bursts([760, 1000, 1240, 1480], 5, 300).map((b) => ({ ...b, peak: 300 })),
      quietRps: 2,
    };
    const withTail = (age: number, tail: number[]) =>
      decideAuto({
        spec: SPEC,
        phase: 'Fargate',
        samples: fargateMinutes(1700, [...repeat(2, 20), ...repeat(150, age), ...tail]),
        now: after(1719 + age + tail.length),
        history: onFargate(),
        ledger: peaked,
      });
    // 5 minutes, as long as those learned, then one quiet minute: ended as they did (the ledger would
    // close it a minute later). The minimum no longer holds the burst's 3 tasks.
    const ended = withTail(5, [2]);
    expect(ended.tier).toBe('fargate');
    expect(ended.tasksAhead?.tasks ?? 1).toBeLessThan(3);
    expect(ended.reason).not.toMatch(/a burst goes on/);
    // A one-minute dip after 3 minutes, shorter than every learned burst: still held.
    const dip = withTail(3, [2]);
    expect(dip.tasksAhead).toMatchObject({ tasks: 3, aheadOfTracking: true });
    expect(dip.reason).toMatch(
      /a burst goes on \(3 min, the learned ones lasted at most 5\): 3 tasks until it ends$/,
    );
  });

  it('waits for the burst it came back for on a close call, where the margin would not have moved it', () => {
    // Bursts of 80 rps: coming back ahead of one costs more than 1/1.5 of meeting it from Lambda (no move
    // ahead of it), but less than all of it: a tier that is back waits, as the quiet rate drifts.
    const close: AutoLedger = { bursts: bursts([1000, 1240, 1480], 5, 80), quietRps: 2 };
    const onLambda = decideAuto(base({ samples: quietOnLambda(1689), now: after(1689), ledger: close }));
    expect(onLambda.tier).toBe('lambda');
    const onFargateWaiting = decideAuto({
      spec: SPEC,
      phase: 'Fargate',
      samples: fargateMinutes(1671, repeat(2, 20)),
      now: after(1690),
      history: onFargate(),
      ledger: close,
    });
    expect(onFargateWaiting.tier).toBe('fargate');
    expect(onFargateWaiting.reason).toMatch(
      /too soon to leave and come back \(16 min\): staying on Fargate$/,
    );
  });
});

describe('decideAuto: a burst seen on Fargate before three gaps are learned', () => {
  // Bursts of 5 min peaking at 300 rps: 3 tasks for one like them. This one runs at 150 rps, which target
  // tracking would meet with 2, three minutes after its alarm's datapoints show it.
  const peaked = (starts: number[]): AutoLedger => ({
    bursts: bursts(starts, 5, 300).map((b) => ({ ...b, peak: 300 })),
    quietRps: 2,
  });
  const seen = (ledger: AutoLedger, minute: number, rates: number[]) =>
    decideAuto({
      spec: SPEC,
      phase: 'Fargate',
      samples: fargateMinutes(minute - 20 - rates.length + 1, [...repeat(2, 20), ...rates]),
      now: after(minute),
      history: onFargate(),
      ledger,
    });

  it("asks for the learned burst's tasks from its first published minute, with one burst learned", () => {
    // The second burst, during the first gap's wait: no gap learned before it, no rhythm to bet on.
    const first = seen(peaked([1000]), 1060, [150]);
    expect(first.tier).toBe('fargate');
    expect(first.tasksAhead).toMatchObject({ tasks: 3, aheadOfTracking: true, horizonMinutes: 0 });
    expect(first.reason).toMatch(
      /; a burst goes on \(1 min, the learned ones lasted at most 5\): 3 tasks until it ends$/,
    );
    // Held through it, and let go at its first quiet minute once it lasted as long as the learned one.
    expect(seen(peaked([1000]), 1064, repeat(150, 5)).tasksAhead).toMatchObject({ tasks: 3 });
    expect(seen(peaked([1000]), 1065, [...repeat(150, 5), 2]).tasksAhead?.tasks ?? 1).toBeLessThan(3);
    // Outlasting the learned burst: a level, left to target tracking.
    expect(seen(peaked([1000]), 1065, repeat(150, 6)).tasksAhead?.tasks ?? 1).toBeLessThan(3);
  });

  it('asks for them with one gap learned before the burst, where no tasks were bet on ahead of it', () => {
    // Two bursts learned (one gap; with the open one, two): tasks are bet on ahead of a burst from three.
    const ledger = peaked([1000, 1240]);
    expect(seen(ledger, 1478, [2]).tasksAhead).toBeUndefined();
    expect(seen(ledger, 1481, [150]).tasksAhead).toMatchObject({ tasks: 3, aheadOfTracking: true });
  });

  it('asks for nothing without a learned peak, or when minTasks already serve one like it', () => {
    expect(seen({ bursts: bursts([1000], 5, 300), quietRps: 2 }, 1060, [150]).tasksAhead).toBeUndefined();
    // A run above the threshold that one task serves (a quiet level's noise): target tracking's.
    expect(seen(peaked([1000]), 1061, [30, 40]).tasksAhead).toBeUndefined();
    const small: AutoLedger = { bursts: bursts([1000], 5, 90).map((b) => ({ ...b, peak: 90 })), quietRps: 2 };
    expect(seen(small, 1060, [90]).tasksAhead).toBeUndefined();
  });

  it('property: while a burst no longer than those learned outruns one task, the minimum is their tasks', () => {
    // Bursts of a few minutes, dear on Lambda, every hour or so: they belong on Fargate (a rhythm). One
    // to three learned (two gaps at most with the one seen): no tasks were bet on ahead of it.
    const learnedArb = fc.array(
      fc.record({ minutes: fc.integer({ min: 3, max: 10 }), peak: fc.integer({ min: 200, max: 1500 }) }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(
        learnedArb,
        fc.integer({ min: 40, max: 90 }),
        fc.integer({ min: 101, max: 1500 }),
        fc.integer({ min: 1, max: 10 }),
        (learned, gap, rps, ageWanted) => {
          const ledger: AutoLedger = {
            bursts: learned.map((b, i) => ({
              start: 1000 + i * gap,
              minutes: b.minutes,
              extra: b.minutes * extraPerMinute(b.peak),
              peak: b.peak,
            })),
            quietRps: 2,
          };
          const age = Math.min(ageWanted, ...learned.map((b) => b.minutes));
          const minute = 1000 + learned.length * gap + age - 1;
          const decision = seen(ledger, minute, repeat(rps, age));
          const peaks = learned.map((b) => b.peak).sort((a, b) => a - b);
          const mid = Math.floor(peaks.length / 2);
          const median = peaks.length % 2 ? peaks[mid]! : (peaks[mid - 1]! + peaks[mid]!) / 2;
          const tasks = Math.min(
            SPEC.fargate.maxTasks,
            Math.ceil(median / SPEC.fargate.targetRequestsPerTask),
          );
          expect(decision.tier).toBe('fargate');
          if (tasks > SPEC.fargate.minTasks)
            expect(decision.tasksAhead?.tasks ?? SPEC.fargate.minTasks).toBeGreaterThanOrEqual(tasks);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('decideAuto: after the first burst', () => {
  // One burst learned, at minute 1000: 5 minutes at 200 rps.
  const first: AutoLedger = { bursts: bursts([1000], 5, 200), quietRps: 2 };
  const quietOnFargate = (minute: number, ledger?: AutoLedger) =>
    decideAuto({
      spec: SPEC,
      phase: 'Fargate',
      samples: fargateMinutes(minute - 19, repeat(2, 20)),
      now: after(minute),
      history: onFargate(),
      ...(ledger ? { ledger } : {}),
    });

  it('waits on Fargate for a second burst until an idle tier has cost half what meeting one from Lambda would', () => {
    expect(quietOnFargate(1030).tier).toBe('lambda');
    const held = quietOnFargate(1030, first);
    expect(held.tier).toBe('fargate');
    expect(held.reason).toMatch(
      /^2\.0 rps < 5 for 20 min, but one burst learned \(began 31 min ago\) and meeting one like it from Lambda costs \$0\.1\d{3}: waiting on Fargate for the next until \d+ min from now: staying on Fargate$/,
    );
    expect(quietOnFargate(1200, first).tier).toBe('lambda');
  });
});

describe('decideAuto: how far the level wanders, learned over the hours', () => {
  // A walk's quiet stretch on Fargate: ±3 around 85 for 45 minutes.
  const quiet = [
    84, 87, 85, 82, 86, 88, 85, 83, 86, 84, 87, 85, 82, 84, 86, 88, 85, 83, 86, 84, 85, 87, 84, 82, 85, 86,
    84, 87, 85, 83, 86, 84, 85, 87, 84, 86, 83, 85, 87, 84, 86, 85, 83, 86, 85,
  ];
  const samples = fargateMinutes(1000, quiet);
  const now = after(1000 + quiet.length - 1);
  const onTier = (ledger?: AutoLedger) =>
    decideAuto(base({ samples, now, phase: 'Fargate', history: onFargate(), ...(ledger ? { ledger } : {}) }));

  it('folds this hour’s measure into the ledger once per newest minute', () => {
    const first = onTier();
    const share = first.ledger.levelDrift;
    expect(share).toBeGreaterThan(0);
    // The same newest minute again: nothing new was measured.
    expect(onTier(first.ledger).ledger.levelDrift).toBe(share);
    // A new minute: folded in, a small step from what the ledger held.
    const learned: AutoLedger = { ...first.ledger, levelDrift: 0.07, through: first.ledger.through! - 1 };
    const next = onTier(learned).ledger.levelDrift!;
    expect(next).toBeLessThan(0.07);
    expect(next).toBeGreaterThan(0.06);
  });

  it('keeps a task for the level when the stack’s level has strayed further over the hours', () => {
    expect(onTier().tasksAhead).toBeUndefined();
    const wide = onTier({ ...onTier().ledger, levelDrift: 0.07 });
    expect(wide.tasksAhead).toMatchObject({ tasks: 2, aheadOfTracking: true });
    expect(wide.reason).toMatch(/a level of 85 rps ± 6: 2 tasks/);
  });
});

describe('decideAuto: the first burst’s wait, on a new stack and on one watched quiet for long', () => {
  // 5 quiet minutes, 8 minutes at 300 rps (served by Lambda while the tier was built), 25 quiet minutes
  // on Fargate: a user's first burst in a fresh sandbox. No dns: a minute's rate is what both tiers
  // counted.
  const samples = [
    ...lambdaMinutes(1000, [...repeat(2, 5), ...repeat(300, 8)]),
    ...fargateMinutes(1013, repeat(2, 25)),
  ];
  const decide = (ledger?: AutoLedger) =>
    decideAuto(
      base({
        samples,
        now: after(1037),
        phase: 'Fargate',
        traffic: 'unweighted',
        history: onFargate(1010),
        ...(ledger ? { ledger } : {}),
      }),
    );

  it('waits on a stack created minutes before its first burst, and says until when', () => {
    const decision = decide();
    expect(decision.ledger.since).toBe(1000);
    expect(decision.ledger.bursts).toHaveLength(1);
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(
      /but one burst learned \(began \d+ min ago\).*waiting on Fargate for the next until \d+ min from now/,
    );
  });

  it('does not wait on a stack that was watched quiet for longer than the wait before it', () => {
    // Watched for a week of quiet minutes before the burst: bursts that come back are that far apart.
    const watched: AutoLedger = { bursts: [], since: 1000 - 7 * 1440, through: 999, quietRps: 2 };
    const decision = decide(watched);
    expect(decision.ledger.bursts).toHaveLength(1);
    expect(decision.tier).toBe('lambda');
    expect(decision.reason).not.toMatch(/one burst learned/);
  });
});
