/**
 * Every SDK client has a request timeout shorter than the lease, and it is one that throws: since
 * @smithy/node-http-handler 4.4 `requestTimeout` alone only logs a warning and keeps waiting.
 */
import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classify } from '../../../reconciler/aws/classify';
import {
  createAwsClients,
  MAX_CALL_MS,
  maxCallMs,
  REQUEST_TIMEOUT_MS,
  SERVICE_NAMES,
  type AwsClients,
} from '../../../reconciler/aws/clients';
import { DEFAULT_LEASE_TTL_MS } from '../../../reconciler/state';
import { createSimulatedAws } from '../../../aws-sim';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../../aws-sim/core/clients';

/** The request handler's settings as the client resolved them (NodeHttpHandler keeps them behind a promise). */
async function handlerSettings(clients: AwsClients): Promise<Record<string, unknown>[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const handler = clients[name].config.requestHandler as unknown as {
        configProvider: Promise<Record<string, unknown>>;
      };
      const { requestTimeout, connectionTimeout, throwOnRequestTimeout } = await handler.configProvider;
      return { name, requestTimeout, connectionTimeout, throwOnRequestTimeout };
    }),
  );
}

const EXPECTED = (name: string) => ({
  name,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionTimeout: 3_000,
  throwOnRequestTimeout: true,
});

describe('SDK clients', () => {
  it('end one call, retries included, well inside the lease, with room for a heartbeat', () => {
    expect(MAX_CALL_MS).toBe(maxCallMs(3, REQUEST_TIMEOUT_MS));
    expect(MAX_CALL_MS).toBe(3 * 10_000 + 2 * 20_000);
    expect(MAX_CALL_MS + DEFAULT_LEASE_TTL_MS / 4).toBeLessThan(DEFAULT_LEASE_TTL_MS);
  });

  it('are built with a request timeout that throws, for real AWS', async () => {
    const clients = createAwsClients({ region: 'us-east-1' });
    expect(await handlerSettings(clients)).toEqual(SERVICE_NAMES.map(EXPECTED));
    expect(await clients.ec2.config.maxAttempts()).toBe(3);
  });

  it('and the simulated account times a call out at the same bound', async () => {
    // The simulator answers before the request handler is reached (aws-sim may not import the reconciler's
    // settings), so what must agree is the bound its simulated timeouts use and the handler's own.
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(REQUEST_TIMEOUT_MS);
    const { clients } = createSimulatedAws();
    const settings = await handlerSettings(clients);
    expect(settings.map((s) => s.requestTimeout)).toEqual(SERVICE_NAMES.map(() => REQUEST_TIMEOUT_MS));
  });
});

describe('a request that outlives its timeout', () => {
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    // Accepts the request and never answers.
    server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails with TimeoutError, which is retried, not read as an answer', async () => {
    // The SDK's own endpoint setting, as for LocalStack.
    process.env.AWS_ENDPOINT_URL = endpoint;
    const clients = createAwsClients({
      region: 'us-east-1',
      maxAttempts: 1,
      requestTimeoutMs: 50,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const error = await clients.ec2.send(new DescribeVpcsCommand({})).catch((e: unknown) => e);
    delete process.env.AWS_ENDPOINT_URL;
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(classify(error)).toBe('retryable');
    clients.ec2.destroy();
  });

  it('in the simulated account, times out after AWS acted on it: a create that timed out may exist', async () => {
    const { account, clients } = createSimulatedAws({ requestTimeoutMs: 5, maxAttempts: 2 });
    account.setFaults({ latencyMs: 20 });
    const error = await clients.ec2
      .send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    // Each of the two attempts reached EC2, which has no idempotency token for CreateVpc.
    expect(account.inventory().filter((item) => item.type === 'AWS::EC2::VPC')).toHaveLength(2);
  });
});

describe('the state table’s client', () => {
  it('times out like the AWS clients in the reconciler Lambda: the lease lives there', async () => {
    const { defaultDeps } = await import('../../../reconciler/handler');
    const deps = defaultDeps({ LAMBDAFLEX_TABLE: 'lambdaflex', AWS_REGION: 'eu-west-1' });
    // The store keeps its client private; the test reads it to see what the Lambda really builds.
    const client = (deps.store as unknown as { client: AwsClients['ec2'] }).client;
    const handler = client.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>;
    };
    expect(await handler.configProvider).toMatchObject({
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  });
});
