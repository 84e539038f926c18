const { availableParallelism } = require('node:os');

/** Jest runs TypeScript through SWC; decorators and their metadata are needed by NestJS. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  // Jest's default on two cores is one worker. Many suites wait on timers, sockets, a browser or a child
  // process rather than compute, so one more worker than cores keeps both cores busy.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? availableParallelism() + 1,
  reporters: [
    'default',
    '<rootDir>/test/support/progress-reporter.js',
    '<rootDir>/test/support/summary-reporter.js',
  ],
  setupFiles: ['<rootDir>/test/support/setup-env.js'],
  testTimeout: 60000,
};
