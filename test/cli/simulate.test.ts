import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const SPEC = {
  stack: 'shop',
  image: IMAGE,
  mode: 'auto',
  fargate: { cpu: 256, memoryMb: 512, minTasks: 1, maxTasks: 4, targetRequestsPerTask: 100 },
};

function csv(rates: number[]): string {
  return ['minute,rps,duration_ms', ...rates.map((rps, minute) => `${minute},${rps},100`)].join('\n') + '\n';
}

describe('lambdaflex simulate', () => {
  it('prints one JSON document with the documented shape, and touches no --local state', async () => {
    const cwd = tempFolder();
    const trace = writeFile(cwd, 'quiet.csv', csv(Array(30).fill(2)));
    const spec = writeFile(cwd, 'shop.json', SPEC);
    const result = await runCli(cwd, ['simulate', '--trace', trace, '-f', spec, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      minutes: 30,
      cost: { total: expect.any(Number), lambda: expect.any(Number), fargate: expect.any(Number) },
      sloViolationMinutes: 0,
      transitions: [],
      scaleUpMinutes: [],
      scaleDownMinutes: [],
      baselines: {
        alwaysLambda: { cost: expect.any(Number), sloViolationMinutes: 0 },
        alwaysFargate: { cost: expect.any(Number), sloViolationMinutes: 0 },
        oracle: { cost: expect.any(Number), sloViolationMinutes: 0 },
      },
    });
    expect(report.timeline).toHaveLength(30);
    expect(Object.keys(report.timeline[0]).sort()).toEqual(
      ['albExists', 'cost', 'durationMs', 'fargateShare', 'minute', 'phase', 'rps', 'tasks'].sort(),
    );
    expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
  }, 60_000);

  it('prints a summary table and a chart without --json (default spec: the example in mode auto)', async () => {
    const cwd = tempFolder();
    const trace = writeFile(cwd, 'quiet.csv', csv([1, 2, 3, 2, 1, 2, 3, 2, 1, 2]));
    const result = await runCli(cwd, ['simulate', '--trace', trace]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^orders-api: 10 min of quiet\.csv/);
    expect(result.stdout).toMatch(/^always Lambda +\d+\.\d{4} +\d+\.\d\d× +0$/m);
    expect(result.stdout).toMatch(/^oracle +\d+\.\d{4}/m);
    expect(result.stdout).toMatch(/^ +phase L{10}$/m);
  }, 60_000);

  it.each([
    [
      'a row with a bad rate',
      csv([1, 2]).replace('1,2,100', '1,lots,100'),
      /^\S*bad\.csv:3: rps 'lots' is not a number ≥ 0$/m,
    ],
    ['a missing header', '0,1,100\n', /^\S*bad\.csv:1: expected the header/],
    [
      'a gap in the minutes',
      'minute,rps,duration_ms\n0,1,100\n2,1,100\n',
      /^\S*bad\.csv:3: expected minute 1, got 2/,
    ],
  ])('exits 1 for %s, naming the line', async (_, content, expected) => {
    const cwd = tempFolder();
    const trace = writeFile(cwd, 'bad.csv', content);
    const result = await runCli(cwd, ['simulate', '--trace', trace]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(expected);
    // The error, then where the format is written down.
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.any(String),
      expect.stringMatching(/examples\/traces\/README.md$/),
    ]);
  });

  it('exits 1 for a missing trace file and for an invalid spec, naming the path', async () => {
    const cwd = tempFolder();
    const missing = await runCli(cwd, ['simulate', '--trace', join(cwd, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: cannot read the file: no such file$/m);
    // The next step is about a trace: `-f -` would hand stdin to the spec, not the trace.
    expect(missing.stderr).not.toContain('-f -');
    expect(missing.stderr.trim().split('\n').at(-1)).toBe(
      'check the path (relative to the current folder); sample traces are in examples/traces/',
    );

    const trace = writeFile(cwd, 'ok.csv', csv([1]));
    const spec = writeFile(cwd, 'bad.json', { ...SPEC, fargate: { ...SPEC.fargate, minTasks: 0 } });
    const invalid = await runCli(cwd, ['simulate', '--trace', trace, '-f', spec]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^fargate\.minTasks: /m);
  });
});
