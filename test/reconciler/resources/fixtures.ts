/**
 * Shared fixture for the resource kinds' unit tests: one valid, fully defaulted DesiredState and a
 * ResourceContext factory. The SDK clients are real v3 clients with dummy credentials; tests replace
 * their transport with `mockClient(EC2Client)` (aws-sdk-client-mock patches every instance of a class),
 * so nothing reaches the network.
 */
import { createAwsClients, type AwsClients } from '../../../reconciler/aws/clients';
import type { ObservedResource, ResourceContext } from '../../../reconciler/resources/types';
import type { ExtraOf } from '../../../reconciler/resources/keys';
import type { HttpApiExtra } from '../../../reconciler/resources/apigateway/support';
import { ownershipTags, type DesiredState } from '../../../spec';
import { exampleSpec } from '../../spec/fixtures';
import { DEFAULT_INTENT, type Intent } from '../../../reconciler/resources/intent';

export const STACK = 'orders-api';
export const REGION = 'us-east-1';
/** A fixed instant (2024-01-01T00:00:00Z): tests never read the real clock. */
export const NOW = Date.UTC(2024, 0, 1);

/**
 * A valid DesiredState with every default filled in, as `validateSpec` returns it: the example
 * document of test/spec/fixtures.ts, pinned to the Fargate tier.
 */
export function testSpec(overrides: Partial<DesiredState> = {}): DesiredState {
  return { ...(exampleSpec() as unknown as DesiredState), mode: 'fargate', ...overrides };
}

export function testClients(region: string = REGION): AwsClients {
  return createAwsClients({
    region,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
  });
}

export interface ContextOptions {
  spec?: DesiredState;
  refs?: Record<string, ObservedResource | undefined>;
  region?: string;
  clients?: AwsClients;
  intent?: Intent;
}

/** A ResourceContext over test clients, the test spec, the given refs and the fixed clock. */
export function testContext(options: ContextOptions = {}): ResourceContext {
  const region = options.region ?? REGION;
  return {
    clients: options.clients ?? testClients(region),
    spec: options.spec ?? testSpec(),
    refs: options.refs ?? {},
    region,
    now: () => NOW,
    intent: options.intent ?? DEFAULT_INTENT,
  };
}

/**
 * An observed resource as a dependency's `find` would report it, tagged as this stack's.
 *
 * @example
 * observed('vpc', 'AWS::EC2::VPC', 'vpc-0abc', { cidr: '10.42.0.0/16' })
 */
export function observed<K extends string>(
  key: K,
  type: string,
  id: string,
  attributes: Record<string, unknown> = {},
  extra: Partial<ObservedResource<ExtraOf<K>>> = {},
): ObservedResource<ExtraOf<K>> {
  return {
    key,
    type,
    id,
    tags: { ...ownershipTags(STACK, key) },
    attributes,
    ready: true,
    ...extra,
  };
}

/** The HTTP API's `extra` as its finder reports it for the API `abcde12345` in us-east-1. */
export const TEST_API_EXTRA: HttpApiExtra = {
  apiId: 'abcde12345',
  apiEndpoint: 'https://abcde12345.execute-api.us-east-1.amazonaws.com',
  regionalDomainName: 'abcde12345.execute-api.us-east-1.amazonaws.com',
};

/** An AWS-shaped service error, as the SDK throws it, for classification and not-found tests. */
export function awsError(code: string, message: string = code, httpStatusCode: number = 400): Error {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}
