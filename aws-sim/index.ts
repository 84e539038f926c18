/**
 * The simulated AWS account (docs/design.md "The simulated AWS"): real SDK v3 clients whose calls are answered
 * in-process by a stateful, time-aware model of the services LambdaFlex uses.
 *
 * @example
 *   const { account, clients } = createSimulatedAws({ seed: 42 });
 *   await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
 *   account.advance(60_000);
 */
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  SDK_DEFAULT_MAX_ATTEMPTS,
  SIMULATED_CLIENT_CLASSES,
  SIMULATED_SERVICE_NAMES,
  type ServiceName,
  type SimulatedClients,
} from './core/clients';
import { SimAccount, type SimAccountOptions } from './core/account';
import { attachSimulator } from './core/middleware';
import { simulatedRetries } from './core/retries';
import { ALL_SERVICES } from './services';

export { SimAccount, type SimAccountOptions } from './core/account';
export { SimulatedCrashError } from './core/errors';
export { parseFaults, type FaultConfig } from './core/faults';
export type { InventoryItem } from './core/service';
export type { AccountExtension } from './core/account';
export { simulatedRetries } from './core/retries';
export { SIMULATED_SERVICE_NAMES, type ServiceName, type SimulatedClients } from './core/clients';

export interface SimulatedAws {
  account: SimAccount;
  clients: SimulatedClients;
}

export interface SimClientOptions {
  maxAttempts?: number;
  /** Per attempt, as the real clients' (REQUEST_TIMEOUT_MS): a latency fault longer than it times out. */
  requestTimeoutMs?: number;
}

/**
 * Clients attached to `account`. Like the SDK's defaults they make up to 3 attempts, retrying what the
 * SDK's own retry strategy retries (`maxAttempts: 1` lets every injected fault reach the caller as AWS's
 * error), with no wait between attempts (simulatedRetries).
 */
export function clientsFor(account: SimAccount, options: SimClientOptions = {}): SimulatedClients {
  const credentials = { accessKeyId: 'SIMULATED', secretAccessKey: 'SIMULATED' };
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? SDK_DEFAULT_MAX_ATTEMPTS;
  const clients = {} as Record<ServiceName, unknown>;
  for (const name of SIMULATED_SERVICE_NAMES) {
    // The same request timeout as the real clients', though the simulator answers before the handler.
    const client = new SIMULATED_CLIENT_CLASSES[name]({
      region: account.region,
      credentials,
      ...simulatedRetries(maxAttempts),
      requestHandler: { requestTimeout: requestTimeoutMs },
    });
    attachSimulator(client, name, account, { requestTimeoutMs });
    clients[name] = client;
  }
  return clients as unknown as SimulatedClients;
}

export function createSimulatedAws(
  options: SimAccountOptions &
    SimClientOptions & {
      /** Another region of this account: global services (IAM) are shared with it. */
      sameAccountAs?: SimAccount;
    } = {},
): SimulatedAws {
  const account = new SimAccount(ALL_SERVICES, {
    ...options,
    ...(options.sameAccountAs ? { accountId: options.sameAccountAs.accountId } : {}),
  });
  if (options.sameAccountAs) account.shareGlobalServices(options.sameAccountAs);
  return {
    account,
    clients: clientsFor(account, {
      maxAttempts: options.maxAttempts,
      requestTimeoutMs: options.requestTimeoutMs,
    }),
  };
}
