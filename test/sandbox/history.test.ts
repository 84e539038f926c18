import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PHASE_MINUTES, PhaseHistory } from '../../sandbox/history';

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

  it('refuses a file that is not its own', () => {
    const file = join(dir, 'sandbox.json');
    writeFileSync(file, JSON.stringify({ phases: 'no' }));
    expect(() => PhaseHistory.load(file)).toThrow(/not a lambdaflex-sandbox\/1 file/);
  });
});
