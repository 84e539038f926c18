/**
 * Every path the Dockerfile copies must exist: sources in the build context, and the build's outputs where
 * the runtime stage and entrypoint.sh expect them. Running the whole `tsc` build here would take a minute
 * on a busy machine, so the outputs are derived from tsconfig.build.json's mapping (rootDir `.` → outDir)
 * and the sources that produce them are checked instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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

describe('Dockerfile', () => {
  const all = copies();

  it('has a build stage, a production-dependencies stage and a runtime stage on the Lambda Node.js base image', () => {
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=public\.ecr\.aws\/lambda\/nodejs:20$/m);
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

  it('copies from the stages only what they produce: node_modules from npm ci, dist from the build', () => {
    const staged = all.filter((c) => c.from !== undefined);
    expect(staged.map((c) => `${c.from}:${c.sources.join(',')}`).sort()).toEqual([
      'build:/build/dist',
      'deps:/build/node_modules',
    ]);
    // The build stage compiles in /build with tsconfig.build.json, whose outDir is dist/ of the project.
    const build = tsconfig('tsconfig.build.json');
    expect(build.compilerOptions?.outDir).toBe('dist');
    expect(build.compilerOptions?.noEmit).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.build).toBe(
      'tsc -p tsconfig.build.json',
    );
  });

  it('produces the files entrypoint.sh starts: dist/service/main.js and dist/service/lambda.js', () => {
    const build = tsconfig('tsconfig.build.json');
    const rootDir = build.compilerOptions?.rootDir ?? '.';
    const entrypoint = fs.readFileSync(path.join(ROOT, 'entrypoint.sh'), 'utf8');
    for (const output of ['dist/service/main.js', 'dist/service/lambda.js']) {
      const source = path
        .join(rootDir, path.relative(build.compilerOptions?.outDir ?? '', output))
        .replace(/\.js$/, '.ts');
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
      expect(build.include).toEqual(expect.arrayContaining([source.split('/')[0]]));
    }
    expect(entrypoint).toContain('dist/service/main.js');
    expect(entrypoint).toContain('dist/service/lambda.handler');
    expect(fs.readFileSync(path.join(ROOT, 'service', 'lambda.ts'), 'utf8')).toMatch(
      /export const handler\b/,
    );
  });

  it('when a build output exists, holds those files there (checked only after `npm run build`)', () => {
    const dist = path.join(ROOT, 'dist', 'service');
    if (!fs.existsSync(dist)) return;
    for (const file of ['main.js', 'lambda.js']) expect(fs.existsSync(path.join(dist, file))).toBe(true);
  });
});
