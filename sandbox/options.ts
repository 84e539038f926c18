/**
 * The sandbox's settings, from flags and the environment. Flags win over the environment so that a
 * one-off `npm start -- --speed 600` needs no export.
 */

export interface SandboxSettings {
  /** Simulated milliseconds per real millisecond: 60 is one simulated minute per real second. */
  speed: number;
  /** Real milliseconds between two ticks (advance the clock, then one reconciler pass). */
  tickMs: number;
  /** HTTP port of the service and dashboard; 0 picks a free one. */
  port: number;
  /** Where `.lambdaflex/` lives. */
  cwd: string;
}

export const DEFAULT_SPEED = 60;
export const DEFAULT_TICK_MS = 1_000;
export const DEFAULT_PORT = 3000;

export const USAGE = `usage: npm start -- [--speed N] [--tick-ms N] [--port N]

  --speed N     simulated seconds per real second (default ${DEFAULT_SPEED}; env LAMBDAFLEX_SPEED)
  --tick-ms N   real milliseconds between reconciler passes (default ${DEFAULT_TICK_MS}; env LAMBDAFLEX_TICK_MS)
  --port N      HTTP port of the service and dashboard (default ${DEFAULT_PORT}; env PORT)`;

export class SandboxUsageError extends Error {
  override readonly name = 'SandboxUsageError';
}

/** `--help` or `-h`: the usage is the answer, with exit code 0. */
export class SandboxHelpRequested extends Error {
  override readonly name = 'SandboxHelpRequested';
  constructor() {
    super(
      `${USAGE}\n\nStarts the local sandbox: a local DynamoDB, a simulated AWS account and the dashboard, kept\nunder .lambdaflex/ in the current folder. Ctrl-C stops it; the next start carries on.`,
    );
  }
}

function positiveNumber(name: string, raw: string, { integer = false, zero = false } = {}): number {
  const value = Number(raw);
  const ok =
    Number.isFinite(value) && (zero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok || raw.trim() === '') {
    const kind = integer ? 'integer' : 'number';
    throw new SandboxUsageError(
      `${name} must be a ${zero ? 'non-negative' : 'positive'} ${kind} (got "${raw}")`,
    );
  }
  return value;
}

/**
 * @example
 * parseSettings(['--speed', '600'], { PORT: '8080' }, '/tmp/x') // { speed: 600, tickMs: 1000, port: 8080, cwd: '/tmp/x' }
 */
export function parseSettings(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): SandboxSettings {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new SandboxHelpRequested();
    const match = /^--(speed|tick-ms|port)(?:=(.*))?$/.exec(arg);
    if (!match) throw new SandboxUsageError(`unknown argument "${arg}"\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new SandboxUsageError(`--${match[1]} needs a value\n${USAGE}`);
    flags.set(match[1]!, value);
  }
  const pick = (flag: string, envName: string): string | undefined => {
    const fromEnv = env[envName];
    return flags.get(flag) ?? (fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : undefined);
  };
  const speed = pick('speed', 'LAMBDAFLEX_SPEED');
  const tickMs = pick('tick-ms', 'LAMBDAFLEX_TICK_MS');
  const port = pick('port', 'PORT');
  const settings: SandboxSettings = {
    speed: speed === undefined ? DEFAULT_SPEED : positiveNumber('speed', speed),
    tickMs: tickMs === undefined ? DEFAULT_TICK_MS : positiveNumber('tick-ms', tickMs, { integer: true }),
    port: port === undefined ? DEFAULT_PORT : positiveNumber('port', port, { integer: true, zero: true }),
    cwd,
  };
  if (settings.port > 65535) throw new SandboxUsageError(`port must be 0-65535 (got ${settings.port})`);
  return settings;
}
