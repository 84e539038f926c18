/**
 * adversary: Unicode's directional formatting characters (U+202A–U+202E, U+2066–U+2069, as in "Trojan
 * Source") in text from a record edited by hand. They are no control characters, but a bidi-capable
 * terminal (VTE, Konsole) shows a line reordered around them: a message can read as another. They are
 * printed as visible escapes, and `-o yaml` and `-o json` still read back as the same values.
 */
import { parse } from 'yaml';
import { terminalText } from '../../cli/terminal-text';
import { yamlText } from '../../cli/render';

const FORGED = 'stack \u202eipa-sredro\u202c held';

describe('directional formatting characters in a printed line', () => {
  it('are written as visible escapes', () => {
    expect(terminalText(FORGED)).toBe('stack \\u202eipa-sredro\\u202c held');
    expect(terminalText('\u2067x\u2069 \u200f\u061c')).toBe('\\u2067x\\u2069 \\u200f\\u061c');
  });

  it('printed in YAML, read back as the same values (keys too)', () => {
    const value = { reason: FORGED, [`k\u2066`]: ['plain', '\u200eleft'] };
    const printed = terminalText(yamlText(value));
    expect(printed).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e]/);
    expect(parse(printed)).toEqual(value);
  });

  it('printed in JSON, read back as the same values', () => {
    const value = { reason: FORGED };
    expect(JSON.parse(terminalText(JSON.stringify(value)))).toEqual(value);
  });
});
