import { DEFAULT_MAX_ATTEMPTS, requestHandlerOptions } from '../../reconciler/aws/request-handler';
import type { StateStore } from '../../reconciler/state/types';
import type { ServiceConfig } from '../config/service-config';

/**
 * The store, created on first use. Only /stack-status and /desired-state need it, and loading the DynamoDB
 * SDK costs a good part of a cold start, so /health and the user's own routes never pay for it.
 */
export type StateStoreSource = () => Promise<StateStore>;

/**
 * The real store: the SDK takes its region, endpoint and credentials from its usual environment variables.
 * Each request is bounded like the reconciler's (reconciler/aws/request-handler.ts): without a timeout a
 * stalled connection would hold the request until Lambda's own timeout ends the whole invocation.
 */
export function dynamoStateStoreSource(config: ServiceConfig): StateStoreSource {
  let store: Promise<StateStore> | undefined;
  return () => {
    store ??= (async () => {
      const [{ DynamoDBClient }, { DynamoStateStore }] = await Promise.all([
        import('@aws-sdk/client-dynamodb'),
        import('../../reconciler/state/dynamo-store'),
      ]);
      return new DynamoStateStore({
        client: new DynamoDBClient({
          maxAttempts: DEFAULT_MAX_ATTEMPTS,
          requestHandler: requestHandlerOptions(),
        }),
        tableName: config.tableName,
      });
    })();
    return store;
  };
}

/** An already built store (tests, or a caller that shares one store across apps). */
export function fixedStateStoreSource(store: StateStore): StateStoreSource {
  const ready = Promise.resolve(store);
  return () => ready;
}
