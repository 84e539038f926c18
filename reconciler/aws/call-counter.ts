/**
 * Counts the AWS calls of one reconciler pass (total and mutating) for the status's `lastPass.apiCalls`.
 * A middleware is added once per client; AsyncLocalStorage tells it which pass a call belongs to, so
 * passes over several stacks at once, sharing the clients, are counted apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AwsClients } from './clients';
import { addToEachClient } from './middleware';

export interface CallCounts {
  total: number;
  mutating: number;
  byOperation: Record<string, number>;
}

const currentPass = new AsyncLocalStorage<CallCounts>();

/** Reads are the Describe/List/Get family; everything else changes something. */
export function isMutatingOperation(operation: string): boolean {
  return !/^(Describe|List|Get|BatchGet|Query|Scan|Lookup|Search)/.test(operation);
}

export function instrumentClients(clients: AwsClients): AwsClients {
  // First of all middlewares, so that the simulated AWS (last of 'initialize') is counted too.
  return addToEachClient(
    clients,
    'lambdaflexCallCounter',
    'high',
    (service) => (next, context) => async (args) => {
      const counts = currentPass.getStore();
      if (counts) {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        counts.total += 1;
        if (isMutatingOperation(operation)) counts.mutating += 1;
        const key = `${service}:${operation}`;
        counts.byOperation[key] = (counts.byOperation[key] ?? 0) + 1;
      }
      return next(args);
    },
  );
}

/** Runs `work`, counting the AWS calls it makes through instrumented clients. */
export async function countCalls<T>(work: () => Promise<T>): Promise<{ result: T; calls: CallCounts }> {
  const calls: CallCounts = { total: 0, mutating: 0, byOperation: {} };
  const result = await currentPass.run(calls, work);
  return { result, calls };
}
