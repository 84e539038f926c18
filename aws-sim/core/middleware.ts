/**
 * Attaches the simulated account to a real SDK v3 client: a middleware right after the SDK's retry step
 * answers each attempt itself instead of signing and sending it, so everything above it (the command
 * classes, serialization, the SDK's own retry strategy, paginators, waiters, the code under test) is
 * exactly what runs against AWS, and every attempt reaches the account as a request AWS would count.
 */
import type { ServiceName } from './clients';
import type { SimAccount } from './account';
import { SimulatedCrashError } from './errors';

interface MiddlewareClient {
  middlewareStack: {
    addRelativeTo(
      middleware: unknown,
      options: { relation: 'after'; toMiddleware: string; name: string; override?: boolean },
    ): void;
    remove(name: string): boolean;
  };
}

/**
 * The build step's work on the HTTP request (user agent, host, content length, recursion detection):
 * the simulator answers before the request would be signed and sent, so nothing reads it, and the user
 * agent alone costs a third of a simulated call.
 */
export const UNSENT_REQUEST_MIDDLEWARE = [
  'getUserAgentMiddleware',
  'hostHeaderMiddleware',
  'contentLengthMiddleware',
  'recursionDetectionMiddleware',
];

let requestCounter = 0;

export interface AttachOptions {
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
  const timeoutMs = options.requestTimeoutMs;
  for (const unsent of UNSENT_REQUEST_MIDDLEWARE) client.middlewareStack.remove(unsent);
  client.middlewareStack.addRelativeTo(
    (_next: unknown, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => {
        const operation = operationNameOf(context.commandName);
        const input = args.input ?? {};
        const recorder = account.recorder;
        const before = recorder?.before(account);
        const recorded = { service, operation, region: account.region, accountId: account.accountId, input };
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
          // The answer is the account's fresh copy, so it can carry the metadata itself (the SDK's retry
          // step adds the attempts and the time it waited).
          output.$metadata = { httpStatusCode: 200, requestId: `sim-${requestCounter}` };
          recorder?.record({ ...recorded, output, ...before! });
          return { output, response: {} };
        } catch (error) {
          const code = (error as { name?: string }).name ?? 'Error';
          if (recorder && !/injected fault/.test((error as Error).message ?? '')) {
            recorder.record({ ...recorded, error: code, ...before! });
          }
          throw error;
        }
      },
    // Below the retry step, above signing: each attempt is answered here, none is signed or sent.
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'lambdaflexSimulatedAws', override: true },
  );
}
