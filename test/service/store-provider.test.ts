import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_MAX_ATTEMPTS, requestHandlerOptions } from '../../reconciler/aws/request-handler';
import { dynamoStateStoreSource } from '../../service/state/store-provider';

/** What a built client was configured with: the handler's options resolve lazily, the attempts at once. */
async function clientSettings(client: DynamoDBClient) {
  const handler = client.config.requestHandler as unknown as { configProvider: Promise<unknown> };
  return { handler: await handler.configProvider, maxAttempts: await client.config.maxAttempts() };
}

describe('the service state store client', () => {
  const saved = process.env.AWS_REGION;
  beforeAll(() => {
    process.env.AWS_REGION = 'eu-west-1';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = saved;
  });

  it("bounds each request like the reconciler's clients: request and connection timeouts that throw", async () => {
    const store = await dynamoStateStoreSource({ tableName: 'lf-orders' } as never)();
    const client = (store as unknown as { client: DynamoDBClient }).client;
    const settings = await clientSettings(client);
    expect(settings.handler).toMatchObject(requestHandlerOptions());
    expect(settings.handler).toMatchObject({ throwOnRequestTimeout: true, requestTimeout: 10_000 });
    expect(settings.maxAttempts).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(store.tableName).toBe('lf-orders');
  });
});
