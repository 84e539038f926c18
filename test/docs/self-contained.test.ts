/**
 * The repo stands on its own: a fresh clone holds the documentation and the sample traces it refers to,
 * and no file points at a folder outside the repo (the team's shared folder beside it is not shipped).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadTrace } from '../../simulation/traffic';

const ROOT = resolve(__dirname, '..', '..');
/** Not the product: tools' output and the CI script (which may refer to the machine it runs on). */
const SKIPPED = new Set([
  '.git',
  '.ci',
  'node_modules',
  'dist',
  'coverage',
  '.lambdaflex',
  'test-artifacts',
  '.jest-summary',
  'package-lock.json',
]);

function repoFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? repoFiles(path) : [path];
  });
}

const TEXT = /\.(ts|js|mjs|cjs|json|md|yaml|yml|sh|html|css|csv)$|Dockerfile$/;
const files = repoFiles().filter((f) => TEXT.test(f));

/** Spelled in pieces, so that this file does not name them itself. */
const SHARED = '..' + '/shared';
const MACHINE_SHARED = '/work' + '/shared';
const BRIEF_PAGE = 'DESIGN' + '.md';

/** Whether `path` names a file or folder of the repo, as an import does (extension left out) or as is. */
function existsInRepo(path: string): boolean {
  if (!path.startsWith(ROOT + sep)) return false;
  return ['', '.ts', '.js', '.json'].some((ext) => existsSync(path + ext));
}

/**
 * Each relative path to a `shared` folder that does not resolve, from the file's folder, to something in
 * the repo (aws-sim/services/ has a `common` folder of its own that its files import), and every absolute path
 * to a machine's shared folder.
 */
function outsideMentions(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\.\.\/)+shared\b[\w./-]*/g)) {
    const target = match[0].replace(/[.]+$/, '');
    if (!existsInRepo(resolve(dirname(file), target))) found.push(match[0]);
  }
  for (const match of text.matchAll(/\/work\/shared\b[\w./-]*/g)) found.push(match[0]);
  return found;
}

describe('the repo stands on its own', () => {
  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain(join(ROOT, 'README.md'));
  });

  it('has no file pointing at a folder outside the repo (the team’s shared folder)', () => {
    const offenders = files.flatMap((file) =>
      outsideMentions(file, readFileSync(file, 'utf8')).map((m) => `${relative(ROOT, file)}: ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it('tells an import of a folder of the repo from a path outside the repo', () => {
    const inSim = join(ROOT, 'aws-sim', 'services', 'ecs', 'tasks.ts');
    expect(outsideMentions(inSim, `import type { OperationInput } from '../common/input';`)).toEqual([]);
    expect(outsideMentions(inSim, `import x from '${SHARED}/nothing-here';`)).toEqual([
      `${SHARED}/nothing-here`,
    ]);
    expect(outsideMentions(join(ROOT, 'README.md'), `See \`${SHARED}/${BRIEF_PAGE}\`.`)).toEqual([
      `${SHARED}/${BRIEF_PAGE}`,
    ]);
    expect(outsideMentions(inSim, `readFileSync('${MACHINE_SHARED}/traces/a.csv')`)).toEqual([
      `${MACHINE_SHARED}/traces/a.csv`,
    ]);
  });

  it('cites the docs in the repo, not the team’s brief (its design and AWS facts pages)', () => {
    const brief = new RegExp(['DESIGN', 'AWS-FACTS'].map((name) => `\\b${name}\\.md\\b`).join('|'));
    const offenders = files
      .filter((file) => brief.test(readFileSync(file, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('cites no issue numbers in the code: the docs say why, the history says when', () => {
    const issue = new RegExp(['[Ii]ssues?', '[0-9]+'].join(' ') + "(?!\\d)('s)?");
    const code = files.filter((file) => /\.(ts|js|mjs|cjs|sh|html|css)$|Dockerfile$/.test(file));
    const offenders = code.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => [line, i + 1] as const)
        .filter(([line]) => issue.test(line))
        .map(([line, n]) => `${relative(ROOT, file)}:${n}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('cites pages of docs/ that exist', () => {
    const cited = new Set(
      files.flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\bdocs\/([\w-]+\.md)\b/g)].map((m) => m[1]!),
      ),
    );
    const missing = [...cited].filter((page) => !existsSync(join(ROOT, 'docs', page)));
    expect(missing).toEqual([]);
  });

  it.each(['design.md', 'aws-facts.md'])('has docs/%s, linked from docs/README.md', (page) => {
    expect(statSync(join(ROOT, 'docs', page)).size).toBeGreaterThan(1000);
    expect(readFileSync(join(ROOT, 'docs', 'README.md'), 'utf8')).toContain(`](${page})`);
  });

  it('cites a source for every AWS fact', () => {
    const facts = readFileSync(join(ROOT, 'docs', 'aws-facts.md'), 'utf8');
    // Every table row of the facts, idempotency, limits and prices has a last column naming its source.
    const rows = facts
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
      .filter((line) => !/^\| (What|API|Item|System) \|/.test(line));
    expect(rows.length).toBeGreaterThan(30);
    const unsourced = rows.filter((row) => {
      const cells = row.split(' | ');
      const source = cells[cells.length - 1]!;
      return cells.length >= 3 && !/https?:\/\/|derived|same|user reports|see /i.test(source);
    });
    expect(unsourced).toEqual([]);
  });

  it.each(['diurnal', 'flat-high', 'flat-low', 'oscillating', 'spike'])(
    'ships the sample trace %s.csv, readable and documented',
    (name) => {
      const trace = loadTrace(readFileSync(join(ROOT, 'examples', 'traces', `${name}.csv`), 'utf8'));
      expect(trace.rows.length).toBeGreaterThanOrEqual(720);
      const readme = readFileSync(join(ROOT, 'examples', 'traces', 'README.md'), 'utf8');
      expect(readme).toContain(`\`${name}.csv\``);
      expect(readme).toContain('minute,rps,duration_ms');
    },
  );
});
