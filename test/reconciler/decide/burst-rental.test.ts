import fc from 'fast-check';
import { burstCost, learnedHold, type RentalCosts } from '../../../reconciler/decide/burst-rental';

// A burst of ~200 rps: 2 cents a minute more on Lambda; a round trip 2.9 cents; Fargate serves 14 minutes
// after the newest minute seen.
const COSTS: RentalCosts = { extraPerMinute: 0.02, roundTrip: 0.029, scaleUpMinutes: 14 };

describe('burstCost', () => {
  it('is the burst on Lambda when it ends before the scale-up, else a round trip and the minutes until Fargate serves', () => {
    expect(burstCost(5, 4, COSTS)).toBeCloseTo(0.08, 12);
    // Seen for 5 minutes and built for, it ended then: the round trip was for nothing.
    expect(burstCost(5, 5, COSTS)).toBeCloseTo(0.1 + 0.029, 12);
    expect(burstCost(3, 60, COSTS)).toBeCloseTo(0.02 * (3 + 14) + 0.029, 12);
  });
});

describe('learnedHold', () => {
  it('holds nothing without learned bursts, or once this one outlasted them all', () => {
    expect(learnedHold([], 3, COSTS)).toBeUndefined();
    expect(learnedHold([4, 5, 5], 6, COSTS)).toBeUndefined();
  });

  it('holds a scale-up for a burst like those that ended before a tier could serve', () => {
    const hold = learnedHold([4, 5, 5], 3, COSTS)!;
    expect(hold).toMatchObject({ alike: 3, bestAge: 6, longest: 5 });
    expect(hold.now).toBeCloseTo((0.109 + 0.129 + 0.129) / 3, 12);
    expect(hold.later).toBeCloseTo((0.08 + 0.1 + 0.1) / 3, 12);
  });

  it('moves at once when the learned bursts went on long enough (a daily plateau)', () => {
    expect(learnedHold([600, 540, 700], 3, COSTS)).toBeUndefined();
  });

  it('weighs a mix: many short bursts outweigh one long one when the wait costs less than their round trips', () => {
    expect(learnedHold([4, 4, 4, 4, 4, 4, 600], 3, COSTS)).toMatchObject({ bestAge: 5 });
    // One short burst among long ones is not worth waiting for.
    expect(learnedHold([4, 600, 600, 600], 3, COSTS)).toBeUndefined();
  });

  it('always holds when every learned burst this long ended before a tier started now could serve (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 16 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (age, offsets, roundTrip) => {
          // Lengths from the age to just before a tier started at this age would serve.
          const lengths = offsets.map((o) => age + o);
          expect(learnedHold(lengths, age, { ...COSTS, roundTrip })).toBeDefined();
        },
      ),
    );
  });

  it('never holds when no learned burst is as long as this one (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 60 })),
        (age, lengths) => {
          expect(
            learnedHold(
              lengths.filter((l) => l < age),
              age,
              COSTS,
            ),
          ).toBeUndefined();
        },
      ),
    );
  });
});
