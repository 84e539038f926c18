import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PHASE_MINUTES, PhaseHistory } from '../../sandbox/history';
import { MAX_EVENTS, type StackEvent } from '../../reconciler/state/types';

/** The reconciler's event for a phase change in `minute` (the account's minutes, from epoch 0 here). */
function phaseChanged(minute: number, from: string, to: string): StackEvent {
  return {
    at: minute * 60_000 + 5_000,
    type: 'Normal',
    reason: 'PhaseChanged',
    message: `${from} → ${to}: why`,
  };
}
const minuteOf = (at: number) => Math.floor(at / 60_000);

describe('PhaseHistory', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lf-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the last phase seen in a minute', () => {
    const history = PhaseHistory.empty();
    history.record(3, 'Lambda');
    history.record(3, 'ScalingUp');
    expect([...history.phasesFrom(3, 3)]).toEqual([[3, 'ScalingUp']]);
  });

  it('carries a phase over minutes without a sample, and knows nothing before the first one', () => {
    const history = PhaseHistory.empty();
    history.record(2, 'Lambda');
    history.record(5, 'ScalingUp');
    expect(Object.fromEntries(history.phasesFrom(0, 6))).toEqual({
      2: 'Lambda',
      3: 'Lambda',
      4: 'Lambda',
      5: 'ScalingUp',
      6: 'ScalingUp',
    });
  });

  it('starts a window with the phase in force before it', () => {
    const history = PhaseHistory.empty();
    history.record(1, 'Fargate');
    expect(Object.fromEntries(history.phasesFrom(10, 11))).toEqual({ 10: 'Fargate', 11: 'Fargate' });
  });

  it('keeps at most a day of minutes', () => {
    const history = PhaseHistory.empty();
    for (let minute = 0; minute < MAX_PHASE_MINUTES + 10; minute++) history.record(minute, 'Lambda');
    expect(history.phasesFrom(0, 9).size).toBe(0);
    expect(history.phasesFrom(10, 10).get(10)).toBe('Lambda');
  });

  it('survives a save and a load; a missing file is a first run', () => {
    const file = join(dir, 'sandbox.json');
    expect(PhaseHistory.load(file)).toBeUndefined();
    const history = PhaseHistory.empty();
    history.record(7, 'Fargate');
    history.save(file);
    expect(PhaseHistory.load(file)!.phasesFrom(7, 8).get(8)).toBe('Fargate');
  });

  describe('minutes it did not watch (the sandbox stopped, `--local` commands ran passes meanwhile)', () => {
    it("takes their phases from the record's phase changes, not the last phase it saw", () => {
      const history = PhaseHistory.empty();
      history.record(10, 'Lambda');
      const events = [
        phaseChanged(0, 'none', 'Lambda'),
        { at: 12 * 60_000, type: 'Normal' as const, reason: 'SpecChanged', message: 'mode → fargate' },
        phaseChanged(14, 'Lambda', 'ScalingUp'),
        phaseChanged(20, 'ScalingUp', 'Fargate'),
      ];
      history.recordUnwatched(10, 30, events, minuteOf);
      const phases = Object.fromEntries(history.phasesFrom(11, 30));
      expect([11, 13, 14, 19, 20, 30].map((minute) => phases[minute])).toEqual([
        'Lambda',
        'Lambda',
        'ScalingUp',
        'ScalingUp',
        'Fargate',
        'Fargate',
      ]);
    });

    it("knows no phase for them when the record's events do not reach back to the last minute seen", () => {
      const history = PhaseHistory.empty();
      history.record(10, 'Lambda');
      // The stack was deleted and made again meanwhile: its new record starts after the gap's start.
      history.recordUnwatched(10, 30, [phaseChanged(25, 'none', 'Lambda')], minuteOf);
      const phases = history.phasesFrom(11, 30);
      expect([...phases.keys()].filter((minute) => minute < 25)).toEqual([]);
      expect(phases.get(26)).toBe('Lambda');
    });

    it('knows no phase for them when the record is gone', () => {
      const history = PhaseHistory.empty();
      history.record(10, 'Fargate');
      history.recordUnwatched(10, 30, undefined, minuteOf);
      expect(history.phasesFrom(11, 30).size).toBe(0);
      expect(history.phasesFrom(10, 10).get(10)).toBe('Fargate');
    });

    it('carries the last phase seen when the events, trimmed or not, reach back before the gap', () => {
      const history = PhaseHistory.empty();
      history.record(10, 'Fargate');
      const events = Array.from({ length: MAX_EVENTS }, (_, i): StackEvent => ({
        at: (9 * 60 + i) * 1_000,
        type: 'Normal',
        reason: 'Waiting',
        message: 'still waiting',
      }));
      history.recordUnwatched(10, 30, events, minuteOf);
      expect(history.phasesFrom(30, 30).get(30)).toBe('Fargate');
    });

    it('keeps an unknown stretch through a save and a load', () => {
      const file = join(dir, 'sandbox.json');
      const history = PhaseHistory.empty();
      history.record(10, 'Lambda');
      history.recordUnwatched(10, 30, undefined, minuteOf);
      history.record(31, 'Deleted');
      history.save(file);
      const loaded = PhaseHistory.load(file)!;
      expect(Object.fromEntries(loaded.phasesFrom(10, 31))).toEqual({ 10: 'Lambda', 31: 'Deleted' });
      expect(loaded.lastMinute()).toBe(31);
    });
  });

  describe("the first minute of the record's life (its costs are counted from there)", () => {
    const alive = (incarnation: string, events: StackEvent[]) => ({ incarnation, events });

    it("is its first pass's, kept through a save and a load once the events no longer show it", () => {
      const file = join(dir, 'sandbox.json');
      const history = PhaseHistory.empty();
      expect(history.lifeStart(alive('aaaa', [phaseChanged(5, 'none', 'Lambda')]), 9, minuteOf)).toBe(5);
      history.save(file);
      const trimmed = Array.from({ length: MAX_EVENTS }, () => phaseChanged(60, 'Lambda', 'ScalingUp'));
      expect(PhaseHistory.load(file)!.lifeStart(alive('aaaa', trimmed), 61, minuteOf)).toBe(5);
    });

    it('starts again with a record made again (another incarnation)', () => {
      const history = PhaseHistory.empty();
      history.lifeStart(alive('aaaa', [phaseChanged(5, 'none', 'Lambda')]), 9, minuteOf);
      expect(history.lifeStart(alive('bbbb', [phaseChanged(40, 'none', 'Lambda')]), 41, minuteOf)).toBe(40);
      // Once the record is gone, the last one's is still known: what it cost while it existed.
      expect(history.lifeStart(undefined, 50, minuteOf)).toBe(40);
    });

    it('is now for a record no pass has worked on yet: nothing of it exists, nothing costs', () => {
      expect(PhaseHistory.empty().lifeStart(alive('aaaa', []), 12, minuteOf)).toBe(12);
    });

    it('is not known (every minute counts) for a record never seen whose events were trimmed', () => {
      const trimmed = Array.from({ length: MAX_EVENTS }, () => phaseChanged(60, 'Lambda', 'ScalingUp'));
      expect(PhaseHistory.empty().lifeStart(alive('aaaa', trimmed), 61, minuteOf)).toBeUndefined();
      expect(PhaseHistory.empty().lifeStart(undefined, 61, minuteOf)).toBeUndefined();
    });
  });

  it('refuses a file that is not its own', () => {
    const file = join(dir, 'sandbox.json');
    writeFileSync(file, JSON.stringify({ phases: 'no' }));
    expect(() => PhaseHistory.load(file)).toThrow(/not a lambdaflex-sandbox\/1 file/);
  });
});
