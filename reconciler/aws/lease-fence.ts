/**
 * The lease fence on every AWS call of a pass (safety rule 8). A middleware is added once per client;
 * AsyncLocalStorage tells it which pass (and so which lease) a call belongs to, as the call counter does,
 * so passes over several stacks sharing the clients are fenced apart. Before each call the pass's fence
 * runs (the lease's heartbeat); a mutating call it refuses is never sent. Calls outside a pass (bootstrap,
 * the sandbox's traffic) are not fenced.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isMutatingOperation } from './call-counter';
import type { AwsClients } from './clients';
import { addToEachClient } from './middleware';

export interface LeaseFence {
  /** Resolves when the call may be made; rejects (LeaseLostError) when a mutating one may not. */
  beforeCall(operation: string, mutating: boolean): Promise<void>;
}

const currentFence = new AsyncLocalStorage<LeaseFence>();

export function fenceClients(clients: AwsClients): AwsClients {
  // Early in 'initialize': before the SDK's retries and before the simulated AWS answers the call.
  return addToEachClient(clients, 'lambdaflexLeaseFence', 'high', () => (next, context) => async (args) => {
    const fence = currentFence.getStore();
    if (fence) {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      await fence.beforeCall(operation, isMutatingOperation(operation));
    }
    return next(args);
  });
}

/** Runs `work` with every AWS call it makes through fenced clients passing `fence` first. */
export function withLeaseFence<T>(fence: LeaseFence, work: () => Promise<T>): Promise<T> {
  return currentFence.run(fence, work);
}
