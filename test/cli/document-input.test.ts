/**
 * Documents as editors and shells write them: a UTF-8 byte-order mark (Notepad, PowerShell) is read as
 * the text after it; UTF-16, an alias bomb, a document too large for a record, and JSON whose error V8
 * places nowhere are refused with the file named, the rule, and a next step that promises nothing the
 * message lacks. Nothing is written in any of these cases.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const SPEC = { stack: 'orders-api', image: IMAGE, mode: 'lambda' };

function bytes(cwd: string, name: string, content: Buffer): string {
  const path = join(cwd, name);
  writeFileSync(path, content);
  return path;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('a document with a UTF-8 byte-order mark', () => {
  it.each([
    ['bom.json', JSON.stringify(SPEC)],
    ['bom.yaml', `stack: orders-api\nimage: ${IMAGE}\nmode: lambda\n`],
    ['bom.txt', JSON.stringify(SPEC)],
  ])('is read as the text after the mark (%s)', async (name, text) => {
    const cwd = tempFolder();
    const file = bytes(cwd, name, Buffer.concat([BOM, Buffer.from(text)]));
    const result = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/stack orders-api created/);
  });

  it('is read from stdin too', async () => {
    const cwd = tempFolder();
    const result = await runCli(cwd, ['validate', '-f', '-'], `\uFEFF${JSON.stringify(SPEC)}`);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('documents refused before anything is written', () => {
  async function refused(cwd: string, file: string) {
    const result = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // Nothing written: there is no table to read a stack from.
    expect((await runCli(cwd, ['--local', 'list'])).code).toBe(1);
    return result.stderr.trimEnd().split('\n');
  }

  it('UTF-16 is named, with the encoding to save it in', async () => {
    const cwd = tempFolder();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(SPEC), 'utf16le')]);
    expect(await refused(cwd, bytes(cwd, 'wide.json', utf16))).toEqual([
      `${join(cwd, 'wide.json')}: the file is UTF-16: save it as UTF-8`,
      'save the document as UTF-8, then run the command again',
    ]);
  });

  it('a YAML alias bomb is named as malformed YAML of that file', async () => {
    const cwd = tempFolder();
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const file = writeFile(cwd, 'bomb.yaml', `${rows.join('\n')}\nstack: orders-api\nimage: ${IMAGE}\n`);
    const [first, ...rest] = await refused(cwd, file);
    expect(first).toMatch(/^\S*bomb\.yaml: malformed YAML: .*alias/i);
    expect(rest).toEqual(['fix the document, then run the command again']);
  });

  it('a document larger than a record can hold is refused without reading it all', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'huge.json', { ...SPEC, environment: { BIG: 'x'.repeat(2_000_000) } });
    const [first, next] = await refused(cwd, file);
    expect(first).toBe(
      `${file}: the document is larger than 1 MB; a desired state is a few kB (DynamoDB keeps at most 400 KB a record)`,
    );
    expect(next).toBe('check that the file is the desired state you meant');
    const fromStdin = await runCli(cwd, ['validate', '-f', '-'], 'x'.repeat(1_100_000));
    expect(fromStdin.code).toBe(1);
    expect(fromStdin.stderr).toMatch(/^\(stdin\): the document is larger than 1 MB;/);
  });

  it('bytes that are not UTF-8 are named at their line and column, not read as U+FFFD', async () => {
    const cwd = tempFolder();
    const latin1 = Buffer.from(
      `stack: orders-api\nimage: ${IMAGE}\nenvironment:\n  CITY: Orl\xe9ans\n`,
      'latin1',
    );
    expect(await refused(cwd, bytes(cwd, 'latin1.yaml', latin1))).toEqual([
      `${join(cwd, 'latin1.yaml')}:4:12: the file is not UTF-8 text: save it as UTF-8`,
      'save the document as UTF-8, then run the command again',
    ]);
  });

  it('a Markdown file given by mistake (the README) is named in a few short lines, not a screenful', async () => {
    const cwd = tempFolder();
    // The README as the real mistake: `apply -f README.md` for `-f my-stack.yaml`. Its prose makes
    // dozens of YAML errors, each quoting whole paragraphs of it.
    const file = writeFile(cwd, 'README.md', readFileSync(join(__dirname, '../../README.md'), 'utf8'));
    const lines = await refused(cwd, file);
    // The first errors, where they are; then how many more there were; then the next step.
    expect(lines.length).toBe(7);
    for (const line of lines.slice(0, 5)) expect(line).toMatch(/^\S*README\.md:\d+:\d+: malformed YAML: /);
    expect(lines[5]).toMatch(
      /^\S*README\.md: \d+ more YAML errors not shown: is it the desired state you meant\?$/,
    );
    expect(lines[6]).toBe('fix the document at the line and column given, then run the command again');
    // A line quotes a bit of the source, not whole paragraphs of it.
    for (const line of lines) expect(line.length - file.length).toBeLessThanOrEqual(160);
  });

  it('one error past the five shown is counted as one (not "1 more YAML errors")', async () => {
    const cwd = tempFolder();
    // Seven times the same key: six "Map keys must be unique", one more than are shown.
    const file = writeFile(cwd, 'dup.yaml', Array.from({ length: 7 }, () => 'stack: orders-api').join('\n'));
    const lines = await refused(cwd, file);
    expect(lines[5]).toBe(`${file}: 1 more YAML error not shown: is it the desired state you meant?`);
  });

  it.each([
    ['{"stack": "orders-api",\n "image": tru}', 2, 14],
    ['{"stack": "orders-api", "mode": }', 1, 33],
  ])('malformed JSON that V8 places nowhere gets a line and column: %s', async (text, line, column) => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'bad.json', text);
    const [first, next] = await refused(cwd, file);
    expect(first).toMatch(
      new RegExp(`^\\S*bad\\.json:${line}:${column}: malformed JSON: Unexpected token '}'$`),
    );
    expect(next).toBe('fix the document at the line and column given, then run the command again');
  });
});
