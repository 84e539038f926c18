/**
 * Adds one of the reconciler's middlewares (call counter, AWS time, lease fence, call budget) to each AWS
 * client. The clients are shared by every pass, and each pass instruments them again: a middleware is added
 * once per client and name, or it would run once more on every call for every pass made.
 */
import type { AwsClients } from './clients';

/** A middleware of the 'initialize' step, as the SDK's middleware stack calls it. */
export type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: { commandName?: string },
) => (args: unknown) => Promise<unknown>;

interface StackClient {
  middlewareStack: {
    add(
      middleware: Middleware,
      options: { step: 'initialize'; priority: 'high' | 'low'; name: string },
    ): void;
  };
}

const added = new WeakMap<object, Set<string>>();

/** Adds `make(service)` to the client of each service, at `priority` of 'initialize', unless it has it. */
export function addToEachClient(
  clients: AwsClients,
  name: string,
  priority: 'high' | 'low',
  make: (service: string) => Middleware,
): AwsClients {
  for (const [service, client] of Object.entries(clients) as [string, StackClient | undefined][]) {
    if (!client) continue;
    const names = added.get(client) ?? new Set<string>();
    if (names.has(name)) continue;
    added.set(client, names.add(name));
    client.middlewareStack.add(make(service), { step: 'initialize', priority, name });
  }
  return clients;
}
