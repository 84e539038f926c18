/**
 * Every --help's prose (the command's description and the text after its options) is wrapped as
 * commander wraps the rest of the help: at the terminal's width (80 when it is no terminal), each line
 * filled, so that no paragraph breaks early or runs past the width.
 */
import { Readable } from 'node:stream';
import { run } from '../../cli/main';

const COMMANDS = [
  [],
  ['validate'],
  ['apply'],
  ['get'],
  ['list'],
  ['delete'],
  ['plan'],
  ['reconcile'],
  ['status'],
  ['events'],
  ['sim'],
  ['sim', 'resources'],
  ['sim', 'calls'],
  ['sim', 'advance'],
  ['sim', 'reset'],
  ['simulate'],
  ['bootstrap'],
  ['version'],
];

/** The help of `command` as printed to a terminal `columns` wide (none: not a terminal). */
async function help(command: string[], columns?: number): Promise<string> {
  let stdout = '';
  const write = (text: string) => (stdout += text);
  const code = await run(['node', 'lambdaflex', ...command, '--help'], {
    cwd: process.cwd(),
    stdin: Readable.from(['']),
    stdout: columns === undefined ? { write } : { write, isTTY: true, columns },
    stderr: { write: () => true },
  });
  expect(code).toBe(0);
  return stdout;
}

/**
 * The help's paragraphs of prose: blocks of lines that start at the margin, other than the section
 * headings ("Usage: …", "Options:") and what follows them indented (options, commands, examples).
 */
function prose(text: string): string[][] {
  const paragraphs: string[][] = [[]];
  for (const line of text.split('\n')) {
    const isProse = line !== '' && !/^\s/.test(line) && !/^(Usage: |[A-Z][a-z]+:$)/.test(line);
    if (isProse) paragraphs.at(-1)!.push(line);
    else if (paragraphs.at(-1)!.length > 0) paragraphs.push([]);
  }
  return paragraphs.filter((p) => p.length > 0);
}

/** Lines of a paragraph that break before the width with room for the next word, or run past it. */
function badlyWrapped(paragraph: string[], width: number): string[] {
  const bad: string[] = [];
  paragraph.forEach((line, i) => {
    const next = paragraph[i + 1];
    const fits = next !== undefined && line.length + 1 + next.split(' ')[0]!.length <= width;
    if (fits) bad.push(`breaks early: "${line}" / "${next}"`);
    if (line.length > width && line.includes(' ')) bad.push(`too long (${line.length}): "${line}"`);
  });
  return bad;
}

describe('--help: the prose is wrapped at the width of the help', () => {
  it.each(COMMANDS.map((c) => [c.join(' ') || 'lambdaflex', c]))(
    '%s, at 80 columns (no terminal) and in a terminal 120 wide',
    async (_, command) => {
      for (const columns of [undefined, 120]) {
        const paragraphs = prose(await help(command as string[], columns));
        expect(paragraphs.length).toBeGreaterThan(0);
        expect(paragraphs.flatMap((p) => badlyWrapped(p, columns ?? 80))).toEqual([]);
      }
    },
  );

  it('keeps the examples as written, one command a line', async () => {
    const text = await help(['bootstrap'], 40);
    expect(text).toContain(
      "  $ lambdaflex bootstrap --print-policy --account 123456789012 --region eu-west-1 --hosted-zone Z0123456789ABCDEFGHIJ='*.api.example.com'\n",
    );
  });

  it('finds an early break (the test of the test)', () => {
    expect(
      badlyWrapped(['created again). Creates the table (--dry-run creates', 'nothing'], 80),
    ).toHaveLength(1);
    expect(prose('Usage: x\n\nOne two\nthree\n\nOptions:\n  -h\n\nFour.\n')).toEqual([
      ['One two', 'three'],
      ['Four.'],
    ]);
  });
});
