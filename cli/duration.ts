import { CliError } from './io';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90s`, `15m`, `2h` (or plain milliseconds); `fallback` when absent. `what` names it in errors. */
export function parseDuration(text: string | undefined, fallback: number, what = '--timeout'): number {
  if (text === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new CliError([`${what}: '${text}' is not a duration such as 90s, 15m or 2h`]);
  const ms = Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']);
  // Checked once rounded: `0.4ms` is 0 ms too (a watch reading the table in a tight loop).
  if (ms === 0) throw new CliError([`${what}: '${text}' must be longer than zero (such as 90s, 15m or 2h)`]);
  return ms;
}
