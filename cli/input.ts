/**
 * Reading a desired-state document from a file or stdin, as JSON or YAML. Every failure becomes a CliError
 * whose lines read "<where>: <what is wrong>", like the validation errors that follow it.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { duplicateKeys } from '../spec/duplicate-keys';
import { CliError, type CliIo } from './io';
import { jsonErrorOffset } from './json-position';

/** `-f -` */
export const STDIN = '-';

/**
 * The most a document may hold. A desired state is a few kB and its record at most DynamoDB's 400 KB:
 * anything larger is the wrong file (or /dev/zero), refused before it is read whole.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

const FIX_DOCUMENT = 'fix the document, then run the command again';
const FIX_AT_POSITION = 'fix the document at the line and column given, then run the command again';
const SAVE_AS_UTF8 = 'save the document as UTF-8, then run the command again';

type Format = 'json' | 'yaml';

export async function readDocument(file: string, io: CliIo): Promise<unknown> {
  const name = file === STDIN ? '(stdin)' : file;
  const text = await readText(file, name, io);
  return parse(text, name, formatOf(file, text));
}

async function readText(file: string, name: string, io: CliIo): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = file === STDIN ? await readStdin(io) : await readFileBounded(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    throw new CliError([`${name}: cannot read the file: ${reason}`], { cause: err });
  }
  return decode(bytes, name);
}

/** Up to one byte more than MAX_DOCUMENT_BYTES: enough to know the document is too large. */
async function readFileBounded(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_DOCUMENT_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      length += bytesRead;
      if (bytesRead === 0 || length === buffer.length) return buffer.subarray(0, length);
    }
  } finally {
    await handle.close();
  }
}

async function readStdin(io: CliIo): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
    if (length > MAX_DOCUMENT_BYTES) break;
  }
  return Buffer.concat(chunks);
}

/**
 * The document's text, from UTF-8: a byte-order mark (Notepad and PowerShell write one) is dropped, as
 * JSON.parse refuses it; UTF-16 and bytes that are not UTF-8 are refused rather than read as U+FFFD,
 * which JSON and YAML would take into a value without a word.
 */
function decode(bytes: Buffer, name: string): string {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new CliError(
      [
        `${name}: the document is larger than 1 MB; a desired state is a few kB (DynamoDB keeps at most 400 KB a record)`,
      ],
      { nextStep: 'check that the file is the desired state you meant' },
    );
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16)
    throw new CliError([`${name}: the file is UTF-16: save it as UTF-8`], { nextStep: SAVE_AS_UTF8 });
  const text = bytes.toString('utf8');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Where the first byte that is not UTF-8 became U+FFFD: a line and column an editor can go to.
    const where = `${name}:${lineAndColumn(text, Math.max(0, text.indexOf('\uFFFD')))}`;
    throw new CliError([`${where}: the file is not UTF-8 text: save it as UTF-8`], {
      nextStep: SAVE_AS_UTF8,
    });
  }
  if (text.includes('\u0000')) {
    throw new CliError([`${name}: the file holds NUL characters: it is not a text document`], {
      nextStep: SAVE_AS_UTF8,
    });
  }
  // The byte-order mark is no part of the document.
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
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
    // The quote may be cut short ('…"mage": tru}" is not valid JSON').
    const message = joinedLines((err as Error).message).replace(/, (\.\.\.)?".*" is not valid JSON$/, '');
    const given = /at position (\d+)/.exec(message)?.[1];
    const offset = given !== undefined ? Number(given) : jsonErrorOffset(text);
    const where = offset !== undefined ? `${name}:${lineAndColumn(text, offset)}` : name;
    throw new CliError([`${where}: malformed JSON: ${message}`], {
      cause: err,
      nextStep: offset !== undefined ? FIX_AT_POSITION : FIX_DOCUMENT,
    });
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

/**
 * The most YAML errors listed: a file that is no YAML at all (a README given for the spec) makes dozens,
 * and the first ones say what is wrong.
 */
export const MAX_YAML_ERRORS_SHOWN = 5;

/** The most characters of an error's own text: the library quotes the source, whole paragraphs of it. */
const MAX_YAML_ERROR_CHARS = 100;

function parseYaml(text: string, name: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const shown = doc.errors.slice(0, MAX_YAML_ERRORS_SHOWN);
    const located = shown.every((e) => e.linePos?.[0]);
    const lines = shown.map((e) => {
      const pos = e.linePos?.[0];
      const where = pos ? `${name}:${pos.line}:${pos.col}` : name;
      // The library's message ends with a snippet of the source; its first line says what is wrong.
      const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return `${where}: malformed YAML: ${shortened(what)}`;
    });
    const more = doc.errors.length - shown.length;
    if (more > 0)
      lines.push(
        `${name}: ${more} more YAML error${more === 1 ? '' : 's'} not shown: is it the desired state you meant?`,
      );
    throw new CliError(lines, { nextStep: located ? FIX_AT_POSITION : FIX_DOCUMENT });
  }
  try {
    return doc.toJS();
  } catch (err) {
    // Aliases that expand beyond the library's bound (a "billion laughs" document) fail only here.
    throw new CliError([`${name}: malformed YAML: ${joinedLines((err as Error).message)}`], {
      cause: err,
      nextStep: FIX_DOCUMENT,
    });
  }
}

/** `text` cut to MAX_YAML_ERROR_CHARS, with an ellipsis (and a closing quote when it cut a quote). */
function shortened(text: string): string {
  if (text.length <= MAX_YAML_ERROR_CHARS) return text;
  const cut = `${text.slice(0, MAX_YAML_ERROR_CHARS - 1).trimEnd()}…`;
  return text.endsWith('"') && (cut.match(/"/g) ?? []).length % 2 === 1 ? `${cut}"` : cut;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * A parser's message on one line, its line breaks (and the indents around them) made one space: it is
 * read as prose after the file's name. Not terminal-text.ts's `oneLine`, which shows a record's line
 * breaks as `\n`, where they are data.
 */
function joinedLines(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
