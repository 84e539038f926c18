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

/** Where a setting came from: a flag or an environment variable, named as the user wrote it. */
interface Source {
  name: string;
  raw: string;
  fromEnv: boolean;
}

function refuse(source: Source, rule: string): never {
  const fix = source.fromEnv
    ? `fix it, or unset it for the default; \`npm start -- --help\` lists the settings`
    : `fix the flag; \`npm start -- --help\` lists the settings`;
  throw new SandboxUsageError(`${source.name} must be ${rule} (got "${source.raw}")\n${fix}`);
}

function positiveNumber(source: Source, { integer = false } = {}): number {
  const value = Number(source.raw);
  const ok = Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!ok || source.raw.trim() === '') refuse(source, `a positive ${integer ? 'integer' : 'number'}`);
  return value;
}

function portNumber(source: Source): number {
  const value = Number(source.raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535 || source.raw.trim() === '')
    refuse(source, 'an integer from 0 to 65535');
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
  const pick = (flag: string, envName: string): Source | undefined => {
    const fromFlag = flags.get(flag);
    if (fromFlag !== undefined) return { name: `--${flag}`, raw: fromFlag, fromEnv: false };
    const fromEnv = env[envName];
    return fromEnv !== undefined && fromEnv.trim() !== ''
      ? { name: envName, raw: fromEnv, fromEnv: true }
      : undefined;
  };
  const speed = pick('speed', 'LAMBDAFLEX_SPEED');
  const tickMs = pick('tick-ms', 'LAMBDAFLEX_TICK_MS');
  const port = pick('port', 'PORT');
  const settings: SandboxSettings = {
    speed: speed === undefined ? DEFAULT_SPEED : positiveNumber(speed),
    tickMs: tickMs === undefined ? DEFAULT_TICK_MS : positiveNumber(tickMs, { integer: true }),
    port: port === undefined ? DEFAULT_PORT : portNumber(port),
    cwd,
  };
  return settings;
}
