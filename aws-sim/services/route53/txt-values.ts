/**
 * TXT (and SPF) values as Route 53 checks them ("Supported DNS record types", TXT record format): a value
 * is one or more character strings, each enclosed in quotation marks and at most 255 characters long, with
 * `\"` and `\\` escaped and other characters as `\ddd` octal; several strings in one value are separated
 * by spaces. Route 53 rejects anything else with InvalidChangeBatch, quoting the value back.
 */

/** Route 53's answer for an invalid value, or undefined when the value is well formed. */
export function txtValueProblem(value: string): string | undefined {
  const strings = characterStrings(value);
  if (strings === undefined) {
    return `Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '${value}''`;
  }
  if (strings.some((s) => s.length > 255)) {
    return `Invalid Resource Record: 'FATAL problem: CharacterStringTooLong (Value is too long) encountered with '${value}''`;
  }
  return undefined;
}

/** The character strings of a value (escapes undone), or undefined when it is not quoted strings. */
function characterStrings(value: string): string[] | undefined {
  const strings: string[] = [];
  let i = 0;
  const skipSpaces = () => {
    while (i < value.length && value[i] === ' ') i++;
  };
  skipSpaces();
  if (i >= value.length) return undefined;
  while (i < value.length) {
    if (value[i] !== '"') return undefined;
    i++;
    let text = '';
    let closed = false;
    while (i < value.length) {
      const c = value[i]!;
      if (c === '\\') {
        const octal = /^[0-7]{3}/.exec(value.slice(i + 1));
        if (octal) {
          text += String.fromCharCode(parseInt(octal[0], 8));
          i += 4;
        } else if (i + 1 < value.length) {
          text += value[i + 1];
          i += 2;
        } else {
          return undefined;
        }
        continue;
      }
      i++;
      if (c === '"') {
        closed = true;
        break;
      }
      text += c;
    }
    if (!closed) return undefined;
    strings.push(text);
    // Strings are separated by spaces; anything else after a closing quote is not a string.
    if (i < value.length && value[i] !== ' ') return undefined;
    skipSpaces();
  }
  return strings;
}
