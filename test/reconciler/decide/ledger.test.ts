import fc from 'fast-check';
import {
  BURST_END_MINUTES,
  DRIFT_WEIGHT,
  MAX_BURSTS,
  emptyLedger,
  foldDrift,
  foldMinutes,
  readLedger,
  type AutoLedger,
  type FoldContext,
} from '../../../reconciler/decide/ledger';
import { fargateMinuteCost, lambdaMinuteCost } from '../../../reconciler/decide/tier-cost';
import { autoSpec, repeat } from './fixtures';

const SPEC = autoSpec();
// A tier serves a burst 14 minutes after it began at the earliest (3 minutes above, an 11-minute scale-up).
const CTX: FoldContext = { threshold: 20, minBurstMinutes: 3, durationMs: 100, spec: SPEC, headMinutes: 14 };
const minutes = (from: number, rates: readonly number[]) =>
  rates.map((rps, i) => ({ minute: from + i, rps }));
const extraOf = (rps: number) =>
  Math.max(0, lambdaMinuteCost(rps, 100, SPEC.lambda.memoryMb) - fargateMinuteCost(rps, SPEC.fargate));

describe('foldMinutes', () => {
  it('records a burst once it has been over for BURST_END_MINUTES, with its length and extra cost', () => {
    const rates = [2, 2, 200, 200, 200, 200, 2, 2, 2];
    const ledger = foldMinutes(emptyLedger(), minutes(100, rates), CTX);
    const extra = expect.closeTo(4 * extraOf(200), 10);
    expect(ledger.bursts).toEqual([{ start: 102, minutes: 4, extra, head: extra, peak: 200 }]);
    expect(ledger.open).toBeUndefined();
    expect(ledger.through).toBe(108);
    expect(BURST_END_MINUTES).toBe(2);
  });

  it('keeps a burst open through one quiet minute, and while it goes on', () => {
    const ledger = foldMinutes(emptyLedger(), minutes(0, [200, 200, 2, 200, 200]), CTX);
    expect(ledger.bursts).toEqual([]);
    expect(ledger.open).toMatchObject({ start: 0, lastAbove: 4 });
  });

  it('forgets bursts shorter than minBurstMinutes: no scale-up rule acts on them', () => {
    const ledger = foldMinutes(emptyLedger(), minutes(0, [2, 200, 200, 2, 2, 2]), CTX);
    expect(ledger.bursts).toEqual([]);
  });

  it('skips minutes without data: a gap neither ends nor lengthens a burst', () => {
    const points = [...minutes(0, [200, 200, 200]), ...minutes(10, [200, 2, 2])];
    const ledger = foldMinutes(emptyLedger(), points, CTX);
    const extra = expect.closeTo(4 * extraOf(200), 10);
    expect(ledger.bursts).toEqual([{ start: 0, minutes: 11, extra, head: extra, peak: 200 }]);
  });

  it('keeps apart what a burst cost in the minutes before a tier could serve it (its head)', () => {
    // A ramp: 14 minutes from 30 to 160 rps, then 10 minutes at 400.
    const ramp = Array.from({ length: 14 }, (_, i) => 30 + 10 * i);
    const ledger = foldMinutes(emptyLedger(), minutes(0, [...ramp, ...repeat(400, 10), 2, 2]), CTX);
    const head = ramp.reduce((sum, rps) => sum + extraOf(rps), 0);
    expect(ledger.bursts).toEqual([
      {
        start: 0,
        minutes: 24,
        extra: expect.closeTo(head + 10 * extraOf(400), 10),
        head: expect.closeTo(head, 10),
        peak: 400,
      },
    ]);
    // Its mean minute's share of 14 would say more than twice as much.
    expect((ledger.bursts[0]!.extra * 14) / 24).toBeGreaterThan(2 * head);
  });

  it('keeps the highest minute of a burst: the tasks to have ready for the next like it', () => {
    const ledger = foldMinutes(emptyLedger(), minutes(0, [150, 320, 2, 280, 2, 2]), CTX);
    expect(ledger.bursts[0]).toMatchObject({ start: 0, minutes: 4, peak: 320 });
  });

  it('does not guess the head or peak of a burst stored open before they were kept', () => {
    const old: AutoLedger = { bursts: [], through: 9, open: { start: 8, lastAbove: 9, extra: 0.01 } };
    const ledger = foldMinutes(old, minutes(10, [200, 2, 2]), CTX);
    expect(ledger.bursts).toEqual([{ start: 8, minutes: 3, extra: expect.closeTo(0.01 + extraOf(200), 10) }]);
  });

  it('folds each minute once: minutes already folded are ignored', () => {
    const first = foldMinutes(emptyLedger(), minutes(0, [200, 200, 200, 2]), CTX);
    const again = foldMinutes(first, minutes(0, [200, 200, 200, 2, 2]), CTX);
    const extra = expect.closeTo(3 * extraOf(200), 10);
    expect(again.bursts).toEqual([{ start: 0, minutes: 3, extra, head: extra, peak: 200 }]);
  });

  it('keeps at most MAX_BURSTS, the newest', () => {
    const rates = Array.from({ length: MAX_BURSTS + 4 }, () => [200, 200, 200, 2, 2]).flat();
    const ledger = foldMinutes(emptyLedger(), minutes(0, rates), CTX);
    expect(ledger.bursts).toHaveLength(MAX_BURSTS);
    expect(ledger.bursts[MAX_BURSTS - 1]!.start).toBe((MAX_BURSTS + 3) * 5);
  });

  it('averages the quiet rate slowly, and adds up what Fargate charged beyond Lambda below the break-even', () => {
    const ledger = foldMinutes(emptyLedger(), minutes(0, [2, 2, 2, 2]), CTX);
    expect(ledger.quietRps).toBeCloseTo(2, 10);
    const surplus = fargateMinuteCost(2, SPEC.fargate) - lambdaMinuteCost(2, 100, SPEC.lambda.memoryMb);
    expect(ledger.cheaperOnLambda).toEqual({ since: 0, extra: expect.closeTo(4 * surplus, 12) });
    // A minute where Fargate is the cheaper tier ends the run.
    expect(foldMinutes(ledger, minutes(4, [200]), CTX).cheaperOnLambda).toBeUndefined();
  });

  it('records the same bursts however the minutes arrive, in one pass or minute by minute (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(1, 5, 19, 21, 80, 300), { minLength: 1, maxLength: 120 }),
        (rates) => {
          const points = minutes(0, rates);
          const once = foldMinutes(emptyLedger(), points, CTX);
          let stepwise: AutoLedger = emptyLedger();
          for (const point of points) stepwise = foldMinutes(stepwise, [point], CTX);
          expect(stepwise).toEqual(once);
          // Each recorded burst is a run above the threshold of at least minBurstMinutes.
          for (const burst of once.bursts) {
            expect(burst.minutes).toBeGreaterThanOrEqual(CTX.minBurstMinutes);
            expect(rates[burst.start]!).toBeGreaterThan(CTX.threshold);
            expect(rates[burst.start + burst.minutes - 1]!).toBeGreaterThan(CTX.threshold);
          }
        },
      ),
    );
  });
});

