/**
 * The simulated account keeps its own list of clients and defaults (aws-sim/core/clients.ts), so that it
 * imports nothing of the reconciler's: these hold it to the reconciler's list and settings.
 */
import { createSimulatedAws } from '../../aws-sim';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  SDK_DEFAULT_MAX_ATTEMPTS,
  SIMULATED_CLIENT_CLASSES,
  SIMULATED_SERVICE_NAMES,
} from '../../aws-sim/core/clients';
import {
  CLIENT_CLASSES,
  DEFAULT_MAX_ATTEMPTS,
  REQUEST_TIMEOUT_MS,
  SERVICE_NAMES,
  type AwsClients,
} from '../../reconciler/aws/clients';

describe('the simulated clients', () => {
  it('simulate every client the reconciler builds, with the same SDK client class', () => {
    expect([...SIMULATED_SERVICE_NAMES].sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) expect(SIMULATED_CLIENT_CLASSES[name]).toBe(CLIENT_CLASSES[name]);
  });

  it('default to the real clients’ attempts and request timeout', () => {
    expect(SDK_DEFAULT_MAX_ATTEMPTS).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(REQUEST_TIMEOUT_MS);
  });

  it('are handed to the reconciler as its AwsClients', () => {
    const { clients } = createSimulatedAws({ seed: 3 });
    const forTheReconciler: AwsClients = clients; // the type checker holds the shapes together
    expect(Object.keys(forTheReconciler).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(forTheReconciler.ec2).toBeInstanceOf(CLIENT_CLASSES.ec2);
  });
});
