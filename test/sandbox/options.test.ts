import {
  DEFAULT_PORT,
  DEFAULT_SPEED,
  DEFAULT_TICK_MS,
  parseSettings,
  SandboxHelpRequested,
  SandboxUsageError,
} from '../../sandbox/options';

describe('parseSettings', () => {
  it('defaults to one simulated minute per real second on port 3000', () => {
    expect(parseSettings([], {}, '/x')).toEqual({
      speed: DEFAULT_SPEED,
      tickMs: DEFAULT_TICK_MS,
      port: DEFAULT_PORT,
      cwd: '/x',
    });
    expect(DEFAULT_SPEED).toBe(60);
    expect(DEFAULT_PORT).toBe(3000);
  });

  it('reads LAMBDAFLEX_SPEED, LAMBDAFLEX_TICK_MS and PORT', () => {
    const env = { LAMBDAFLEX_SPEED: '600', LAMBDAFLEX_TICK_MS: '250', PORT: '8080' };
    expect(parseSettings([], env, '/x')).toMatchObject({ speed: 600, tickMs: 250, port: 8080 });
  });

  it('lets flags win over the environment, in both --flag value and --flag=value forms', () => {
    const settings = parseSettings(
      ['--speed', '120', '--port=0', '--tick-ms', '50'],
      { LAMBDAFLEX_SPEED: '600' },
      '/x',
    );
    expect(settings).toMatchObject({ speed: 120, port: 0, tickMs: 50 });
  });

  it('treats an empty variable as unset', () => {
    expect(parseSettings([], { LAMBDAFLEX_SPEED: ' ' }, '/x').speed).toBe(DEFAULT_SPEED);
  });

  it.each([
    [['--speed', '0'], '--speed must be a positive number (got "0")'],
    [['--speed', 'fast'], '--speed must be a positive number (got "fast")'],
    [['--tick-ms', '1.5'], '--tick-ms must be a positive integer (got "1.5")'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535 (got "70000")'],
    [['--speed'], '--speed needs a value'],
    [['--verbose'], 'unknown argument "--verbose"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSettings(argv, {}, '/x')).toThrow(SandboxUsageError);
    expect(() => parseSettings(argv, {}, '/x')).toThrow(message);
  });
});

describe('a bad setting from the environment', () => {
  it.each([
    [{ LAMBDAFLEX_SPEED: '-3' }, 'LAMBDAFLEX_SPEED must be a positive number (got "-3")'],
    [{ LAMBDAFLEX_TICK_MS: 'soon' }, 'LAMBDAFLEX_TICK_MS must be a positive integer (got "soon")'],
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: '65536' }, 'PORT must be an integer from 0 to 65535 (got "65536")'],
  ])('is refused naming the variable it came from: %j', (env, message) => {
    expect(() => parseSettings([], env, '/x')).toThrow(message);
  });

  it('and every refusal says what to do next', () => {
    for (const [argv, env] of [
      [['--speed', '0'], {}],
      [[], { PORT: 'abc' }],
    ] as const) {
      try {
        parseSettings(argv, env, '/x');
        throw new Error('not refused');
      } catch (error) {
        expect(error).toBeInstanceOf(SandboxUsageError);
        expect((error as Error).message).toMatch(/\nfix it, or unset it|\nfix the flag/);
        expect((error as Error).message).toContain('npm start -- --help');
      }
    }
  });
});

describe('npm start -- --help', () => {
  it.each([['--help'], ['-h'], ['--speed', '600', '--help']])('answers %j with the usage', (...argv) => {
    expect(() => parseSettings(argv, {}, '/tmp/x')).toThrow(SandboxHelpRequested);
    try {
      parseSettings(argv, {}, '/tmp/x');
    } catch (error) {
      expect((error as Error).message).toMatch(/^usage: npm start -- \[--speed N\]/);
    }
  });
});
