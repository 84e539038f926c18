import { CliError } from './io';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses `90s`, `15m`, `2h`, `250ms`; `fallback` when absent. `what` names it in errors. A number without
 * its unit is refused: read as milliseconds, `sim advance 90` moved the clock 90 ms and `--timeout 7200`
 * gave up after 7.2 s, each without a word. Zero needs no unit, and is refused as too short.
 */
export function parseDuration(text: string | undefined, fallback: number, what = '--timeout'): number {
  if (text === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new CliError([`${what}: '${text}' is not a duration such as 90s, 15m or 2h`]);
  const [, number, unit] = match;
  if (unit === undefined && Number(number) !== 0)
    throw new CliError([
      `${what}: '${number}' has no unit: write ${number}s, ${number}m or ${number}h (or ${number}ms)`,
    ]);
  const ms = Math.round(Number(number) * UNITS[unit ?? 'ms']);
  // Checked once rounded: `0.4ms` is 0 ms too (a watch reading the table in a tight loop).
  if (ms === 0) throw new CliError([`${what}: '${text}' must be longer than zero (such as 90s, 15m or 2h)`]);
  return ms;
}
