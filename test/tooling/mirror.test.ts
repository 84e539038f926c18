/**
 * test/ mirrors the tree (docs/architecture.md): every folder of tests sits at the path of the folder it
 * tests, so that a move of code (scripts/move-files.mjs) takes its tests along and nothing is left behind.
 * The folders that test no one folder are named here.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const TEST = join(ROOT, 'test');
/** Across folders: the whole reconciler against aws-sim, the README and docs, tooling, helpers. */
const NOT_MIRRORED = new Set(['support', 'scenarios', 'docs', 'readme', 'tooling', 'fixtures']);

/** Whether `dir` holds a file, at any depth (a folder a checkout left empty is not a folder of tests). */
function holdsFiles(dir: string): boolean {
  return readdirSync(dir).some(
    (name) => !statSync(join(dir, name)).isDirectory() || holdsFiles(join(dir, name)),
  );
}

function folders(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (!statSync(path).isDirectory() || NOT_MIRRORED.has(name) || !holdsFiles(path)) return [];
    return [path, ...folders(path)];
  });
}

describe('test/ mirrors the tree', () => {
  it('has a source folder for every folder of tests', () => {
    const found = folders(TEST).map((path) => relative(TEST, path).split(sep).join('/'));
    expect(found).toContain('reconciler/resources/ec2');
    expect(found.filter((folder) => !existsSync(join(ROOT, folder)))).toEqual([]);
  });
});
