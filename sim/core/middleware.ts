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

export function attachSimulator(client: MiddlewareClient, service: ServiceName, account: SimAccount): void {
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const output = await account.call(service, operation, args.input ?? {});
        requestCounter += 1;
        const $metadata = {
          httpStatusCode: 200,
          requestId: `sim-${requestCounter}`,
          attempts: 1,
          totalRetryDelay: 0,
        };
        return { output: { ...output, $metadata }, response: {} };
      },
    { step: 'initialize', priority: 'low', name: 'lambdaflexSimulatedAws', override: true },
  );
}
