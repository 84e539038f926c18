/**
 * Moves files or folders with `git mv` (so that history follows) and rewrites every relative import that
 * points at or from a moved file, computing the new relative path from the map; paths mentioned in
 * comments, docs and configs (`sim/traffic/x.ts`) are rewritten too. How the folders of
 * docs/architecture.md were made; at hand for the next move.
 *
 *   node scripts/move-files.mjs moves.json        # { "old/file-or-folder": "new/file-or-folder", ... }
 *   node scripts/move-files.mjs moves.json --dry  # prints what it would move and rewrite
 *
 * Run at the root of the repo, with a clean tree; then `npx tsc --noEmit -p tsconfig.json` and
 * `npx prettier --write` on what changed. Paths built at run time (`join(__dirname, '..')`) are not
 * rewritten: grep for `__dirname` in the moved files.
 */
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const [mapFile, flag] = process.argv.slice(2);
if (!mapFile) {
  console.error('usage: node scripts/move-files.mjs moves.json [--dry]');
  process.exit(2);
}
const dry = flag === '--dry';
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(f));
const trackedSet = new Set(tracked);

/** Old file path → new file path, from the map's file and folder entries. */
const moves = new Map();
for (const [from, to] of Object.entries(map)) {
  if (!existsSync(from)) throw new Error(`${from} does not exist`);
  if (!statSync(from).isDirectory()) moves.set(from, to);
  else for (const f of tracked) if (f.startsWith(`${from}/`)) moves.set(f, to + f.slice(from.length));
}
const newPath = (f) => moves.get(f) ?? f;

/** Resolves a relative specifier as Node and TypeScript do: the file, with an extension, or a folder's index. */
function resolveSpecifier(fromFile, specifier) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  for (const ext of ['', '.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'])
    if (trackedSet.has(base + ext)) return { file: base + ext, ext, folder: false };
  for (const index of ['index.ts', 'index.js', 'index.mjs'])
    if (trackedSet.has(`${base}/${index}`)) return { file: `${base}/${index}`, ext: '', folder: true };
  return undefined;
}

function relativeSpecifier(fromDir, to) {
  const r = path.posix.relative(fromDir, to);
  return r === '' ? '.' : r.startsWith('.') ? r : `./${r}`;
}

const SPECIFIER =
  /((?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|\bjest\.(?:mock|requireActual|doMock|unmock|requireMock)\s*\(\s*|^\s*import\s+))(['"])(\.{1,2}(?:\/[^'"\n]*)?)\2/gm;

const rewritten = new Map();
const unresolved = [];
for (const file of tracked.filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f))) {
  const source = readFileSync(file, 'utf8');
  const movedFile = newPath(file);
  const out = source.replace(SPECIFIER, (whole, before, quote, specifier) => {
    const target = resolveSpecifier(file, specifier);
    if (!target) {
      unresolved.push(`${file}: ${specifier}`);
      return whole;
    }
    const movedTarget = newPath(target.file);
    if (movedTarget === target.file && movedFile === file) return whole;
    // `ext` is what resolving added: the import left it out, so the new one leaves it out too.
    const to = target.folder
      ? path.posix.dirname(movedTarget)
      : movedTarget.slice(0, movedTarget.length - target.ext.length);
    return `${before}${quote}${relativeSpecifier(path.posix.dirname(movedFile), to)}${quote}`;
  });
  if (out !== source) rewritten.set(file, out);
}

/** Paths named in text: the longest old path first, bounded so that `sim/core` does not match `aws-sim/core`. */
const pairs = [];
for (const [from, to] of Object.entries(map)) {
  pairs.push([from, to]);
  const ext = path.posix.extname(from);
  if (ext && path.posix.extname(to) === ext)
    pairs.push([from.slice(0, -ext.length), to.slice(0, -ext.length)]);
}
pairs.sort((a, b) => b[0].length - a[0].length);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mention = new RegExp(`(?<![\\w./-])(${pairs.map(([from]) => escape(from)).join('|')})(?![\\w-])`, 'g');
const replacement = new Map(pairs);
for (const file of tracked.filter(
  (f) => f !== 'package-lock.json' && /\.(ts|mjs|js|cjs|json|md|ya?ml|sh)$|Dockerfile$/.test(f),
)) {
  const source = rewritten.get(file) ?? readFileSync(file, 'utf8');
  const out = source.replace(mention, (m) => replacement.get(m));
  if (out !== source) rewritten.set(file, out);
}

console.log(`${moves.size} files to move, ${rewritten.size} files rewritten`);
if (unresolved.length) console.log(`imports not resolved (left as they are):\n  ${unresolved.join('\n  ')}`);
if (dry) {
  for (const [from, to] of moves) console.log(`  ${from} -> ${to}`);
  for (const file of rewritten.keys()) console.log(`  rewrites ${file}`);
} else {
  for (const [file, text] of rewritten) writeFileSync(file, text);
  for (const [from, to] of moves) {
    mkdirSync(path.dirname(to), { recursive: true });
    execFileSync('git', ['mv', from, to]);
  }
}
