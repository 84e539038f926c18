/**
 * Attaches the simulated account to a real SDK v3 client: a middleware early in the stack
 * (the last of the 'initialize' step, after instrumentation such as the call counter) answers the command
 * itself instead of sending it, so everything above it (the command classes,
 * paginators, waiters, the code under test) is exactly what runs against AWS.
 */
import type { ServiceName } from './clients';
import type { SimAccount } from './account';
import { SimulatedCrashError } from './errors';

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: unknown,
      options: { step: 'initialize'; priority: 'high' | 'low'; name: string; override?: boolean },
    ): void;
  };
}

let requestCounter = 0;

/**
 * What the SDK's standard retry mode retries (docs/aws-facts.md: 3 attempts): throttling and server faults.
 * The simulated middleware answers before the SDK's own retry middleware would run, so it retries these
 * itself, at once (the virtual clock does not move), each attempt counted as AWS would count it.
 */
function sdkWouldRetry(error: unknown): boolean {
  const e = error as { name?: string; $fault?: string };
  return (
    e?.$fault === 'server' ||
    /Throttl|RequestLimitExceeded|TooManyRequests|PriorRequestNotComplete|^TimeoutError$/.test(e?.name ?? '')
  );
}

export interface AttachOptions {
  /** Attempts per call, as the SDK's `maxAttempts` (default 1: every fault reaches the caller). */
  maxAttempts?: number;
  /** The client's request timeout per attempt (none by default). */
  requestTimeoutMs?: number;
}

/**
 * What NodeHttpHandler throws when an attempt outlives `requestTimeout` (with `throwOnRequestTimeout`).
 * The request was sent: AWS may well have acted on it; only the answer is lost.
 */
function requestTimeoutError(timeoutMs: number): Error {
  return Object.assign(
    new Error(`a request has exceeded the configured ${timeoutMs} ms requestTimeout (simulated)`),
    { name: 'TimeoutError', code: 'ETIMEDOUT' },
  );
}

/** `DescribeVpcsCommand` → `DescribeVpcs`, worked out once per command name. */
const operationNames = new Map<string, string>();

function operationNameOf(commandName: string | undefined): string {
  const name = commandName ?? '';
  let operation = operationNames.get(name);
  if (operation === undefined) {
    operation = name.replace(/Command$/, '');
    operationNames.set(name, operation);
  }
  return operation;
}

export function attachSimulator(
  client: MiddlewareClient,
  service: ServiceName,
  account: SimAccount,
  options: AttachOptions = {},
): void {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 1);
  const timeoutMs = options.requestTimeoutMs;
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => {
        const operation = operationNameOf(context.commandName);
        const input = args.input ?? {};
        const recorder = account.recorder;
        for (let attempt = 1; ; attempt++) {
          const before = recorder?.before(account);
          const recorded = {
            service,
            operation,
            region: account.region,
            accountId: account.accountId,
            input,
          };
          try {
            const latency = account.latencyMs;
            if (timeoutMs !== undefined && timeoutMs > 0 && latency > timeoutMs) {
              // The answer would come after the timeout: the call takes effect, the caller hears TimeoutError.
              await new Promise((resolve) => setTimeout(resolve, timeoutMs));
              try {
                account.callNow(service, operation, input);
              } catch (error) {
                // AWS's answer, error or not, is lost with the rest; a dying process is not.
                if (error instanceof SimulatedCrashError) throw error;
              }
              throw requestTimeoutError(timeoutMs);
            }
            // Answered at once unless a latency fault asks for a wait: no promise to await per call.
            const output =
              latency > 0
                ? await account.call(service, operation, input)
                : account.callNow(service, operation, input);
            requestCounter += 1;
            // The answer is the account's fresh copy, so it can carry the metadata itself.
            output.$metadata = {
              httpStatusCode: 200,
              requestId: `sim-${requestCounter}`,
              attempts: attempt,
              totalRetryDelay: 0,
            };
            recorder?.record({ ...recorded, output, ...before! });
            return { output, response: {} };
          } catch (error) {
            const code = (error as { name?: string }).name ?? 'Error';
            if (recorder && !/injected fault/.test((error as Error).message ?? '')) {
              recorder.record({ ...recorded, error: code, ...before! });
            }
            if (attempt >= maxAttempts || !sdkWouldRetry(error)) throw error;
          }
        }
      },
    { step: 'initialize', priority: 'low', name: 'lambdaflexSimulatedAws', override: true },
  );
}
