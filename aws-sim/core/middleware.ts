/**
 * Attaches the simulated account to a real SDK v3 client. Each attempt is answered in-process, with the
 * SDK's own retry middleware around it: the command classes, the initialize step (where the reconciler's
 * and the SDK's own middlewares sit: call counting, the lease fence, Route 53's id normalizer, …), the
 * SDK's retry decision, paginators, waiters and the code under test are what runs against AWS, and every
 * attempt reaches the account as a request AWS would count.
 */
import { randomUUID } from 'node:crypto';
import { retryMiddleware } from '@smithy/core/retry';
import { NormalizedSchema } from '@smithy/core/schema';
import type { ServiceName } from './clients';
import type { SimAccount } from './account';
import { SimulatedCrashError } from './errors';

/** What the SDK hands a middleware; the simulator reads the command's input and name. */
export interface AttemptArgs {
  input: Record<string, unknown>;
}
export interface AttemptContext {
  commandName?: string;
  /** The command's Smithy context: its operation schema, `[9, namespace, name, traits, input, output]`. */
  __smithy_context?: { operationSchema?: unknown };
}
export interface AttemptResult {
  output: Record<string, unknown> & { $metadata: Record<string, unknown> };
  response: unknown;
}
export type AttemptHandler = (args: AttemptArgs) => Promise<AttemptResult>;

type StackMethod = (...args: unknown[]) => unknown;

interface SimulatedClient {
  config: Parameters<typeof retryMiddleware>[0] & { cacheMiddleware?: boolean };
  middlewareStack: {
    add(
      middleware: unknown,
      options: { step: 'serialize'; priority: 'high'; name: string; override: boolean },
    ): void;
  };
  destroy(): void;
}

/** The stack's methods that change it: each one drops the client's cached handlers (see answerAttempts). */
const STACK_CHANGES = ['add', 'addRelativeTo', 'remove', 'removeByTag', 'use'] as const;

/**
 * Answers every attempt of `client`'s calls with `answer` (built once per command class, with the call's
 * context), through the SDK's own retry middleware made from the client's own retry settings: the
 * simulated AWS uses it, and so does the simulator bench's stub, so that both run the same SDK code.
 *
 * Where it sits, and what that saves (the SDK's own work that nothing reads, since no request is sent):
 * - first in the serialize step, so after every initialize-step middleware; the serialize, build,
 *   finalizeRequest and deserialize steps (auth scheme, endpoint resolution, serialization, request
 *   decoration, signing, deserialization) never run, and with them the retry middleware they hold; the one
 *   built here, from the same settings, takes its place. A middleware added to those steps does not run.
 * - the client caches its resolved middleware per command class (the SDK's `cacheMiddleware`), instead
 *   of sorting and wrapping the whole stack again on each call; any change to the client's stack (the
 *   reconciler instruments its clients on their first pass, tests add hooks) drops the cache
 *   (`destroy()`, which the SDK documents as clearing it; the client has no connection to close). A
 *   middleware added to one command's own stack is not seen once its class is cached.
 */
export function answerAttempts(
  client: SimulatedClient,
  name: string,
  answer: (context: AttemptContext) => AttemptHandler,
): void {
  const retried = retryMiddleware(client.config);
  client.middlewareStack.add(
    (_next: unknown, context: AttemptContext) =>
      retried(answer(context) as Parameters<typeof retried>[0], context as Parameters<typeof retried>[1]),
    { step: 'serialize', priority: 'high', name, override: true },
  );
  client.config.cacheMiddleware = true;
  const stack = client.middlewareStack as unknown as Record<string, StackMethod>;
  for (const method of STACK_CHANGES) {
    const change = stack[method]!.bind(stack);
    stack[method] = (...args: unknown[]) => {
      const result = change(...args);
      client.destroy();
      return result;
    };
  }
}

let requestCounter = 0;

/**
 * The HTTP response an answer came in, as far as anyone reads it: status 200 and the `Date` header, which
 * every AWS response carries (HTTP requires it of an origin server with a clock), on the account's clock,
 * to the second as HTTP dates are. The SDK reads it to correct clock skew; the reconciler, to measure
 * waits in AWS's time rather than its own.
 */
export function httpResponseAt(now: number): { statusCode: number; headers: Record<string, string> } {
  return { statusCode: 200, headers: { date: new Date(now).toUTCString() } };
}

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

/**
 * The input members the SDK fills with a fresh idempotency token when the caller gives none (the
 * `idempotencyToken` trait: EC2's CreateRouteTable `ClientToken`, …). The SDK does it while serializing,
 * once per call, so every attempt carries the same token; the simulator answers before serialization.
 */
function idempotencyTokenMembers(context: AttemptContext): string[] {
  const operation = context.__smithy_context?.operationSchema;
  const input = Array.isArray(operation) ? (operation[4] as unknown) : undefined;
  if (input === undefined) return [];
  const schema = NormalizedSchema.of((typeof input === 'function' ? input() : input) as never);
  if (!schema.isStructSchema()) return [];
  const members: string[] = [];
  for (const [name, member] of schema.structIterator()) if (member.isIdempotencyToken()) members.push(name);
  return members;
}

/** The tokens the SDK would have filled for one call's attempts: the same request object each attempt. */
const filledTokens = new WeakMap<object, Record<string, unknown>>();

/** `args.input` with the call's SDK-filled tokens where the caller gave none (the caller's input is kept). */
function withFilledTokens(args: AttemptArgs, members: readonly string[]): Record<string, unknown> {
  const input = args.input ?? {};
  const missing = members.filter((member) => input[member] === undefined);
  if (missing.length === 0) return input;
  let filled = filledTokens.get(args);
  if (!filled) {
    filled = { ...input, ...Object.fromEntries(missing.map((member) => [member, randomUUID()])) };
    filledTokens.set(args, filled);
  }
  return filled;
}

/** `DescribeVpcsCommand` → `DescribeVpcs`. */
function operationNameOf(commandName: string | undefined): string {
  return (commandName ?? '').replace(/Command$/, '');
}

export function attachSimulator(
  client: SimulatedClient,
  service: ServiceName,
  account: SimAccount,
  options: AttachOptions = {},
): void {
  const timeoutMs = options.requestTimeoutMs;
  answerAttempts(client, 'lambdaflexSimulatedAws', (context) => {
    // Worked out once per command class: the handler is cached with it.
    const operation = operationNameOf(context.commandName);
    const tokenMembers = idempotencyTokenMembers(context);
    return async (args) => {
      const input = withFilledTokens(args, tokenMembers);
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
        // middleware adds the attempts and the time it waited).
        const answered = Object.assign(output, {
          $metadata: { httpStatusCode: 200, requestId: `sim-${requestCounter}` },
        });
        recorder?.record({ ...recorded, output: answered, ...before! });
        return { output: answered, response: httpResponseAt(account.now()) };
      } catch (error) {
        const code = (error as { name?: string }).name ?? 'Error';
        if (recorder && !/injected fault/.test((error as Error).message ?? '')) {
          recorder.record({ ...recorded, error: code, ...before! });
        }
        throw error;
      }
    };
  });
}
