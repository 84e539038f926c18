import fc from 'fast-check';
import {
  EXPIRY,
  FIRST_GAP_SHARE,
  LEAD_MARGIN,
  MIN_GAPS_FOR_TASKS,
  RHYTHM_MARGIN,
  firstGapStay,
  heldThroughBurst,
  meetingCost,
  recurringBursts,
  type RhythmCosts,
} from '../../../reconciler/decide/burst-rhythm';
import type { AutoLedger } from '../../../reconciler/decide/ledger';

// An idle Fargate minute costs 0.07 cents beyond Lambda's quiet minute, and 0.1 cents while a move runs;
// a round trip 2.9 cents; up in 11 minutes, down in 8; 15 quiet minutes before a scale-down; cooldown 10.
const RHYTHM: RhythmCosts = {
  idleExtraPerMinute: 0.0007,
  idleTierPerMinute: 0.001,
  roundTrip: 0.029,
  scaleUpMinutes: 11,
  scaleDownMinutes: 8,
  forMinutes: 3,
  quietMinutesToLeave: 15,
  cooldownMinutes: 10,
  // A task beyond the first costs 0.04 cents a minute; 100 requests a second each.
  taskPerMinute: 0.0004,
  fargate: { minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 },
};
const ledger = (starts: number[], minutes: number, extra: number, open?: number): AutoLedger => ({
  bursts: starts.map((start) => ({ start, minutes, extra })),
  ...(open === undefined ? {} : { open: { start: open, lastAbove: open, extra: 0 } }),
});

describe('meetingCost', () => {
  it('is all of a burst too short to catch, else a round trip and what it cost until a tier could serve', () => {
    expect(meetingCost({ start: 0, minutes: 7, extra: 0.29 }, RHYTHM)).toBe(0.29);
    // 600 minutes costing $3: its first 14 minutes, as the ledger kept them…
    expect(meetingCost({ start: 0, minutes: 600, extra: 3, head: 0.02 }, RHYTHM)).toBeCloseTo(0.049, 12);
    // …or, in a ledger written before heads were kept, its mean minute's share.
    expect(meetingCost({ start: 0, minutes: 600, extra: 3 }, RHYTHM)).toBeCloseTo(0.029 + 0.07, 12);
  });
});

