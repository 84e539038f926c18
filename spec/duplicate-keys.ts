/**
 * JSON allows a key twice in one object and `JSON.parse` keeps the last value without a word: a spec with
 * two `environment.DB_URL` entries would silently run with one of them. YAML refuses duplicates; this
 * finds them in JSON text so that the CLI and the service refuse them too, naming the field.
 */
import { joinPath } from './schema-errors';
import type { SpecError } from './types';

/** One duplicate: the dotted path of the repeated key and where its second occurrence starts. */
export interface DuplicateKey extends SpecError {
  /** Offset of the repeated key's opening quote in the text. */
  offset: number;
}

type Frame =
  | { kind: 'object'; path: string; keys: Set<string>; expectingKey: boolean; key?: string }
  | { kind: 'array'; path: string; index: number };

/** Offset just past the string literal that opens at `start` (a `"`). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The path of a value that starts now, inside `frame`. */
function pathOfValue(frame: Frame | undefined): string {
  if (!frame) return '';
  return frame.kind === 'object' ? joinPath(frame.path, frame.key ?? '') : joinPath(frame.path, frame.index);
}

/**
 * Every key that appears more than once in the same object, once each, in document order. `text` must be
 * valid JSON (parse it first): the scan only follows strings and brackets.
 *
 * @example
 * duplicateKeys('{"environment":{"A1":"x","A1":"y"}}'); // [{ path: 'environment.A1', message: 'appears twice …', offset: 26 }]
 */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const reported = new Set<string>();
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = endOfString(text, i);
      if (top?.kind === 'object' && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end)) as string;
        const path = joinPath(top.path, key);
        if (top.keys.has(key) && !reported.has(path)) {
          reported.add(path);
          found.push({
            path,
            message:
              'appears more than once in the same object (JSON would keep only the last one): write each key once',
            offset: i,
          });
        }
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end - 1;
    } else if (c === '{') {
      stack.push({ kind: 'object', path: pathOfValue(top), keys: new Set(), expectingKey: true });
    } else if (c === '[') {
      stack.push({ kind: 'array', path: pathOfValue(top), index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top) {
      if (top.kind === 'object') top.expectingKey = true;
      else top.index += 1;
    }
  }
  return found;
}
