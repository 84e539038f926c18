/**
 * adversary: Unicode's directional formatting characters (U+202A–U+202E, U+2066–U+2069, as in "Trojan
 * Source") in text from a record edited by hand. They are no control characters, so terminalText keeps
 * them; a bidi-capable terminal (VTE, Konsole) then shows a line reordered: a message can read as another.
 */
import { terminalText } from '../../cli/terminal-text';

describe('directional formatting characters in a printed line', () => {
  // Fails: kept as they are. Escaping them in terminalText alone would break -o yaml's read-back (the yaml
  // package writes U+202E unquoted), so the fix needs the YAML writer to double-quote such strings too.
  it.skip('are written as visible escapes', () => {
    expect(terminalText('stack \u202eipa-sredro\u202c held')).toBe('stack \\u202eipa-sredro\\u202c held');
    expect(terminalText('\u2067x\u2069')).toBe('\\u2067x\\u2069');
  });
});
