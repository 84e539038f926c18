/**
 * The reconciler Lambda's bundle. Reports the minified file's and the zip's size, and the cold
 * init (require until the handler and its clients are ready, as in a Lambda's init phase) of the bundle
 * against the unbundled build (tsc output, the SDK resolved file by file from node_modules), each in a
 * fresh `node` process, alternating, median of several. Target: the bundle inits faster (ratio > 1).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_MAJOR } from '../reconciler/runtime/lambda-runtimes';
import { formatBytes, formatMs, median, verdict } from './support';

const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'reconciler-lambda', 'index.js');
const ZIP = join(ROOT, 'dist', 'reconciler-lambda.zip');
/** A build of our own, so that a stale or partial `npm run build` does not skew the comparison. */
const UNBUNDLED_DIR = join(ROOT, 'dist', 'bench-unbundled');
const UNBUNDLED = join(UNBUNDLED_DIR, 'reconciler', 'handler.js');
const RUNS = 7;

/** Runs in the child: time from before `require` until the module (and its clients) is loaded. */
const PROBE = `
const t0 = process.hrtime.bigint();
const m = require(process.argv[1]);
if (typeof m.handler !== 'function') throw new Error('no handler export');
process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));
`;

function coldInitMs(file: string): number {
  const child = spawnSync(process.execPath, ['-e', PROBE, file], {
    cwd: ROOT,
    encoding: 'utf8',
    // As in Lambda: the handler builds its clients and store during init.
    env: {
      ...process.env,
      AWS_LAMBDA_FUNCTION_NAME: 'lambdaflex-reconciler',
      AWS_REGION: 'us-east-1',
      LAMBDAFLEX_TABLE: 'lambdaflex',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  if (child.status !== 0) throw new Error(`cold init of ${file} failed: ${child.stderr}`);
  return Number(child.stdout);
}

export default async function bundleBench(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'ignore' });
  // tsc emits despite type errors elsewhere in the tree; only a missing output is a failure.
  spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', UNBUNDLED_DIR],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  if (!existsSync(UNBUNDLED)) throw new Error(`tsc produced no ${UNBUNDLED}`);

  const bundled: number[] = [];
  const unbundled: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bundled.push(coldInitMs(BUNDLE));
    unbundled.push(coldInitMs(UNBUNDLED));
  }
  const b = median(bundled);
  const u = median(unbundled);
  const ratio = u / b;
  console.log(`bundle (minified, node${NODE_MAJOR}, cjs)   ${formatBytes(statSync(BUNDLE).size)}`);
  console.log(`zip (deflate)                    ${formatBytes(statSync(ZIP).size)}`);
  console.log(`cold init, bundled               ${formatMs(b)}  (median of ${RUNS})`);
  console.log(`cold init, unbundled (tsc)       ${formatMs(u)}`);
  console.log(`ratio unbundled / bundled        ${ratio.toFixed(2)}×  ${verdict(ratio > 1)}`);
}
