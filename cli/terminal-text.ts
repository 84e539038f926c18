/**
 * What the CLI prints comes in part from others: a record anyone with the table's rights may edit, AWS's
 * error messages that echo names, another stack's DNS records. A control character among them would be
 * acted on by the reader's terminal rather than shown (an ESC sequence sets the window title, clears the
 * screen or moves the cursor over earlier lines; a carriage return overwrites the line so far), so every
 * line goes out with them (and the directional formatting characters below) written as visible `\uXXXX`
 * escapes. Tab and newline stay: the CLI's own layout uses them. The escape is also what JSON and YAML's
 * double-quoted strings mean by it (JSON.stringify writes C0 escaped itself, but DEL and C1 as they are;
 * the yaml package double-quotes them, raw), so `-o json` and `-o yaml` read back as the same values.
 */

/** C0 but tab and newline, DEL, and C1 (whose U+009B is CSI, the ESC [ of 8-bit terminals). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Unicode's directional formatting characters (the marks U+061C, U+200E, U+200F, the embeddings and
 * overrides U+202A–U+202E, the isolates U+2066–U+2069): no control characters, but a bidi-capable terminal
 * reorders the line around them, so a message could read as another ("Trojan Source"). The yaml package
 * writes them unquoted, where an escape would not read back: `yamlText` double-quotes such strings.
 */
const DIRECTIONAL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSHOWN = new RegExp(`${CONTROL.source}|${DIRECTIONAL.source}`, 'g');

/** Whether `text` holds a directional formatting character (which `terminalText` escapes). */
export function hasDirectional(text: string): boolean {
  return DIRECTIONAL.test(text);
}

export function terminalText(text: string): string {
  return text.replace(UNSHOWN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A value printed inside one line (an event, a condition's message, a step's state): its line breaks
 * written as a visible `\n`, so that a message cannot forge lines of its own after it (a fake pass line
 * or event in a watch's output).
 */
export function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n');
}
