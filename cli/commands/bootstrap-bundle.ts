/**
 * The reconciler bundle `lambdaflex bootstrap` uploads. Without `--zip` it is the package's own
 * dist/reconciler-lambda.zip, wherever the command is run from, and it is (re)built first when it is
 * missing or older than any file it was built from (the esbuild metafile scripts/bundle.mjs writes beside
 * it lists them). `--zip` names a bundle of the user's own, relative to the current folder or absolute,
 * and is taken as it is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CliError } from '../io';

/** Where scripts/bundle.mjs writes, relative to the package root. */
export const BUNDLE_ZIP = join('dist', 'reconciler-lambda.zip');
const BUNDLE_META = join('dist', 'reconciler-lambda', 'meta.json');
const BUNDLE_SCRIPT = join('scripts', 'bundle.mjs');

/** The folder of LambdaFlex's package.json, found upwards from this file (sources or compiled dist/). */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lambdaflex'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no lambdaflex package.json above ${from}`);
  }
}

export type BundleState = { state: 'fresh' } | { state: 'missing' } | { state: 'stale'; newer: string };

/** Whether the package's bundle exists and is at least as new as every input it was built from. */
export function bundleState(root: string): BundleState {
  const zip = join(root, BUNDLE_ZIP);
  if (!existsSync(zip)) return { state: 'missing' };
  const builtAt = statSync(zip).mtimeMs;
  const metaFile = join(root, BUNDLE_META);
  // No metafile: nothing says what it was built from; rebuild where the sources are.
  if (!existsSync(metaFile)) return { state: 'stale', newer: 'an unknown source (no build metafile)' };
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { inputs?: Record<string, unknown> };
  for (const input of Object.keys(meta.inputs ?? {})) {
    const file = resolve(root, input);
    // Inputs that are not there (an installed package ships no sources) cannot be newer.
    if (existsSync(file) && statSync(file).mtimeMs > builtAt) return { state: 'stale', newer: input };
  }
  return { state: 'fresh' };
}

/** Runs `node scripts/bundle.mjs` in the package: what `npm run bundle` does. */
function buildBundle(root: string): void {
  execFileSync(process.execPath, [join(root, BUNDLE_SCRIPT)], { cwd: root, stdio: 'pipe' });
}

/** The package can build its bundle when its sources and the bundler are there (a checkout, not an install). */
function canBuild(root: string): boolean {
  return existsSync(join(root, BUNDLE_SCRIPT)) && existsSync(join(root, 'reconciler', 'handler.ts'));
}

export interface BundleOptions {
  /** `--zip` as given, if it was. */
  zip?: string;
  /** What a relative `--zip` is relative to. */
  cwd: string;
  /** The package root (tests give another). */
  root?: string;
  /** Builds the bundle in `root` (tests give a stand-in). */
  build?: (root: string) => void;
  /** Progress lines. */
  say?: (line: string) => void;
}

export interface ReconcilerBundle {
  path: string;
  zip: Uint8Array;
  /** Why it was built first, when it was. */
  built?: string;
}

/**
 * @example
 * const { zip } = reconcilerBundle({ cwd: process.cwd() }); // the package's bundle, built if out of date
 * reconcilerBundle({ zip: '/tmp/my-build.zip', cwd: process.cwd() });
 */
export function reconcilerBundle(options: BundleOptions): ReconcilerBundle {
  if (options.zip !== undefined) {
    const path = resolve(options.cwd, options.zip);
    if (!existsSync(path)) throw new CliError([`--zip ${options.zip}: no such file (${path})`]);
    return { path, zip: new Uint8Array(readFileSync(path)) };
  }
  const root = options.root ?? packageRoot();
  const path = join(root, BUNDLE_ZIP);
  const found = bundleState(root);
  let built: string | undefined;
  if (found.state !== 'fresh') {
    built =
      found.state === 'missing' ? `${BUNDLE_ZIP} is missing` : `${found.newer} is newer than ${BUNDLE_ZIP}`;
    if (!canBuild(root)) {
      if (found.state === 'missing') {
        throw new CliError([
          `${path} not found, and this installation cannot build it; give one with --zip FILE`,
        ]);
      }
      built = undefined;
    } else {
      options.say?.(`building the reconciler bundle: ${built}`);
      try {
        (options.build ?? buildBundle)(root);
      } catch (error) {
        const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
        throw new CliError([
          `building ${relative(options.cwd, path) || path} failed (npm run bundle):`,
          detail,
        ]);
      }
    }
  }
  return { path, zip: new Uint8Array(readFileSync(path)), ...(built ? { built } : {}) };
}
