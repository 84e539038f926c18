/**
 * What `npm run bench` says about itself: `--help` and the checks on what was asked, read from the benches'
 * own leading doc comments so that the help cannot drift from the code it describes. Pure: file texts in,
 * words out.
 */

/** A request the benches cannot run (an unknown name or option, a value out of its range): said in a line. */
export class BenchInputError extends Error {}

/** A `--name=value` that must be a whole number of at least 1, or undefined when not given. */
export function positiveIntegers(name: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const numbers = value.split(',').map((part) => Number(part.trim()));
  if (value.trim() === '' || numbers.some((n) => !Number.isInteger(n) || n < 1))
    throw new BenchInputError(`--${name}=${value}: give whole numbers of at least 1, separated by commas`);
  return numbers;
}

export interface BenchFile {
  /** The bench's name: its file name without `.bench.ts`. */
  name: string;
  /** The file's text. */
  text: string;
}

/** The leading `/** … *\/` comment of a file, its stars and indentation removed. */
export function docComment(text: string): string {
  const match = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!match) return '';
  return match[1]
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

/** The first sentence of a bench's doc comment, on one line, cut to `width` characters. */
export function summary(text: string, width = 90): string {
  const flat = docComment(text).replace(/\s+/g, ' ');
  // A sentence ends at a full stop after a word, not after a list's "1.".
  const end = flat.search(/[^\d\s]\.(\s|$)/);
  const sentence = end === -1 ? flat : flat.slice(0, end + 2);
  return sentence.length <= width ? sentence : `${sentence.slice(0, width - 1).trimEnd()}…`;
}

/** The `--name` options a bench's doc comment names (`--stacks=10,100` gives `stacks`). */
export function documentedOptions(text: string): string[] {
  const names = new Set<string>();
  for (const match of docComment(text).matchAll(/`--([a-z][a-z-]*)/g)) names.add(match[1]);
  return [...names].sort();
}

/** Options every bench takes. */
const COMMON_OPTIONS = ['json', 'help', 'h'];

/** `npm run bench --help`: every bench in a line; with names, those benches' whole documentation. */
export function helpText(benches: BenchFile[], named: BenchFile[]): string {
  if (named.length > 0)
    return named.map((b) => `npm run bench ${b.name}\n\n${docComment(b.text)}\n`).join('\n');
  const width = Math.max(...benches.map((b) => b.name.length));
  return [
    'usage: npm run bench [name ...] [-- --option=value ...]',
    '',
    'Runs every bench (or those whose name contains a given name), one after another; each prints its',
    'table, its targets as ratios against a baseline measured in the same run. Options after `--`:',
    '  --json   the benches that report JSON print it alone on stdout',
    '  --help   this text; with names, those benches’ options and targets',
    '',
    'benches:',
    ...benches.map((b) => `  ${b.name.padEnd(width)}  ${summary(b.text)}`),
  ].join('\n');
}

/**
 * What is wrong with a request (names that match no bench, options no chosen bench documents), or
 * undefined. An option is `--name` or `--name=value`.
 */
export function requestProblem(benches: BenchFile[], args: string[]): string | undefined {
  const names = args.filter((a) => !a.startsWith('-'));
  const unmatched = names.filter((n) => !benches.some((b) => b.name.includes(n)));
  const all = benches.map((b) => b.name).join(', ');
  if (unmatched.length > 0) return `no bench named ${unmatched.join(', ')} (benches: ${all})`;
  const chosen = names.length === 0 ? benches : benches.filter((b) => names.some((n) => b.name.includes(n)));
  const known = new Set([...COMMON_OPTIONS, ...chosen.flatMap((b) => documentedOptions(b.text))]);
  const unknown = args
    .filter((a) => a.startsWith('-'))
    .map((a) => a.replace(/^-+/, '').split('=')[0])
    .filter((o) => !known.has(o));
  if (unknown.length === 0) return undefined;
  const of = names.length === 0 ? 'any bench' : chosen.map((b) => b.name).join(', ');
  return `unknown option ${unknown.map((o) => `--${o}`).join(', ')} for ${of} (see npm run bench ${names.join(' ')} -- --help)`;
}
