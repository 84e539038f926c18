/**
 * Every path the Dockerfile copies must exist: sources in the build context, and the build's outputs where
 * the runtime stage and entrypoint.sh expect them. The runtime stage takes only dist/image/, the bundles of
 * scripts/bundle-service.mjs; image-bundle.test.ts builds them and runs them, so here the script's own
 * entry points and output directory are checked against the Dockerfile and entrypoint.sh.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NODE_BASE_IMAGE } from '../../reconciler/runtime/lambda-runtimes';

const ROOT = path.join(__dirname, '..', '..');
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = fs
  .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

interface Copy {
  stage: string;
  from?: string;
  sources: string[];
  dest: string;
}

/** The COPY instructions per stage (`FROM … AS name`; the last, unnamed stage is `runtime`). */
function copies(): Copy[] {
  const result: Copy[] = [];
  let stage = '';
  for (const line of dockerfile.split('\n').map((l) => l.trim())) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stage = from[1] ?? 'runtime';
    const copy = /^COPY\s+(.*)$/i.exec(line);
    if (!copy?.[1]) continue;
    const words = copy[1].split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const fromFlag = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    result.push({ stage, from: fromFlag, sources: paths.slice(0, -1), dest: paths[paths.length - 1] ?? '' });
  }
  return result;
}

interface TsConfig {
  extends?: string;
  compilerOptions?: { outDir?: string; rootDir?: string; noEmit?: boolean };
  include?: string[];
}

function tsconfig(file: string): TsConfig {
  const own = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as TsConfig;
  const base = own.extends ? tsconfig(own.extends) : {};
  return { ...base, ...own, compilerOptions: { ...base.compilerOptions, ...own.compilerOptions } };
}

// Enough of .dockerignore matching for plain names and any-depth names; globs like *.md match no checked path.
const ignored = (rel: string): boolean =>
  dockerignore.some((pattern) => {
    if (pattern.startsWith('!')) return false;
    const name = pattern.replace(/^\*\*\//, '');
    return rel === name || rel.startsWith(name + '/');
  });

/** What scripts/bundle-service.mjs builds, asked of the script itself (an ES module, so through node). */
const bundler = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { ENTRY_POINTS, DEFAULT_OUT_DIR } from './scripts/bundle-service.mjs';
       console.log(JSON.stringify({ entryPoints: ENTRY_POINTS, outDir: DEFAULT_OUT_DIR }));`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  ),
) as { entryPoints: Record<string, string>; outDir: string };

describe('Dockerfile', () => {
  const all = copies();

  it('has a build stage, a production-dependencies stage and a runtime stage on the Lambda Node.js base image', () => {
    // The base image is the Node.js of the reconciler's runtime (reconciler/runtime/), one constant for both.
    expect(dockerfile).toMatch(
      new RegExp(`^ARG BASE_IMAGE=${NODE_BASE_IMAGE.replace(/[./]/g, '\\$&')}$`, 'm'),
    );
    expect(dockerfile).toMatch(/^FROM \$\{BASE_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b(?!.*--omit)/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/var\/task\/entrypoint\.sh"\]$/m);
    expect(dockerfile).toMatch(/^USER (?!0\b|root\b)\S+$/m);
  });

  it('copies from the build context only paths that exist and that .dockerignore lets through', () => {
    const local = all.filter((c) => c.from === undefined).flatMap((c) => c.sources);
    expect(local).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'entrypoint.sh', '.']),
    );
    for (const source of local) {
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
      if (source !== '.') expect(ignored(source)).toBe(false);
    }
  });

  it('lets every source folder the build compiles into the context, and keeps tests and local output out', () => {
    const build = tsconfig('tsconfig.build.json');
    for (const included of build.include ?? []) expect(ignored(included)).toBe(false);
    for (const kept of ['node_modules', 'dist', 'test', '.git']) expect(ignored(kept)).toBe(true);
  });

  it('copies from the stages only what they produce: node_modules from npm ci, dist/image from the build', () => {
    const staged = all.filter((c) => c.from !== undefined);
    expect(staged.map((c) => `${c.from}:${c.sources.join(',')} -> ${c.dest}`).sort()).toEqual([
      `build:/build/${bundler.outDir} -> ./${bundler.outDir}`,
      'deps:/build/node_modules -> ./node_modules',
    ]);
    // The build stage runs `npm run build` in /build: tsc (the type check), then the bundles.
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.build).toBe('tsc -p tsconfig.build.json && npm run build:image');
    expect(scripts['build:image']).toBe('node scripts/bundle-service.mjs');
    expect(ignored('scripts')).toBe(false);
    expect(ignored('tsconfig.json')).toBe(false);
  });

  it('bundles the files entrypoint.sh starts: dist/image/main.js and dist/image/lambda.js', () => {
    const entrypoint = fs.readFileSync(path.join(ROOT, 'entrypoint.sh'), 'utf8');
    expect(bundler.entryPoints).toEqual({ lambda: 'service/lambda.ts', main: 'service/main.ts' });
    for (const source of Object.values(bundler.entryPoints)) {
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
      expect(ignored(source.split('/')[0] ?? '')).toBe(false);
    }
    expect(entrypoint).toContain(`${bundler.outDir}/main.js`);
    expect(entrypoint).toContain(`${bundler.outDir}/lambda.handler`);
    expect(fs.readFileSync(path.join(ROOT, 'service', 'lambda.ts'), 'utf8')).toMatch(
      /export const handler\b/,
    );
  });
});
