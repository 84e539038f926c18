/**
 * Which calls the SDK may send again after an answer that may hide a call that took effect: the one place
 * that decides it, per call (docs/ownership.md "Creates journaled with a nonce").
 *
 * The SDK retries a 5xx, a timeout and a dropped connection as transient, whatever the call. For most of
 * what the reconciler sends that is safe: reads; creates AWS makes idempotent by a client token (EC2
 * `CreateRouteTable`, ECS `CreateService`: the SDK keeps the token across its attempts, and ours is
 * derived from the journaled nonce); creates of a name or key AWS keeps unique (a role, a function, a load
 * balancer, a security group in its VPC, a subnet's CIDR in its VPC, an API's route key), whose retry
 * fails with a conflict rather than making a second one. The creates in SENT_ONCE are neither: after a
 * 5xx that took effect the SDK's retry makes a second resource with the same nonce tag, which nothing
 * can then tell from a copy of the stack's tags. Those are sent once: the caller hears the 5xx or the
 * timeout, the intent stays awaited, and the next pass looks for the resource by its nonce before it
 * creates again. A throttled one is still retried: AWS refused it, nothing was made.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AwsClients } from './clients';
import { addToEachClient } from './middleware';

/**
 * By client, the creates AWS documents neither as idempotent by a client token nor as unique by name:
 * EC2's VPCs and internet gateways ("Ensuring idempotency in Amazon EC2 API requests" lists neither),
 * API Gateway's APIs and integrations (names are not unique; an integration has no key), and ECS task
 * definitions (each call registers a new revision of the family), IAM's policy versions (each call adds
 * one; no client token, no name). And EC2's AssociateRouteTable, which
 * has no client token either: its retry after one that took effect hears `Resource.AlreadyAssociated`,
 * the answer that also means a subnet taken by another table, reported and looked at again.
 */
export const SENT_ONCE: Readonly<Partial<Record<keyof AwsClients, readonly string[]>>> = {
  ec2: ['CreateVpc', 'CreateInternetGateway', 'AssociateRouteTable'],
  apigatewayv2: ['CreateApi', 'CreateIntegration'],
  ecs: ['RegisterTaskDefinition'],
  // bootstrap's managed policies: each call adds a version, and IAM keeps five (a retry of one that took
  // effect makes a second, or hears LimitExceeded for its own first attempt).
  iam: ['CreatePolicyVersion'],
};

/** What the SDK's retry middleware hands its strategy after a failed attempt. */
interface RetryErrorInfo {
  errorType: string;
  error?: { code?: unknown; $metadata?: { httpStatusCode?: number } };
}

/** Node's errors for a connection that never opened: the request did not reach AWS. */
const NEVER_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/** The SDK's retry strategy interface (v2), as the retry middleware calls it. */
interface RetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<unknown>;
  refreshRetryTokenForRetry(token: unknown, errorInfo: RetryErrorInfo): Promise<unknown>;
  recordSuccess(token: unknown): void;
}

interface RetryingClient {
  config: { retryStrategy: () => Promise<unknown> };
}

/** Set while a call of SENT_ONCE is in flight (the middleware below), read by its client's strategy. */
const sendingOnce = new AsyncLocalStorage<string>();

/**
 * An attempt that made nothing: AWS answered that it did not act (throttling: EC2's RequestLimitExceeded,
 * which comes with a 503, a 429, the codes the SDK lists; any 4xx, such as a signature refused for clock
 * skew), or the connection never opened. Any other failure a retry follows (a 5xx, a timeout, a reset
 * connection) may come after the call took effect.
 */
function refused(errorInfo: RetryErrorInfo): boolean {
  if (errorInfo.errorType === 'THROTTLING') return true;
  const status = errorInfo.error?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500) return true;
  const code = errorInfo.error?.code;
  return typeof code === 'string' && NEVER_SENT_CODES.includes(code);
}

/** `strategy`, except that a call of SENT_ONCE gets no retry after an attempt that may have taken effect. */
function sendOnceAfterEffect(strategy: RetryStrategy): RetryStrategy {
  return {
    acquireInitialRetryToken: (scope) => strategy.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token, errorInfo) => {
      const operation = sendingOnce.getStore();
      if (operation !== undefined && !refused(errorInfo)) {
        // As the SDK's strategies refuse a retry: its retry middleware then throws the attempt's own error.
        return Promise.reject(new Error(`${operation} may have taken effect: not sent again`));
      }
      return strategy.refreshRetryTokenForRetry(token, errorInfo);
    },
    recordSuccess: (token) => strategy.recordSuccess(token),
  };
}

const guarded = new WeakSet<object>();

/**
 * Makes each client of `clients` send the calls of SENT_ONCE once (throttling aside), through its own
 * retry strategy (the adaptive one of createAwsClients, the simulated account's) and a middleware that
 * marks those calls. Idempotent: every pass guards the shared clients again.
 */
export function guardCreateRetries<C extends Partial<AwsClients>>(clients: C): C {
  for (const client of Object.values(clients) as (RetryingClient | undefined)[]) {
    if (!client || guarded.has(client)) continue;
    guarded.add(client);
    // The SDK's retry middleware asks the client's config for its strategy on each call.
    const strategyOf = client.config.retryStrategy.bind(client.config);
    let wrapped: Promise<unknown> | undefined;
    client.config.retryStrategy = () =>
      (wrapped ??= strategyOf().then((strategy) => sendOnceAfterEffect(strategy as RetryStrategy)));
  }
  return addToEachClient(clients as AwsClients, 'lambdaflexSendOnce', 'low', (service) => {
    const once = new Set(SENT_ONCE[service as keyof AwsClients] ?? []);
    return (next, context) => (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      return once.has(operation) ? sendingOnce.run(operation, () => next(args)) : next(args);
    };
  }) as C;
}
