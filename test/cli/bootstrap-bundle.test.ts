/**
 * `lambdaflex bootstrap`'s bundle: `--zip` relative or absolute, the default found in the package
 * whatever the current folder, and built first when missing or older than a source it was built from.
 */
import { mkdirSync, utimesSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { bundleState, packageRoot, reconcilerBundle, BUNDLE_ZIP } from '../../cli/commands/bootstrap-bundle';
import { CODE_TAG, codeSha256 } from '../../reconciler/bootstrap/reconciler-function';
import { runCli, tempFolder } from './run-cli';

/** A stand-in package: a zip, its metafile naming one source, and the files a build needs. */
function fakePackage(): { root: string; source: string; zip: string } {
  const root = tempFolder();
  mkdirSync(join(root, 'dist', 'reconciler-lambda'), { recursive: true });
  mkdirSync(join(root, 'reconciler'), { recursive: true });
  mkdirSync(join(root, 'scripts'), { recursive: true });
  writeFileSync(join(root, 'scripts', 'bundle.mjs'), '');
  const source = join(root, 'reconciler', 'handler.ts');
  writeFileSync(source, 'export {}');
  const zip = join(root, BUNDLE_ZIP);
  writeFileSync(zip, 'PK old');
  writeFileSync(
    join(root, 'dist', 'reconciler-lambda', 'meta.json'),
    JSON.stringify({ inputs: { 'reconciler/handler.ts': {}, 'node_modules/gone/index.js': {} } }),
  );
  return { root, source, zip };
}

const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

describe('the reconciler bundle', () => {
  it('is the package root of the sources', () => {
    expect(existsSync(join(packageRoot(), 'scripts', 'bundle.mjs'))).toBe(true);
  });

  it('is fresh when no input is newer; stale when one is; missing without a zip', () => {
    const p = fakePackage();
    at(p.source, 1_000);
    at(p.zip, 2_000);
    expect(bundleState(p.root)).toEqual({ state: 'fresh' });
    at(p.source, 3_000);
    expect(bundleState(p.root)).toEqual({ state: 'stale', newer: 'reconciler/handler.ts' });
    rmSync(p.zip);
    expect(bundleState(p.root)).toEqual({ state: 'missing' });
  });

  it('is built first when older than a source, and not when fresh', () => {
    const p = fakePackage();
    at(p.zip, 1_000);
    at(p.source, 2_000);
    const builds: string[] = [];
    const build = (root: string) => {
      builds.push(root);
      writeFileSync(join(root, BUNDLE_ZIP), 'PK new');
    };
    const first = reconcilerBundle({ cwd: tempFolder(), root: p.root, build });
    expect(builds).toEqual([p.root]);
    expect(first.built).toBe('reconciler/handler.ts is newer than dist/reconciler-lambda.zip');
    expect(Buffer.from(first.zip).toString()).toBe('PK new');
    const again = reconcilerBundle({ cwd: tempFolder(), root: p.root, build });
    expect(builds).toHaveLength(1);
    expect(again.built).toBeUndefined();
  });

  it('is built first when missing', () => {
    const p = fakePackage();
    rmSync(p.zip);
    const result = reconcilerBundle({
      cwd: tempFolder(),
      root: p.root,
      build: (root) => writeFileSync(join(root, BUNDLE_ZIP), 'PK built'),
    });
    expect(result).toMatchObject({ path: p.zip, built: 'dist/reconciler-lambda.zip is missing' });
  });

  it('names the file and what to do when a given --zip does not exist', () => {
    expect(() => reconcilerBundle({ zip: 'nope.zip', cwd: '/tmp' })).toThrow(
      '--zip nope.zip: no such file (/tmp/nope.zip)',
    );
  });

  it('reports a failed build with the bundler output', () => {
    const p = fakePackage();
    rmSync(p.zip);
    const build = () => {
      throw Object.assign(new Error('exit 1'), { stderr: Buffer.from('✘ [ERROR] Could not resolve "x"') });
    };
    expect(() => reconcilerBundle({ cwd: p.root, root: p.root, build })).toThrow(/Could not resolve "x"/);
  });

  it('`bootstrap --zip /abs/path.zip` deploys that file from any folder', async () => {
    const cwd = tempFolder();
    const zipPath = join(tempFolder(), 'my-build.zip');
    writeFileSync(zipPath, 'PK my own build');
    const result = await runCli(cwd, ['--local', 'bootstrap', '--zip', zipPath]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const relative = await runCli(cwd, ['--local', 'bootstrap', '--zip', 'nope.zip']);
    expect(relative.stderr).toContain(`--zip nope.zip: no such file (${join(cwd, 'nope.zip')})`);
  });
});

describe('`bootstrap` without --zip, run outside the package', () => {
  jest.setTimeout(120_000);

  it("deploys the package's own bundle, built when older than its sources", async () => {
    const root = packageRoot();
    const zip = join(root, BUNDLE_ZIP);
    // Older than every source: the command must build it again.
    if (existsSync(zip)) at(zip, 1_000);
    const cwd = tempFolder();
    const result = await runCli(cwd, ['--local', 'bootstrap']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /building the reconciler bundle: (.+ is newer than|dist\/reconciler-lambda\.zip is missing)/,
    );
    expect(result.code).toBe(0);
    expect(bundleState(root)).toEqual({ state: 'fresh' });
    // And the function runs what was built.
    const { openAws } = await import('../../cli/aws');
    const aws = openAws({ local: true }, cwd);
    const fn = await aws.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: 'lambdaflex-reconciler' }),
    );
    const { readFileSync } = await import('node:fs');
    expect(fn.Tags?.[CODE_TAG]).toBe(codeSha256(new Uint8Array(readFileSync(zip))));
  });
});
