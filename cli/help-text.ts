/**
 * The text a command's --help prints after its options, wrapped as commander wraps the rest of the help:
 * at the width of the terminal it goes to (80 when it is no terminal). Written in the source as
 * paragraphs, each line filled here, so that a paragraph edited later never breaks early nor runs past
 * the terminal's edge.
 */
import type { AddHelpTextContext, Help } from 'commander';
import type { CliOutput } from './io';

/** The width a help is wrapped at on `output`: a terminal's columns, else 80 (commander's rule). */
export function helpWidth(output: CliOutput): number {
  return output.isTTY && output.columns ? output.columns : 80;
}

/**
 * For `addHelpText('after', …)`: `text`'s paragraphs (separated by blank lines) re-wrapped at the help's
 * width; a paragraph whose lines are indented (the examples, one command a line) is kept as written.
 */
export function helpAfter(text: string): (context: AddHelpTextContext) => string {
  return ({ error, command }) => {
    const output = command.configureOutput();
    const width = (error ? output.getErrHelpWidth?.() : output.getOutHelpWidth?.()) ?? 80;
    // The blank line between the options and the text.
    return `\n${wrapParagraphs(text.trim(), width, command.createHelp())}`;
  };
}

/** Each paragraph filled by commander's own wrapping (Help.boxWrap), as it fills the descriptions. */
function wrapParagraphs(text: string, width: number, help: Help): string {
  return text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => {
      // A heading ("Examples:") and the indented lines after it are kept.
      if (paragraph.split('\n').some((line) => /^\s/.test(line))) return paragraph;
      return help.boxWrap(paragraph.split(/\s+/).filter(Boolean).join(' '), width);
    })
    .join('\n\n');
}