describe('recurringBursts', () => {
  it('stays on Fargate between bursts that come back too soon to leave and come back', () => {
    // 7-min bursts costing 29 cents each on Lambda, every 40 min: 33 idle minutes cost 2.3 cents. Leaving
    // takes 7 + 15 minutes, the moves and the cooldown between 21 more: past the 36 minutes of the lead.
    expect(recurringBursts(ledger([0, 40, 80], 7, 0.29), 100, RHYTHM)).toEqual({
      every: 40,
      perBurst: 0.29,
      stay: expect.closeTo(0.0231, 10),
      way: 'stay',
      lastStart: 80,
      readyBy: 80 + 40 - LEAD_MARGIN * 40,
      until: 80 + EXPIRY * 40,
      bursts: 3,
    });
  });

  it('leaves after a burst and comes back ahead of the next when that costs less than staying', () => {
    // 5-min bursts of 15 cents every 4 hours: staying costs 16.5 cents a gap, more than meeting one from
    // Lambda. Coming back 24 min before the next is due costs 15 quiet minutes, the two moves, the wait.
    const rhythm = recurringBursts(ledger([0, 240, 480], 5, 0.15), 500, RHYTHM)!;
    expect(rhythm).toEqual({
      every: 240,
      perBurst: 0.15,
      stay: expect.closeTo(0.0007 * 235, 10),
      comeBack: expect.closeTo(0.0007 * 15 + 0.001 * 19 + 0.0007 * 24, 10),
      way: 'comeBack',
      lastStart: 480,
      readyBy: 480 + 216,
      until: 480 + 360,
      bursts: 3,
    });
    expect(RHYTHM_MARGIN * rhythm.comeBack!).toBeLessThan(rhythm.perBurst);
  });

  it('is back by the shortest gap learned, less a share of the median gap', () => {
    const rhythm = recurringBursts(ledger([0, 220, 460, 720], 5, 0.15), 730, RHYTHM)!;
    expect(rhythm).toMatchObject({ every: 240, way: 'comeBack', readyBy: 720 + 220 - LEAD_MARGIN * 240 });
  });

  it('starts the tasks a learned burst needs to serve by the shortest gap learned, and prices them in', () => {
    const starts = [0, 220, 460, 720];
    const peaked: AutoLedger = {
      bursts: starts.map((start) => ({ start, minutes: 5, extra: 0.15, peak: 250 })),
    };
    const rhythm = recurringBursts(peaked, 730, RHYTHM)!;
    expect(rhythm).toMatchObject({ way: 'comeBack', tasks: 3, tasksFrom: 720 + 220 - 2 });
    // Two tasks beyond the first, from 2 minutes before the shortest gap to the burst: 22 minutes on the
    // mean of the gaps (2, 22, 42).
    const without = recurringBursts(ledger(starts, 5, 0.15), 730, RHYTHM)!;
    expect(without.tasks).toBeUndefined();
    expect(rhythm.comeBack! - without.comeBack!).toBeCloseTo(2 * 0.0004 * 22, 10);
    expect(rhythm.stay - without.stay).toBeCloseTo(2 * 0.0004 * 22, 10);
    // With fewer gaps learned than MIN_GAPS_FOR_TASKS, how long they would wait is not known: none.
    const fewer: AutoLedger = { bursts: peaked.bursts.slice(0, MIN_GAPS_FOR_TASKS) };
    expect(recurringBursts(fewer, 470, RHYTHM)!.tasks).toBeUndefined();
  });

  it('does not come back when the quiet rate never lets the tier go, or the moves do not fit in the gap', () => {
    const { quietMinutesToLeave: _, ...neverLeaves } = RHYTHM;
    expect(recurringBursts(ledger([0, 240, 480], 5, 0.15), 500, neverLeaves)).toBeUndefined();
    // Bursts of 29 cents every 40 minutes still belong on Fargate: by staying.
    expect(recurringBursts(ledger([0, 40, 80], 7, 0.29), 100, neverLeaves)).toMatchObject({ way: 'stay' });
    const slowMoves = { ...RHYTHM, scaleUpMinutes: 100, scaleDownMinutes: 100 };
    expect(recurringBursts(ledger([0, 240, 480], 5, 0.15), 500, slowMoves)).toBeUndefined();
  });

  it('leaves a close call on Lambda: meeting a burst there must cost 1.5 times the cheaper way on Fargate', () => {
    // 40-min bursts gaps: staying costs 2.31 cents; a burst of 3.4 cents is not 1.5 times that.
    expect(recurringBursts(ledger([0, 40, 80], 7, 0.034), 100, RHYTHM)).toBeUndefined();
    expect(recurringBursts(ledger([0, 40, 80], 7, 0.035), 100, RHYTHM)).toMatchObject({ way: 'stay' });
  });

  it('weighs a long burst by what catching it costs, not by all of it (a day is caught in minutes)', () => {
    // One 10-hour day a day: on Lambda it would cost $3, but a scale-up catches it for a round trip and its
    // first 14 minutes, far less than an idle night or a return ahead of the next morning.
    const days: AutoLedger = {
      bursts: [0, 1440].map((start) => ({ start, minutes: 600, extra: 3, head: 0.02 })),
    };
    expect(recurringBursts(days, 1500, RHYTHM)).toBeUndefined();
  });

  it('counts the open burst’s start, so that the second burst already shows the rhythm', () => {
    expect(recurringBursts(ledger([0], 7, 0.29, 40), 43, RHYTHM)).toMatchObject({ every: 40, lastStart: 40 });
  });

  it('is undefined once the rhythm has stopped for 1.5 of its periods, or with fewer than two starts', () => {
    expect(recurringBursts(ledger([0, 40, 80], 7, 0.29), 80 + 60, RHYTHM)).toBeDefined();
    expect(recurringBursts(ledger([0, 40, 80], 7, 0.29), 80 + 61, RHYTHM)).toBeUndefined();
    expect(recurringBursts(ledger([0], 7, 0.29), 30, RHYTHM)).toBeUndefined();
  });

  it('is back before the shortest gap learned, and leaves room for both moves and the cooldown (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 30, max: 400 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 2, max: 15 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (gaps, minutes, extra) => {
          const starts = gaps.reduce((all, gap) => [...all, all[all.length - 1]! + gap], [0]);
          const last = starts[starts.length - 1]!;
          const rhythm = recurringBursts(ledger(starts, minutes, extra), last + 1, RHYTHM);
          if (rhythm?.way !== 'comeBack') return;
          expect(rhythm.readyBy).toBeLessThan(last + Math.min(...gaps));
          expect(rhythm.readyBy - last).toBeGreaterThanOrEqual(minutes + 15 + 10 + 11);
          expect(rhythm.comeBack!).toBeLessThan(rhythm.stay);
        },
      ),
    );
  });
});

