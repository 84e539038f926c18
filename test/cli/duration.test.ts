import { parseDuration } from '../../cli/duration';

/** The message a user reads for each bad duration: the option, what was given, and the rule it broke. */
function messageFor(text: string, what?: string): string {
  try {
    parseDuration(text, 1, what);
  } catch (error) {
    return (error as { lines: string[] }).lines.join('\n');
  }
  throw new Error(`'${text}' was accepted`);
}

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1.5m', 90_000],
    ['250ms', 250],
    [' 3s ', 3_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text, 1)).toBe(ms);
  });

  it('gives the fallback when the option is absent', () => {
    expect(parseDuration(undefined, 42)).toBe(42);
  });

  it('says a zero duration is too short, not that it is no duration', () => {
    expect(messageFor('0')).toBe("--timeout: '0' must be longer than zero (such as 90s, 15m or 2h)");
    expect(messageFor('0s', '--interval')).toBe(
      "--interval: '0s' must be longer than zero (such as 90s, 15m or 2h)",
    );
  });

  it.each([
    ['250', "--interval: '250' has no unit: write 250s, 250m or 250h (or 250ms)"],
    ['1.5', "--interval: '1.5' has no unit: write 1.5s, 1.5m or 1.5h (or 1.5ms)"],
    [' 7200 ', "--interval: '7200' has no unit: write 7200s, 7200m or 7200h (or 7200ms)"],
  ])(
    'refuses %j, a number without its unit (read as milliseconds, 7200 for 2h was 7.2 s)',
    (text, message) => {
      expect(messageFor(text, '--interval')).toBe(message);
    },
  );

  it.each(['banana', '5d', '-3s', '', '1e3'])('refuses %j as no duration, naming the option', (text) => {
    expect(messageFor(text, '--interval')).toBe(
      `--interval: '${text}' is not a duration such as 90s, 15m or 2h`,
    );
  });
});
