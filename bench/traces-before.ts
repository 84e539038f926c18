/**
 * The traces bench's table for the auto policy of another commit, beside this commit's: runs the old
 * checkout's `lambdaflex simulate --json` on every trace the bench runs (the same cases, names and seeds:
 * bench/traces.bench.ts `cases`), with the bench's spec, one after another, and prints the before → after
 * table (Markdown) of bench/traces-compare.ts. Not part of `npm run bench` nor of `npm test`.
 *
 *   TRACES_JSON=after.json npm run bench traces            # the after rows, this commit's policy
 *   git worktree add ../old <commit> && (cd ../old && npm ci)
 *   node -r @swc-node/register bench/traces-before.ts --old-checkout=../old --after=after.json
 *
 * Its options: USAGE below (`--help`). The old checkout's CLI must have `simulate --trace FILE -f SPEC
 * --json`; a run already in the work folder for the same old commit is read again rather than rerun.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { validateSpec } from '../spec';
import { traceToCsv } from '../simulation/traffic/generate';
import { benchSpec, cases } from './traces.bench';
import {
  beforeRow,
  comparisonLines,
  parseAfterRows,
  parseOldRun,
  yardstickDrift,
  type BeforeRow,
} from './traces-compare';

function gitHead(dir: string): string {
  const head = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) throw new Error(`reading the old checkout's commit (${dir}): ${head.stderr.trim()}`);
  return head.stdout.trim();
}

/** Runs the old CLI on one trace into `out` (written whole or not at all). */
function simulateOld(oldCheckout: string, tracePath: string, specPath: string, out: string): void {
  const partial = `${out}.partial`;
  const fd = openSync(partial, 'w');
  try {
    const run = spawnSync(
      process.execPath,
      [join(oldCheckout, 'bin', 'lambdaflex.js'), 'simulate', '--trace', tracePath, '-f', specPath, '--json'],
      { cwd: oldCheckout, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.status !== 0) {
      throw new Error(`running the old simulate on ${tracePath}: exit ${run.status}: ${run.stderr.trim()}`);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, out);
}

const USAGE = [
  'usage: node -r @swc-node/register bench/traces-before.ts --old-checkout=DIR --after=FILE [--work=DIR] [--json=FILE]',
  '  --old-checkout  a checkout of the old commit, with its node_modules',
  "  --after         the bench's rows: TRACES_JSON=FILE npm run bench traces",
  "  --work          where the traces, the spec and the old runs are written (default: under the system's temporary folder)",
  '  --json          also write the before rows there',
  'TRACES_PER_FAMILY, TRACES_SEED and TRACES_ONLY choose the traces as for the bench; docs/auto-policy.md shows a run.',
].join('\n');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'old-checkout': { type: 'string' },
      after: { type: 'string' },
      work: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const oldCheckout = values['old-checkout'];
  if (!oldCheckout || !values.after) throw new Error(USAGE);
  const old = resolve(oldCheckout);
  const commit = gitHead(old);
  const after = parseAfterRows(JSON.parse(readFileSync(values.after, 'utf8')), values.after);
  const afterOf = new Map(after.map((r) => [r.name, r]));
  const work = resolve(values.work ?? join(tmpdir(), 'lambdaflex-traces-before'), commit.slice(0, 12));
  mkdirSync(join(work, 'traces'), { recursive: true });

  const input = benchSpec();
  const validated = validateSpec(input);
  if (!validated.ok) throw new Error(`the bench spec is invalid: ${JSON.stringify(validated.errors)}`);
  const specPath = join(work, 'spec.json');
  writeFileSync(specPath, JSON.stringify(input, null, 2));

  console.error(`old policy: ${commit} (${old}); runs in ${work}`);
  const rows: BeforeRow[] = [];
  for (const c of cases()) {
    const tracePath = join(work, 'traces', `${c.name}.csv`);
    writeFileSync(tracePath, traceToCsv(c.trace));
    const out = join(work, `${c.name}.json`);
    const started = Date.now();
    const reused = existsSync(out);
    if (!reused) simulateOld(old, tracePath, specPath, out);
    const run = parseOldRun(JSON.parse(readFileSync(out, 'utf8')), out);
    const afterRow = afterOf.get(c.name);
    if (!afterRow) throw new Error(`${c.name}: not in ${values.after} (run the bench on the same sample)`);
    rows.push(
      beforeRow(
        c,
        validated.spec,
        run,
        afterRow.targets.map((t) => t.what),
      ),
    );
    console.error(
      `${c.name.padEnd(18)} ${reused ? 'read again' : `${((Date.now() - started) / 1000).toFixed(1)} s`}`,
    );
  }

  console.log(`before: ${commit}\n`);
  for (const line of comparisonLines(rows, after)) console.log(line);
  const drift = yardstickDrift(rows);
  console.log(
    `\nthe old runs' yardsticks against this commit's on the same traces (largest relative difference): ` +
      `always-Lambda ${drift.alwaysLambda.toExponential(1)}, always-Fargate ${drift.alwaysFargate.toExponential(1)}, ` +
      `optimum with the old run's moves ${drift.optimum.toExponential(1)}`,
  );
  if (values.json) writeFileSync(values.json, JSON.stringify({ commit, rows }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