describe('firstGapStay', () => {
  // One 7-min burst at minute 100 that cost 29 cents on Lambda: an idle tier pays that in 414 minutes.
  const breakEven = 0.29 / 0.0007;

  it('stays after the first burst until an idle tier has cost a share of meeting the next from Lambda', () => {
    const until = 100 + FIRST_GAP_SHARE * breakEven;
    expect(firstGapStay(ledger([100], 7, 0.29), 120, RHYTHM)).toEqual({
      start: 100,
      perBurst: 0.29,
      until: expect.closeTo(until, 10),
    });
    expect(firstGapStay(ledger([100], 7, 0.29), Math.floor(until), RHYTHM)).toBeDefined();
    expect(firstGapStay(ledger([100], 7, 0.29), Math.ceil(until), RHYTHM)).toBeUndefined();
  });

  it('is for the first gap only: a second burst (closed or going on) shows the rhythm instead', () => {
    expect(firstGapStay(ledger([100, 160], 7, 0.29), 170, RHYTHM)).toBeUndefined();
    expect(firstGapStay(ledger([100], 7, 0.29, 160), 162, RHYTHM)).toBeUndefined();
    expect(firstGapStay(ledger([], 7, 0.29), 170, RHYTHM)).toBeUndefined();
  });

  it('stays on a new stack, not on one watched quiet for longer than the wait before its first burst', () => {
    const wait = FIRST_GAP_SHARE * breakEven;
    const watchedFrom = (since: number): AutoLedger => ({ ...ledger([100], 7, 0.29), since });
    // Created minutes before its first burst (a fresh sandbox): the wait is the bet it was made for.
    expect(firstGapStay(watchedFrom(95), 120, RHYTHM)).toMatchObject({
      until: expect.closeTo(100 + wait, 10),
    });
    // Quiet for just under the wait before it: nothing says the next burst comes after the wait.
    expect(firstGapStay(watchedFrom(100 - Math.floor(wait) + 1), 120, RHYTHM)).toBeDefined();
    // Quiet for the wait or longer: bursts that come back come back at least that far apart.
    expect(firstGapStay(watchedFrom(100 - Math.ceil(wait)), 120, RHYTHM)).toBeUndefined();
    expect(firstGapStay(watchedFrom(-1000), 120, RHYTHM)).toBeUndefined();
  });

  it('does not stay where an idle Fargate tier is no dearer than Lambda (nothing to weigh)', () => {
    expect(firstGapStay(ledger([100], 7, 0.29), 120, { ...RHYTHM, idleExtraPerMinute: 0 })).toBeUndefined();
  });
});

describe('heldThroughBurst', () => {
  const withOpen = (lengths: number[], start: number, lastAbove: number): AutoLedger => ({
    bursts: lengths.map((minutes, i) => ({ start: i * 100, minutes, extra: 0.1 })),
    open: { start, lastAbove, extra: 0 },
  });

  it('holds while the open burst is no longer than the longest learned one', () => {
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1000))).toEqual({ age: 1, longest: 7 });
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1006))).toEqual({ age: 7, longest: 7 });
    // One minute past the longest: a new level, which target tracking follows.
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1007))).toBeUndefined();
  });

  it('lets go at the first quiet minute seen once the burst lasted as long as the shortest learned one', () => {
    // Learned 5–7 min; this one's last minute above was 1005 (6 min): 1006 seen quiet ends it as those did.
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1005), 1006)).toBeUndefined();
    // Still above at the newest minute: held, whatever its age.
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1005), 1005)).toEqual({ age: 6, longest: 7 });
    // A dip after 4 min, shorter than every learned burst: held (the ledger closes it only after two).
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1003), 1004)).toEqual({ age: 4, longest: 7 });
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1003), 1005)).toEqual({ age: 4, longest: 7 });
    // Exactly the shortest learned length: let go.
    expect(heldThroughBurst(withOpen([5, 7, 6], 1000, 1004), 1005)).toBeUndefined();
  });

  it('does not hold without an open burst, or with nothing learned', () => {
    expect(heldThroughBurst({ bursts: [{ start: 0, minutes: 7, extra: 0.1 }] })).toBeUndefined();
    expect(heldThroughBurst({ bursts: [], open: { start: 10, lastAbove: 10, extra: 0 } })).toBeUndefined();
  });

  it('holds exactly while the open burst has not outlasted every learned one (any ledger)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 16 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 120 }),
        (lengths, start, span) => {
          const held = heldThroughBurst(withOpen(lengths, start, start + span));
          const outlasted = lengths.every((l) => span + 1 > l);
          expect(held === undefined).toBe(outlasted);
          if (held) expect(held).toEqual({ age: span + 1, longest: Math.max(...lengths) });
        },
      ),
    );
  });

  it('with a newest minute, holds exactly while the burst goes on or is still shorter than every learned one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 16 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 3 }),
        (lengths, start, span, quiet) => {
          const held = heldThroughBurst(withOpen(lengths, start, start + span), start + span + quiet);
          const outlasted = lengths.every((l) => span + 1 > l);
          const endedAsLearned = quiet > 0 && span + 1 >= Math.min(...lengths);
          expect(held === undefined).toBe(outlasted || endedAsLearned);
        },
      ),
    );
  });
});
