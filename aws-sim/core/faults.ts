/**
 * Injected faults, set in code or by LAMBDAFLEX_SIM_FAULTS in local mode, e.g.
 * `throttle=0.2,error5xx=0.05,latencyMs=50,crashAfterCalls=17,seed=42,unhealthy=1`.
 */
export interface FaultConfig {
  /** Share of calls answered with the service's throttling error. */
  throttle?: number;
  /** Share of calls answered with a 5xx. */
  error5xx?: number;
  /** Real milliseconds added to every call (for wall-time benchmarks; the virtual clock is not moved). */
  latencyMs?: number;
  /** The caller's process dies after this many calls (counted from when the faults were set). */
  crashAfterCalls?: number;
  /**
   * The caller's process dies right after this many changes (mutating calls) took effect, counted from when
   * the faults were set: a crash in the middle of applying, whatever the reads before it.
   */
  crashAfterMutatingCalls?: number;
  /**
   * The caller's process dies right after the first call of this operation (e.g. `CreateVpc`) takes
   * effect, as a Lambda killed while AWS's answer is on its way.
   */
  crashAfterOperation?: string;
  /**
   * The first call of this operation (e.g. `CreateVpc`) takes effect, then is answered with a 5xx, once:
   * AWS documents that a request may time out or meet a server error although it already took effect
   * ("Ensuring idempotency in Amazon EC2 API requests"). The SDK retries a 5xx: a create without
   * idempotency then makes a second resource.
   */
  error5xxAfterOperation?: string;
  /** Seed of the fault stream (default: the account's seed). */
  seed?: number;
  /** Targets fail their health checks, as a broken image would. */
  unhealthy?: boolean;
}

const NUMERIC_KEYS = [
  'throttle',
  'error5xx',
  'latencyMs',
  'crashAfterCalls',
  'crashAfterMutatingCalls',
  'seed',
] as const;

/** Parses `key=value,…`; throws a message naming the bad key or value. */
export function parseFaults(text: string | undefined): FaultConfig {
  const faults: FaultConfig = {};
  if (!text || !text.trim()) return faults;
  for (const part of text.split(',')) {
    const [key, raw, ...rest] = part.split('=').map((s) => s.trim());
    if (!key || raw === undefined || rest.length > 0)
      throw new Error(`LAMBDAFLEX_SIM_FAULTS: '${part}' is not key=value`);
    if (key === 'crashAfterOperation' || key === 'error5xxAfterOperation') {
      if (!/^[A-Z][A-Za-z0-9]+$/.test(raw)) {
        throw new Error(`LAMBDAFLEX_SIM_FAULTS: ${key} must name an operation, got '${raw}'`);
      }
      faults[key] = raw;
      continue;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`LAMBDAFLEX_SIM_FAULTS: ${key} must be a non-negative number, got '${raw}'`);
    }
    if (key === 'unhealthy') {
      faults.unhealthy = value !== 0;
    } else if ((NUMERIC_KEYS as readonly string[]).includes(key)) {
      if ((key === 'throttle' || key === 'error5xx') && value > 1) {
        throw new Error(`LAMBDAFLEX_SIM_FAULTS: ${key} is a rate between 0 and 1, got '${raw}'`);
      }
      faults[key as (typeof NUMERIC_KEYS)[number]] = value;
    } else {
      throw new Error(
        `LAMBDAFLEX_SIM_FAULTS: unknown fault '${key}' (known: ${[...NUMERIC_KEYS, 'unhealthy', 'crashAfterOperation', 'error5xxAfterOperation'].join(', ')})`,
      );
    }
  }
  return faults;
}
