// Writes jest's totals to .jest-summary so that .ci/run can print "N passed, N failed" as its last line.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed`;
    fs.writeFileSync(path.join(this.rootDir, '.jest-summary'), line + '\n');
  }
}

module.exports = SummaryReporter;