describe('readLedger', () => {
  it('reads a stored ledger back, and drops what is malformed (a hand edit)', () => {
    const stored = foldMinutes(emptyLedger(), minutes(0, [200, 200, 200, 2, 2, 2]), CTX);
    expect(readLedger(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    expect(readLedger(undefined)).toEqual(emptyLedger());
    expect(readLedger('bursts')).toEqual(emptyLedger());
    expect(
      readLedger({
        through: 'soon',
        open: { start: 1 },
        bursts: [
          { start: 1, minutes: 3, extra: 0.1 },
          { start: 'x' },
          { start: 5, minutes: -1, extra: 0 },
          { start: 9, minutes: 3, extra: 0.1, head: 0.05 },
          // A head is part of the burst's extra cost: more, or below zero, is dropped (the burst is kept).
          { start: 20, minutes: 3, extra: 0.1, head: 0.2 },
          { start: 30, minutes: 3, extra: 0.1, head: -1 },
          { start: 40, minutes: 3, extra: 0.1, peak: 250 },
          { start: 50, minutes: 3, extra: 0.1, peak: 'high' },
        ],
        quietRps: -3,
        cheaperOnLambda: { since: 1 },
      }),
    ).toEqual({
      bursts: [
        { start: 1, minutes: 3, extra: 0.1 },
        { start: 9, minutes: 3, extra: 0.1, head: 0.05 },
        { start: 20, minutes: 3, extra: 0.1 },
        { start: 30, minutes: 3, extra: 0.1 },
        { start: 40, minutes: 3, extra: 0.1, peak: 250 },
        { start: 50, minutes: 3, extra: 0.1 },
      ],
    });
  });
});

describe('the watch', () => {
  it('remembers the first minute folded in, and keeps it through readLedger', () => {
    const first = foldMinutes(emptyLedger(), minutes(100, [2, 2, 3]), CTX);
    expect(first.since).toBe(100);
    const later = foldMinutes(first, minutes(103, [2, 200]), CTX);
    expect(later.since).toBe(100);
    expect(readLedger(JSON.parse(JSON.stringify(later))).since).toBe(100);
    expect(readLedger({ bursts: [], since: 'yesterday' }).since).toBeUndefined();
  });
});

describe('foldDrift', () => {
  it('starts from the first measure and then moves a DRIFT_WEIGHT of the way to each new one', () => {
    const first = foldDrift(emptyLedger(), 0.08);
    expect(first.levelDrift).toBe(0.08);
    const second = foldDrift(first, 0.02);
    expect(second.levelDrift).toBeCloseTo(0.08 + DRIFT_WEIGHT * (0.02 - 0.08), 12);
    // An hour of measures of half still remembers the hours before it: (1 − w)^60 of the difference.
    let ledger = first;
    for (let i = 0; i < 60; i++) ledger = foldDrift(ledger, 0.04);
    expect(ledger.levelDrift!).toBeCloseTo(0.04 + 0.04 * (1 - DRIFT_WEIGHT) ** 60, 12);
    expect(ledger.levelDrift!).toBeGreaterThan(0.05);
  });

  it('ignores a measure that is not a share (negative or not a number), and keeps it through readLedger', () => {
    const ledger = foldDrift(emptyLedger(), 0.05);
    expect(foldDrift(ledger, -1)).toEqual(ledger);
    expect(foldDrift(ledger, Number.NaN)).toEqual(ledger);
    expect(readLedger(JSON.parse(JSON.stringify(ledger))).levelDrift).toBe(0.05);
    expect(readLedger({ bursts: [], levelDrift: -0.1 }).levelDrift).toBeUndefined();
    expect(readLedger({ bursts: [], levelDrift: 'wide' }).levelDrift).toBeUndefined();
  });
});
