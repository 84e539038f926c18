/**
 * Adversary (the clock): the CreateLoadBalancer turn book (util/turn-book.ts) is one record written by every
 * execution environment, each with its own wall clock (the store's `now`). One environment whose clock is
 * ahead (the scenarios' second worker runs a day ahead) writes its instants into the book; the book must
 * not hand every other environment's stacks a turn that far out, nor keep their turns from them, when the
 * bucket has tokens to spare: AWS counts the account's calls on its own clock.
 */
import { claimTurn, withinReach, type TurnBook } from '../../util/turn-book';

/** ELBv2's resource-intensive category: ten at once, then one every 5 s. */
const SIZE = { capacity: 10, refillPerSecond: 0.2 };
const T0 = 1_700_000_000_000;
const DAY_MS = 24 * 3_600_000;
/** How long a pass waits for its turn (rate-budget.ts TURN_WAIT_MS). */
const WAIT = 15_000;

describe('adversary: one environment’s clock ahead writes the turn book', () => {
  it('a stack claiming on a right clock after one claim from a clock a day ahead still gets a turn within its wait', () => {
    // One CreateLoadBalancer made in the account: nine tokens left.
    const ahead = claimTurn(undefined, SIZE, 'stack-ahead', T0 + DAY_MS, WAIT);
    expect(ahead.turn.go).toBe(true);
    const right = claimTurn(ahead.book, SIZE, 'stack-right', T0 + 1_000, WAIT);
    expect(right.turn.go).toBe(true);
    expect(right.turn.at - (T0 + 1_000)).toBeLessThanOrEqual(WAIT);
  });

  it('a turn a right clock kept for its stack survives a claim from a clock a day ahead', () => {
    // The burst used, then `waiting` keeps the turn at 5 s (its pass waits 0 here).
    let book: TurnBook | undefined;
    for (let i = 0; i < 10; i++) book = claimTurn(book, SIZE, `burst-${i}`, T0, WAIT).book;
    const kept = claimTurn(book, SIZE, 'waiting', T0, 0);
    expect(kept.turn).toEqual({ at: T0 + 5_000, go: false });
    const ahead = claimTurn(kept.book, SIZE, 'stack-ahead', T0 + DAY_MS, WAIT);
    // `waiting` back for its turn on a right clock: it gets it, or one close to it, not a day later.
    const back = claimTurn(ahead.book, SIZE, 'waiting', T0 + 4_000, WAIT);
    expect(back.turn.go).toBe(true);
    expect(back.turn.at - (T0 + 4_000)).toBeLessThanOrEqual(WAIT);
  });

  it('a turn held by a clock a day ahead does not keep its stack a day when a right clock serves it next', () => {
    let book: TurnBook | undefined;
    for (let i = 0; i < 10; i++) book = claimTurn(book, SIZE, `burst-${i}`, T0 + DAY_MS, WAIT).book;
    const kept = claimTurn(book, SIZE, 'moved', T0 + DAY_MS, 0);
    expect(kept.turn.go).toBe(false);
    // The stack's next pass runs on another environment whose clock is right, a minute later.
    const back = claimTurn(kept.book, SIZE, 'moved', T0 + 60_000, WAIT);
    expect(back.turn.go).toBe(true);
    expect(back.turn.at - (T0 + 60_000)).toBeLessThanOrEqual(WAIT);
  });

  it('a book written on one clock is taken as it is: 300 stacks claiming, keeping and coming back', () => {
    let book: TurnBook | undefined;
    let now = T0;
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let checked = 0;
    for (let i = 0; i < 3_000; i++) {
      now += Math.floor(random() * 4_000);
      const holder = `stack-${Math.floor(random() * 300)}`;
      expect(withinReach(book, SIZE, now)).toBe(book);
      if (book) checked++;
      book = claimTurn(book, SIZE, holder, now, random() < 0.5 ? WAIT : 0).book;
    }
    expect(checked).toBe(2_999);
    expect(Object.keys(book!.held).length).toBeGreaterThan(10);
  });
});
