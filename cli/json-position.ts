/**
 * Where JSON text first breaks the grammar. V8 names the offset in most of its JSON.parse messages, but
 * not in all ("Unexpected token '}', …" on Node.js 20): for those the CLI scans the text itself, so that
 * the error still names a line and column an editor can jump to.
 */

class Stop {
  constructor(readonly offset: number) {}
}

const HEX = /^[0-9a-fA-F]$/;
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Deeper than any desired state; past it the scan gives up rather than overflow the stack. */
const MAX_DEPTH = 500;

/**
 * The offset of the first character that is not valid JSON there (the text's length when it ends too
 * early), or undefined when the text is valid JSON or nested too deep to scan.
 *
 * @example
 * jsonErrorOffset('{"mode": }') // 9, the offset of `}`
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const whitespace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const word = (expected: string) => {
    for (const c of expected) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') fail();
      if (c !== '\\') {
        i++;
        continue;
      }
      i++;
      if (text[i] === 'u') {
        for (let k = 0; k < 4; k++) {
          i++;
          if (!HEX.test(text[i] ?? '')) fail();
        }
        i++;
      } else if ('"\\/bfnrt'.includes(text[i] ?? '')) i++;
      else fail();
    }
  };
  const digits = () => {
    if (!isDigit(text[i])) fail();
    while (isDigit(text[i])) i++;
  };
  // Digit by digit, so that the offset is the character a number cannot go on with, as V8 names it.
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new Stop(-1);
    whitespace();
    const c = text[i];
    if (c === '{')
      members('}', depth, () => {
        string();
        whitespace();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
      });
    else if (c === '[') members(']', depth, () => value(depth + 1));
    else if (c === '"') string();
    else if (c === 't') word('true');
    else if (c === 'f') word('false');
    else if (c === 'n') word('null');
    else if (c === '-' || isDigit(c)) number();
    else fail();
    whitespace();
  };
  /** An object's or array's members after its opening bracket, up to `close`. */
  const members = (close: string, depth: number, member: () => void) => {
    i++;
    whitespace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      whitespace();
      member();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else fail();
    }
  };
  try {
    value(0);
    if (i < text.length) fail();
    return undefined;
  } catch (stop) {
    if (!(stop instanceof Stop)) throw stop;
    return stop.offset < 0 ? undefined : stop.offset;
  }
}
