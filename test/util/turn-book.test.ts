import { claimTurn, HELD_TURN_KEPT_MS, type TurnBook } from '../../util/turn-book';

/** ELBv2's resource-intensive category: ten at once, then one every 5 s. */
const SIZE = { capacity: 10, refillPerSecond: 0.2 };
const T0 = 1_700_000_000_000;

/** Claims in turn, each writing back the book it was given (as the stores do). */
function claims(holders: string[], now: number, maxWaitMs: number, start?: TurnBook) {
  let book = start;
  const turns = holders.map((holder) => {
    const claimed = claimTurn(book, SIZE, holder, now, maxWaitMs);
    book = claimed.book;
    return claimed.turn;
  });
  return { turns, book: book! };
}

describe('claimTurn', () => {
  it('hands out the burst at once, then one turn per refill interval, never one twice', () => {
    const holders = Array.from({ length: 13 }, (_, i) => `stack-${i}`);
    const { turns } = claims(holders, T0, Infinity);
    expect(turns.map((t) => t.at - T0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5_000, 10_000, 15_000]);
    expect(turns.every((t) => t.go)).toBe(true);
  });

  it('keeps a turn further off than the caller waits for its holder, and gives it back when it comes', () => {
    const holders = Array.from({ length: 12 }, (_, i) => `stack-${i}`);
    const { turns, book } = claims(holders, T0, 7_000);
    // The eleventh turn is 5 s off (waited for); the twelfth 10 s off, kept.
    expect(turns[10]).toEqual({ at: T0 + 5_000, go: true });
    expect(turns[11]).toEqual({ at: T0 + 10_000, go: false });
    expect(book.held).toEqual({ 'stack-11': T0 + 10_000 });

    // Told again, too early: the same turn, nothing changed.
    const early = claimTurn(book, SIZE, 'stack-11', T0 + 1_000, 7_000);
    expect(early).toMatchObject({ turn: { at: T0 + 10_000, go: false }, changed: false });
    // Another caller meanwhile gets the turn after it, not the same one.
    const other = claimTurn(book, SIZE, 'stack-99', T0 + 1_000, Infinity);
    expect(other.turn.at).toBe(T0 + 15_000);
    // Back within its wait: its own turn, used, and no longer held.
    const back = claimTurn(other.book, SIZE, 'stack-11', T0 + 6_000, 7_000);
    expect(back.turn).toEqual({ at: T0 + 10_000, go: true });
    expect(back.book.held).toEqual({});
    expect(back.book.next).toBe(other.book.next);
  });

  it('refills while nobody calls, up to the burst', () => {
    const { book } = claims(['a', 'b', 'c'], T0, Infinity);
    const later = claimTurn(book, SIZE, 'd', T0 + 3_600_000, Infinity);
    expect(later.turn).toEqual({ at: T0 + 3_600_000, go: true });
    expect(later.book.next).toBe(T0 + 3_600_000 + 5_000);
  });

  it('forgets a held turn whose holder never came back', () => {
    const { book } = claims(
      Array.from({ length: 12 }, (_, i) => `stack-${i}`),
      T0,
      0,
    );
    expect(Object.keys(book.held)).toHaveLength(2);
    const much = claimTurn(book, SIZE, 'late', T0 + 10_000 + HELD_TURN_KEPT_MS, Infinity);
    expect(much.book.held).toEqual({});
  });

  it('spaces holders that come back late together as the bucket refills, its burst at most', () => {
    // The burst used at once; twelve stacks hold the turns after it (5 s to 60 s) and all come back two
    // minutes later. The bucket has been full since 50 s: it lets ten through, not twelve.
    const late = Array.from({ length: 12 }, (_, i) => `late-${i}`);
    let { book } = claims(
      Array.from({ length: 10 }, (_, i) => `burst-${i}`),
      T0,
      Infinity,
    );
    ({ book } = claims(late, T0, 0, book));
    expect(Object.values(book.held).sort((a, b) => a - b)[11]).toBe(T0 + 60_000);
    const back = claims(late, T0 + 120_000, 15_000, book);
    expect(back.turns.map((t) => [t.at - T0, t.go])).toEqual([
      ...Array.from({ length: 10 }, () => [120_000, true]),
      [125_000, true],
      [130_000, true],
    ]);
  });

  it('hands a turn whose holder is late to a caller that is there, and the caller’s turn to the holder', () => {
    let { book } = claims(
      Array.from({ length: 10 }, (_, i) => `burst-${i}`),
      T0,
      Infinity,
    );
    // `waiting` holds the turn at 5 s and is not back at 8 s; `there` asks then, and the bucket has a token.
    ({ book } = claims(['waiting'], T0, 0, book));
    const there = claimTurn(book, SIZE, 'there', T0 + 8_000, 15_000);
    expect(there.turn).toEqual({ at: T0 + 8_000, go: true });
    expect(there.book.held).toEqual({ waiting: T0 + 10_000 });
    // The holder, back a second later, has the next token at its new turn.
    const back = claimTurn(there.book, SIZE, 'waiting', T0 + 9_000, 15_000);
    expect(back.turn).toEqual({ at: T0 + 10_000, go: true });
    // A holder on time keeps its turn: nobody takes one whose time has not come.
    const early = claimTurn(back.book, SIZE, 'other', T0 + 9_000, 0);
    expect(early.turn.go).toBe(false);
  });
});
