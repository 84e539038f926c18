// Keeps a long `npm test` from going silent: says at the start how many suites run on how many workers,
// and, whenever no suite has finished for HEARTBEAT_MS, which suites are still running, for how long and
// how many of their tests have passed. Jest's default reporter prints the line of each finished suite.
/* global setInterval, clearInterval */
'use strict';

const HEARTBEAT_MS = 30_000;

function seconds(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

class ProgressReporter {
  constructor(globalConfig, options = {}) {
    this.maxWorkers = globalConfig.maxWorkers;
    this.rootDir = globalConfig.rootDir;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.write = options.write ?? ((line) => process.stderr.write(line + '\n'));
    this.now = options.now ?? Date.now;
    /** path → { startedAt, passed, failed } */
    this.running = new Map();
    this.done = 0;
    this.total = 0;
  }

  onRunStart(results) {
    this.startedAt = this.now();
    this.lastOutput = this.startedAt;
    this.total = results.numTotalTestSuites;
    this.write(`jest: ${this.total} test suites on ${this.maxWorkers} worker(s)`);
    this.timer = setInterval(() => this.beat(), Math.min(this.heartbeatMs, 5_000));
    this.timer.unref?.();
  }

  onTestStart(test) {
    this.running.set(test.path, { startedAt: this.now(), passed: 0, failed: 0 });
  }

  onTestCaseResult(test, testCase) {
    const entry = this.running.get(test.path);
    if (!entry) return;
    if (testCase.status === 'passed') entry.passed++;
    else if (testCase.status === 'failed') entry.failed++;
  }

  onTestResult(test) {
    this.running.delete(test.path);
    this.done++;
    this.lastOutput = this.now();
  }

  onRunComplete() {
    clearInterval(this.timer);
  }

  /** One line when nothing was said for heartbeatMs; public so that a test can drive it. */
  beat() {
    const now = this.now();
    if (now - this.lastOutput < this.heartbeatMs || this.running.size === 0) return;
    this.lastOutput = now;
    const running = [...this.running.entries()].map(([path, e]) => {
      const name = path.startsWith(this.rootDir) ? path.slice(this.rootDir.length + 1) : path;
      const tests = `${e.passed} passed${e.failed ? `, ${e.failed} failed` : ''}`;
      return `${name} (${seconds(now - e.startedAt)}, ${tests})`;
    });
    this.write(
      `… ${this.done}/${this.total} suites done after ${seconds(now - this.startedAt)}; running: ${running.join('; ')}`,
    );
  }
}

module.exports = ProgressReporter;
