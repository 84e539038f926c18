/**
 * adversary: durations a careless operator types that round to nothing. `--interval 0.4ms` passed the
 * "longer than zero" check and became 0 ms: `status --watch` would then read the table in a tight loop
 * (on AWS, thousands of paid reads a second), and `reconcile --timeout 0.1ms` would give up at once.
 */
import { parseDuration } from '../../cli/duration';
import { CliError } from '../../cli/io';

describe('adversary: a duration that rounds to zero milliseconds', () => {
  it.each(['0.4ms', '0.0001s', '0.000001m'])('%s is refused, naming the option', (text) => {
    expect(() => parseDuration(text, 2_000, '--interval')).toThrow(CliError);
    expect(() => parseDuration(text, 2_000, '--interval')).toThrow(
      `--interval: '${text}' must be longer than zero (such as 90s, 15m or 2h)`,
    );
  });

  it.each([
    ['0.5ms', 1],
    ['1ms', 1],
    ['1.5s', 1_500],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text, 2_000, '--interval')).toBe(ms);
  });
});
