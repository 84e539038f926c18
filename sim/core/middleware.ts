/**
 * Attaches the simulated account to a real SDK v3 client: a middleware early in the stack
 * (the last of the 'initialize' step, after instrumentation such as the call counter) answers the command
 * itself instead of sending it, so everything above it (the command classes,
 * paginators, waiters, the code under test) is exactly what runs against AWS.
 */
import type { ServiceName } from '../../reconciler/aws/clients';
import type { SimAccount } from './account';

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
 * What the SDK's standard retry mode retries (AWS-FACTS.md: 3 attempts): throttling and server faults.
 * The simulated middleware answers before the SDK's own retry middleware would run, so it retries these
 * itself, at once (the virtual clock does not move), each attempt counted as AWS would count it.
 */
function sdkWouldRetry(error: unknown): boolean {
  const e = error as { name?: string; $fault?: string };
  return (
    e?.$fault === 'server' ||
    /Throttl|RequestLimitExceeded|TooManyRequests|PriorRequestNotComplete/.test(e?.name ?? '')
  );
}

export interface AttachOptions {
  /** Attempts per call, as the SDK's `maxAttempts` (default 1: every fault reaches the caller). */
  maxAttempts?: number;
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
            // Answered at once unless a latency fault asks for a wait: no promise to await per call.
            const output =
              account.latencyMs > 0
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
