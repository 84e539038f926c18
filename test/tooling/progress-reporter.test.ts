/** The progress reporter of `npm test`: a line when the run starts, and one whenever it would be silent. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ProgressReporter = require('../support/progress-reporter.js');

describe('ProgressReporter', () => {
  function reporter() {
    const lines: string[] = [];
    let now = 1_000_000;
    const r = new ProgressReporter(
      { maxWorkers: 3, rootDir: '/repo' },
      { heartbeatMs: 30_000, write: (line: string) => lines.push(line), now: () => now },
    );
    return { r, lines, advance: (ms: number) => (now += ms) };
  }

  it('says how many suites run on how many workers', () => {
    const { r, lines } = reporter();
    r.onRunStart({ numTotalTestSuites: 12 });
    r.onRunComplete();
    expect(lines).toEqual(['jest: 12 test suites on 3 worker(s)']);
  });

  it('names the running suites, their time and passed tests, when nothing finished for the heartbeat', () => {
    const { r, lines, advance } = reporter();
    r.onRunStart({ numTotalTestSuites: 2 });
    r.onTestStart({ path: '/repo/test/scenarios/faults.test.ts' });
    r.onTestCaseResult({ path: '/repo/test/scenarios/faults.test.ts' }, { status: 'passed' });
    r.onTestCaseResult({ path: '/repo/test/scenarios/faults.test.ts' }, { status: 'passed' });
    advance(29_000);
    r.beat();
    expect(lines).toHaveLength(1);
    advance(61_000);
    r.beat();
    r.onRunComplete();
    expect(lines[1]).toBe(
      '… 0/2 suites done after 1m30s; running: test/scenarios/faults.test.ts (1m30s, 2 passed)',
    );
  });

  it('stays quiet while suites keep finishing', () => {
    const { r, lines, advance } = reporter();
    r.onRunStart({ numTotalTestSuites: 3 });
    for (const name of ['a', 'b', 'c']) {
      r.onTestStart({ path: `/repo/test/${name}.test.ts` });
      advance(20_000);
      r.onTestResult({ path: `/repo/test/${name}.test.ts` });
      r.beat();
    }
    r.onRunComplete();
    expect(lines).toEqual(['jest: 3 test suites on 3 worker(s)']);
  });
});
