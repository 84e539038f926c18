/**
 * Reading a desired-state document from a file or stdin, as JSON or YAML. Every failure becomes a CliError
 * whose lines read "<where>: <what is wrong>", like the validation errors that follow it.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { duplicateKeys } from '../spec/duplicate-keys';
import { CliError, type CliIo } from './io';

/** `-f -` */
export const STDIN = '-';

type Format = 'json' | 'yaml';

export async function readDocument(file: string, io: CliIo): Promise<unknown> {
  const name = file === STDIN ? '(stdin)' : file;
  const text = await readText(file, name, io);
  return parse(text, name, formatOf(file, text));
}

async function readText(file: string, name: string, io: CliIo): Promise<string> {
  try {
    if (file === STDIN) {
      let text = '';
      for await (const chunk of io.stdin) text += chunk.toString();
      return text;
    }
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new CliError([`${name}: cannot read the file: ${reason}`], { cause: err });
  }
}

/** By extension; otherwise (stdin, `.txt`, none) JSON when it looks like JSON, YAML otherwise. */
function formatOf(file: string, text: string): Format {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return /^\s*[[{]/.test(text) ? 'json' : 'yaml';
}

function parse(text: string, name: string, format: Format): unknown {
  if (text.trim() === '') throw new CliError([`${name}: the document is empty`]);
  return format === 'json' ? parseJson(text, name) : parseYaml(text, name);
}

function parseJson(text: string, name: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 gives a character offset in most messages; a line and column is what an editor can jump to.
    // Node 20 quotes the text around the error ('..."image": }" is not valid JSON'); on one line, with
    // the newlines of the source, that quote confuses more than it helps.
    const message = oneLine((err as Error).message).replace(/, ".*" is not valid JSON$/, '');
    const offset = /at position (\d+)/.exec(message);
    const where = offset ? `${name}:${lineAndColumn(text, Number(offset[1]))}` : name;
    throw new CliError([`${where}: malformed JSON: ${message}`], { cause: err });
  }
  // JSON.parse keeps the last of two equal keys without a word; YAML refuses them, and so do we.
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) {
    throw new CliError(
      duplicates.map((d) => `${name}:${lineAndColumn(text, d.offset)}: ${d.path}: ${d.message}`),
    );
  }
  return value;
}

function parseYaml(text: string, name: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new CliError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `${name}:${pos.line}:${pos.col}` : name;
        // The library's message ends with a snippet of the source; its first line says what is wrong.
        const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return `${where}: malformed YAML: ${what}`;
      }),
    );
  }
  return doc.toJS();
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
